package org.govind.ingest;

import static org.govind.testing.LandingFixture.D1;
import static org.govind.testing.LandingFixture.D2;
import static org.govind.testing.LandingFixture.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.govind.pii.PiiProtector;
import org.govind.testing.CrashAfter;
import org.govind.testing.LandingFixture;
import org.govind.testing.Tables;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Ingestion end to end on real Spark and Delta: exactly once, crash safety, SCD2, re-delivery. */
@Tag("slow")  // left out by mvn -Pfast (pom.xml profile "fast")
class IngestJobTest {
    static final PiiProtector PII = new PiiProtector("test-key");
    final SparkSession spark = TestSpark.get();
    @TempDir Path tmp;

    List<IngestJob.NightSummary> ingest(Path landing, Path wh, Set<String> crash) {
        return IngestJob.run(spark, new IngestJob.Options(landing.toString(), wh.toString(), null, CrashAfter.of(crash), null), PII);
    }

    List<IngestJob.NightSummary> ingest(Path landing, Path wh) { return ingest(landing, wh, Set.of()); }

    List<IngestJob.NightSummary> night(Path landing, Path wh, String date, Set<String> crash) {
        return IngestJob.run(spark, new IngestJob.Options(landing.toString(), wh.toString(), java.time.LocalDate.parse(date), CrashAfter.of(crash), null), PII);
    }

    long count(Path wh, String sql) {
        org.govind.spark.Warehouse.open(spark, wh.toString()).registerAll();
        return spark.sql(sql).count();
    }

    /** Three nights of two districts: snapshots that change, cases that progress, a member who moves. */
    static LandingFixture threeNights(Path root) {
        LandingFixture f = new LandingFixture(root);
        // night 1
        f.write(D1, "2026-03-01", "compounds", row("compounds"), row("compounds", "compound_id", "Q2", "name", "测试二号院", "branch_id", ""));
        f.write(D1, "2026-03-01", "members", row("members"), row("members", "member_id", "M2", "id_number", "000000199001010022"));
        f.write(D1, "2026-03-01", "cases", row("cases"), row("cases", "case_id", "C2"));
        f.write(D1, "2026-03-01", "visits", row("visits"), row("visits", "visit_id", "V2", "household_id", "H2"));
        f.write(D1, "2026-03-01", "points", row("points"));
        f.write(D2, "2026-03-01", "compounds", row("compounds", "district_code", D2, "compound_id", "Z1"));
        f.write(D2, "2026-03-01", "cases", row("cases", "district_code", D2, "case_id", "C1"),
                row("cases", "district_code", D2, "case_id", "C9", "source", "bogus"));
        // night 2 (the 15th): member M1 moves to Q2; C1 closed; Q2 gains a branch
        f.write(D1, "2026-03-15", "compounds", row("compounds"), row("compounds", "compound_id", "Q2", "name", "测试二号院", "branch_id", "B2"));
        f.write(D1, "2026-03-15", "members", row("members", "compound_id", "Q2"), row("members", "member_id", "M2", "id_number", "000000199001010022"));
        f.write(D1, "2026-03-15", "cases", row("cases", "status", "closed", "closed_at", "2026-03-14 10:00:00", "updated_at", "2026-03-14 10:00:00"));
        f.write(D1, "2026-03-15", "visits", row("visits", "visit_id", "V3", "visited_at", "2026-03-15 10:00:00"));
        // night 3: M2 leaves the snapshot (deleted); a stale re-export of C1 must not win
        f.write(D1, "2026-03-16", "members", row("members", "compound_id", "Q2"));
        f.write(D1, "2026-03-16", "cases", row("cases", "status", "dispatched", "updated_at", "2026-03-02 09:00:00"));
        return f;
    }

