package org.govind.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.govind.rules.Rules;
import org.govind.spark.Warehouse;
import org.govind.testing.SilverFixture;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gold tables for the hand-built March of {@link MarchFixture}, every expected number worked
 * out by hand below (comments give the arithmetic), plus golden files of the whole output.
 * Regenerate the golden files only with {@code -Dgovind.regen=true}.
 */
@Tag("slow")  // left out by mvn -Pfast (pom.xml profile "fast")
class GoldIndicatorsTest {
    static final String D1 = MarchFixture.D1, D2 = MarchFixture.D2;
    static final YearMonth MARCH = YearMonth.of(2026, 3);
    static final double EPS = 1e-12;

    @TempDir static Path dir;
    static SparkSession spark;
    static Warehouse wh;
    static ComputeJob.MonthResult result;
    static Map<String, Row> cases, coverage;
    static List<Row> board;

    @BeforeAll
    static void computeMarch() {
        spark = TestSpark.get();
        MarchFixture.march().write(spark, dir.resolve("wh").toString());
        result = ComputeJob.run(spark, new ComputeJob.Options(dir.resolve("wh").toString(), List.of(MARCH),
                Rules.load(null), false, s -> { })).get(0);
        wh = Warehouse.open(spark, dir.resolve("wh").toString());
        cases = byUnit(wh.read("gold.case_indicators").where("period = '2026-03'").collectAsList());
        coverage = byUnit(wh.read("gold.coverage_indicators").where("period = '2026-03'").collectAsList());
        board = wh.read("gold.points_leaderboard").where("period = '2026-03'")
                .orderBy("scope_level", "scope_id", "rank", "holder_key").collectAsList();
    }

    static Map<String, Row> byUnit(List<Row> rows) {
        Map<String, Row> m = new TreeMap<>();
        for (Row r : rows) {
            Row prev = m.put(r.<String>getAs("level") + " " + r.getAs("unit_id"), r);
            if (prev != null) fail("two rows for " + r.getAs("unit_id"));
        }
        return m;
    }

    /** Asserts column values: Integer/Long compare as longs, Double with 1e-12, null as null. */
    static void expect(Row r, Object... kv) {
        assertNotNull(r, "row missing");
        for (int i = 0; i < kv.length; i += 2) {
            String col = (String) kv[i];
            Object want = kv[i + 1];
            Object got = r.getAs(col);
            String where = r.getAs(r.schema().getFieldIndex("unit_id").isDefined() ? "unit_id" : "company_id") + "." + col;
            if (want == null) assertNull(got, where);
            else if (want instanceof Double d) { assertNotNull(got, where); assertEquals(d, ((Number) got).doubleValue(), EPS, where); }
            else if (want instanceof Integer n) { assertNotNull(got, where); assertEquals(n.longValue(), ((Number) got).longValue(), where); }
            else assertEquals(want, got, where);
        }
    }

    // ------------------------------------------------------------------ case indicators

