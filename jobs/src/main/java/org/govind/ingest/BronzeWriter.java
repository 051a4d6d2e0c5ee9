package org.govind.ingest;

import java.util.List;

/**
 * {@code bronze.<entity>}: every accepted row of the batch's files with its lineage. The write replaces
 * exactly these files' rows (replaceWhere on export date and file sha256), so writing it again is harmless.
 */
final class BronzeWriter {
    private final IngestTables t;

    BronzeWriter(IngestTables t) { this.t = t; }

    void write(String entity, Batch b, long seq) {
        List<FileResult> rs = b.files(entity);
        BronzeRows rows = new BronzeRows(entity);
        t.batchWrite(t.frame(rows.rows(rs), rows.schema()), seq).mode("overwrite")
                .option("replaceWhere", "_export_date IN (" + b.dateList() + ") AND _file_sha256 IN (" + Batch.shaList(rs) + ")")
                .save(t.wh.path(rows.table.qualifiedName()));
    }
}
