package org.govind.ingest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.govind.pii.PiiProtector;
import org.govind.schema.Schemas;

/**
 * Phase 5 and the exactly-once ledger: {@code ops.ingest_audit} has one row per file, and a batch's audit
 * rows are its last commit. What is audited is never processed again: a (path, sha256) already audited is
 * skipped, and a delivery already loaded ({@link #deliveryKey}) is audited as duplicate_file.
 */
final class IngestAudit {
    /** What the audit of one batch counted. */
    record Totals(int rejected, long read, long loaded, long quarantined) {}

    private final IngestTables t;
    private final PiiProtector pii;
    private final RowLayout layout = RowLayout.of(Schemas.get().table("ops.ingest_audit"));
    private final Set<String> auditedPathSha = new HashSet<>();
    private final Set<String> loadedDeliveries = new HashSet<>();
    private final Set<String> auditedPaths = new HashSet<>();
    private long lastBatch;

    /** Reads the ledger from the table. */
    IngestAudit(IngestTables t, PiiProtector pii) {
        this.t = t;
        this.pii = pii;
        for (Row r : t.wh.read("ops.ingest_audit").select("source_file", "file_sha256", "status", "batch", "entity", "export_date").collectAsList()) {
            auditedPathSha.add(r.getString(0) + "\u0000" + r.getString(1));
            auditedPaths.add(r.getString(0));
            if (!"duplicate_file".equals(r.getString(2))) loadedDeliveries.add(deliveryKey(r.getString(4), r.getLocalDate(5), r.getString(1)));
            lastBatch = Math.max(lastBatch, r.getLong(3));
        }
    }

    /** The number of the last audited batch (0 for an empty warehouse). */
    long lastBatch() { return lastBatch; }

    /** Whether some delivery at this path was audited (whatever its bytes): no hashing needed. */
    boolean pathAudited(LandingFile f) { return auditedPaths.contains(f.sourceFile()); }

    boolean audited(LandingFile f, String sha) { return auditedPathSha.contains(f.sourceFile() + "\u0000" + sha); }

    boolean loaded(String delivery) { return loadedDeliveries.contains(delivery); }

    /**
     * What makes two files the same delivery. Incremental entities: the bytes (sha256), wherever they land.
     * Full snapshots: the bytes and the export date, because an unchanged snapshot on a later night is
     * that night's state (and a snapshot that returns to an earlier state must be applied), not a re-delivery.
     */
    static String deliveryKey(String entity, LocalDate exportDate, String sha) {
        return Schemas.SNAPSHOTS.contains(entity) ? sha + "@" + exportDate : sha;
    }

    /** Writes the batch's audit rows (the exactly-once marker) as its last idempotent commit. */
    Totals write(Batch b, long seq) {
        List<Row> audit = new ArrayList<>();
        int rejected = 0;
        long read = 0, loaded = 0, quarantined = 0;
        for (FileResult r : b.fresh) {
            ParsedFile p = r.parsed;
            String status = p.rejectedWhole() ? "rejected" : r.quarantined() > 0 ? "partial" : "loaded";
            if (p.rejectedWhole()) rejected++;
            String msg = joinMessages(p.rejectedWhole() ? p.fileReason() + ": " + p.fileMessage() : p.fileMessage(), r.message);
            audit.add(row(seq, r).set("encoding", p.encoding()).set("header_language", p.headerLanguage())
                    .set("rows_read", p.rowsRead()).set("rows_loaded", r.loaded()).set("rows_quarantined", r.quarantined())
                    .set("rows_unchanged", r.unchanged).set("status", status).set("message", pii.maskText(msg)).row());
            read += p.rowsRead();
            loaded += r.loaded();
            quarantined += r.quarantined();
        }
        for (FileResult r : b.duplicates) {
            audit.add(row(seq, r).set("encoding", null).set("header_language", null)
                    .set("rows_read", 0).set("rows_loaded", 0).set("rows_quarantined", 0).set("rows_unchanged", 0)
                    .set("status", r.status).set("message", r.message).row());
        }
        Dataset<Row> a = t.spark.createDataFrame(audit, layout.schema());
        t.idempotent(seq, () -> t.wh.delta("ops.ingest_audit").as("t")
                .merge(a.as("s"), "t.source_file = s.source_file AND t.file_sha256 = s.file_sha256")
                .whenNotMatched().insertAll().execute());
        return new Totals(rejected, read, loaded, quarantined);
    }

    /** After the audit commit: the batch's files count as audited (and loaded) for the batches that follow. */
    void record(Batch b, long seq) {
        lastBatch = seq;
        for (FileResult r : b.fresh) {
            auditedPathSha.add(r.file.sourceFile() + "\u0000" + r.sha);
            loadedDeliveries.add(deliveryKey(r.file.entity(), r.file.exportDate(), r.sha));
        }
        for (FileResult r : b.duplicates) auditedPathSha.add(r.file.sourceFile() + "\u0000" + r.sha);
    }

    private RowLayout.Values row(long seq, FileResult r) {
        return layout.values().set("batch", seq).set("district", r.file.district()).set("export_date", r.file.exportDate())
                .set("entity", r.file.entity()).set("source_file", r.file.sourceFile()).set("file_sha256", r.sha);
    }

    private static String joinMessages(String a, String b) {
        if (a == null) return b;
        if (b == null) return a;
        return a + "; " + b;
    }
}
