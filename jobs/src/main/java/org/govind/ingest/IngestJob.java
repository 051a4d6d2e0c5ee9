package org.govind.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.govind.pii.PiiProtector;
import org.govind.schema.ColumnDef;
import org.govind.schema.ReasonCode;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;
import org.govind.spark.SparkSchemas;
import org.govind.spark.Warehouse;

/**
 * Nightly ingestion: landing CSV → bronze.<entity> → silver.<entity>, with ops.quarantine and
 * ops.ingest_audit. One night at a time, in date order. Exactly once by file sha256: the audit row
 * is written last, and every write before it is idempotent (replaceWhere on the file checksums,
 * MERGE that re-applies to the same result), so a crash anywhere followed by a re-run gives the
 * same tables as a clean run.
 */
public final class IngestJob {

    /** Typed options. {@code crashAfter} names a write step after which to fail (tests only). */
    public record Options(String landing, String warehouse, LocalDate date, Set<String> crashAfter,
                          Consumer<String> progress) {
        public Options {
            crashAfter = crashAfter == null ? Set.of() : crashAfter;
            progress = progress == null ? s -> { } : progress;
        }
    }

    /** What one night did. */
    public record NightSummary(LocalDate date, int newFiles, int skippedFiles, int rejectedFiles,
                               long rowsRead, long rowsLoaded, long rowsQuarantined) {}

    /** Thrown by the crash-injection hook. */
    public static final class InjectedCrash extends RuntimeException {
        public InjectedCrash(String step) { super("injected crash after " + step); }
    }

    /** The write steps of a night, in order; crash points for tests. */
    public static final List<String> STEPS = List.of(
            "bronze", "quarantine", "silver.property_companies", "silver.branches", "silver.compounds",
            "silver.members", "silver.cases", "silver.visits", "silver.points", "audit");

    private static final Set<String> SNAPSHOTS = Set.of("members", "compounds", "branches", "property_companies");

    private final SparkSession spark;
    private final Warehouse wh;
    private final Options o;
    private final Schemas schemas = Schemas.get();
    private final FileParser parser;
    private final Set<String> auditedPathSha = new HashSet<>();
    private final Set<String> loadedShas = new HashSet<>();

    private IngestJob(SparkSession spark, Options o, PiiProtector pii) {
        this.spark = spark;
        this.o = o;
        this.wh = Warehouse.open(spark, o.warehouse());
        this.parser = new FileParser(pii);
    }

    public static List<NightSummary> run(SparkSession spark, Options o) {
        return run(spark, o, PiiProtector.fromEnvironment());
    }

    public static List<NightSummary> run(SparkSession spark, Options o, PiiProtector pii) {
        return new IngestJob(spark, o, pii).runAll();
    }

