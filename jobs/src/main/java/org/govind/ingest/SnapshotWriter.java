package org.govind.ingest;

import static org.apache.spark.sql.functions.col;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.govind.schema.ColumnDef;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;
import org.govind.spark.SparkSchemas;

/**
 * Snapshot entities (members, compounds, branches, property companies): full history (SCD2) in
 * {@code silver.<entity>}, with the columns of {@code silver/_scd2.yaml}. One MERGE per batch applies the
 * batch's snapshots night by night (as chosen by {@link TableChecks}) to the versions open before it.
 */
final class SnapshotWriter implements TableWriter {
    /** Staged columns besides silver's: the district and id of an older version to close, and its valid_to. */
    static final String CLOSE_DISTRICT = "_mk_d", CLOSE_ID = "_mk_id", CLOSE_ON = "_close";

    private final IngestTables t;
    private final Schemas schemas = Schemas.get();

    SnapshotWriter(IngestTables t) { this.t = t; }

    @Override
    public void write(String entity, Batch b, long seq) {
        Dataset<Row> staged = plan(entity, b.files(entity), b.snapshots.getOrDefault(entity, new TreeMap<>()), seq);
        t.idempotent(seq, () -> merge(entity, staged));
    }

    /** An open version while snapshots are applied in order. */
    private static final class Open {
        final String hash;
        final RowLayout.Values inserted; // the staged insert when opened in this batch, else null
        Open(String hash, RowLayout.Values inserted) { this.hash = hash; this.inserted = inserted; }
    }

    /**
     * The staged rows of one MERGE: closes of versions opened before the batch (with their valid_to) and
     * inserts of new versions (valid_to already set if closed later in the batch). A changed row closes its
     * version and opens a new one; a key absent from its district's snapshot is closed; a key present but
     * quarantined keeps its version.
     */
    Dataset<Row> plan(String entity, List<FileResult> rs, TreeMap<LocalDate, TreeMap<String, FileResult>> snaps, long seq) {
        TableDef landing = schemas.landing(entity);
        String id = landing.key().get(1);
        int idIdx = landing.indexOf(id), dIdx = landing.indexOf("district_code");
        Dataset<Row> before = t.beforeBatch("silver." + entity, seq).where(col("district_code").isin(TableChecks.districts(rs)));
        Map<String, Open> open = new HashMap<>();
        for (Row row : before.where(col("valid_to").isNull()).select("district_code", id, "_row_hash").collectAsList()) {
            open.put(row.getString(0) + "|" + row.getString(1), new Open(row.getString(2), null));
        }
        RowLayout staged = new RowLayout(SparkSchemas.of(schemas.table("silver." + entity))
                .add(CLOSE_DISTRICT, "string").add(CLOSE_ID, "string").add(CLOSE_ON, "date"));
        int[] landingAt = staged.at(landing);
        List<Row> closes = new ArrayList<>();
        List<RowLayout.Values> inserts = new ArrayList<>();
        for (Map.Entry<LocalDate, TreeMap<String, FileResult>> night : snaps.entrySet()) {
            LocalDate date = night.getKey();
            for (FileResult r : night.getValue().values()) {
                String district = r.file.district();
                Set<String> seen = new HashSet<>();
                for (ParsedFile.Bad b : r.parsed.quarantined()) {
                    if (b.key() != null && b.key().startsWith(district + "|")) seen.add(b.key());
                }
                for (ParsedFile.Good g : r.parsed.rows()) {
                    if (r.moved(g)) continue;
                    String key = g.values()[dIdx] + "|" + g.values()[idIdx];
                    seen.add(key);
                    String hash = rowHash(g.values());
                    Open cur = open.get(key);
                    if (cur != null && cur.hash.equals(hash)) continue;
                    if (cur != null) close(staged, cur, key, date, closes);
                    RowLayout.Values ins = staged.values().put(landingAt, g.values())
                            .set("valid_from", date).set("valid_to", null).set("is_current", true)
                            .set("_row_hash", hash).set("_export_date", date).set("_source_file", r.file.sourceFile());
                    inserts.add(ins);
                    open.put(key, new Open(hash, ins));
                }
                for (var it = open.entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    if (e.getKey().startsWith(district + "|") && !seen.contains(e.getKey())) {
                        close(staged, e.getValue(), e.getKey(), date, closes);
                        it.remove();
                    }
                }
            }
        }
        List<Row> rows = new ArrayList<>(closes);
        for (RowLayout.Values ins : inserts) rows.add(ins.row());
        return t.frame(rows, staged.schema());
    }

    private static void close(RowLayout staged, Open cur, String key, LocalDate date, List<Row> closes) {
        if (cur.inserted != null) {
            cur.inserted.set("valid_to", date).set("is_current", false);
        } else {
            String[] k = key.split("\\|", 2);
            closes.add(staged.values().set(CLOSE_DISTRICT, k[0]).set(CLOSE_ID, k[1]).set(CLOSE_ON, date).row());
        }
    }

    private void merge(String entity, Dataset<Row> staged) {
        TableDef silver = schemas.table("silver." + entity);
        String id = schemas.landing(entity).key().get(1);
        Map<String, String> insert = new LinkedHashMap<>();
        for (ColumnDef c : silver.columns()) insert.put(c.name(), "s." + c.name());
        t.wh.delta(silver.qualifiedName()).as("t")
                .merge(staged.as("s"), "t.district_code = s." + CLOSE_DISTRICT + " AND t." + id + " = s." + CLOSE_ID + " AND t.valid_to IS NULL")
                .whenMatched().updateExpr(Map.of("valid_to", "s." + CLOSE_ON, "is_current", "false"))
                .whenNotMatched("s." + CLOSE_DISTRICT + " IS NULL").insertExpr(insert)
                .execute();
    }

    /** sha256 over a row's business values in landing column order (stable text form of each value). */
    static String rowHash(Object[] v) {
        StringBuilder b = new StringBuilder();
        for (Object x : v) {
            if (x == null) b.append('\u0000');
            else if (x instanceof java.math.BigDecimal d) b.append(d.toPlainString());
            else b.append(x);
            b.append('\u001F');
        }
        return Landing.sha256(b.toString().getBytes(StandardCharsets.UTF_8));
    }
}
