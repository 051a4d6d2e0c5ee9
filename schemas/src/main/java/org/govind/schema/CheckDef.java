package org.govind.schema;

/** A row-level rule across columns, e.g. closed_at not before reported_at. */
public record CheckDef(String rule, String column, String other, ReasonCode reason) {}