    @Test
    void compoundCaseIndicators() {
        // Q1: C1 (03-31 23:59:59, open, no due), C3 (due 03-05, closed 03-04 = 48 h, satisfied, mediation success),
        // C4 (due 03-12, closed 03-13 = 72 h, dissatisfied), C5 (due 03-25, open at T), C12 (status closed
        // without closed_at: open; due 03-20). C2 (04-01 00:00:00) is April's; C7 is invalid.
        expect(cases.get("compound 370829:Q1"),
                "received", 5, "closed", 2, "closure_rate", 2 / 5.0,          // C3, C4 of C1 C3 C4 C5 C12
                "due", 4, "on_time", 1, "on_time_rate", 1 / 4.0,              // C3 of C3 C4 C5 C12
                "overdue_open", 2,                                             // C5, C12
                "answered", 2, "satisfied", 1, "satisfaction_rate", 0.5,      // C3 satisfied, C4 dissatisfied
                "closed_in_m", 2, "revisited", 2, "revisit_rate", 1.0,
                "mediated", 1, "mediation_success", 1, "mediation_success_rate", 1.0,
                "median_handle_hours", 60.0,                                   // (48 + 72) / 2
                "received_no_due", 1, "community_code", null, "compound_id", "Q1", "district_code", D1);
        // Q2: C6 (closed 03-06 = 24 h before due 03-08, revisit unreachable → not answered),
        // C13 (dispute, mediation fail, closed 03-02 = 24 h, satisfied, no due)
        expect(cases.get("compound 370829:Q2"),
                "received", 2, "closed", 2, "closure_rate", 1.0, "due", 1, "on_time", 1, "on_time_rate", 1.0,
                "overdue_open", 0, "answered", 1, "satisfied", 1, "satisfaction_rate", 1.0,
                "closed_in_m", 2, "revisited", 2, "revisit_rate", 1.0,
                "mediated", 1, "mediation_success", 0, "mediation_success_rate", 0.0, "median_handle_hours", 24.0);
        // Q3: C9 (due 03-01 00:00, closed in Feb: due and on time), C10 (due in Feb, open: overdue),
        // C11 as it stood at T (closed 03-09 16:00 = 30 h; the April "invalid" version is not yet known)
        expect(cases.get("compound 370829:Q3"),
                "received", 1, "closed", 1, "due", 2, "on_time", 2, "on_time_rate", 1.0, "overdue_open", 1,
                "answered", 0, "satisfaction_rate", null,                      // zero denominator → null
                "closed_in_m", 1, "revisited", 0, "revisit_rate", 0.0,
                "mediated", 0, "mediation_success_rate", null, "median_handle_hours", 30.0);
        // Q9 is not registered at T but named by C14: it gets a row
        expect(cases.get("compound 370829:Q9"), "received", 1, "closed", 0, "closure_rate", 0.0, "due", 0,
                "on_time_rate", null, "median_handle_hours", null, "received_no_due", 1);
        // Q5 registered, no cases: a row of zeros and nulls
        expect(cases.get("compound 370829:Q5"), "received", 0, "closure_rate", null, "due", 0, "overdue_open", 0,
                "answered", 0, "closed_in_m", 0, "median_handle_hours", null);
        assertNull(cases.get("compound 370829:Q4"), "Q4 was deleted before T and has no cases");
        assertTrue(cases.keySet().stream().noneMatch(k -> k.endsWith("370829:")), "no compound row for compound-less cases");
    }

    @Test
    void communityDistrictAndAll() {
        // K1 = Q1 + Q2 + C8 (no compound; closed 03-16 11:00, 23 h, 1 h before due, not revisited)
        expect(cases.get("community 370829:K1"),
                "received", 8, "closed", 5, "closure_rate", 5 / 8.0,
                "due", 6, "on_time", 3, "on_time_rate", 0.5,                   // C3 C6 C8 of C3 C4 C5 C12 C6 C8
                "overdue_open", 2, "answered", 3, "satisfied", 2, "satisfaction_rate", 2 / 3.0,
                "closed_in_m", 5, "revisited", 4, "revisit_rate", 0.8,
                "mediated", 2, "mediation_success", 1, "mediation_success_rate", 0.5,
                "median_handle_hours", 24.0,                                   // 23 24 [24] 48 72
                "community_code", "K1", "compound_id", null);
        // K2 = Q3 + C14 (Q9)
        expect(cases.get("community 370829:K2"), "received", 2, "closed", 1, "closure_rate", 0.5, "due", 2,
                "on_time", 2, "overdue_open", 1, "closed_in_m", 1, "median_handle_hours", 30.0);
        // D1 = K1 + K2; median of 23 24 24 30 48 72 = (24 + 30) / 2
        expect(cases.get("district 370829"), "received", 10, "closed", 6, "closure_rate", 0.6,
                "due", 8, "on_time", 5, "on_time_rate", 5 / 8.0, "overdue_open", 3,
                "answered", 3, "satisfied", 2, "closed_in_m", 6, "revisited", 4, "revisit_rate", 4 / 6.0,
                "mediated", 2, "mediation_success", 1, "median_handle_hours", 27.0, "received_no_due", 3);
        // D2: E1 (closed after 6 h, on time)
        expect(cases.get("district 370832"), "received", 1, "closed", 1, "due", 1, "on_time", 1,
                "closed_in_m", 1, "revisited", 0, "median_handle_hours", 6.0);
        // all: median of 6 23 24 24 30 48 72 = 24
        expect(cases.get("all all"), "received", 11, "closed", 7, "due", 9, "on_time", 6, "on_time_rate", 6 / 9.0,
                "overdue_open", 3, "answered", 3, "satisfied", 2, "closed_in_m", 7, "revisited", 4,
                "mediated", 2, "mediation_success", 1, "median_handle_hours", 24.0, "district_code", null);
        // every registered unit has a row: D1 Q1 Q2 Q3 Q5 (+Q9 from cases), K1 K2, D2 R1 R2, K9; 2 districts; all
        assertEquals(List.of("all all", "community 370829:K1", "community 370829:K2", "community 370832:K9",
                "compound 370829:Q1", "compound 370829:Q2", "compound 370829:Q3", "compound 370829:Q5",
                "compound 370829:Q9", "compound 370832:R1", "compound 370832:R2", "district 370829", "district 370832"),
                new ArrayList<>(cases.keySet()));
    }