    @Test
    void ingestingTheSameNightsTwiceChangesNothing() {
        Path wh = tmp.resolve("wh");
        threeNights(tmp.resolve("landing"));
        List<IngestJob.NightSummary> first = IngestJob.run(spark,
                new IngestJob.Options(tmp.resolve("landing").toString(), wh.toString(), null, null, null, 1), PII);
        assertEquals(3, first.size(), "one batch per night with batchNights = 1");
        Map<String, List<String>> before = Tables.snapshot(spark, wh.toString());
        Map<String, Long> versions = Tables.versions(spark, wh.toString());
        List<IngestJob.NightSummary> second = ingest(tmp.resolve("landing"), wh);
        assertEquals(versions, Tables.versions(spark, wh.toString()), "no new Delta versions");
        assertEquals(before, Tables.snapshot(spark, wh.toString()));
        assertEquals(0, second.stream().mapToInt(IngestJob.NightSummary::newFiles).sum());
        assertEquals(13, second.stream().mapToInt(IngestJob.NightSummary::skippedFiles).sum());
    }

    @Test
    void countsAddUpPerFileAndNewestCaseWins() {
        Path wh = tmp.resolve("wh");
        threeNights(tmp.resolve("landing"));
        ingest(tmp.resolve("landing"), wh);
        org.govind.spark.Warehouse.open(spark, wh.toString()).registerAll();
        assertEquals(0, spark.sql("SELECT * FROM ops.ingest_audit WHERE rows_read <> rows_loaded + rows_quarantined").count());
        // per file, the quarantine and bronze tables hold exactly the audited counts
        assertEquals(0, spark.sql("""
                SELECT a.source_file FROM ops.ingest_audit a
                LEFT JOIN (SELECT _source_file f, count(*) n FROM bronze.cases GROUP BY 1
                           UNION ALL SELECT _source_file, count(*) FROM bronze.visits GROUP BY 1
                           UNION ALL SELECT _source_file, count(*) FROM bronze.points GROUP BY 1
                           UNION ALL SELECT _source_file, count(*) FROM bronze.members GROUP BY 1
                           UNION ALL SELECT _source_file, count(*) FROM bronze.compounds GROUP BY 1) b ON b.f = a.source_file
                LEFT JOIN (SELECT source_file f, count(*) n FROM ops.quarantine GROUP BY 1) q ON q.f = a.source_file
                WHERE coalesce(b.n, 0) <> a.rows_loaded OR coalesce(q.n, 0) <> a.rows_quarantined""").count());
        Row c1 = spark.sql("SELECT status, _export_date FROM silver.cases WHERE district_code = '370829' AND case_id = 'C1'").head();
        assertEquals("closed", c1.getString(0), "the 03-16 re-export has an older updated_at and must not win");
        Row q = spark.sql("SELECT reasons, line, source_file FROM ops.quarantine").head();
        assertEquals(List.of("unknown_enum"), q.getList(0));
        assertEquals(3, q.getInt(1));
        assertEquals("370832/2026-03-01/cases.csv", q.getString(2));
    }

    @Test
    void scd2MemberWhoMovesIsInTheOldCompoundOnThe10thAndTheNewOneOnThe20th() {
        Path wh = tmp.resolve("wh");
        threeNights(tmp.resolve("landing"));
        new LandingFixture(tmp.resolve("landing")).write(D2, "2026-03-15", "members",
                row("members", "district_code", D2, "roles", "building_leader;owners_committee"));
        // every row list takes the parallelized path (arrays included)
        IngestJob.run(spark, new IngestJob.Options(tmp.resolve("landing").toString(), wh.toString(), null, null, null)
                .withParallelizeRows(1), PII);
        assertEquals(1, count(wh, "SELECT * FROM silver.members WHERE array_contains(roles, 'owners_committee')"));
        String m1 = PII.hash("M1"), m2 = PII.hash("M2");
        String asOf = "SELECT compound_id FROM silver.members WHERE member_id = '%s' AND valid_from <= DATE'%s' AND (valid_to IS NULL OR valid_to > DATE'%s')";
        org.govind.spark.Warehouse.open(spark, wh.toString()).registerAll();
        assertEquals("Q1", spark.sql(String.format(asOf, m1, "2026-03-10", "2026-03-10")).head().getString(0));
        assertEquals("Q2", spark.sql(String.format(asOf, m1, "2026-03-20", "2026-03-20")).head().getString(0));
        assertEquals(1, spark.sql(String.format(asOf, m2, "2026-03-15", "2026-03-15")).count());
        assertEquals(0, spark.sql(String.format(asOf, m2, "2026-03-16", "2026-03-16")).count(), "absent from the 16th's snapshot = deleted");
        assertEquals(3, spark.sql("SELECT * FROM silver.members WHERE district_code = '370829'").count()); // M1 twice, M2 once (closed)
        // a compound that gains a branch mid-month: no branch on the 10th, branch on the 20th
        assertEquals(1, count(wh, "SELECT * FROM silver.compounds WHERE compound_id='Q2' AND branch_id IS NULL AND valid_to = DATE'2026-03-15'"));
        assertEquals(1, count(wh, "SELECT * FROM silver.compounds WHERE compound_id='Q2' AND branch_id = 'B2' AND valid_to IS NULL"));
        // D2's compounds are untouched by D1's snapshots
        assertEquals(1, count(wh, "SELECT * FROM silver.compounds WHERE district_code='370832' AND valid_to IS NULL"));
    }

