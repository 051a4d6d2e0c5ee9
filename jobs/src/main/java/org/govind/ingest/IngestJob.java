package org.govind.ingest;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
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
import org.govind.util.StepTimer;

/**
 * Ingestion: landing CSV → bronze.<entity> → silver.<entity>, with ops.quarantine and ops.ingest_audit.
 *
 * <p>Files not yet audited are processed in batches of whole nights, in date order. Exactly once:
 * <ul>
 *   <li>a file whose (path, sha256) is audited is skipped; the audit row is the batch's last commit;</li>
 *   <li>before its first write a batch records its file list in {@code <warehouse>/_ingest/pending.json},
 *       so a re-run after a crash re-processes exactly the same files first;</li>
 *   <li>every commit of batch N carries Delta's idempotent-write id (app {@code govind-ingest}, version N):
 *       Delta skips a commit that already happened, so a re-run finishes only what is missing;</li>
 *   <li>rules that depend on table state (re-delivery, snapshot history) read each table as it stood
 *       before batch N (time travel), so the re-run computes exactly what the first run computed.</li>
 * </ul>
 */
public final class IngestJob {

    /**
     * Typed options. {@code crashAfter} names a write step after which to fail (tests only);
     * {@code limits} bound what one landing file may cost (null: {@link IngestLimits#DEFAULT}).
     */
    public record Options(String landing, String warehouse, LocalDate date, Set<String> crashAfter,
                          Consumer<String> progress, int batchNights, IngestLimits limits) {
        public Options {
            crashAfter = crashAfter == null ? Set.of() : crashAfter;
            progress = progress == null ? s -> { } : progress;
            if (batchNights <= 0) batchNights = 31;
            if (limits == null) limits = IngestLimits.DEFAULT;
        }

        public Options(String landing, String warehouse, LocalDate date, Set<String> crashAfter, Consumer<String> progress, int batchNights) {
            this(landing, warehouse, date, crashAfter, progress, batchNights, null);
        }

        public Options(String landing, String warehouse, LocalDate date, Set<String> crashAfter, Consumer<String> progress) {
            this(landing, warehouse, date, crashAfter, progress, 31);
        }
    }

    /** What one batch (one or more nights) did. */
    public record NightSummary(LocalDate date, LocalDate to, int newFiles, int skippedFiles, int rejectedFiles,
                               long rowsRead, long rowsLoaded, long rowsQuarantined, double seconds) {}

    /** Thrown by the crash-injection hook. */
    public static final class InjectedCrash extends RuntimeException {
        public InjectedCrash(String step) { super("injected crash after " + step); }
    }

    public static final String APP_ID = "govind-ingest";

    /** The write steps of a batch, in order; crash points for tests. */
    public static final List<String> STEPS = List.of(
            "plan", "bronze.cases", "bronze.visits", "bronze.points", "quarantine",
            "silver.property_companies", "silver.branches", "silver.compounds", "silver.members",
            "silver.cases", "silver.visits", "silver.points", "audit");

    private static final List<String> SNAPSHOTS = List.of("property_companies", "branches", "compounds", "members");

    private final SparkSession spark;
    private final Warehouse wh;
    private final Options o;
    private final Schemas schemas = Schemas.get();
    private final FileParser parser;
    private final org.govind.pii.PiiKey key;
    private final PiiProtector pii;
    private final Set<String> auditedPathSha = new HashSet<>();
    private final Set<String> loadedShas = new HashSet<>();
    private final StepTimer timer = new StepTimer();
    private final Path planPath;
    private final FileSystem planFs;
    private long batch;
    /** The batch being resumed after a crash (tables may already hold some of its commits), or -1. */
    private long resumed = -1;