    // ------------------------------------------------------------------ coverage

    @Test
    void coverageAtT() {
        // Q1: branch B1 active; W1; committee of 5 with M1, M2 (owners_committee) → 2/5; visits H1 (twice) and H2 of 100;
        // key group: H1 was visited once with key_group = true → 1/10; residents M1 M2 M3, relation M1 M3;
        // in service M2 (reported 03-31) and M3 (reported 04-01, after T); points: M1 10, M2 8 + 2 = 10, M3 0
        expect(coverage.get("compound 370829:Q1"), "compounds", 1, "with_branch", 1, "branch_coverage", 1.0,
                "with_property", 1, "with_committee", 1, "committee_seats", 5, "committee_party", 2,
                "committee_party_share", 0.4, "households", 100, "households_visited", 2, "visit_coverage", 0.02,
                "key_group_households", 10, "key_group_visited", 1, "key_group_coverage", 0.1,
                "resident_members", 3, "relation_in_compound", 2, "relation_rate", 2 / 3.0,
                "in_service", 2, "in_service_reported", 1, "report_rate", 0.5,
                "members_with_points", 2, "points_participation", 2 / 3.0,
                "companies", null, "companies_with_party_org", null, "property_party_coverage", null);
        // Q2 gained branch B2 on 03-15 → covered at T; M4 moved in on 03-10 (his February reward was reversed: 0 points);
        // no committee → share null even though M4 has the owners_committee role
        expect(coverage.get("compound 370829:Q2"), "with_branch", 1, "with_property", 0, "with_committee", 0,
                "committee_seats", 0, "committee_party", 0, "committee_party_share", null,
                "households_visited", 1, "visit_coverage", 0.02, "key_group_coverage", null,
                "resident_members", 1, "relation_rate", 1.0, "in_service", 0, "report_rate", null,
                "members_with_points", 0, "points_participation", 0.0);
        // Q3: branch B3 inactive → not covered; V6 was in February; V7 at 23:30 on 03-31 (key group);
        // M4 moved out, M5 transferred out → resident M6 only (committee member, 4 points)
        expect(coverage.get("compound 370829:Q3"), "with_branch", 0, "with_committee", 1, "committee_seats", 4,
                "committee_party", 1, "committee_party_share", 0.25, "households_visited", 1, "visit_coverage", 0.005,
                "key_group_visited", 1, "key_group_coverage", 0.05, "resident_members", 1, "relation_rate", 0.0,
                "members_with_points", 1);
        expect(coverage.get("compound 370829:Q5"), "with_branch", 0, "committee_party_share", 0.0,
                "visit_coverage", 0.0, "key_group_coverage", 0.0, "resident_members", 0, "relation_rate", null);
        assertNull(coverage.get("compound 370829:Q4"));
        assertNull(coverage.get("compound 370829:Q9"), "coverage rows are for units registered at T");
        // K1 = Q1 + Q2 (V4 names K2 but Q2 is registered in K1)
        expect(coverage.get("community 370829:K1"), "compounds", 2, "with_branch", 2, "with_property", 1,
                "property_coverage", 0.5, "committee_rate", 0.5, "households", 150, "households_visited", 3,
                "resident_members", 4, "relation_in_compound", 3, "members_with_points", 2, "companies", null);
        expect(coverage.get("community 370829:K2"), "compounds", 2, "with_branch", 0, "branch_coverage", 0.0,
                "with_property", 2, "committee_seats", 7, "committee_party", 1, "committee_party_share", 1 / 7.0,
                "households", 250, "households_visited", 1, "visit_coverage", 0.004);
        // D1: Q1 Q2 Q3 Q5; V5 (Q4, deleted) and V8 (Q9, never registered) count nowhere; M7 (no compound) and
        // M8 (Q4) are not residents; companies W1 (Q1, Q5) and W2 (Q3) → W1 has a party organisation
        expect(coverage.get("district 370829"), "compounds", 4, "with_branch", 2, "branch_coverage", 0.5,
                "with_property", 3, "property_coverage", 0.75, "with_committee", 3, "committee_seats", 12,
                "committee_party", 3, "committee_party_share", 0.25, "households", 400, "households_visited", 4,
                "visit_coverage", 0.01, "key_group_households", 35, "key_group_visited", 2,
                "key_group_coverage", 2 / 35.0, "resident_members", 5, "relation_in_compound", 3, "relation_rate", 0.6,
                "in_service", 2, "in_service_reported", 1, "members_with_points", 3, "points_participation", 0.6,
                "companies", 2, "companies_with_party_org", 1, "property_party_coverage", 0.5);
        // D2: R1 (W3) + R2 (W8 not registered: property yes, company no); R2 has 1 household and 2 visited
        expect(coverage.get("district 370832"), "compounds", 2, "with_property", 2, "households", 81,
                "households_visited", 2, "visit_coverage", 2 / 81.0, "key_group_coverage", null,
                "companies", 1, "companies_with_party_org", 1, "property_party_coverage", 1.0);
        expect(coverage.get("compound 370832:R2"), "visit_coverage", 2.0);
        expect(coverage.get("all all"), "compounds", 6, "with_branch", 2, "households", 481, "households_visited", 6,
                "companies", 3, "companies_with_party_org", 2, "property_party_coverage", 2 / 3.0);
    }

