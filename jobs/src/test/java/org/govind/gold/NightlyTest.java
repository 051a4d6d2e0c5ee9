package org.govind.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.govind.cli.Main;
import org.govind.generate.GenerateOptions;
import org.govind.generate.Generator;
import org.govind.generate.Scale;
import org.govind.rules.Rules;
import org.govind.spark.Warehouse;
import org.govind.testing.Tables;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incremental nightly run ({@code govind nightly --date D}) leaves the same gold tables and
 * quality checks as a full recomputation of every month of the same warehouse, across a month
 * boundary and with a night delivered late; and it recomputes a closed month only when new rows can
 * change it.
 */
@Tag("slow")  // left out by mvn -Pfast (pom.xml profile "fast")
class NightlyTest {
    static final List<String> COMPARED = List.of("gold.case_indicators", "gold.coverage_indicators",
            "gold.points_leaderboard", "ops.quality_checks");

    @TempDir Path dir;

    @Test
    void nightlyRunsEqualAFullRecomputationAndPickUpALateNight() throws Exception {
        SparkSession spark = TestSpark.get();
        Path landing = dir.resolve("landing"), held = dir.resolve("held");
        // 2026-03-25 … 04-05, two districts, 1 % bad rows; seed 42 has district 370832 miss the night of 03-31
        Generator.run(new GenerateOptions(landing, LocalDate.of(2026, 3, 25), 12, 2, Scale.SMALL, 42, 0.01), s -> { });
        // district 370829's night of 03-28 arrives late: only before the nightly run of 04-05, after March's books closed (04-03)
        Path late = landing.resolve("370829/2026-03-28");
        assertTrue(Files.isDirectory(late), "the generator wrote the night");
        Files.createDirectories(held.resolve("370829"));
        Files.move(late, held.resolve("370829/2026-03-28"));

        String inc = dir.resolve("wh-nightly").toString();
        Map<String, String> marchComputedAt = new TreeMap<>();
        for (String night : List.of("2026-03-30", "2026-04-03", "2026-04-04", "2026-04-05")) {
            if (night.equals("2026-04-05")) Files.move(held.resolve("370829/2026-03-28"), late);
            // 0, or 3 when a quality check fails at level error (the generated bad rows): the tables are written either way
            int rc = Main.execute("nightly", "--date", night, "--landing", landing.toString(), "--warehouse", inc,
                    "--demo-key", "--allow-failed-checks");
            assertEquals(0, rc, "nightly " + night);
            marchComputedAt.put(night, computedAt(spark, inc, "2026-03"));
        }
        // the first run caught up every earlier night; the run of 04-03 caught up 03-31 … 04-02 and computed April too
        Warehouse wh = Warehouse.open(spark, inc);
        assertEquals(2, wh.read("ops.compute_runs").count(), "March and April");
        // 04-03 is March's books-close night: March recomputed; on 04-04 nothing new can change March: left alone;
        // on 04-05 the late night of 03-28 is a March export: March recomputed although its books are closed
        assertNotEquals(marchComputedAt.get("2026-03-30"), marchComputedAt.get("2026-04-03"));
        assertEquals(marchComputedAt.get("2026-04-03"), marchComputedAt.get("2026-04-04"), "a closed month untouched by new rows is not recomputed");
        assertNotEquals(marchComputedAt.get("2026-04-04"), marchComputedAt.get("2026-04-05"), "the late night's month is recomputed");
        assertTrue(wh.read("bronze.visits").where("_export_date = DATE'2026-03-28' AND _district = '370829'").count() > 0,
                "the late night was ingested");

        // (2) a reversal of a March entry arriving on 05-12, April in between untouched: March recomputes its points
        // leaderboard alone and keeps its quality checks (nothing they read changed); May, the night's month, is
        // computed in full. Counted: the night's commits that replace March's rows of each table.
        reversalNight(wh, landing, "2026-05-12", 0);
        long[] before = versions(wh);
        assertEquals(0, Main.execute("nightly", "--date", "2026-05-12", "--landing", landing.toString(), "--warehouse", inc,
                "--demo-key", "--allow-failed-checks"), "nightly 2026-05-12");
        assertEquals(List.of(0L, 0L, 1L, 0L), marchCommitsSince(spark, wh, before),
                "commits replacing March in case, coverage, points, checks on the night of 05-12");
        // April, untouched by any row, had its checks computed when 04-05 was the latest export: the exports of
        // 05-12 make 04-06 … 04-30 nights without exports, so its checks (alone) are rerun and say so
        assertEquals(25L, wh.read("ops.quality_checks").where("period = '2026-04' AND check = 'silent_district' AND district = '370832'")
                .selectExpr("CAST(value AS BIGINT)").head().getLong(0), "April's silent nights of district 370832");
        // (3) the same on 05-13 under an edited rules file (same parameters, another sha256): March's other tables
        // were computed under the old file, so March is recomputed in full
        Path edited = dir.resolve("rules-edited.yaml");
        try (java.io.InputStream in = Rules.class.getClassLoader().getResourceAsStream(Rules.RESOURCE)) {
            Files.write(edited, in.readAllBytes());
        }
        Files.writeString(edited, "\n# edited: the parameters are the defaults\n", java.nio.file.StandardOpenOption.APPEND);
        reversalNight(wh, landing, "2026-05-13", 1);
        before = versions(wh);
        assertEquals(0, Main.execute("nightly", "--date", "2026-05-13", "--landing", landing.toString(), "--warehouse", inc,
                "--demo-key", "--allow-failed-checks", "--rules", edited.toString()), "nightly 2026-05-13");
        assertEquals(List.of(1L, 1L, 1L, 1L), marchCommitsSince(spark, wh, before),
                "commits replacing March in case, coverage, points, checks on the night of 05-13 (March in full)");

        // (1) the same warehouse, every month recomputed from scratch: the incremental runs left exactly that
        Path copy = dir.resolve("wh-recomputed");
        copyTree(Path.of(inc), copy);
        assertEquals(0, Main.execute("compute", "--all", "--warehouse", copy.toString(), "--allow-failed-checks"));
        for (String t : COMPARED) {
            List<String> a = Tables.rows(spark, Warehouse.open(spark, inc).path(t));
            assertTrue(a.size() > 0, t + " has rows");
            assertEquals(Tables.rows(spark, Warehouse.open(spark, copy.toString()).path(t)), a, t + ": nightly runs = full recomputation");
        }
    }

