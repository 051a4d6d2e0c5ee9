package org.govind.airflow;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Date-times as Airflow accepts them: RFC 3339 with seconds and a numeric offset
 * ({@code 2026-03-01T00:00:00+08:00}). Airflow 2 refuses a date-time without a time zone, and a
 * formatter that drops ":00" seconds (ISO_OFFSET_DATE_TIME does) is not strict RFC 3339.
 */
public final class Rfc3339 {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

    private Rfc3339() {}

    public static String format(OffsetDateTime t) { return FORMAT.format(t.truncatedTo(ChronoUnit.SECONDS)); }

    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    /**
     * The same with microseconds (RFC 3339 allows a fraction): for "now", so that two runs triggered
     * within one second do not share a logical date (Airflow keeps one run per logical date).
     */
    public static String formatMicros(OffsetDateTime t) { return MICROS.format(t.truncatedTo(ChronoUnit.MICROS)); }

    /** Midnight of {@code day} in {@code zone}. */
    public static OffsetDateTime midnight(LocalDate day, ZoneId zone) { return day.atStartOfDay(zone).toOffsetDateTime(); }
}