    private IngestJob(SparkSession spark, Options o, PiiProtector pii) {
        this.spark = spark;
        this.o = o;
        this.wh = Warehouse.open(spark, o.warehouse());
        this.parser = new FileParser(pii, o.limits());
        this.key = pii.key();
        this.pii = pii;
        this.planPath = new Path(new Path(wh.root(), "_ingest"), "pending.json");
        try {
            this.planFs = planPath.getFileSystem(spark.sparkContext().hadoopConfiguration());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key is explicit: the command line makes it from GOVIND_PII_KEY or, when asked, the public demo key. */
    public static List<NightSummary> run(SparkSession spark, Options o, PiiProtector pii) {
        return new IngestJob(spark, o, pii).runAll();
    }

    public StepTimer timer() { return timer; }

    private List<NightSummary> runAll() {
        WarehouseKey.checkOrRecord(spark, wh, key);   // before anything is written: one key per warehouse
        for (String layer : List.of("bronze", "silver", "ops")) wh.ensureAll(layer);
        Landing landing;
        TreeMap<LocalDate, List<LandingFile>> nights;
        try {
            landing = new Landing(o.landing(), spark.sparkContext().hadoopConfiguration());
            nights = landing.nights();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        landing.warnings().forEach(w -> o.progress().accept("警告 / warning: " + pii.maskText(w)));
        long maxBatch = 0;
        for (Row r : wh.read("ops.ingest_audit").select("source_file", "file_sha256", "status", "batch", "entity", "export_date").collectAsList()) {
            auditedPathSha.add(r.getString(0) + "\u0000" + r.getString(1));
            if (!"duplicate_file".equals(r.getString(2))) loadedShas.add(deliveryKey(r.getString(4), r.getLocalDate(5), r.getString(1)));
            maxBatch = Math.max(maxBatch, r.getLong(3));
        }
        batch = maxBatch;
        timer.mark("open");
        List<NightSummary> out = new ArrayList<>();

        // An interrupted batch goes first, with exactly its files.
        Plan pending = readPlan();
        if (pending != null && pending.batch == maxBatch) {
            deletePlan(); // the crash came after the audit commit: the batch is complete
            pending = null;
        }
        if (pending != null) {
            if (pending.batch != maxBatch + 1) {
                throw new IllegalStateException("pending ingest plan " + planPath + " is for batch " + pending.batch
                        + " but the audit ends at batch " + maxBatch + "; the warehouse was modified outside govind");
            }
            // count the attempt before running it, so a batch that dies again and again says so
            int attempt = pending.attempts + 1;
            writePlan(new Plan(pending.batch, pending.files, attempt));
            o.progress().accept("继续未完成的批次 / resuming interrupted batch " + pending.batch + " (" + pending.files.size()
                    + " files, resume " + attempt + ")");
            if (attempt >= 3) {
                o.progress().accept("警告 / warning: batch " + pending.batch + " has been interrupted " + attempt + " times. Reading and parsing come"
                        + " before its first write, so if the run dies there, lower --max-file-mb (larger files are then rejected whole,"
                        + " file_too_large, without being read) or raise GOVIND_HEAP, and run again; no file needs to be deleted.");
            }
            List<LandingFile> files = new ArrayList<>();
            Map<String, LandingFile> all = new HashMap<>();
            nights.values().forEach(l -> l.forEach(f -> all.put(f.sourceFile(), f)));
            for (Map.Entry<String, String> e : pending.files.entrySet()) {
                LandingFile f = all.get(e.getKey());
                if (f == null) throw new IllegalStateException("landing file " + e.getKey() + " of the interrupted batch is gone; restore it and re-run");
                files.add(f);
            }
            resumed = pending.batch;
            out.add(runBatch(landing, files, pending.files));
            resumed = -1;
        }

        if (o.date() != null) {
            List<LandingFile> one = nights.get(o.date());
            nights = new TreeMap<>();
            if (one != null) nights.put(o.date(), one);
        }
        List<LandingFile> current = new ArrayList<>();
        int n = 0;
        for (Map.Entry<LocalDate, List<LandingFile>> e : nights.entrySet()) {
            current.addAll(e.getValue());
            if (++n >= o.batchNights()) {
                out.add(runBatch(landing, current, null));
                current = new ArrayList<>();
                n = 0;
            }
        }
        if (!current.isEmpty()) out.add(runBatch(landing, current, null));
        if (System.getenv("GOVIND_TIMING") != null) System.err.print(timer.summary());
        return out;
    }

    private NightSummary runBatch(Landing landing, List<LandingFile> files, Map<String, String> pinned) {
        long t0 = System.nanoTime();
        NightSummary s = batch(landing, files, pinned);
        s = new NightSummary(s.date(), s.to(), s.newFiles(), s.skippedFiles(), s.rejectedFiles(), s.rowsRead(), s.rowsLoaded(),
                s.rowsQuarantined(), (System.nanoTime() - t0) / 1e9);
        String span = s.date().equals(s.to()) ? s.date().toString() : s.date() + "…" + s.to();
        o.progress().accept(String.format("批次 %s 已提交：新文件 %d  跳过 %d  拒收 %d  读入 %,d  入库 %,d  隔离 %,d  (%.1f s)",
                span, s.newFiles(), s.skippedFiles(), s.rejectedFiles(), s.rowsRead(), s.rowsLoaded(), s.rowsQuarantined(), s.seconds()));
        return s;
    }

    // ---------------------------------------------------------------- one batch

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
        void note(String m) { message = message == null ? m : message + "; " + m; }
    }

    private static final Comparator<FileResult> DELIVERY_ORDER =
            Comparator.comparing((FileResult r) -> r.file.exportDate()).thenComparing(r -> r.file.sourceFile());

    private NightSummary batch(Landing landing, List<LandingFile> files, Map<String, String> pinned) {
        LocalDate from = files.stream().map(LandingFile::exportDate).min(Comparator.naturalOrder()).orElseThrow();
        LocalDate to = files.stream().map(LandingFile::exportDate).max(Comparator.naturalOrder()).orElseThrow();
        List<FileResult> fresh = new ArrayList<>();
        List<FileResult> duplicates = new ArrayList<>();
        int skipped = 0;
        Set<String> batchShas = new HashSet<>();
        Map<FileResult, byte[]> bytes = new LinkedHashMap<>();
        for (LandingFile f : files) {
            byte[] b = null;
            long size = -1;
            String sha = null;
            try {
                size = landing.size(f);
                if (size > o.limits().maxFileBytes()) {
                    sha = landing.sha256(f); // streamed: the file is never held in memory
                } else {
                    b = landing.read(f, o.limits().maxFileBytes());
                    sha = sha256(b);
                }
            } catch (IOException e) {
                b = null;
                sha = null;
            }
            boolean readable = sha != null;
            if (sha == null) sha = sha256(("unreadable:" + f.sourceFile()).getBytes(StandardCharsets.UTF_8));
            if (pinned != null && !sha.equals(pinned.get(f.sourceFile()))) {
                throw new IllegalStateException("landing file " + f.sourceFile() + " changed since the interrupted batch; restore it and re-run");
            }
            if (auditedPathSha.contains(f.sourceFile() + "\u0000" + sha)) { skipped++; continue; }
            FileResult r = new FileResult(f, sha);
            String delivery = deliveryKey(f.entity(), f.exportDate(), sha);
            if (readable && (loadedShas.contains(delivery) || !batchShas.add(delivery))) {
                r.status = "duplicate_file";
                r.message = "same sha256 as a file already loaded; skipped whole";
                duplicates.add(r);
                continue;
            }
            fresh.add(r);
            if (readable && b == null) {
                r.parsed = FileParser.tooLarge(ctx(f, sha, Landing.Manifest.NONE), size, o.limits().maxFileBytes());
            } else if (b == null) {
                r.parsed = new ParsedFile(ctx(f, sha, Landing.Manifest.NONE), null, null, List.of(), List.of(), 0,
                        ReasonCode.unreadable_file, "cannot read file");
            } else {
                bytes.put(r, b);
            }
        }
        if (fresh.isEmpty() && duplicates.isEmpty()) return new NightSummary(from, to, 0, skipped, 0, 0, 0, 0, 0);
        long seq = batch + 1;
        if (pinned == null) writePlan(seq, fresh, duplicates);
        crashPoint("plan");

        // Parse in parallel (pure Java, CPU bound).
        bytes.entrySet().parallelStream().forEach(e -> {
            FileResult r = e.getKey();
            Landing.Manifest m = landing.manifest(r.file);
            FileContext c = ctx(r.file, r.sha, m);
            try {
                r.parsed = parser.parse(schemas.isEntity(r.file.entity()) ? schemas.landing(r.file.entity()) : null, e.getValue(), c);
            } catch (RuntimeException ex) {
                r.parsed = new ParsedFile(c, null, null, List.of(), List.of(), 0, ReasonCode.unreadable_file,
                        "unexpected error reading file: " + ex);
            }
        });
        bytes.clear();
        fresh.sort(DELIVERY_ORDER);
        Map<String, List<FileResult>> byEntity = new TreeMap<>();
        for (FileResult r : fresh) byEntity.computeIfAbsent(r.file.entity(), k -> new ArrayList<>()).add(r);
        timer.mark("read+parse");

        // Rules that need the tables, judged against the tables as they stood before this batch.
        Map<String, Dataset<Row>> scd2Staged = new HashMap<>();
        for (String e : SNAPSHOTS) {
            if (byEntity.containsKey(e)) scd2Staged.put(e, scd2Plan(e, byEntity.get(e), seq));
        }
        for (String e : List.of("visits", "points")) {
            if (byEntity.containsKey(e)) redelivery(e, byEntity.get(e), seq);
        }
        timer.mark("table checks");
        TreeMap<LocalDate, long[]> perNight = new TreeMap<>();
        for (FileResult r : fresh) {
            long[] c = perNight.computeIfAbsent(r.file.exportDate(), k -> new long[4]);
            c[0]++; c[1] += r.parsed.rowsRead(); c[2] += r.loaded(); c[3] += r.quarantined();
        }
        perNight.forEach((d, c) -> o.progress().accept(String.format("  %s  文件 %d  读入 %,d  入库 %,d  隔离 %,d", d, c[0], c[1], c[2], c[3])));

        // Writes, each an idempotent Delta commit tagged with the batch number.
        String dates = fresh.stream().map(r -> "DATE'" + r.file.exportDate() + "'").distinct().collect(Collectors.joining(","));
        for (String e : Schemas.ENTITIES) {
            if (!byEntity.containsKey(e)) continue;
            TableDef bronze = schemas.table("bronze." + e);
            Dataset<Row> df = frame(bronzeRows(byEntity.get(e)), SparkSchemas.of(bronze));
            df.write().format("delta").mode("overwrite")
                    .option("replaceWhere", "_export_date IN (" + dates + ") AND _file_sha256 IN (" + shaList(byEntity.get(e)) + ")")
                    .option("txnAppId", APP_ID).option("txnVersion", seq)
                    .option("userMetadata", batchMeta(seq))
                    .save(wh.path(bronze.qualifiedName()));
            crashPoint("bronze." + e);
        }
        if (!fresh.isEmpty()) {
            List<Row> q = new ArrayList<>();
            for (FileResult r : fresh) {
                for (ParsedFile.Bad b : r.parsed.quarantined()) q.add(quarantineRow(r, b));
                for (ParsedFile.Bad b : r.extraBad) q.add(quarantineRow(r, b));
            }
            spark.createDataFrame(q, SparkSchemas.of(schemas.table("ops.quarantine"))).write().format("delta").mode("overwrite")
                    .option("replaceWhere", "export_date IN (" + dates + ") AND file_sha256 IN (" + shaList(fresh) + ")")
                    .option("txnAppId", APP_ID).option("txnVersion", seq)
                    .option("userMetadata", batchMeta(seq))
                    .save(wh.path("ops.quarantine"));
        }
        crashPoint("quarantine");
        for (String e : SNAPSHOTS) {
            if (scd2Staged.containsKey(e)) idempotent(seq, () -> scd2Write(e, scd2Staged.get(e)));
            crashPoint("silver." + e);
        }
        if (byEntity.containsKey("cases")) idempotent(seq, () -> mergeCases(byEntity.get("cases")));
        crashPoint("silver.cases");
        for (String e : List.of("visits", "points")) {
            if (byEntity.containsKey(e)) idempotent(seq, () -> insertNew(e, byEntity.get(e)));
            crashPoint("silver." + e);
        }

        // Audit last: it is the exactly-once marker.
        List<Row> audit = new ArrayList<>();
        int rejected = 0;
        long read = 0, loaded = 0, quarantined = 0;
        for (FileResult r : fresh) {
            ParsedFile p = r.parsed;
            String status = p.rejectedWhole() ? "rejected" : r.quarantined() > 0 ? "partial" : "loaded";
            if (p.rejectedWhole()) rejected++;
            String msg = joinMessages(p.rejectedWhole() ? p.fileReason() + ": " + p.fileMessage() : p.fileMessage(), r.message);
            audit.add(RowFactory.create(seq, r.file.district(), r.file.exportDate(), r.file.entity(), r.file.sourceFile(), r.sha,
                    p.encoding(), p.headerLanguage(), p.rowsRead(), r.loaded(), r.quarantined(), r.unchanged, status, pii.maskText(msg)));
            read += p.rowsRead();
            loaded += r.loaded();
            quarantined += r.quarantined();
        }
        for (FileResult r : duplicates) {
            audit.add(RowFactory.create(seq, r.file.district(), r.file.exportDate(), r.file.entity(), r.file.sourceFile(), r.sha,
                    null, null, 0, 0, 0, 0, r.status, r.message));
        }
        Dataset<Row> a = spark.createDataFrame(audit, SparkSchemas.of(schemas.table("ops.ingest_audit")));
        idempotent(seq, () -> wh.delta("ops.ingest_audit").as("t")
                .merge(a.as("s"), "t.source_file = s.source_file AND t.file_sha256 = s.file_sha256")
                .whenNotMatched().insertAll().execute());
        crashPoint("audit");
        deletePlan();
        batch = seq;
        for (FileResult r : fresh) {
            auditedPathSha.add(r.file.sourceFile() + "\u0000" + r.sha);
            loadedShas.add(deliveryKey(r.file.entity(), r.file.exportDate(), r.sha));
        }
        for (FileResult r : duplicates) auditedPathSha.add(r.file.sourceFile() + "\u0000" + r.sha);
        return new NightSummary(from, to, fresh.size() + duplicates.size(), skipped, rejected, read, loaded, quarantined, 0);
    }

    /**
     * What makes two files the same delivery. Incremental entities: the bytes (sha256), wherever they land.
     * Full snapshots: the bytes and the export date, because an unchanged snapshot on a later night is
     * that night's state (and a snapshot that returns to an earlier state must be applied), not a re-delivery.
     */
    static String deliveryKey(String entity, LocalDate exportDate, String sha) {
        return SNAPSHOTS.contains(entity) ? sha + "@" + exportDate : sha;
    }

    private static FileContext ctx(LandingFile f, String sha, Landing.Manifest m) {
        String name = FileParser.fileName(f.sourceFile());
        return new FileContext(f.district(), f.exportDate(), f.entity(), f.sourceFile(), sha, m.encoding(),
                m.rows().get(name), m.sha256().get(name), m.error());
    }

    private void crashPoint(String step) {
        timer.mark(step.startsWith("bronze") ? "bronze" : step);
        if (o.crashAfter().contains(step)) throw new InjectedCrash(step);
    }

    /** The commit metadata of batch {@code seq}: the batch, then who wrote it ({@link org.govind.util.Actor}). */
    static String batchMeta(long seq) {
        return org.govind.util.Actor.meta(APP_ID + " batch " + seq);
    }

    /** Runs a DML write as Delta's idempotent transaction (app govind-ingest, version = batch). */
    private void idempotent(long seq, Runnable write) {
        var conf = spark.conf();
        conf.set("spark.databricks.delta.write.txnAppId", APP_ID);
        conf.set("spark.databricks.delta.write.txnVersion", String.valueOf(seq));
        String meta = conf.getOption(org.govind.util.Actor.COMMIT_META).getOrElse(() -> null);
        conf.set(org.govind.util.Actor.COMMIT_META, batchMeta(seq));
        try {
            write.run();
        } finally {
            conf.unset("spark.databricks.delta.write.txnAppId");
            conf.unset("spark.databricks.delta.write.txnVersion");
            if (meta == null) conf.unset(org.govind.util.Actor.COMMIT_META); else conf.set(org.govind.util.Actor.COMMIT_META, meta);
        }
    }

    /** A table as it stood before batch {@code seq} committed to it (the current table if it has not). */
    private Dataset<Row> beforeBatch(String table, long seq) {
        if (seq != resumed) return wh.read(table); // a fresh batch has not committed anywhere yet
        List<Row> h = wh.delta(table).history().where(col("userMetadata").equalTo(APP_ID + " batch " + seq)
                        .or(col("userMetadata").startsWith(APP_ID + " batch " + seq + " · ")))
                .select("version").collectAsList();
        if (h.isEmpty()) return wh.read(table);
        return spark.read().format("delta").option("versionAsOf", h.get(0).getLong(0) - 1).load(wh.path(table));
    }

    // ---------------------------------------------------------------- pending plan

    /** The pinned batch; {@code attempts}: how many runs have resumed it so far. */
    private record Plan(long batch, Map<String, String> files, int attempts) {}

    private void writePlan(long seq, List<FileResult> fresh, List<FileResult> dups) {
        Map<String, String> files = new LinkedHashMap<>();
        for (FileResult r : fresh) files.put(r.file.sourceFile(), r.sha);
        for (FileResult r : dups) files.put(r.file.sourceFile(), r.sha);
        writePlan(new Plan(seq, files, 0));
    }

    private void writePlan(Plan p) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode().put("batch", p.batch()).put("attempts", p.attempts());
        ArrayNode arr = root.putArray("files");
        p.files().forEach((path, sha) -> arr.addObject().put("path", path).put("sha256", sha));
        try (OutputStream out = planFs.create(planPath, true)) {
            m.writerWithDefaultPrettyPrinter().writeValue(out, root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + planPath + ": " + e.getMessage(), e);
        }
    }

    private Plan readPlan() {
        try {
            if (!planFs.exists(planPath)) return null;
            try (InputStream in = planFs.open(planPath)) {
                var j = new ObjectMapper().readTree(in);
                Map<String, String> files = new LinkedHashMap<>();
                j.get("files").forEach(f -> files.put(f.get("path").asText(), f.get("sha256").asText()));
                return new Plan(j.get("batch").asLong(), files, j.path("attempts").asInt(0));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + planPath + ": " + e.getMessage(), e);
        }
    }

    private void deletePlan() {
        try {
            planFs.delete(planPath, false);
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete " + planPath + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- rows

    private List<Row> bronzeRows(List<FileResult> rs) {
        List<Row> rows = new ArrayList<>();
        for (FileResult r : rs) {
            for (ParsedFile.Good g : r.parsed.rows()) {
                if (!r.movedLines.contains(g.line())) rows.add(RowFactory.create(concat(g.values(), lineage(r, g.line()))));
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

    /** A quarantine row; text and message are pattern-masked once more here, whatever built them (masking is idempotent). */
    private Row quarantineRow(FileResult r, ParsedFile.Bad b) {
        return RowFactory.create(r.file.district(), r.file.exportDate(), r.file.entity(), r.file.sourceFile(), r.sha,
                b.line(), b.key(), pii.maskText(b.rawText()), b.reasons(), pii.maskText(b.message()));
    }

    private static void moveToQuarantine(FileResult r, ParsedFile.Good g, ReasonCode reason, String message) {
        r.movedLines.add(g.line());
        r.extraBad.add(new ParsedFile.Bad(g.line(), g.key(), g.rawText(), List.of(reason.name()), message));
    }

    // ---------------------------------------------------------------- re-delivery (visits, points)

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
        Map<String, Object[]> first = new HashMap<>();
        Map<String, FileResult> byPath = new HashMap<>();
        List<Row> candidates = new ArrayList<>();
        for (FileResult r : rs) {
            byPath.put(r.file.sourceFile(), r);
            for (ParsedFile.Good g : r.parsed.rows()) {
                Object[] prev = first.putIfAbsent(g.key(), g.values());
                if (prev == null) {
                    candidates.add(RowFactory.create(concat(g.values(), lineage(r, g.line()))));
                } else if (Arrays.deepEquals(prev, g.values())) {
                    r.unchanged++;
                } else {
                    moveToQuarantine(r, g, ReasonCode.conflicting_redelivery, "key " + g.key() + " delivered earlier in this batch with different values");
                }
            }
        }
        first.clear();
        if (candidates.isEmpty()) return;
        Dataset<Row> batchDf = frame(candidates, SparkSchemas.of(schemas.table("bronze." + entity)));
        Set<String> districts = rs.stream().map(r -> r.file.district()).collect(Collectors.toCollection(TreeSet::new));
        Dataset<Row> silver = beforeBatch("silver." + entity, seq).where(col("district_code").isin(districts.toArray()));
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
            moveToQuarantine(r, g, ReasonCode.conflicting_redelivery, "key " + g.key() + " already loaded from " + h.getString(2) + " with different values");
        }
    }

    /** sha256 of the landing (business) columns, for comparing versions of a row. */
    static Column businessHash(Dataset<Row> df, TableDef landing) {
        Column[] cs = landing.columns().stream().map(c -> df.col(c.name())).toArray(Column[]::new);
        return functions.sha2(functions.to_json(functions.struct(cs)), 256);
    }

    // ---------------------------------------------------------------- silver writes

    /** cases: newest updated_at wins; ties keep the version delivered first. */
    private void mergeCases(List<FileResult> rs) {
        Dataset<Row> batchDf = frame(bronzeRows(rs), SparkSchemas.of(schemas.table("bronze.cases")));
        Dataset<Row> newest = batchDf.withColumn("_rn", functions.row_number().over(
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
        TableDef landing = schemas.landing(entity);
        Dataset<Row> batchDf = frame(bronzeRows(rs), SparkSchemas.of(schemas.table("bronze." + entity)));
        Column[] key = landing.key().stream().map(functions::col).toArray(Column[]::new);
        Dataset<Row> firstRows = batchDf.withColumn("_rn", functions.row_number().over(
                        Window.partitionBy(key).orderBy(col("_export_date"), col("_source_file"), col("_line"))))
                .where(col("_rn").equalTo(1)).drop("_rn");
        String on = landing.key().stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" AND "));
        wh.delta("silver." + entity).as("t").merge(firstRows.as("s"), on).whenNotMatched().insertAll().execute();
    }

    // ---------------------------------------------------------------- SCD2 (snapshots)

    /** An open version while snapshots are applied in order. */
    private static final class Open {
        final String hash;
        final Object[] inserted; // the staged insert row when opened in this batch, else null
        Open(String hash, Object[] inserted) { this.hash = hash; this.inserted = inserted; }
    }

    /**
     * Applies this batch's snapshots of an entity night by night to the open versions as they stood
     * before the batch, and returns the staged rows of one MERGE: closes of versions opened earlier
     * (with their valid_to) and inserts of new versions (valid_to already set if closed later in the batch).
     * A changed row closes its version and opens a new one; a key absent from its district's snapshot is
     * closed; a key present but quarantined keeps its version; a snapshot older than one already applied
     * for its district is quarantined whole (snapshot_out_of_order).
     */
    private Dataset<Row> scd2Plan(String entity, List<FileResult> rs, long seq) {
        TableDef landing = schemas.landing(entity);
        String id = landing.key().get(1);
        int idIdx = landing.indexOf(id), dIdx = landing.indexOf("district_code");
        Set<String> districts = rs.stream().map(r -> r.file.district()).collect(Collectors.toCollection(TreeSet::new));
        Dataset<Row> before = beforeBatch("silver." + entity, seq).where(col("district_code").isin(districts.toArray()));
        Map<String, LocalDate> applied = new HashMap<>();
        for (Row row : before.groupBy("district_code")
                .agg(functions.max(functions.greatest(col("valid_from"), functions.coalesce(col("valid_to"), col("valid_from")))))
                .collectAsList()) {
            applied.put(row.getString(0), row.getLocalDate(1));
        }
        Map<String, Open> open = new HashMap<>();
        for (Row row : before.where(col("valid_to").isNull()).select("district_code", id, "_row_hash").collectAsList()) {
            open.put(row.getString(0) + "|" + row.getString(1), new Open(row.getString(2), null));
        }
        // The snapshot of (district, date): the last good file by path; earlier ones are superseded.
        TreeMap<LocalDate, TreeMap<String, FileResult>> snaps = new TreeMap<>();
        for (FileResult r : rs) {
            if (r.parsed.rejectedWhole()) continue;
            LocalDate prev = applied.get(r.file.district());
            if (prev != null && r.file.exportDate().isBefore(prev)) {
                for (ParsedFile.Good g : r.parsed.rows()) {
                    moveToQuarantine(r, g, ReasonCode.snapshot_out_of_order, "snapshot " + r.file.exportDate()
                            + " is older than the applied snapshot " + prev + " of district " + r.file.district() + "; history not rewritten");
                }
                continue;
            }
            FileResult earlier = snaps.computeIfAbsent(r.file.exportDate(), k -> new TreeMap<>()).put(r.file.district(), r);
            if (earlier != null) r.note("supersedes " + earlier.file.sourceFile() + " as this night's snapshot");
        }
        int width = landing.columns().size();
        List<Row> closes = new ArrayList<>();
        List<Object[]> inserts = new ArrayList<>();
        for (Map.Entry<LocalDate, TreeMap<String, FileResult>> night : snaps.entrySet()) {
            LocalDate date = night.getKey();
            for (FileResult r : night.getValue().values()) {
                String district = r.file.district();
                Set<String> seen = new HashSet<>();
                for (ParsedFile.Bad b : r.parsed.quarantined()) {
                    if (b.key() != null && b.key().startsWith(district + "|")) seen.add(b.key());
                }
                for (ParsedFile.Good g : r.parsed.rows()) {
                    if (r.movedLines.contains(g.line())) continue;
                    String key = g.values()[dIdx] + "|" + g.values()[idIdx];
                    seen.add(key);
                    String hash = rowHash(g.values());
                    Open cur = open.get(key);
                    if (cur != null && cur.hash.equals(hash)) continue;
                    if (cur != null) close(cur, key, date, closes, width);
                    Object[] ins = new Object[width + 9];
                    System.arraycopy(g.values(), 0, ins, 0, width);
                    ins[width] = date;              // valid_from
                    ins[width + 1] = null;          // valid_to
                    ins[width + 2] = true;          // is_current
                    ins[width + 3] = hash;          // _row_hash
                    ins[width + 4] = date;          // _export_date
                    ins[width + 5] = r.file.sourceFile();
                    inserts.add(ins);
                    open.put(key, new Open(hash, ins));
                }
                for (var it = open.entrySet().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    if (e.getKey().startsWith(district + "|") && !seen.contains(e.getKey())) {
                        close(e.getValue(), e.getKey(), date, closes, width);
                        it.remove();
                    }
                }
            }
        }
        StructType target = SparkSchemas.of(schemas.table("silver." + entity));
        StructType staged = target.add("_mk_d", "string").add("_mk_id", "string").add("_close", "date");
        List<Row> rows = new ArrayList<>(closes);
        for (Object[] ins : inserts) rows.add(RowFactory.create(Arrays.copyOf(ins, width + 9)));
        return frame(rows, staged);
    }

    private static void close(Open cur, String key, LocalDate date, List<Row> closes, int width) {
        if (cur.inserted != null) {
            cur.inserted[width + 1] = date;
            cur.inserted[width + 2] = false;
        } else {
            Object[] c = new Object[width + 9];
            String[] k = key.split("\\|", 2);
            c[width + 6] = k[0];
            c[width + 7] = k[1];
            c[width + 8] = date;
            closes.add(RowFactory.create(c));
        }
    }

    private void scd2Write(String entity, Dataset<Row> staged) {
        TableDef silver = schemas.table("silver." + entity);
        String id = schemas.landing(entity).key().get(1);
        Map<String, String> insert = new LinkedHashMap<>();
        for (ColumnDef c : silver.columns()) insert.put(c.name(), "s." + c.name());
        wh.delta(silver.qualifiedName()).as("t")
                .merge(staged.as("s"), "t.district_code = s._mk_d AND t." + id + " = s._mk_id AND t.valid_to IS NULL")
                .whenMatched().updateExpr(Map.of("valid_to", "s._close", "is_current", "false"))
                .whenNotMatched("s._mk_d IS NULL").insertExpr(insert)
                .execute();
    }

    /** sha256 over a row's business values (stable text form of each value). */
    static String rowHash(Object[] v) {
        StringBuilder b = new StringBuilder();
        for (Object x : v) {
            if (x == null) b.append('\u0000');
            else if (x instanceof java.math.BigDecimal d) b.append(d.toPlainString());
            else b.append(x);
            b.append('\u001F');
        }
        return sha256(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- helpers

    /**
     * A DataFrame over rows held by the driver. Small lists become a local relation; large ones are
     * parallelized so that the conversion to Spark's internal rows runs in tasks on every core
     * instead of single-threaded on the driver (measured with bench: bronze was the dominant step).
     */
    private Dataset<Row> frame(List<Row> rows, StructType schema) {
        if (rows.size() < parallelizeRows) return spark.createDataFrame(rows, schema);
        // The RDD path encodes arrays from Scala Seq only (the local path also takes java.util.List).
        List<Row> scalaRows = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Object[] v = new Object[r.length()];
            for (int i = 0; i < v.length; i++) {
                Object x = r.get(i);
                v[i] = x instanceof List<?> l ? scala.jdk.javaapi.CollectionConverters.asScala(l).toSeq() : x;
            }
            scalaRows.add(RowFactory.create(v));
        }
        int slices = Math.max(2, Math.min(64, rows.size() / 50_000));
        var jsc = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(jsc.parallelize(scalaRows, slices), schema);
    }

    /** Row count from which driver-side rows are parallelized; lowered by tests to cover that path. */
    static int parallelizeRows = 50_000;

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
