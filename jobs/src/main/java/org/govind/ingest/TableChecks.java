package org.govind.ingest;

import static org.apache.spark.sql.functions.col;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.govind.schema.ReasonCode;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;

/**
 * Phase 3 of a batch: the rules that need the tables, judged against each table as it stood before the
 * batch ({@link IngestTables#beforeBatch}), so a resumed batch judges exactly as its first run did. They
 * run before any write because they move rows to quarantine:
 * <ul>
 *   <li>snapshot entities: a snapshot older than one already applied for its district is quarantined
 *       whole (snapshot_out_of_order); of a night's snapshots of a district the last by path is applied;</li>
 *   <li>immutable entities: a re-delivered key with different values is quarantined
 *       (conflicting_redelivery), with identical values it is counted as unchanged.</li>
 * </ul>
 * Versioned entities need no check: the newest version wins ({@link VersionedWriter}).
 */
final class TableChecks {
    private final IngestTables t;
    private final Schemas schemas = Schemas.get();

    TableChecks(IngestTables t) { this.t = t; }

    void run(Batch b, long seq) {
        for (String e : Schemas.ENTITIES) {
            if (!b.byEntity.containsKey(e)) continue;
            switch (schemas.kind(e)) {
                case "snapshot" -> b.snapshots.put(e, snapshotOrder(e, b.files(e), seq));
                case "immutable" -> redelivery(e, b.files(e), seq);
                default -> { }
            }
        }
    }

    /** The districts of some files, for reading only their part of a table. */
    static Object[] districts(List<FileResult> rs) {
        return rs.stream().map(r -> r.file.district()).collect(Collectors.toCollection(TreeSet::new)).toArray();
    }

    /**
     * The snapshot to apply per night and district, in order; a file older than the snapshot already
     * applied for its district is quarantined whole, and one superseded by a later file of the same night
     * says so in its audit message.
     */
    private TreeMap<LocalDate, TreeMap<String, FileResult>> snapshotOrder(String entity, List<FileResult> rs, long seq) {
        Dataset<Row> before = t.beforeBatch("silver." + entity, seq).where(col("district_code").isin(districts(rs)));
        Map<String, LocalDate> applied = new HashMap<>();
        for (Row row : before.groupBy("district_code")
                .agg(functions.max(functions.greatest(col("valid_from"), functions.coalesce(col("valid_to"), col("valid_from")))))
                .collectAsList()) {
            applied.put(row.getString(0), row.getLocalDate(1));
        }
        TreeMap<LocalDate, TreeMap<String, FileResult>> snaps = new TreeMap<>();
        for (FileResult r : rs) {
            if (r.parsed.rejectedWhole()) continue;
            LocalDate prev = applied.get(r.file.district());
            if (prev != null && r.file.exportDate().isBefore(prev)) {
                for (ParsedFile.Good g : r.parsed.rows()) {
                    r.moveToQuarantine(g, ReasonCode.snapshot_out_of_order, "snapshot " + r.file.exportDate()
                            + " is older than the applied snapshot " + prev + " of district " + r.file.district() + "; history not rewritten");
                }
                continue;
            }
            FileResult earlier = snaps.computeIfAbsent(r.file.exportDate(), k -> new TreeMap<>()).put(r.file.district(), r);
            if (earlier != null) r.note("supersedes " + earlier.file.sourceFile() + " as this night's snapshot");
        }
        return snaps;
    }

    /**
     * Immutable rows: a key already loaded (before this batch, or earlier in it) with identical values
     * is ignored (counted as unchanged); with different values the row is quarantined.
     *
     * <p>Against the table this is one Spark join of the batch's rows with silver on the key, aggregated
     * before it reaches the driver: identical re-deliveries come back as one count per file, and only
     * conflicting rows come back one by one (each found through a line → row map, not a scan of the file).
     */
    private void redelivery(String entity, List<FileResult> rs, long seq) {
        TableDef landing = schemas.landing(entity);
        BronzeRows bronze = new BronzeRows(entity);
        Map<String, Object[]> first = new HashMap<>();
        Map<String, FileResult> byPath = new HashMap<>();
        List<Row> candidates = new ArrayList<>();
        for (FileResult r : rs) {
            byPath.put(r.file.sourceFile(), r);
            for (ParsedFile.Good g : r.parsed.rows()) {
                Object[] prev = first.putIfAbsent(g.key(), g.values());
                if (prev == null) {
                    candidates.add(bronze.row(r, g));
                } else if (Arrays.deepEquals(prev, g.values())) {
                    r.unchanged++;
                } else {
                    r.moveToQuarantine(g, ReasonCode.conflicting_redelivery, "key " + g.key() + " delivered earlier in this batch with different values");
                }
            }
        }
        first.clear();
        if (candidates.isEmpty()) return;
        Dataset<Row> batchDf = t.frame(candidates, bronze.schema());
        Dataset<Row> silver = t.beforeBatch("silver." + entity, seq).where(col("district_code").isin(districts(rs)));
        Column on = null;
        for (String k : landing.key()) on = on == null ? batchDf.col(k).equalTo(silver.col(k)) : on.and(batchDf.col(k).equalTo(silver.col(k)));
        Column same = businessHash(batchDf, landing).equalTo(businessHash(silver, landing));
        // identical: (file, line -1, null, n); conflicting: (file, line, the file that loaded the key first, 1)
        List<Row> hits = batchDf.join(silver, on)
                .select(batchDf.col("_source_file").as("f"),
                        functions.when(same, functions.lit(-1)).otherwise(batchDf.col("_line")).as("line"),
                        functions.when(same, functions.lit(null).cast("string")).otherwise(silver.col("_source_file")).as("prev"))
                .groupBy("f", "line", "prev").count()
                .collectAsList();
        Map<FileResult, Map<Integer, ParsedFile.Good>> byLine = new HashMap<>();
        for (Row h : hits) {
            FileResult r = byPath.get(h.getString(0));
            int line = h.getInt(1);
            if (line < 0) {
                r.unchanged += (int) h.getLong(3);
                continue;
            }
            ParsedFile.Good g = byLine.computeIfAbsent(r, x -> {
                Map<Integer, ParsedFile.Good> m = new HashMap<>();
                for (ParsedFile.Good y : x.parsed.rows()) m.put(y.line(), y);
                return m;
            }).get(line);
            r.moveToQuarantine(g, ReasonCode.conflicting_redelivery, "key " + g.key() + " already loaded from " + h.getString(2) + " with different values");
        }
    }

    /** sha256 of the landing (business) columns, for comparing versions of a row. */
    static Column businessHash(Dataset<Row> df, TableDef landing) {
        Column[] cs = landing.columns().stream().map(c -> df.col(c.name())).toArray(Column[]::new);
        return functions.sha2(functions.to_json(functions.struct(cs)), 256);
    }
}