    // ------------------------------------------------------------------ points

    static List<String> scope(List<Row> rows, String scopeId) {
        return rows.stream().filter(r -> r.getAs("scope_id").equals(scopeId))
                .map(r -> r.getAs("rank") + ":" + r.getAs("holder_key") + ":" + ((BigDecimal) r.getAs("net_points")).toPlainString()
                        + ":" + r.getAs("holder_type"))
                .collect(Collectors.toList());
    }

    @Test
    void leaderboard() {
        // K1: M1 = 10 (P02 reversed by P03, P04 a redemption), R1 = 10, M2 = 8, M5 = 1 + 1 + 1 (latest entry P15:
        // red_neighbor_leader), M3 = −3 + 3 = 0 (not listed), M4: only the reversal P12 in March (counts nothing)
        assertEquals(List.of("1:M1:10.00:party_member", "1:R1:10.00:resident", "3:M2:8.00:party_member",
                "4:M5:3.00:red_neighbor_leader"), scope(board, "370829:K1"));
        assertEquals(List.of("1:M6:4.00:party_member", "2:M2:2.00:party_member"), scope(board, "370829:K2"));
        // district: M2 sums 8 (K1) + 2 (K2) = 10 → a three-way tie for 1
        assertEquals(List.of("1:M1:10.00:party_member", "1:M2:10.00:party_member", "1:R1:10.00:resident",
                "4:M6:4.00:party_member", "5:M5:3.00:red_neighbor_leader"), scope(board, "370829"));
        Row m1 = board.stream().filter(r -> r.getAs("holder_key").equals("M1")).findFirst().orElseThrow();
        assertEquals("样*一", m1.getAs("display_name"));
        assertTrue(board.stream().noneMatch(r -> r.getAs("district_code").equals(D2)), "D2 has no points");
    }

