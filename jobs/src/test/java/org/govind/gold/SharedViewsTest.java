package org.govind.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.govind.core.SqlFiles;
import org.govind.rules.Rules;
import org.govind.rules.RulesException;
import org.govind.schema.QualityCheck;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;
import org.govind.spark.Warehouse;
import org.govind.testing.SilverFixture;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared views are creatable by name for a month, with what they read, and the quality-check
 * catalogue is the one list of checks: the SQL emits exactly its names, the rules file may only
 * override its levels, and a finding of a check outside it stops compute.
 */
class SharedViewsTest {
    static final YearMonth MARCH = YearMonth.of(2026, 3);
    static final String D1 = SilverFixture.D1;
    @TempDir Path dir;

    // ------------------------------------------------------------------ dependencies (no Spark)

    @Test
    void dependenciesComeFromTheSqlText() {
        // case_flags reads cases_at_t, which reads only the table bronze.cases
        assertEquals(List.of("cases_at_t", "case_flags"), SharedViews.withDependencies("case_flags"));
        assertEquals(List.of("cases_at_t"), SharedViews.withDependencies("cases_at_t"));
        // one <snapshot>_at_t per snapshot entity of the schemas, from the one template
        for (String s : Schemas.SNAPSHOTS) {
            assertEquals(List.of(s + "_at_t"), SharedViews.withDependencies(s + "_at_t"));
            assertTrue(SharedViews.sql(s + "_at_t").contains("FROM silver." + s), s);
        }
        // the gold files' own CTEs (flags, rolled, units) are not shared views
        assertEquals(List.of("case_flags", "compounds_at_t"), SharedViews.readBy(SqlFiles.text("gold/case_indicators.sql")));
        assertEquals(List.of("points_in_m"), SharedViews.readBy(SqlFiles.text("gold/points_leaderboard.sql")));
        // the template itself, an entity that is not a snapshot, and a made-up name are not views
        for (String bad : List.of("state_at_t", "cases_at_t_x", "visits_at_t", "no_such_view")) {
            assertThrows(IllegalArgumentException.class, () -> SharedViews.sql(bad), bad);
        }
    }

    @Test
    void everyParameterOfEverySqlFileIsBoundInOnePlace() {
        Map<String, Object> p = SharedViews.params(MARCH, Rules.load(null));
        // the grouping ids and the entity list come from UnitLevel and the schemas, not from the SQL files
        assertEquals(1, p.get("gid_compound"));
        assertEquals(7, p.get("gid_all"));
        assertEquals(Schemas.ENTITIES, p.get("entities"));
        for (String f : List.of("shared/cases_at_t.sql", "shared/case_flags.sql", "shared/points_in_m.sql", "shared/state_at_t.sql",
                "gold/case_indicators.sql", "gold/coverage_indicators.sql", "gold/points_leaderboard.sql", "ops/quality_checks.sql")) {
            SqlFiles.bind(SqlFiles.text(f), p);   // throws on a parameter without a value
        }
        String bound = SqlFiles.bind(SqlFiles.text("ops/quality_checks.sql"), p);
        // e.g. explode(array('property_companies', 'branches', …, 'points')): the schemas' entities, in their order
        String entities = "explode(array('" + String.join("', '", Schemas.ENTITIES) + "'))";
        assertTrue(bound.contains(entities), entities + " not in:\n" + bound);
        assertTrue(SqlFiles.bind(SqlFiles.text("gold/case_indicators.sql"), p).contains("WHEN 3 THEN 'district'"));
        // no grouping id is written as a bare number in the gold files any more
        for (String f : List.of("gold/case_indicators.sql", "gold/coverage_indicators.sql")) {
            assertTrue(!SqlFiles.withoutComments(SqlFiles.text(f)).matches("(?s).*gid\\s*(=|WHEN)\\s*\\d.*"), f);
        }
    }

    // ------------------------------------------------------------------ a view by name, on a fixture