    private List<NightSummary> runAll() {
        wh.ensureAll("bronze");
        wh.ensureAll("silver");
        wh.ensureAll("ops");
        TreeMap<LocalDate, List<LandingFile>> nights;
        Landing landing;
        try {
            landing = new Landing(o.landing(), spark.sparkContext().hadoopConfiguration());
            nights = landing.nights();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        landing.warnings().forEach(w -> o.progress().accept("警告 / warning: " + w));
        if (o.date() != null) {
            List<LandingFile> one = nights.get(o.date());
            nights = new TreeMap<>();
            if (one != null) nights.put(o.date(), one);
        }
        for (Row r : wh.read("ops.ingest_audit").select("source_file", "file_sha256", "status").collectAsList()) {
            auditedPathSha.add(r.getString(0) + "\u0000" + r.getString(1));
            if (!"duplicate_file".equals(r.getString(2))) loadedShas.add(r.getString(1));
        }
        List<NightSummary> out = new ArrayList<>();
        for (Map.Entry<LocalDate, List<LandingFile>> n : nights.entrySet()) {
            long t0 = System.nanoTime();
            NightSummary s = night(landing, n.getKey(), n.getValue());
            out.add(s);
            o.progress().accept(String.format("%s  新文件 %d  跳过 %d  拒收 %d  读入 %,d  入库 %,d  隔离 %,d  (%.1f s)",
                    s.date(), s.newFiles(), s.skippedFiles(), s.rejectedFiles(), s.rowsRead(), s.rowsLoaded(),
                    s.rowsQuarantined(), (System.nanoTime() - t0) / 1e9));
        }
        return out;
    }

    // ---------------------------------------------------------------- one night

    /** Per-file bookkeeping for the audit row. */
    private static final class FileResult {
        final LandingFile file;
        final String sha;
        ParsedFile parsed;
        String status;
        String message;
        int unchanged;
        final List<ParsedFile.Bad> extraBad = new ArrayList<>();
        final Set<Integer> movedLines = new HashSet<>();
        FileResult(LandingFile file, String sha) { this.file = file; this.sha = sha; }
        int loaded() { return parsed == null ? 0 : parsed.rows().size() - movedLines.size(); }
        int quarantined() { return parsed == null ? 0 : parsed.quarantined().size() + extraBad.size(); }
    }

    private NightSummary night(Landing landing, LocalDate date, List<LandingFile> files) {
        List<FileResult> fresh = new ArrayList<>();
        List<FileResult> duplicates = new ArrayList<>();
        int skipped = 0;
        Set<String> batchShas = new HashSet<>();
        Map<FileResult, byte[]> bytes = new LinkedHashMap<>();
        for (LandingFile f : files) {
            byte[] b;
            try {
                b = landing.read(f);
            } catch (IOException e) {
                FileResult r = new FileResult(f, sha256(f.sourceFile().getBytes()));
                r.parsed = new ParsedFile(ctx(f, r.sha, Landing.Manifest.NONE), null, null, List.of(), List.of(), 0,
                        ReasonCode.unreadable_file, "cannot read file: " + e.getMessage());
                fresh.add(r);
                continue;
            }
            String sha = sha256(b);
            if (auditedPathSha.contains(f.sourceFile() + "\u0000" + sha)) { skipped++; continue; }
            FileResult r = new FileResult(f, sha);
            if (loadedShas.contains(sha) || !batchShas.add(sha)) {
                r.status = "duplicate_file";
                r.message = "same sha256 as a file already loaded; skipped whole";
                duplicates.add(r);
                continue;
            }
            fresh.add(r);
            bytes.put(r, b);
        }
        if (fresh.isEmpty() && duplicates.isEmpty()) return new NightSummary(date, 0, skipped, 0, 0, 0, 0);

        // Parse in parallel (pure Java, CPU bound).
        bytes.entrySet().parallelStream().forEach(e -> {
            FileResult r = e.getKey();
            LandingFile f = r.file;
            Landing.Manifest m = landing.manifest(f);
            FileContext c = ctx(f, r.sha, m);
            try {
                r.parsed = parser.parse(schemas.isEntity(f.entity()) ? schemas.landing(f.entity()) : null, e.getValue(), c);
            } catch (RuntimeException ex) {
                r.parsed = new ParsedFile(c, null, null, List.of(), List.of(), 0, ReasonCode.unreadable_file,
                        "unexpected error reading file: " + ex);
            }
            if (m.error() != null) r.message = m.error();
        });

        Map<String, List<FileResult>> byEntity = new TreeMap<>();
        for (FileResult r : fresh) byEntity.computeIfAbsent(r.file.entity(), k -> new ArrayList<>()).add(r);

        // Rules that need the tables: snapshot order, re-delivery of immutable rows.
        Map<String, List<FileResult>> applySnapshot = new HashMap<>();
        for (String e : SNAPSHOTS) {
            List<FileResult> rs = byEntity.get(e);
            if (rs != null) applySnapshot.put(e, snapshotOrder(e, date, rs));
        }
        for (String e : List.of("visits", "points")) {
            List<FileResult> rs = byEntity.get(e);
            if (rs != null) redelivery(e, rs);
        }

        // 1. bronze: replace the rows of this night's new files.
        for (Map.Entry<String, List<FileResult>> e : byEntity.entrySet()) {
            if (!schemas.isEntity(e.getKey())) continue;
            TableDef bronze = schemas.table("bronze." + e.getKey());
            Dataset<Row> df = spark.createDataFrame(bronzeRows(e.getValue()), SparkSchemas.of(bronze));
            df.write().format("delta").mode("overwrite")
                    .option("replaceWhere", "_export_date = DATE'" + date + "' AND _file_sha256 IN (" + shaList(e.getValue()) + ")")
                    .save(wh.path(bronze.qualifiedName()));
        }
        crashPoint("bronze");

        // 2. quarantine
        List<Row> q = new ArrayList<>();
        for (FileResult r : fresh) {
            for (ParsedFile.Bad b : r.parsed.quarantined()) q.add(quarantineRow(r, b));
            for (ParsedFile.Bad b : r.extraBad) q.add(quarantineRow(r, b));
        }
        if (!fresh.isEmpty()) {
            spark.createDataFrame(q, SparkSchemas.of(schemas.table("ops.quarantine"))).write().format("delta").mode("overwrite")
                    .option("replaceWhere", "export_date = DATE'" + date + "' AND file_sha256 IN (" + shaList(fresh) + ")")
                    .save(wh.path("ops.quarantine"));
        }
        crashPoint("quarantine");

        // 3. silver, snapshots first (their order does not matter for correctness, only for reading)
        for (String e : List.of("property_companies", "branches", "compounds", "members")) {
            if (applySnapshot.containsKey(e) && !applySnapshot.get(e).isEmpty()) scd2(e, date, applySnapshot.get(e));
            crashPoint("silver." + e);
        }
        if (byEntity.containsKey("cases")) mergeCases(byEntity.get("cases"));
        crashPoint("silver.cases");
        for (String e : List.of("visits", "points")) {
            if (byEntity.containsKey(e)) insertNew(e, byEntity.get(e));
            crashPoint("silver." + e);
        }

        // 4. audit last: it is the exactly-once marker.
        List<Row> audit = new ArrayList<>();
        int rejected = 0;
        long read = 0, loaded = 0, quarantined = 0;
        for (FileResult r : fresh) {
            ParsedFile p = r.parsed;
            String status = p.rejectedWhole() ? "rejected" : r.quarantined() > 0 ? "partial" : "loaded";
            if (p.rejectedWhole()) rejected++;
            String msg = joinMessages(p.rejectedWhole() ? p.fileReason() + ": " + p.fileMessage() : p.fileMessage(), r.message);
            audit.add(RowFactory.create(r.file.district(), r.file.exportDate(), r.file.entity(), r.file.sourceFile(), r.sha,
                    p.encoding(), p.headerLanguage(), p.rowsRead(), r.loaded(), r.quarantined(), r.unchanged, status, msg));
            read += p.rowsRead();
            loaded += r.loaded();
            quarantined += r.quarantined();
        }
        for (FileResult r : duplicates) {
            audit.add(RowFactory.create(r.file.district(), r.file.exportDate(), r.file.entity(), r.file.sourceFile(), r.sha,
                    null, null, 0, 0, 0, 0, r.status, r.message));
        }
        Dataset<Row> a = spark.createDataFrame(audit, SparkSchemas.of(schemas.table("ops.ingest_audit")));
        wh.delta("ops.ingest_audit").as("t")
                .merge(a.as("s"), "t.source_file = s.source_file AND t.file_sha256 = s.file_sha256")
                .whenNotMatched().insertAll().execute();
        crashPoint("audit");
        for (FileResult r : fresh) { auditedPathSha.add(r.file.sourceFile() + "\u0000" + r.sha); loadedShas.add(r.sha); }
        for (FileResult r : duplicates) auditedPathSha.add(r.file.sourceFile() + "\u0000" + r.sha);
        return new NightSummary(date, fresh.size() + duplicates.size(), skipped, rejected, read, loaded, quarantined);
    }

    private static FileContext ctx(LandingFile f, String sha, Landing.Manifest m) {
        String name = FileParser.fileName(f.sourceFile());
        return new FileContext(f.district(), f.exportDate(), f.entity(), f.sourceFile(), sha, m.encoding(),
                m.rows().get(name), m.sha256().get(name));
    }

    private void crashPoint(String step) {
        if (o.crashAfter().contains(step)) throw new InjectedCrash(step);
    }

    // ---------------------------------------------------------------- rows

    private List<Row> bronzeRows(List<FileResult> rs) {
        List<Row> rows = new ArrayList<>();
        for (FileResult r : rs) {
            for (ParsedFile.Good g : r.parsed.rows()) {
                if (r.movedLines.contains(g.line())) continue;
                rows.add(RowFactory.create(concat(g.values(), lineage(r, g.line()))));
            }
        }
        return rows;
    }

    private static Object[] lineage(FileResult r, int line) {
        return new Object[] {r.file.district(), r.file.exportDate(), r.file.sourceFile(), r.sha, line};
    }

    private static Object[] concat(Object[] a, Object[] b) {
        Object[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Row quarantineRow(FileResult r, ParsedFile.Bad b) {
        return RowFactory.create(r.file.district(), r.file.exportDate(), r.file.entity(), r.file.sourceFile(), r.sha,
                b.line(), b.key(), b.rawText(), b.reasons(), b.message());
    }

    /** Moves every accepted row of a file to quarantine with one reason (the file is not applied). */
    private static void rejectRows(FileResult r, ReasonCode reason, String message) {
        for (ParsedFile.Good g : r.parsed.rows()) {
            r.movedLines.add(g.line());
            r.extraBad.add(new ParsedFile.Bad(g.line(), g.key(), g.rawText(), List.of(reason.name()), message));
        }
    }

    // ---------------------------------------------------------------- table-dependent rules

    /**
     * Snapshot files to apply for an entity: the last good file per district (by path), unless a
     * later snapshot was already applied for that district (then the file is quarantined whole).
     */
    private List<FileResult> snapshotOrder(String entity, LocalDate date, List<FileResult> rs) {
        Map<String, LocalDate> applied = new HashMap<>();
        Set<String> districts = rs.stream().map(r -> r.file.district()).collect(Collectors.toSet());
        for (Row row : wh.read("silver." + entity)
                .where(col("district_code").isin(districts.toArray()))
                .groupBy("district_code")
                .agg(functions.max(functions.greatest(col("valid_from"), functions.coalesce(col("valid_to"), col("valid_from")))))
                .collectAsList()) {
            applied.put(row.getString(0), row.getLocalDate(1));
        }
        Map<String, FileResult> last = new TreeMap<>();
        for (FileResult r : rs) {
            if (r.parsed.rejectedWhole()) continue;
            LocalDate prev = applied.get(r.file.district());
            if (prev != null && date.isBefore(prev)) {
                rejectRows(r, ReasonCode.snapshot_out_of_order, "snapshot " + date + " is older than the applied snapshot " + prev
                        + " of district " + r.file.district() + "; history not rewritten");
                continue;
            }
            FileResult before = last.put(r.file.district(), r);
            if (before != null) {
                r.message = joinMessages(r.message, "supersedes " + before.file.sourceFile() + " for this night's snapshot");
            }
        }
        return new ArrayList<>(last.values());
    }

    /**
     * Visits and points are immutable: a key already loaded (or earlier in this night) with identical
     * values is ignored (counted as unchanged); with different values the row is quarantined.
     */
    private void redelivery(String entity, List<FileResult> rs) {
        TableDef landing = schemas.landing(entity);
        rs.sort(Comparator.comparing(r -> r.file.sourceFile()));
        Map<String, Object[]> firstInBatch = new HashMap<>();
        List<Row> candidates = new ArrayList<>();
        Map<String, FileResult> byPath = new HashMap<>();
        for (FileResult r : rs) {
            byPath.put(r.file.sourceFile(), r);
            for (ParsedFile.Good g : r.parsed.rows()) {
                Object[] prev = firstInBatch.putIfAbsent(g.key(), g.values());
                if (prev == null) {
                    candidates.add(RowFactory.create(concat(g.values(), lineage(r, g.line()))));
                } else if (Arrays.deepEquals(prev, g.values())) {
                    r.unchanged++;
                } else {
                    r.movedLines.add(g.line());
                    r.extraBad.add(new ParsedFile.Bad(g.line(), g.key(), g.rawText(), List.of(ReasonCode.conflicting_redelivery.name()),
                            "key " + g.key() + " delivered earlier tonight with different values"));
                }
            }
        }
        if (candidates.isEmpty()) return;
        TableDef bronze = schemas.table("bronze." + entity);
        Dataset<Row> batch = spark.createDataFrame(candidates, SparkSchemas.of(bronze));
        Dataset<Row> silver = wh.read("silver." + entity);
        Column hb = businessHash(batch, landing), hs = businessHash(silver, landing);
        Column on = null;
        for (String k : landing.key()) on = and(on, batch.col(k).equalTo(silver.col(k)));
        List<Row> hits = batch.join(silver, on)
                .select(batch.col("_source_file"), batch.col("_line"), hb.equalTo(hs).as("same"),
                        batch.col("_file_sha256").equalTo(silver.col("_file_sha256")).as("same_file"), silver.col("_source_file"))
                .collectAsList();
        Map<String, Map<Integer, ParsedFile.Good>> goods = new HashMap<>();
        for (FileResult r : rs) {
            Map<Integer, ParsedFile.Good> m = new HashMap<>();
            for (ParsedFile.Good g : r.parsed.rows()) m.put(g.line(), g);
            goods.put(r.file.sourceFile(), m);
        }
        for (Row h : hits) {
            FileResult r = byPath.get(h.getString(0));
            int line = h.getInt(1);
            if (h.getBoolean(3)) continue; // written by an earlier, interrupted run of this same file
            if (h.getBoolean(2)) {
                r.unchanged++;
            } else {
                ParsedFile.Good g = goods.get(r.file.sourceFile()).get(line);
                r.movedLines.add(line);
                r.extraBad.add(new ParsedFile.Bad(line, g.key(), g.rawText(), List.of(ReasonCode.conflicting_redelivery.name()),
                        "key " + g.key() + " already loaded from " + h.getString(4) + " with different values"));
            }
        }
    }

    private static Column and(Column a, Column b) { return a == null ? b : a.and(b); }

    /** sha256 of the landing (business) columns, for comparing versions of a row. */
    static Column businessHash(Dataset<Row> df, TableDef landing) {
        Column[] cs = landing.columns().stream().map(c -> df.col(c.name())).toArray(Column[]::new);
        return functions.sha2(functions.to_json(functions.struct(cs)), 256);
    }

    // ---------------------------------------------------------------- silver writes

    /** cases: newest updated_at wins; ties keep the version delivered first. */
    private void mergeCases(List<FileResult> rs) {
        TableDef bronze = schemas.table("bronze.cases");
        Dataset<Row> batch = spark.createDataFrame(bronzeRows(rs), SparkSchemas.of(bronze));
        Dataset<Row> newest = batch.withColumn("_rn", functions.row_number().over(
                        Window.partitionBy("district_code", "case_id")
                                .orderBy(col("updated_at").desc(), col("_export_date"), col("_source_file"), col("_line"))))
                .where(col("_rn").equalTo(1)).drop("_rn");
        wh.delta("silver.cases").as("t")
                .merge(newest.as("s"), "t.district_code = s.district_code AND t.case_id = s.case_id")
                .whenMatched("s.updated_at > t.updated_at").updateAll()
                .whenNotMatched().insertAll()
                .execute();
    }

    /** visits, points: insert keys not yet loaded (conflicts were moved to quarantine already). */
    private void insertNew(String entity, List<FileResult> rs) {
        TableDef bronze = schemas.table("bronze." + entity);
        TableDef landing = schemas.landing(entity);
        Dataset<Row> batch = spark.createDataFrame(bronzeRows(rs), SparkSchemas.of(bronze));
        Column[] key = landing.key().stream().map(functions::col).toArray(Column[]::new);
        Dataset<Row> first = batch.withColumn("_rn", functions.row_number().over(
                        Window.partitionBy(key).orderBy(col("_source_file"), col("_line"))))
                .where(col("_rn").equalTo(1)).drop("_rn");
        String on = landing.key().stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
        wh.delta("silver." + entity).as("t").merge(first.as("s"), on).whenNotMatched().insertAll().execute();
    }

    /**
     * SCD2 from full snapshots, one MERGE per entity and night: a changed row closes its open version
     * (valid_to = date) and opens a new one; a new key opens a version; an open key absent from its
     * district's snapshot is closed; a key present but quarantined keeps its open version.
     */
    private void scd2(String entity, LocalDate date, List<FileResult> files) {
        TableDef landing = schemas.landing(entity);
        List<String> key = landing.key();
        String id = key.get(1);
        List<Row> rows = new ArrayList<>();
        List<Row> quarantinedKeys = new ArrayList<>();
        for (FileResult r : files) {
            for (ParsedFile.Good g : r.parsed.rows()) {
                if (!r.movedLines.contains(g.line())) rows.add(RowFactory.create(concat(g.values(), new Object[] {r.file.sourceFile()})));
            }
            for (ParsedFile.Bad b : r.parsed.quarantined()) {
                if (b.key() != null) {
                    String[] parts = b.key().split("\\|", 2);
                    if (parts[0].equals(r.file.district())) quarantinedKeys.add(RowFactory.create(parts[0], parts[1]));
                }
            }
        }
        StructType snapSchema = SparkSchemas.of(landing).add("_source_file", "string");
        Dataset<Row> snap = spark.createDataFrame(rows, snapSchema);
        snap = snap.withColumn("_row_hash", businessHash(snap, landing)).withColumn("_q", lit(false));
        Dataset<Row> current = wh.read("silver." + entity).where(col("valid_to").isNull());
        Dataset<Row> changed = snap.join(current.select(col("district_code").as("c_d"), col(id).as("c_id"), col("_row_hash").as("c_h")),
                        snap.col("district_code").equalTo(col("c_d")).and(snap.col(id).equalTo(col("c_id"))))
                .where(col("c_h").notEqual(snap.col("_row_hash")))
                .select(Arrays.stream(snap.columns()).map(snap::col).toArray(Column[]::new));
        Dataset<Row> keyed = snap.withColumn("_mk_d", col("district_code")).withColumn("_mk_id", col(id));
        Dataset<Row> opening = changed.withColumn("_mk_d", lit(null).cast("string")).withColumn("_mk_id", lit(null).cast("string"));
        StructType qSchema = new StructType().add("_mk_d", "string").add("_mk_id", "string");
        Dataset<Row> qrows = spark.createDataFrame(quarantinedKeys, qSchema);
        for (String c : snap.columns()) {
            if (!c.equals("_q")) qrows = qrows.withColumn(c, lit(null).cast(snap.schema().apply(c).dataType()));
        }
        qrows = qrows.withColumn("_q", lit(true));
        Dataset<Row> staged = keyed.unionByName(opening).unionByName(qrows);

        String d = "DATE'" + date + "'";
        String districts = files.stream().map(r -> "'" + r.file.district() + "'").distinct().collect(Collectors.joining(","));
        Map<String, String> insert = new LinkedHashMap<>();
        for (ColumnDef c : landing.columns()) insert.put(c.name(), "s." + c.name());
        insert.put("valid_from", d);
        insert.put("valid_to", "CAST(NULL AS DATE)");
        insert.put("is_current", "true");
        insert.put("_row_hash", "s._row_hash");
        insert.put("_export_date", d);
        insert.put("_source_file", "s._source_file");
        Map<String, String> close = Map.of("valid_to", d, "is_current", "false");
        wh.delta("silver." + entity).as("t")
                .merge(staged.as("s"), "t.district_code = s._mk_d AND t." + id + " = s._mk_id AND t.valid_to IS NULL")
                .whenMatched("NOT s._q AND t._row_hash <> s._row_hash").updateExpr(close)
                .whenNotMatched("NOT s._q").insertExpr(insert)
                .whenNotMatchedBySource("t.valid_to IS NULL AND t.district_code IN (" + districts + ")").updateExpr(close)
                .execute();
    }

    // ---------------------------------------------------------------- helpers

    private static String shaList(List<FileResult> rs) {
        return rs.stream().map(r -> "'" + r.sha + "'").collect(Collectors.joining(","));
    }

    private static String joinMessages(String a, String b) {
        if (a == null) return b;
        if (b == null) return a;
        return a + "; " + b;
    }

    static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