    /**
     * The crash points: every step of {@link IngestJob#STEPS} that commits something on the crash night
     * (plan and audit always). A step that writes nothing that night (bronze of a snapshot entity with no
     * file) leaves exactly the state of the step before it, so crashing there again would repeat that case.
     * Which steps commit is measured on the clean run (the Delta log of every table grows), not assumed.
     */
    static List<String> steps() throws Exception {
        prepareCrashFixture(TestSpark.get());
        assertTrue(writingSteps.size() >= 10, "the crash night should commit in most steps: " + writingSteps);
        return writingSteps;
    }

    /** The steps of the clean run of the crash night that committed, in order (see {@link #steps()}). */
    static List<String> writingSteps;

    /** Number of Delta commit files per table folder under a warehouse. */
    static java.util.Map<String, Long> commits(Path warehouse) {
        java.util.Map<String, Long> n = new java.util.TreeMap<>();
        try (var paths = Files.walk(warehouse)) {
            paths.filter(p -> p.getFileName().toString().equals("_delta_log")).forEach(log -> {
                try (var files = Files.list(log)) {
                    n.put(warehouse.relativize(log).toString(), files.filter(f -> f.toString().endsWith(".json")).count());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return n;
    }

    /** Tiny limits for the hostile-file tests: 3,000 bytes per file, 600 per record, 40 fields (every ordinary fixture file fits). */
    static final IngestLimits TINY = new IngestLimits(3000, 600, 40);

    static IngestJob.Options tiny(Path landing, Path wh, String date, Set<String> crash) {
        return new IngestJob.Options(landing.toString(), wh.toString(), date == null ? null : java.time.LocalDate.parse(date), CrashAfter.of(crash), null, 31, TINY);
    }

    /**
     * Hostile files on a night: a file over the size limit, a folder whose manifest.json is not JSON, and a
     * snapshot with an unclosed quote on its second record followed by ten more records.
     */
    static void hostileNight(LandingFixture f, String date) {
        String[] many = new String[40];     // 40 points rows of ~150 bytes: ~6,000 bytes > 3,000
        for (int i = 0; i < many.length; i++) many[i] = row("points", "district_code", D2, "entry_id", "PX" + i);
        f.write(D2, date, "points", many);
        f.writeBytes(D2, date, "manifest.json", "{\"files\": {\"cases.csv\": {\"rows\": 1".getBytes(StandardCharsets.UTF_8));
        f.write(D2, date, "cases", row("cases", "district_code", D2, "case_id", "CM1"));
        String[] branches = new String[12];
        branches[0] = row("branches");
        branches[1] = row("branches", "branch_id", "BQ") + ",\"never closed";   // an extra field opening a quote that never closes
        for (int i = 2; i < branches.length; i++) branches[i] = row("branches", "branch_id", "B" + i, "compound_id", "Q" + i);
        f.write(D1, date, "branches", branches);
    }

    /**
     * Shared by the crash tests: the landing, the warehouse after night 1, the warehouse as a crash after
     * each writing step of night 2 leaves it ({@link #crashedAfter}), and the clean end state.
     */
    static Path crashRoot;
    static Map<String, List<String>> cleanEnd;

    static synchronized void prepareCrashFixture(SparkSession spark) throws Exception {
        if (crashRoot != null) return;
        crashRoot = Files.createTempDirectory("govind-crash");
        Path landing = crashRoot.resolve("landing");
        threeNights(landing);
        // bad rows and re-deliveries on the second night so every path is exercised
        new LandingFixture(landing).write(D1, "2026-03-15", "points", row("points", "entry_id", "P2"),
                row("points", "points", "9.00"), row("points", "entry_id", "P3", "activity", "nope"));
        // and hostile files (size limit, invalid manifest, unclosed quote), so a crash amid them resumes too
        hostileNight(new LandingFixture(landing), "2026-03-15");
        Path afterNight1 = crashRoot.resolve("after-night-1");
        IngestJob.run(spark, tiny(landing, afterNight1, "2026-03-01", null), PII);
        Path clean = crashRoot.resolve("clean");
        copy(afterNight1, clean);
        List<String> writing = new java.util.ArrayList<>();
        java.util.Map<String, Long>[] before = new java.util.Map[] {commits(clean)};
        IngestJob.Options night2 = new IngestJob.Options(landing.toString(), clean.toString(), java.time.LocalDate.parse("2026-03-15"),
                step -> {
                    java.util.Map<String, Long> now = commits(clean);
                    if (step.equals("plan") || step.equals("audit") || !now.equals(before[0])) {
                        writing.add(step);
                        // what a crash right here leaves on disk: every commit so far and the pending plan
                        // (a crash is an exception thrown from this very listener; nothing runs between)
                        try {
                            copy(clean, crashedAfter(step));
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                    before[0] = now;
                }, null, 31, TINY);
        IngestJob.run(spark, night2, PII);
        assertEquals(IngestJob.STEPS.get(IngestJob.STEPS.size() - 1), writing.get(writing.size() - 1));
        writingSteps = List.copyOf(writing);
        IngestJob.run(spark, tiny(landing, clean, null, null), PII);
        cleanEnd = Tables.snapshot(spark, clean.toString());
    }

    /**
     * The warehouse as the clean run of night 2 left it right after {@code step} committed: the state a
     * crash after that step leaves (tied to a real crash in {@link #aBatchThatDiesAgainAndAgainIsCountedAndFinishesOnceItCan}).
     * Captured once, so each crash case starts from a copy instead of re-running night 2 up to its step.
     */
    static Path crashedAfter(String step) {
        return crashRoot.resolve("crashed-after-" + step);
    }

    static void copy(Path from, Path to) throws java.io.IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t); else Files.copy(p, t);
            }
        }
    }

    @ParameterizedTest(name = "crash after {0}")
    @MethodSource("steps")
    void crashBetweenWritesThenRerunEqualsCleanRun(String step) throws Exception {
        prepareCrashFixture(spark);
        Path landing = crashRoot.resolve("landing");
        Path crashed = tmp.resolve("crashed");
        // night 2 crashed after this step (captured from the clean run, see crashedAfter)
        copy(crashedAfter(step), crashed);
        List<IngestJob.NightSummary> rerun = IngestJob.run(spark, tiny(landing, crashed, null, null), PII);
        // the interrupted batch first, then the remaining night; after the audit commit the batch was complete
        assertEquals(step.equals("audit") ? 1 : 2, rerun.size());
        assertEquals(cleanEnd, Tables.snapshot(spark, crashed.toString()));
    }

    @Test
    void aBatchThatDiesAgainAndAgainIsCountedAndFinishesOnceItCan() throws Exception {
        prepareCrashFixture(spark);
        Path landing = crashRoot.resolve("landing");
        Path crashed = tmp.resolve("crashed");
        copy(crashRoot.resolve("after-night-1"), crashed);
        List<String> said = new java.util.ArrayList<>();
        // the night with the hostile files dies after its first write, then three resumes die at the same point
        for (int i = 0; i < 4; i++) {
            var o = new IngestJob.Options(landing.toString(), crashed.toString(), java.time.LocalDate.parse("2026-03-15"),
                    CrashAfter.of(Set.of("bronze.cases")), said::add, 31, TINY);
            assertThrows(CrashAfter.InjectedCrash.class, () -> IngestJob.run(spark, o, PII));
            if (i == 0) {
                // a real crash leaves what the crash cases start from (crashedAfter, captured from the clean run)
                assertTrue(writingSteps.contains("bronze.cases"), writingSteps::toString);
                assertEquals(commits(crashedAfter("bronze.cases")), commits(crashed));
                assertEquals(Files.readString(crashedAfter("bronze.cases").resolve("_ingest").resolve("pending.json")),
                        Files.readString(crashed.resolve("_ingest").resolve("pending.json")));
                assertEquals(Tables.snapshot(spark, crashedAfter("bronze.cases").toString()), Tables.snapshot(spark, crashed.toString()));
            }
        }
        assertTrue(said.stream().anyMatch(m -> m.contains("resume 3")), said::toString);
        assertTrue(said.stream().anyMatch(m -> m.contains("interrupted 3 times")), said::toString);
        assertTrue(Files.readString(crashed.resolve("_ingest").resolve("pending.json")).contains("\"attempts\" : 3"));
        // nothing deleted by hand: the next run finishes the batch, then the rest, as a clean run would
        IngestJob.run(spark, tiny(landing, crashed, null, null), PII);
        assertEquals(cleanEnd, Tables.snapshot(spark, crashed.toString()));
        assertTrue(!Files.exists(crashed.resolve("_ingest").resolve("pending.json")));
    }

    @Test
    void redeliveredFileUnderANewNameIsSkippedWhole() throws Exception {
        Path landing = tmp.resolve("landing");
        Path wh = tmp.resolve("wh");
        LandingFixture f = threeNights(landing);
        ingest(landing, wh);
        Path orig = landing.resolve(D1).resolve("2026-03-01").resolve("cases.csv");
        f.writeBytes(D1, "2026-03-17", "cases.csv", Files.readAllBytes(orig));
        List<IngestJob.NightSummary> s = ingest(landing, wh);
        assertEquals(1, s.get(s.size() - 1).newFiles());
        assertEquals(2, count(wh, "SELECT * FROM bronze.cases WHERE case_id IN ('C1','C2') AND district_code='370829' AND _export_date = DATE'2026-03-01'"));
        assertEquals(0, count(wh, "SELECT * FROM bronze.cases WHERE _export_date = DATE'2026-03-17'"));
        assertEquals(1, count(wh, "SELECT * FROM ops.ingest_audit WHERE status = 'duplicate_file' AND source_file LIKE '%2026-03-17%'"));
    }

    @Test
    void anUnchangedOrRevertedSnapshotIsThatNightsStateNotARedelivery() throws Exception {
        Path landing = tmp.resolve("landing");
        Path wh = tmp.resolve("wh");
        LandingFixture f = new LandingFixture(landing);
        Path first = f.write(D1, "2026-03-01", "property_companies", row("property_companies"));
        f.write(D1, "2026-03-02", "property_companies", row("property_companies", "has_party_org", "false"));
        // the 3rd's export is byte-identical to the 1st's: the change of the 2nd is reverted
        f.writeBytes(D1, "2026-03-03", "property_companies.csv", Files.readAllBytes(first));
        ingest(landing, wh);
        assertEquals(0, count(wh, "SELECT * FROM ops.ingest_audit WHERE status = 'duplicate_file'"));
        assertEquals(1, count(wh, "SELECT * FROM silver.property_companies WHERE valid_to IS NULL AND has_party_org AND valid_from = DATE'2026-03-03'"));
        assertEquals(3, count(wh, "SELECT * FROM silver.property_companies"));
    }

    @Test
    void visitsAndPointsRedeliveryIdenticalIgnoredConflictingQuarantined() {
        Path landing = tmp.resolve("landing");
        Path wh = tmp.resolve("wh");
        LandingFixture f = new LandingFixture(landing);
        f.write(D1, "2026-03-01", "visits", row("visits"), row("visits", "visit_id", "V2"));
        f.write(D1, "2026-03-02", "visits", row("visits"), row("visits", "visit_id", "V2", "needs_recorded", "3"), row("visits", "visit_id", "V3"));
        ingest(landing, wh);
        assertEquals(3, count(wh, "SELECT * FROM silver.visits"));
        assertEquals(0, count(wh, "SELECT * FROM silver.visits WHERE needs_recorded = 3"));
        Row a = spark.sql("SELECT rows_read, rows_loaded, rows_quarantined, rows_unchanged, status FROM ops.ingest_audit WHERE export_date = DATE'2026-03-02'").head();
        assertEquals("[3,2,1,1,partial]", a.toString());
        Row q = spark.sql("SELECT reasons, line FROM ops.quarantine").head();
        assertEquals(List.of("conflicting_redelivery"), q.getList(0));
        assertEquals(3, q.getInt(1));
    }

    @Test
    void anUnreadableFileDoesNotTakeTheNightDown() {
        Path landing = tmp.resolve("landing");
        Path wh = tmp.resolve("wh");
        LandingFixture f = new LandingFixture(landing);
        f.writeBytes(D1, "2026-03-01", "points.csv", new byte[] {0, 1, 2, 3, (byte) 0xFF, 10, 0, 7});
        f.writeBytes(D1, "2026-03-01", "complaints.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
        f.write(D1, "2026-03-01", "cases", row("cases"));
        f.write(D2, "2026-03-01", "visits", row("visits", "district_code", D2));
        ingest(landing, wh);
        assertEquals(1, count(wh, "SELECT * FROM silver.cases"));
        assertEquals(1, count(wh, "SELECT * FROM silver.visits"));
        assertEquals(2, count(wh, "SELECT * FROM ops.ingest_audit WHERE status = 'rejected'"));
        String msg = spark.sql("SELECT message FROM ops.ingest_audit WHERE entity = 'points'").head().getString(0);
        assertTrue(msg.startsWith("unreadable_file"), msg);
        assertEquals(List.of("unknown_entity"), spark.sql("SELECT reasons FROM ops.quarantine WHERE entity = 'complaints'").head().getList(0));
    }

    @Test
    void quarantinedSnapshotRowIsNotADeletionAndOlderSnapshotIsRejected() {
        Path landing = tmp.resolve("landing");
        Path wh = tmp.resolve("wh");
        LandingFixture f = new LandingFixture(landing);
        f.write(D1, "2026-03-01", "compounds", row("compounds"), row("compounds", "compound_id", "Q2"));
        f.write(D1, "2026-03-02", "compounds", row("compounds", "households", "-1"), row("compounds", "compound_id", "Q2", "households", "120"));
        ingest(landing, wh);
        assertEquals(1, count(wh, "SELECT * FROM silver.compounds WHERE compound_id = 'Q1' AND valid_to IS NULL AND households = 100"));
        assertEquals(1, count(wh, "SELECT * FROM silver.compounds WHERE compound_id = 'Q2' AND valid_to IS NULL AND households = 120"));
        // a late snapshot dated before the applied ones is quarantined whole, history untouched
        Map<String, List<String>> before = Tables.snapshot(spark, wh.toString());
        f.write(D1, "2026-02-20", "compounds", row("compounds", "name", "旧名字"));
        ingest(landing, wh);
        assertEquals(before.get("silver.compounds"), Tables.snapshot(spark, wh.toString()).get("silver.compounds"));
        assertEquals(1, count(wh, "SELECT * FROM ops.quarantine WHERE array_contains(reasons, 'snapshot_out_of_order')"));
    }

    @Test
    void hostileFilesAreRejectedOrQuarantinedAndTheRestOfTheNightLoads() {
        Path landing = tmp.resolve("landing");
        Path wh = tmp.resolve("wh");
        LandingFixture f = new LandingFixture(landing);
        hostileNight(f, "2026-03-01");
        // a record over 600 bytes among good ones (same night, another folder than the invalid manifest)
        f.write(D1, "2026-03-01", "cases", row("cases"), row("cases", "case_id", "C2", "category", "x".repeat(700)), row("cases", "case_id", "C3"));
        // a second night whose manifest parses as JSON but is not a valid manifest (rows is text)
        f.writeBytes(D2, "2026-03-02", "manifest.json", "{\"files\": {\"visits.csv\": {\"rows\": \"one\"}}}".getBytes(StandardCharsets.UTF_8));
        f.write(D2, "2026-03-02", "visits", row("visits", "district_code", D2));
        f.write(D1, "2026-03-02", "visits", row("visits"));
        IngestJob.run(spark, tiny(landing, wh, null, null), PII);
        org.govind.spark.Warehouse.open(spark, wh.toString()).registerAll();

        // the file over the limit: audited as rejected with its reason, one quarantine row (line 0) naming it
        Row big = spark.sql("SELECT status, rows_read, rows_loaded, rows_quarantined, message FROM ops.ingest_audit WHERE source_file = '370832/2026-03-01/points.csv'").head();
        assertEquals("rejected", big.getString(0));
        assertEquals("[1,0,1]", "[" + big.getInt(1) + "," + big.getInt(2) + "," + big.getInt(3) + "]");
        assertTrue(big.getString(4).startsWith("file_too_large"), big.getString(4));
        Row bq = spark.sql("SELECT line, reasons, raw_text FROM ops.quarantine WHERE source_file = '370832/2026-03-01/points.csv'").head();
        assertEquals(0, bq.getInt(0));
        assertEquals(List.of("file_too_large"), bq.getList(1));
        assertTrue(landing.resolve(D2).resolve("2026-03-01").resolve("points.csv").toFile().exists(), "still in landing");

        // the folders with an invalid manifest: every file rejected whole, every record quarantined
        assertEquals(2, count(wh, "SELECT * FROM ops.ingest_audit WHERE status = 'rejected' AND message LIKE 'manifest_invalid%'"));
        assertEquals(2, count(wh, "SELECT * FROM ops.quarantine WHERE array_contains(reasons, 'manifest_invalid')"));
        assertEquals(0, count(wh, "SELECT * FROM silver.cases WHERE district_code = '370832'"));
        assertEquals(0, count(wh, "SELECT * FROM silver.visits WHERE district_code = '370832'"));

        // the unclosed quote: branch B1 loads, BQ's record is cut at 600 bytes (swallowing the next lines) and quarantined,
        // reading resumes after the cut: every branch row is ~95 bytes, so some later branches load
        Row br = spark.sql("SELECT rows_read, rows_loaded, rows_quarantined, status FROM ops.ingest_audit WHERE entity = 'branches'").head();
        assertEquals(br.getInt(0), br.getInt(1) + br.getInt(2));
        assertEquals(1, br.getInt(2));
        assertTrue(br.getInt(1) >= 2 && br.getInt(1) < 11, () -> "loaded " + br.getInt(1));
        assertEquals(List.of("record_too_large"), spark.sql("SELECT reasons FROM ops.quarantine WHERE entity = 'branches'").head().getList(0));

        // the long record: quarantined with its reason, C1 and C3 load
        assertEquals(List.of("record_too_large"), spark.sql("SELECT reasons FROM ops.quarantine WHERE source_file = '370829/2026-03-01/cases.csv'").head().getList(0));
        assertEquals(2, count(wh, "SELECT * FROM silver.cases WHERE case_id IN ('C1', 'C3')"));
        assertEquals(1, count(wh, "SELECT * FROM silver.visits WHERE district_code = '370829'"));

        // the invariants hold for every file, hostile or not
        assertEquals(0, count(wh, "SELECT * FROM ops.ingest_audit WHERE rows_read <> rows_loaded + rows_quarantined"));
        assertEquals(0, count(wh, """
                SELECT a.source_file FROM ops.ingest_audit a
                LEFT JOIN (SELECT source_file f, count(*) n FROM ops.quarantine GROUP BY 1) q ON q.f = a.source_file
                WHERE coalesce(q.n, 0) <> a.rows_quarantined"""));
    }
}
