package org.govind.airflow;

import java.util.List;

/**
 * What a backfill started. Airflow 3 creates a backfill object and schedules its runs itself
 * ({@code id} set, {@code runs} empty); on Airflow 2 the client triggers one run per logical date
 * ({@code id} null, one entry per date, {@code existed} for dates that already had a run).
 */
public record BackfillResult(Long id, String from, String to, List<Entry> runs) {
    public record Entry(String logicalDate, String runId, boolean existed) {}
}
