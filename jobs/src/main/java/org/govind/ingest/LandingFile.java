package org.govind.ingest;

import java.time.LocalDate;

/** A file found in the landing folder, before it is read. */
public record LandingFile(String district, LocalDate exportDate, String entity, String sourceFile, String absolutePath) {}
