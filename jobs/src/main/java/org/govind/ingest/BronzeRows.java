package org.govind.ingest;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;

/**
 * Rows of {@code bronze.<entity>}: an accepted row's landing values, each under its column's name,
 * plus the lineage columns of {@code bronze/_lineage.yaml} (district, export date, file, sha256, line).
 */
final class BronzeRows {
    final TableDef table;
    private final RowLayout layout;
    private final int[] landing;
    private final int district, exportDate, sourceFile, fileSha, line;

    BronzeRows(String entity) {
        Schemas schemas = Schemas.get();
        this.table = schemas.table("bronze." + entity);
        this.layout = RowLayout.of(table);
        this.landing = layout.at(schemas.landing(entity));
        this.district = layout.at("_district");
        this.exportDate = layout.at("_export_date");
        this.sourceFile = layout.at("_source_file");
        this.fileSha = layout.at("_file_sha256");
        this.line = layout.at("_line");
    }

    StructType schema() { return layout.schema(); }

    Row row(FileResult r, ParsedFile.Good g) {
        return layout.values().put(landing, g.values())
                .set(district, r.file.district()).set(exportDate, r.file.exportDate()).set(sourceFile, r.file.sourceFile())
                .set(fileSha, r.sha).set(line, g.line())
                .row();
    }

    /** Every accepted row of the files that no table check moved to quarantine. */
    List<Row> rows(List<FileResult> rs) {
        List<Row> rows = new ArrayList<>();
        for (FileResult r : rs) {
            for (ParsedFile.Good g : r.parsed.rows()) {
                if (!r.moved(g)) rows.add(row(r, g));
            }
        }
        return rows;
    }
}