    @Test
    void createsAViewByNameForAMonthWithWhatItReads() {
        SparkSession spark = TestSpark.get();
        SilverFixture f = new SilverFixture();
        // Q1 registered since January; Q9 only from 04-10 (not registered at T = 03-31)
        f.compound("compound_id", "Q1", "community_code", "K1");
        f.compound("compound_id", "Q9", "community_code", "K1", "valid_from", "2026-04-10");
        // C1 reported and closed in March; C2 reported in April (after T: not a March case);
        // C3 invalid (left out); C4 reported in February and still open
        f.cases("case_id", "C1", "compound_id", "Q1", "community_code", "K1", "reported_at", "2026-03-05 10:00:00",
                "due_at", "2026-03-08 10:00:00", "closed_at", "2026-03-07 10:00:00", "status", "closed", "updated_at", "2026-03-07 10:00:00");
        f.cases("case_id", "C2", "compound_id", "Q1", "community_code", "K1", "reported_at", "2026-04-02 10:00:00",
                "status", "dispatched", "updated_at", "2026-04-02 10:00:00", "_export_date", "2026-04-02");
        f.cases("case_id", "C3", "compound_id", "Q1", "community_code", "K1", "reported_at", "2026-03-06 10:00:00",
                "status", "invalid", "updated_at", "2026-03-06 10:00:00");
        f.cases("case_id", "C4", "compound_id", "Q1", "community_code", "K1", "reported_at", "2026-02-20 10:00:00",
                "status", "dispatched", "updated_at", "2026-02-20 10:00:00", "_export_date", "2026-02-20");
        Warehouse wh = f.write(spark, dir.resolve("w").toString());
        wh.registerAll();
        for (String v : List.of("cases_at_t", "case_flags", "compounds_at_t")) spark.catalog().dropTempView(v);

        // "create case_flags for 2026-03": cases_at_t first, then case_flags
        List<String> made = SharedViews.create(spark, "case_flags", MARCH, Rules.load(null));
        assertEquals(List.of("cases_at_t", "case_flags"), made);
        // cases at T: C1 and C4 (C2 reported after T, C3 invalid)
        assertEquals(List.of("C1", "C4"), strings(spark.sql("SELECT case_id FROM cases_at_t ORDER BY case_id").collectAsList()));
        // received in March: C1 only; closed in March: C1; C4 open at T
        Row r = spark.sql("SELECT count_if(is_received), count_if(is_closed_in_m), count(*) FROM case_flags").head();
        assertEquals(1L, r.getLong(0));
        assertEquals(1L, r.getLong(1));
        assertEquals(2L, r.getLong(2));

        assertEquals(List.of("compounds_at_t"), SharedViews.create(spark, "compounds_at_t", MARCH, Rules.load(null)));
        assertEquals(List.of("Q1"), strings(spark.sql("SELECT compound_id FROM compounds_at_t").collectAsList()));
        // April: Q9 is registered at its T, and C2 is an April case
        SharedViews.create(spark, "compounds_at_t", MARCH.plusMonths(1), Rules.load(null));
        assertEquals(List.of("Q1", "Q9"), strings(spark.sql("SELECT compound_id FROM compounds_at_t ORDER BY 1").collectAsList()));
        SharedViews.drop(spark, List.of("cases_at_t", "case_flags", "compounds_at_t"));
        assertTrue(!spark.catalog().tableExists("case_flags"));
    }

    @Test
    void computeCachesTheViewsItReadsMoreThanOnceAndDropUncachesThem() {
        List<String> files = ComputeJob.files();
        List<String> views = new ArrayList<>();
        for (String f : files) for (String v : SharedViews.readBy(SqlFiles.text(f))) {
            for (String d : SharedViews.withDependencies(v)) if (!views.contains(d)) views.add(d);
        }
        List<String> cached = SharedViews.readMoreThanOnce(files, views);
        // cases_at_t: through case_flags (case_indicators) and by the quality checks; points_in_m: coverage and points;
        // compounds_at_t: case_indicators, coverage and the checks. case_flags has one reader (case_indicators).
        assertTrue(cached.containsAll(List.of("cases_at_t", "points_in_m", "compounds_at_t")), cached.toString());
        assertTrue(!cached.contains("case_flags"), cached.toString());
        // a view read once is never cached
        assertEquals(List.of(), SharedViews.readMoreThanOnce(List.of("gold/points_leaderboard.sql"), List.of("points_in_m")));

        SparkSession spark = TestSpark.get();
        spark.sql("SELECT 1 AS x").createOrReplaceTempView("cases_at_t");
        spark.sql("SELECT x + 1 AS y FROM cases_at_t").createOrReplaceTempView("case_flags");
        assertEquals(List.of("cases_at_t"), SharedViews.cacheShared(spark, files, List.of("cases_at_t", "case_flags")));
        assertTrue(spark.catalog().isCached("cases_at_t"));
        assertTrue(!spark.catalog().isCached("case_flags"));
        SharedViews.drop(spark, List.of("cases_at_t", "case_flags"));
        assertTrue(!spark.catalog().tableExists("cases_at_t"));
        assertTrue(!spark.catalog().tableExists("case_flags"));
        // a view of the same name made again is not cached (the cache went with the view)
        spark.sql("SELECT 2 AS x").createOrReplaceTempView("cases_at_t");
        assertTrue(!spark.catalog().isCached("cases_at_t"));
        spark.catalog().dropTempView("cases_at_t");
    }

