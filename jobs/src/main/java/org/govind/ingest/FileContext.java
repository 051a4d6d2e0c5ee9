package org.govind.ingest;

import java.time.LocalDate;

/**
 * Where a landing file came from.
 *
 * @param district       district code of the landing folder
 * @param exportDate     date of the landing folder
 * @param entity         entity from the file name (may be unknown)
 * @param sourceFile     path relative to the landing root, e.g. 370829/2026-03-01/cases.csv
 * @param sha256         hex sha256 of the bytes
 * @param declaredEncoding encoding from manifest.json, or null
 * @param manifestRows   row count from manifest.json, or null
 * @param manifestSha256 sha256 from manifest.json, or null
 * @param manifestError  why the folder's manifest.json is unreadable or invalid, or null: the file is then rejected
 *                       ({@code manifest_invalid}) rather than checked without it
 */
public record FileContext(String district, LocalDate exportDate, String entity, String sourceFile, String sha256,
                          String declaredEncoding, Long manifestRows, String manifestSha256, String manifestError) {

    public FileContext(String district, LocalDate exportDate, String entity, String sourceFile, String sha256,
                       String declaredEncoding, Long manifestRows, String manifestSha256) {
        this(district, exportDate, entity, sourceFile, sha256, declaredEncoding, manifestRows, manifestSha256, null);
    }
}
