package org.govind.ingest;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.govind.pii.PiiProtector;
import org.govind.schema.Schemas;

/**
 * {@code ops.quarantine}: every rejected record of the batch's files, those the parser refused and those
 * a table check moved there. Replaces exactly these files' rows, like {@link BronzeWriter}.
 */
final class QuarantineWriter {
    private final IngestTables t;
    private final PiiProtector pii;
    private final RowLayout layout = RowLayout.of(Schemas.get().table("ops.quarantine"));

    QuarantineWriter(IngestTables t, PiiProtector pii) {
        this.t = t;
        this.pii = pii;
    }

    void write(Batch b, long seq) {
        List<Row> q = new ArrayList<>();
        for (FileResult r : b.fresh) {
            for (ParsedFile.Bad bad : r.parsed.quarantined()) q.add(row(r, bad));
            for (ParsedFile.Bad bad : r.extraBad) q.add(row(r, bad));
        }
        t.batchWrite(t.spark.createDataFrame(q, layout.schema()), seq).mode("overwrite")
                .option("replaceWhere", "export_date IN (" + b.dateList() + ") AND file_sha256 IN (" + Batch.shaList(b.fresh) + ")")
                .save(t.wh.path("ops.quarantine"));
    }

    /** Text and message are pattern-masked once more here, whatever built them (masking is idempotent). */
    private Row row(FileResult r, ParsedFile.Bad b) {
        return layout.values()
                .set("district", r.file.district()).set("export_date", r.file.exportDate()).set("entity", r.file.entity())
                .set("source_file", r.file.sourceFile()).set("file_sha256", r.sha).set("line", b.line())
                .set("record_key", b.key()).set("raw_text", pii.maskText(b.rawText())).set("reasons", b.reasons())
                .set("message", pii.maskText(b.message()))
                .row();
    }
}