    private static List<String> strings(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) out.add(r.getString(0));
        return out;
    }

    // ------------------------------------------------------------------ the quality-check catalogue

    @Test
    void theSqlEmitsExactlyTheCataloguesChecks() {
        ComputeJob.checkCatalogue();   // throws when they differ
        Matcher m = Pattern.compile("'([a-z_]+)'\\s+AS\\s+check\\b").matcher(SqlFiles.withoutComments(SqlFiles.text("ops/quality_checks.sql")));
        LinkedHashSet<String> emitted = new LinkedHashSet<>();
        while (m.find()) emitted.add(m.group(1));
        assertEquals(new java.util.HashSet<>(QualityCheck.names()), new java.util.HashSet<>(emitted));
        assertEquals(7, emitted.size());
        // the summary order, the rules file's keys and the table's codes are the catalogue's
        assertEquals(QualityCheck.names(), ComputeJob.CHECKS);
        assertEquals(QualityCheck.names(), Rules.QUALITY_CHECKS);
        assertEquals(QualityCheck.names(), List.copyOf(Schemas.get().table("ops.quality_checks").column("check").orElseThrow().values().keySet()));
    }

    @Test
    void aFindingOfACheckOutsideTheCatalogueFailsLoudly() {
        TableDef qc = Schemas.get().table("ops.quality_checks");
        Rules rules = Rules.load(null);
        Row known = finding(qc, "silent_district");
        Row bogus = finding(qc, "bogus_check");
        List<Row> ok = ComputeJob.withLevels(List.of(known), qc, MARCH, rules);
        assertEquals("error", ok.get(0).getAs("level"));   // by name: the CLI's summary reads findings so
        assertEquals("2026-03", ok.get(0).getAs("period"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ComputeJob.withLevels(List.of(known, bogus), qc, MARCH, rules));
        assertTrue(e.getMessage().contains("bogus_check"), e.getMessage());
    }

    @Test
    void theRulesFileOverridesLevelsOfCataloguedChecksOnly() throws Exception {
        String conf = Files.readString(Path.of("..", "conf", "rules.yaml"));
        // a level for a check the catalogue does not have is refused, naming it
        RulesException e = assertThrows(RulesException.class, () -> Rules.parse(
                conf.replace("    dangling_reference: warning\n", "    dangling_reference: warning\n    bogus_check: error\n"), "t.yaml"));
        assertTrue(e.getMessage().contains("quality.levels.bogus_check"), e.getMessage());
        // a check the file leaves out keeps the catalogue's default; one it names takes the file's level
        Rules r = Rules.parse(conf.replace("    silent_district: error\n", "").replace("no_due_at: warning", "no_due_at: error"), "t.yaml");
        assertEquals(QualityCheck.silent_district.defaultLevel.name(), r.qualityLevel("silent_district"));
        assertEquals("error", r.qualityLevel("no_due_at"));
        for (QualityCheck c : QualityCheck.values()) assertTrue(QualityCheck.levels().contains(r.qualityLevel(c.name())));
    }

    private static Row finding(TableDef qc, String check) {
        Object[] v = new Object[qc.columns().size()];
        v[qc.indexOf("district")] = D1;
        v[qc.indexOf("check")] = check;
        v[qc.indexOf("value")] = 1.0;
        v[qc.indexOf("message")] = "测试";
        return RowFactory.create(v);
    }
}
