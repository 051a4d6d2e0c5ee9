package org.govind.ingest;

import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.govind.pii.PiiProtector;
import org.govind.schema.Schemas;
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
 *
 * <p>A batch runs in phases, each its own class: (1) the plan and its pending file ({@link IngestPlan});
 * (2) choosing, reading and parsing the files ({@link BatchParser}); (3) the checks against the tables,
 * re-delivery and snapshot order ({@link TableChecks}); (4) the writes: bronze with lineage
 * ({@link BronzeWriter}), quarantine ({@link QuarantineWriter}), then silver by each entity's landing kind
 * ({@link TableWriter}: snapshot → SCD2, versioned → newest wins, immutable → first delivery kept);
 * (5) the audit ({@link IngestAudit}). This class only runs them in order.
 */
public final class IngestJob {

    /**
     * Typed options. {@code afterStep} is told after each write step ({@link #STEPS}; null: nothing);
     * {@code limits} bound what one landing file may cost (null: {@link IngestLimits#DEFAULT});
     * {@code parallelizeRows}: from how many driver-side rows a staged table is parallelized (≤ 0: 50,000);
     * {@code through}: with a {@code date}, every night up to and including it (the nightly run, which
     * so picks up a night delivered late), not that night alone.
     */
    public record Options(String landing, String warehouse, LocalDate date, StepListener afterStep,
                          Consumer<String> progress, int batchNights, IngestLimits limits, int parallelizeRows,
                          boolean through) {
        public Options {
            afterStep = afterStep == null ? StepListener.NONE : afterStep;
            progress = progress == null ? s -> { } : progress;
            if (batchNights <= 0) batchNights = 31;
            if (limits == null) limits = IngestLimits.DEFAULT;
            if (parallelizeRows <= 0) parallelizeRows = 50_000;
        }

        public Options(String landing, String warehouse, LocalDate date, StepListener afterStep, Consumer<String> progress,
                       int batchNights, IngestLimits limits, int parallelizeRows) {
            this(landing, warehouse, date, afterStep, progress, batchNights, limits, parallelizeRows, false);
        }

        public Options(String landing, String warehouse, LocalDate date, StepListener afterStep, Consumer<String> progress,
                       int batchNights, IngestLimits limits) {
            this(landing, warehouse, date, afterStep, progress, batchNights, limits, 0);
        }

        public Options(String landing, String warehouse, LocalDate date, StepListener afterStep, Consumer<String> progress, int batchNights) {
            this(landing, warehouse, date, afterStep, progress, batchNights, null);
        }

        public Options(String landing, String warehouse, LocalDate date, StepListener afterStep, Consumer<String> progress) {
            this(landing, warehouse, date, afterStep, progress, 31);
        }

        /** The same options with another step listener. */
        public Options withAfterStep(StepListener l) {
            return new Options(landing, warehouse, date, l, progress, batchNights, limits, parallelizeRows, through);
        }

        /** The same options with another parallelization threshold. */
        public Options withParallelizeRows(int rows) {
            return new Options(landing, warehouse, date, afterStep, progress, batchNights, limits, rows, through);
        }
    }

    /** What one batch (one or more nights) did. */
    public record NightSummary(LocalDate date, LocalDate to, int newFiles, int skippedFiles, int rejectedFiles,
                               long rowsRead, long rowsLoaded, long rowsQuarantined, double seconds) {}

    public static final String APP_ID = "govind-ingest";

    /**
     * The write steps of a batch, in order, as told to {@link Options#afterStep}: the plan, bronze per
     * entity, the quarantine, silver per entity, the audit (entities in {@link Schemas#ENTITIES} order).
     */
    public static final List<String> STEPS = Stream.of(
            Stream.of("plan"), Schemas.ENTITIES.stream().map(e -> "bronze." + e), Stream.of("quarantine"),
            Schemas.ENTITIES.stream().map(e -> "silver." + e), Stream.of("audit")).flatMap(s -> s).toList();

    private final SparkSession spark;
    private final Warehouse wh;
    private final Options o;
    private final PiiProtector pii;
    private final IngestTables tables;
    private final IngestPlan.PendingFile pending;
    private final BatchParser parser;
    private final TableChecks checks;
    private final BronzeWriter bronze;
    private final QuarantineWriter quarantine;
    private final Map<String, TableWriter> silver = new HashMap<>();
    private final StepTimer timer = new StepTimer();
    private IngestAudit audit;

    private IngestJob(SparkSession spark, Options o, PiiProtector pii) {
        this.spark = spark;
        this.o = o;
        this.pii = pii;
        this.wh = Warehouse.open(spark, o.warehouse());
        this.tables = new IngestTables(spark, wh, o.parallelizeRows());
        this.pending = new IngestPlan.PendingFile(wh.root(), spark.sparkContext().hadoopConfiguration());
        this.parser = new BatchParser(new FileParser(pii, o.limits()), o.limits());
        this.checks = new TableChecks(tables);
        this.bronze = new BronzeWriter(tables);
        this.quarantine = new QuarantineWriter(tables, pii);
        for (String e : Schemas.ENTITIES) silver.put(e, TableWriter.forKind(Schemas.get().kind(e), tables));
    }

    /** The key is explicit: the command line makes it from GOVIND_PII_KEY or, when asked, the public demo key. */
    public static List<NightSummary> run(SparkSession spark, Options o, PiiProtector pii) {
        return new IngestJob(spark, o, pii).runAll();
    }

    public StepTimer timer() { return timer; }