    @Test
    void leaderboardCutOffKeepsTies() {
        Rules two = Rules.parse(Rules.load(null).text().replace("size: 20", "size: 2"), "test-rules");
        assertEquals(2, two.leaderboardSize());
        List<Row> rows = goldWithoutWriting(MARCH, two, "points_leaderboard");
        // K1: ranks 1, 1 fill the board; M2 (rank 3) is cut
        assertEquals(List.of("1:M1:10.00:party_member", "1:R1:10.00:resident"), scope(rows, "370829:K1"));
        // district: three tied at rank 1 are all kept although the size is 2
        assertEquals(3, scope(rows, "370829").size());
    }

    @Test
    void reversalOfAnEarlierMonth() {
        // P11 (02-27, M4, 7 points) is reversed by P12 on 03-02. The catalogue's reading (points.reversals =
        // any_time, the default): the reversal cancels it whenever it arrives, so February has no board.
        // The explicit choice known_at_period_end keeps February as it was at its end.
        YearMonth feb = YearMonth.of(2026, 2);
        Rules dflt = Rules.load(null);
        assertEquals(List.of(), scope(goldWithoutWriting(feb, dflt, "points_leaderboard"), "370829:K1"));
        Rules atEnd = Rules.parse(dflt.text().replace("reversals: any_time", "reversals: known_at_period_end"), "test-rules");
        assertEquals(List.of("1:M4:7.00:party_member"), scope(goldWithoutWriting(feb, atEnd, "points_leaderboard"), "370829:K1"));
    }

    @Test
    void aMarchAwardReversedInAprilLeavesMarchsBoardWhenMarchIsRecomputed(@TempDir Path own) {
        // Its own warehouse: the March fixture, computed; then April's exports bring P16 (04-05), reversing P01
        // (M1's 10-point March award); March recomputed. M1 in K1: 10 → 0 (P02 reversed, P04 a redemption), off
        // the board; R1 (10) is alone at 1, M2 (8) and M5 (3) move up to 2 and 3. District: M2 (10) and R1 (10)
        // tie at 1, M6 (4) is 3rd, M5 (3) 4th.
        String w = own.resolve("wh").toString();
        SilverFixture f = MarchFixture.march();
        f.write(spark, w);
        Rules rules = Rules.load(null);
        ComputeJob.run(spark, new ComputeJob.Options(w, List.of(MARCH), rules, true, s -> { }));
        Warehouse ownWh = Warehouse.open(spark, w);
        assertEquals(List.of("1:M1:10.00:party_member", "1:R1:10.00:resident", "3:M2:8.00:party_member",
                "4:M5:3.00:red_neighbor_leader"), scope(board(ownWh), "370829:K1"));
        f.points("entry_id", "P16", "holder_id", "M1", "holder_name", "样*一", "community_code", "K1", "points", "-10.00",
                "occurred_at", "2026-04-05 10:00:00", "reversal_of", "P01", "_export_date", "2026-04-05");
        f.write(spark, w);   // April's exports: silver.points now holds the reversal
        ComputeJob.run(spark, new ComputeJob.Options(w, List.of(MARCH), rules, true, s -> { }));
        assertEquals(List.of("1:R1:10.00:resident", "2:M2:8.00:party_member", "3:M5:3.00:red_neighbor_leader"),
                scope(board(ownWh), "370829:K1"));
        assertEquals(List.of("1:M2:10.00:party_member", "1:R1:10.00:resident", "3:M6:4.00:party_member",
                "4:M5:3.00:red_neighbor_leader"), scope(board(ownWh), "370829"));
        // the explicit choice known_at_period_end keeps the award (the reversal occurred after T)
        Rules atEnd = Rules.parse(rules.text().replace("reversals: any_time", "reversals: known_at_period_end"), "test-rules");
        ComputeJob.run(spark, new ComputeJob.Options(w, List.of(MARCH), atEnd, true, s -> { }));
        assertEquals("1:M1:10.00:party_member", scope(board(ownWh), "370829:K1").get(0));
    }

    static List<Row> board(Warehouse w) {
        return w.read("gold.points_leaderboard").where("period = '2026-03'")
                .orderBy("scope_level", "scope_id", "rank", "holder_key").collectAsList();
    }

    static List<Row> goldWithoutWriting(YearMonth m, Rules rules, String table) {
        wh.registerAll();
        Map<String, Object> p = SharedViews.params(m, rules);
        ComputeJob.createViews(spark, p);
        return ComputeJob.gold(spark, table, p).orderBy("scope_level", "scope_id", "rank", "holder_key").collectAsList();
    }