    static final List<String> RECOMPUTED = List.of("gold.case_indicators", "gold.coverage_indicators", "gold.points_leaderboard",
            "ops.quality_checks");

    /** The latest versions of {@link #RECOMPUTED}. */
    private static long[] versions(Warehouse wh) {
        return RECOMPUTED.stream().mapToLong(wh::version).toArray();
    }

    /**
     * Per table of {@link #RECOMPUTED}, the commits after {@code since} that replaced March's rows (their
     * replaceWhere predicate names it). Counted from the history, not the version: Delta writes no commit
     * for an overwrite that neither adds nor removes a file (a month whose table is empty before and after).
     */
    private static List<Long> marchCommitsSince(SparkSession spark, Warehouse wh, long[] since) {
        List<Long> out = new java.util.ArrayList<>();
        for (int i = 0; i < RECOMPUTED.size(); i++) {
            out.add(io.delta.tables.DeltaTable.forPath(spark, wh.path(RECOMPUTED.get(i))).history()
                    .where("version > " + since[i] + " AND operationParameters['predicate'] LIKE '%2026-03%'").count());
        }
        return out;
    }

    /**
     * District 370829's export of {@code night}: one points file holding a reversal of its {@code nth} March award
     * (as the generator writes one: the target's fields, points negated; a made-up holder id, no name).
     */
    private static void reversalNight(Warehouse wh, Path landing, String night, int nth) throws Exception {
        Row e = wh.read("silver.points")
                .where("district_code = '370829' AND occurred_at < TIMESTAMP'2026-04-01' AND reversal_of IS NULL AND points > 0")
                .orderBy("entry_id").select("entry_id", "community_code", "compound_id", "holder_type", "scheme", "activity", "points")
                .limit(nth + 1).collectAsList().get(nth);
        Path f = landing.resolve("370829/" + night + "/points.csv");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "entry_id,district_code,community_code,compound_id,holder_id,holder_type,holder_name,scheme,activity,"
                + "points,occurred_at,approver_id,reversal_of\n" + String.join(",", "JF370829" + night.replace("-", "") + "R00001", "370829",
                e.getString(1), e.isNullAt(2) ? "" : e.getString(2), "DY370829999999", e.getString(3), "", e.getString(4), e.getString(5),
                e.getDecimal(6).negate().toPlainString(), night + " 09:00:00", "", e.getString(0)) + "\n");
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (java.util.stream.Stream<Path> s = Files.walk(from)) {
            for (Path f : s.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(t); else Files.copy(f, t);
            }
        }
    }

    @Test
    void monthsToRecomputeSpanFromTheEarliestFileOrCaseAndAddEachVisitOrPointsMonth() {
        Rules r = Rules.load(null);
        LocalDate night = LocalDate.of(2026, 4, 10);
        assertEquals(List.of(YearMonth.of(2026, 4)), ComputeJob.monthsToRecompute(night, r, List.of()));
        // inside March's books-close window the night itself touches March
        assertEquals(List.of(YearMonth.of(2026, 3), YearMonth.of(2026, 4)),
                ComputeJob.monthsToRecompute(LocalDate.of(2026, 4, 3), r, List.of()));
        // a visit of January delivered on 04-10: January and April only (coverage counts a month's own visits)
        assertEquals(List.of(YearMonth.of(2026, 1), YearMonth.of(2026, 4)),
                ComputeJob.monthsToRecompute(night, r, List.of(new ComputeJob.Touch("visit", YearMonth.of(2026, 1), 1))));
        // a reversal of a December entry (points) and a case first delivered for February: December alone, then
        // February to April (a case open at February's end is overdue in every later month)
        assertEquals(List.of(YearMonth.of(2025, 12), YearMonth.of(2026, 2), YearMonth.of(2026, 3), YearMonth.of(2026, 4)),
                ComputeJob.monthsToRecompute(night, r, List.of(new ComputeJob.Touch("points", YearMonth.of(2025, 12), 1),
                        new ComputeJob.Touch("case", YearMonth.of(2026, 2), 5), new ComputeJob.Touch("points", YearMonth.of(2026, 4), 7))));
        assertFalse(ComputeJob.monthsToRecompute(night, r, List.of(new ComputeJob.Touch("file", YearMonth.of(2026, 4), 9)))
                .contains(YearMonth.of(2026, 3)));
    }

    @Test
    void aMonthOutsideTheSpanRecomputesOnlyTheTablesItsVisitsOrPointsFeed() {
        Rules r = Rules.load(null);
        List<String> all = ComputeJob.GOLD;
        // December: a reversal target (points); January: a late visit and a points entry; February to April: a case
        Map<YearMonth, List<String>> t = ComputeJob.tablesToRecompute(LocalDate.of(2026, 4, 10), r, List.of(
                new ComputeJob.Touch("points", YearMonth.of(2025, 12), 1), new ComputeJob.Touch("visit", YearMonth.of(2026, 1), 2),
                new ComputeJob.Touch("points", YearMonth.of(2026, 1), 3), new ComputeJob.Touch("case", YearMonth.of(2026, 2), 5),
                new ComputeJob.Touch("points", YearMonth.of(2026, 3), 7), new ComputeJob.Touch("silence", YearMonth.of(2025, 12), 20),
                new ComputeJob.Touch("silence", YearMonth.of(2026, 4), 9)));
        assertEquals(List.of(YearMonth.of(2025, 12), YearMonth.of(2026, 1), YearMonth.of(2026, 2), YearMonth.of(2026, 3), YearMonth.of(2026, 4)),
                List.copyOf(t.keySet()), "month order");
        // nights without exports that now count (a later export arrived): the checks too
        assertEquals(List.of("points_leaderboard", ComputeJob.CHECKS_ONLY), t.get(YearMonth.of(2025, 12)));
        assertEquals(List.of("coverage_indicators", "points_leaderboard"), t.get(YearMonth.of(2026, 1)), "in GOLD order");
        assertEquals(all, t.get(YearMonth.of(2026, 2)));
        assertEquals(all, t.get(YearMonth.of(2026, 3)), "a points month inside the span is computed in full");
        assertEquals(all, t.get(YearMonth.of(2026, 4)));
        // the checks are rerun unless the points leaderboard alone is recomputed (they never read it)
        assertFalse(ComputeJob.checksCanChange(List.of("points_leaderboard")));
        assertTrue(ComputeJob.checksCanChange(List.of("coverage_indicators")));
        assertTrue(ComputeJob.checksCanChange(List.of(ComputeJob.CHECKS_ONLY)));
        assertEquals(List.of("gold/points_leaderboard.sql", "ops/quality_checks.sql"),
                ComputeJob.files(List.of("points_leaderboard", ComputeJob.CHECKS_ONLY)));
        assertTrue(ComputeJob.checksCanChange(all));
    }

    private static String computedAt(SparkSession spark, String w, String period) {
        List<Row> r = Warehouse.open(spark, w).read("ops.compute_runs").where("period = '" + period + "'")
                .selectExpr("CAST(computed_at AS STRING)").collectAsList();
        return r.isEmpty() ? null : r.get(0).getString(0);
    }
}