    private List<NightSummary> runAll() {
        WarehouseKey.checkOrRecord(spark, wh, pii.key());   // before anything is written: one key per warehouse
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
        audit = new IngestAudit(tables, pii);
        long maxBatch = audit.lastBatch();
        timer.mark("open");
        List<NightSummary> out = new ArrayList<>();

        // An interrupted batch goes first, with exactly its files.
        IngestPlan plan = pending.read();
        if (plan != null && plan.batch() == maxBatch) {
            pending.delete(); // the crash came after the audit commit: the batch is complete
            plan = null;
        }
        if (plan != null) {
            if (plan.batch() != maxBatch + 1) {
                throw new IllegalStateException("pending ingest plan " + pending.path() + " is for batch " + plan.batch()
                        + " but the audit ends at batch " + maxBatch + "; the warehouse was modified outside govind");
            }
            // count the attempt before running it, so a batch that dies again and again says so
            plan = plan.resumedOnceMore();
            pending.write(plan);
            int attempt = plan.attempts();
            o.progress().accept("继续未完成的批次 / resuming interrupted batch " + plan.batch() + " (" + plan.files().size()
                    + " files, resume " + attempt + ")");
            if (attempt >= 3) {
                o.progress().accept("警告 / warning: batch " + plan.batch() + " has been interrupted " + attempt + " times. Reading and parsing come"
                        + " before its first write, so if the run dies there, lower --max-file-mb (larger files are then rejected whole,"
                        + " file_too_large, without being read) or raise GOVIND_HEAP, and run again; no file needs to be deleted.");
            }
            List<LandingFile> files = new ArrayList<>();
            Map<String, LandingFile> all = new HashMap<>();
            nights.values().forEach(l -> l.forEach(f -> all.put(f.sourceFile(), f)));
            for (String path : plan.files().keySet()) {
                LandingFile f = all.get(path);
                if (f == null) throw new IllegalStateException("landing file " + path + " of the interrupted batch is gone; restore it and re-run");
                files.add(f);
            }
            tables.resuming(plan.batch());
            out.add(runBatch(landing, files, plan.files()));
            tables.resuming(-1);
        }

        if (o.date() != null && o.through()) {
            // the night itself, and every earlier night with a file at a path never audited (a night or a file
            // delivered late); earlier files are not hashed again, so a corrected file re-delivered at an old
            // night's path needs `ingest --date` of that night (README "The nightly run")
            TreeMap<LocalDate, List<LandingFile>> upTo = new TreeMap<>();
            for (Map.Entry<LocalDate, List<LandingFile>> e : nights.headMap(o.date(), true).entrySet()) {
                if (e.getKey().equals(o.date()) || e.getValue().stream().anyMatch(f -> !audit.pathAudited(f))) upTo.put(e.getKey(), e.getValue());
            }
            nights = upTo;
        } else if (o.date() != null) {
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
        if (org.govind.spark.Profile.active()) System.err.print(timer.summary());
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

    /** One batch: plan, parse, table checks, writes (each an idempotent commit tagged with the batch), audit last. */
    private NightSummary batch(Landing landing, List<LandingFile> files, Map<String, String> pinned) {
        Batch b = parser.select(landing, files, pinned, audit);
        if (b.isEmpty()) return new NightSummary(b.from, b.to, 0, b.skipped, 0, 0, 0, 0, 0);
        long seq = audit.lastBatch() + 1;
        if (pinned == null) pending.write(IngestPlan.of(seq, b.fresh, b.duplicates));
        step("plan");

        org.govind.spark.Profile.step("ingest read+parse");
        parser.parse(landing, b);
        timer.mark("read+parse");

        org.govind.spark.Profile.step("ingest table checks");
        checks.run(b, seq);
        timer.mark("table checks");
        progressPerNight(b);

        for (String e : Schemas.ENTITIES) {
            org.govind.spark.Profile.step("ingest bronze." + e);
            if (b.byEntity.containsKey(e)) bronze.write(e, b, seq);
            step("bronze." + e);
        }
        org.govind.spark.Profile.step("ingest quarantine");
        if (!b.fresh.isEmpty()) quarantine.write(b, seq);
        step("quarantine");
        for (String e : Schemas.ENTITIES) {
            org.govind.spark.Profile.step("ingest silver." + e);
            if (b.byEntity.containsKey(e)) silver.get(e).write(e, b, seq);
            step("silver." + e);
        }

        org.govind.spark.Profile.step("ingest audit");
        IngestAudit.Totals done = audit.write(b, seq);   // last: it is the exactly-once marker
        step("audit");
        pending.delete();
        audit.record(b, seq);
        org.govind.spark.Profile.step(null);
        return new NightSummary(b.from, b.to, b.fresh.size() + b.duplicates.size(), b.skipped, done.rejected(),
                done.read(), done.loaded(), done.quarantined(), 0);
    }

    private void progressPerNight(Batch b) {
        TreeMap<LocalDate, long[]> perNight = new TreeMap<>();
        for (FileResult r : b.fresh) {
            long[] c = perNight.computeIfAbsent(r.file.exportDate(), k -> new long[4]);
            c[0]++; c[1] += r.parsed.rowsRead(); c[2] += r.loaded(); c[3] += r.quarantined();
        }
        perNight.forEach((d, c) -> o.progress().accept(String.format("  %s  文件 %d  读入 %,d  入库 %,d  隔离 %,d", d, c[0], c[1], c[2], c[3])));
    }

    /** A write step is done: timed, and told to the step listener. */
    private void step(String step) {
        timer.mark(step.startsWith("bronze") ? "bronze" : step);
        o.afterStep().after(step);
    }
}