    // ------------------------------------------------------------------ quality checks

    @Test
    void qualityChecksAndStatus() {
        List<Row> qc = wh.read("ops.quality_checks").where("period = '2026-03'").collectAsList();
        Map<String, List<String>> byCheck = new TreeMap<>();
        for (Row r : qc) {
            byCheck.computeIfAbsent((String) r.getAs("check"), k -> new ArrayList<>())
                    .add(r.getAs("district") + "|" + r.getAs("level") + "|" + r.getAs("subject") + "|" + fmt(r.getAs("value")));
        }
        for (List<String> l : byCheck.values()) l.sort(null);
        // D1 silent on 03-10..12 (3 nights ≥ quality.silent_nights = 3: error), points missing on 03-20
        assertEquals(List.of("370829|error|null|3"), byCheck.get("silent_district"));
        assertEquals(List.of("370829|warning|2026-03-10|7", "370829|warning|2026-03-11|7", "370829|warning|2026-03-12|7",
                "370829|warning|2026-03-20|1"), byCheck.get("exports_missing"));
        assertEquals(List.of("370832|warning|cases|4"), byCheck.get("quarantined_rows"));
        assertEquals(List.of("370832|warning|null|1"), byCheck.get("rejected_files"));
        assertEquals(List.of("370832|warning|370832:R2|2"), byCheck.get("coverage_above_one"));
        assertEquals(List.of("370829|warning|370829:Q9|1"), byCheck.get("no_due_at"));
        // C14 → Q9, C4 → W7, M8 → Q4, R2 → W8
        assertEquals(List.of("370829|warning|cases.compound_id|1", "370829|warning|cases.property_company_id|1",
                "370829|warning|members.compound_id|1", "370832|warning|compounds.property_company_id|1"),
                byCheck.get("dangling_reference"));
        assertEquals("failed_checks", result.status());
        assertEquals(1, result.errors());
        Row run = wh.read("ops.compute_runs").where("period = '2026-03'").head();
        assertEquals("failed_checks", run.getAs("status"));
        assertEquals(Rules.load(null).sha256(), run.getAs("rules_sha256"));
        assertTrue(((String) run.getAs("input_versions")).contains("\"bronze.cases\":"));

        // the CLI: an error-level finding exits 3 unless --allow-failed-checks, which marks the month
        String w = dir.resolve("wh").toString();
        long before = wh.read("gold.case_indicators").count();
        assertEquals(3, org.govind.cli.Main.execute("compute", "--period", "2026-03", "--warehouse", w));
        assertEquals(0, org.govind.cli.Main.execute("compute", "--period", "2026-03", "--warehouse", w, "--allow-failed-checks"));
        assertEquals("accepted_with_errors", wh.read("ops.compute_runs").where("period = '2026-03'").head().getAs("status"));
        assertEquals(before, wh.read("gold.case_indicators").count(), "recomputing replaces the month's rows");
        assertEquals(1, wh.read("ops.compute_runs").where("period = '2026-03'").count());
    }

    @Test
    void badRulesFileIsRefusedNamingTheKey() throws Exception {
        Path bad = dir.resolve("bad-rules.yaml");
        Files.writeString(bad, Rules.load(null).text().replace("size: 20", "size: -3"), StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = org.govind.cli.Main.execute("compute", "--period", "2026-03", "--warehouse", dir.resolve("wh").toString(), "--rules", bad.toString());
        } finally {
            System.setErr(old);
        }
        assertTrue(code != 0);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("leaderboard.size"), err.toString(StandardCharsets.UTF_8));
    }

    static String fmt(Object v) {
        double d = ((Number) v).doubleValue();
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    // ------------------------------------------------------------------ golden files

    @Test
    void goldenFiles() throws Exception {
        for (String t : ComputeJob.GOLD) {
            Golden.check("march/" + t + ".tsv", Golden.tsv(wh.read("gold." + t).where("period = '2026-03'")));
        }
        Golden.check("march/quality_checks.tsv", Golden.tsv(wh.read("ops.quality_checks").where("period = '2026-03'")));
    }
}
