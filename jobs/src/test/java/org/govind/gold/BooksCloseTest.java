package org.govind.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.govind.rating.RatingJob;
import org.govind.rules.Rules;
import org.govind.spark.Warehouse;
import org.govind.testing.SilverFixture;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * March 2026's case books close on 2026-04-03 (cases.books_close_days = 3): the catalogue's
 * "Cases at T (books close)" on hand-built case versions, each delivered (export date) on a stated
 * night. Every case is in district D1 with property company W1 (registered, managing Q1 and Q2).
 * T = 2026-03-31 23:59:59. The comments give each case's reading and the count it adds; "old" is
 * what the former reading (the version with updated_at <= T) gave, to show what was lost.
 */
class BooksCloseTest {
    static final String D1 = SilverFixture.D1;
    static final YearMonth MARCH = YearMonth.of(2026, 3);

    @TempDir static Path dir;
    static SparkSession spark;
    static Map<String, Row> closed, early;
    static Row w1, w2;

    /** The fixture with only the versions delivered on or before {@code deliveredBy}. */
    static SilverFixture fixture(LocalDate deliveredBy) {
        SilverFixture f = new SilverFixture();
        f.company("company_id", "W1", "has_party_org", "true");
        f.company("company_id", "W2", "has_party_org", "true");
        f.compound("compound_id", "Q1", "community_code", "K1", "households", "100", "property_company_id", "W1", "branch_id", "");
        f.compound("compound_id", "Q2", "community_code", "K2", "households", "100", "property_company_id", "W1", "branch_id", "");
        f.compound("compound_id", "Q3", "community_code", "K2", "households", "100", "property_company_id", "W2", "branch_id", "");
        Cases c = new Cases(f, deliveredBy);
        // N1: an ordinary case, closed on time and delivered the same night (Q1: received, due, on time, closed in m)
        c.v("N1", "Q1", "K1", "2026-03-05 10:00:00", "2026-03-08 10:00:00", "2026-03-07 10:00:00", "closed", "2026-03-07 10:00:00", "2026-03-07");
        // L1: reported 23:50 on the last day, first delivered the next night (updated 00:10, dispatched, due 04-03):
        // received in March (Q1). Old: lost, its only version has updated_at > T.
        c.v("L1", "Q1", "K1", "2026-03-31 23:50:00", "2026-04-03 23:50:00", "", "dispatched", "2026-04-01 00:10:00", "2026-04-01");
        // L2: reported 03-21, due 03-24, first delivered on 04-11 when closed (04-10), after books close: judged from
        // that earliest version; closed after T → open at T (Q1: received, due, not on time, overdue open). Old: lost.
        c.v("L2", "Q1", "K1", "2026-03-21 10:00:00", "2026-03-24 10:00:00", "2026-04-10 09:00:00", "closed", "2026-04-10 09:00:00", "2026-04-11");
        // L3: delivered dispatched on 03-28; the district missed the night of 03-31, when L3 was closed (15:00, before
        // its due 18:00); the 04-01 export carries it closed and revisited on 04-01 (Q2: received, due, on time, closed
        // in m; revisited after T → not revisited, not answered). Old: open at T, overdue, not on time.
        c.v("L3", "Q2", "K2", "2026-03-28 09:00:00", "2026-03-31 18:00:00", "", "dispatched", "2026-03-28 09:30:00", "2026-03-28");
        c.v("L3", "Q2", "K2", "2026-03-28 09:00:00", "2026-03-31 18:00:00", "2026-03-31 15:00:00", "revisited", "2026-04-01 10:00:00", "2026-04-01",
                "revisited_at", "2026-04-01 10:00:00", "satisfaction", "satisfied");
        // L4: due 03-30, extended to 04-06 by a re-export on 04-02, inside the window: the extension counts
        // (Q1: received; not due in March, not overdue). Old: due in March and overdue open.
        c.v("L4", "Q1", "K1", "2026-03-25 10:00:00", "2026-03-30 10:00:00", "", "dispatched", "2026-03-25 10:30:00", "2026-03-25");
        c.v("L4", "Q1", "K1", "2026-03-25 10:00:00", "2026-04-06 10:00:00", "", "in_progress", "2026-04-02 09:00:00", "2026-04-02");
        // L5: due 03-30, extended to 04-08 by a re-export on 04-05, after books close: March keeps 03-30
        // (Q1: received, due, not on time, overdue open).
        c.v("L5", "Q1", "K1", "2026-03-25 11:00:00", "2026-03-30 11:00:00", "", "dispatched", "2026-03-25 11:30:00", "2026-03-25");
        c.v("L5", "Q1", "K1", "2026-03-25 11:00:00", "2026-04-08 11:00:00", "", "in_progress", "2026-04-05 09:00:00", "2026-04-05");
        // L6: closed on time in Q1 for W1; re-assigned to Q3 / W2 by a re-export on 04-06, after books close:
        // March keeps Q1 and W1 (Q1: received, due, on time, closed in m; nothing for Q3 or W2).
        c.v("L6", "Q1", "K1", "2026-03-10 10:00:00", "2026-03-13 10:00:00", "2026-03-11 10:00:00", "closed", "2026-03-11 10:00:00", "2026-03-11");
        c.v("L6", "Q3", "K2", "2026-03-10 10:00:00", "2026-03-13 10:00:00", "2026-03-11 10:00:00", "closed", "2026-04-06 10:00:00", "2026-04-06",
                "property_company_id", "W2");
        // L7: closed on time in Q2, marked invalid by a re-export on 04-08, after books close: still counts
        // (Q2: received, due, on time, closed in m).
        c.v("L7", "Q2", "K2", "2026-03-15 10:00:00", "2026-03-18 10:00:00", "2026-03-17 10:00:00", "closed", "2026-03-17 10:00:00", "2026-03-17");
        c.v("L7", "Q2", "K2", "2026-03-15 10:00:00", "2026-03-18 10:00:00", "2026-03-17 10:00:00", "invalid", "2026-04-08 10:00:00", "2026-04-08");
        // L8: reported 03-20, first delivered on 04-09 already invalid: excluded.
        c.v("L8", "Q1", "K1", "2026-03-20 10:00:00", "2026-03-23 10:00:00", "", "invalid", "2026-03-21 10:00:00", "2026-04-09");
        // L9: invalidated by a re-export on 04-02, inside the window: excluded (the judged version is invalid).
        c.v("L9", "Q2", "K2", "2026-03-16 10:00:00", "2026-03-19 10:00:00", "", "dispatched", "2026-03-16 10:30:00", "2026-03-16");
        c.v("L9", "Q2", "K2", "2026-03-16 10:00:00", "2026-03-19 10:00:00", "", "invalid", "2026-04-02 10:00:00", "2026-04-02");
        // A1: reported in April (00:05 on 04-01), delivered 04-01: April's, not March's.
        c.v("A1", "Q1", "K1", "2026-04-01 00:05:00", "2026-04-04 00:05:00", "", "dispatched", "2026-04-01 00:20:00", "2026-04-01");
        return f;
    }

    /** Case versions of one fixture, keeping those delivered on or before a night. */
    record Cases(SilverFixture f, LocalDate deliveredBy) {
        void v(String id, String compound, String community, String reported, String due, String closedAt, String status,
               String updated, String exportDate, String... more) {
            if (LocalDate.parse(exportDate).isAfter(deliveredBy)) return;
            String[] base = {"case_id", id, "compound_id", compound, "community_code", community, "property_company_id", "W1",
                    "reported_at", reported, "due_at", due, "closed_at", closedAt, "status", status, "updated_at", updated,
                    "_export_date", exportDate};
            String[] all = new String[base.length + more.length];
            System.arraycopy(base, 0, all, 0, base.length);
            System.arraycopy(more, 0, all, base.length, more.length);
            f.cases(all);
        }
    }

    @BeforeAll
    static void computeMarch() {
        spark = TestSpark.get();
        Rules rules = Rules.load(null);
        // as computed on the night the books close (versions delivered by 04-03) ...
        early = compute(fixture(LocalDate.of(2026, 4, 3)), "early", rules);
        // ... and recomputed after everything else arrived, rated too
        String w = dir.resolve("closed").toString();
        closed = compute(fixture(LocalDate.of(2026, 12, 31)), "closed", rules);
        RatingJob.rate(spark, w, MARCH, rules);
        Warehouse wh = Warehouse.open(spark, w);
        w1 = wh.read("gold.company_ratings").where("period = '2026-03' AND company_id = '" + D1 + ":W1'").head();
        w2 = wh.read("gold.company_ratings").where("period = '2026-03' AND company_id = '" + D1 + ":W2'").head();
    }

    static Map<String, Row> compute(SilverFixture f, String name, Rules rules) {
        String w = dir.resolve(name).toString();
        f.write(spark, w);
        ComputeJob.run(spark, new ComputeJob.Options(w, List.of(MARCH), rules, true, s -> { }));
        return GoldIndicatorsTest.byUnit(Warehouse.open(spark, w).read("gold.case_indicators").where("period = '2026-03'").collectAsList());
    }

    @Test
    void compoundsCommunitiesAndDistrictCountEveryCaseReportedByT() {
        // Q1: received N1 L1 L2 L4 L5 L6 = 6 (L8 invalid, A1 April's); closed by T: N1 L6 = 2;
        // due in March: N1 L2 L5 L6 = 4 (L4's due moved to 04-06, L1's is 04-03); on time N1 L6 = 2; overdue open L2 L5 = 2
        GoldIndicatorsTest.expect(closed.get("compound " + D1 + ":Q1"), "received", 6, "closed", 2, "due", 4, "on_time", 2,
                "on_time_rate", 0.5, "overdue_open", 2, "closed_in_m", 2, "median_handle_hours", 36.0);   // N1 48 h, L6 24 h
        // Q2: L3 (closed 03-31 15:00, due 18:00) and L7 (invalidated after books close); L9 invalid in the window
        GoldIndicatorsTest.expect(closed.get("compound " + D1 + ":Q2"), "received", 2, "closed", 2, "due", 2, "on_time", 2,
                "overdue_open", 0, "closed_in_m", 2, "revisited", 0, "revisit_rate", 0.0, "answered", 0);
        // Q3: L6 was re-assigned to it after books close: nothing in March
        GoldIndicatorsTest.expect(closed.get("compound " + D1 + ":Q3"), "received", 0, "due", 0, "closed_in_m", 0);
        GoldIndicatorsTest.expect(closed.get("community " + D1 + ":K1"), "received", 6, "closed", 2, "due", 4, "on_time", 2, "overdue_open", 2);
        GoldIndicatorsTest.expect(closed.get("community " + D1 + ":K2"), "received", 2, "closed", 2, "due", 2, "on_time", 2, "overdue_open", 0);
        // D1 = K1 + K2: received 8, closed 4, due 6, on time 4 (old reading: received 6, due 6, on time 2, overdue open 4)
        GoldIndicatorsTest.expect(closed.get("district " + D1), "received", 8, "closed", 4, "closure_rate", 0.5,
                "due", 6, "on_time", 4, "on_time_rate", 4 / 6.0, "overdue_open", 2, "closed_in_m", 4);
    }

    @Test
    void aCompanysOnTimeRateFollowsTheSameBooks() {
        // W1 holds every case but L6's post-close re-assignment: received 8, due 6, on time 4, overdue open 2;
        // 200 households (Q1 + Q2) → 8 × 1000 / 200 = 40 per 1,000
        GoldIndicatorsTest.expect(w1, "received", 8, "due", 6, "on_time", 4, "on_time_rate", 4 / 6.0,
                "overdue_open", 2, "complaints_per_1000", 40.0);
        // W2 gets nothing from the re-assignment after books close
        GoldIndicatorsTest.expect(w2, "received", 0, "due", 0, "on_time", 0, "overdue_open", 0);
        assertNull(w2.getAs("on_time_rate"));
    }

    @Test
    void laterDeliveriesOnlyAddCasesFirstDeliveredAfterBooksClose() {
        // computed when the books closed (04-03) vs recomputed after every later version: the later re-exports (L4 was
        // inside the window; L5, L6, L7 after it) change nothing; L2, first delivered on 04-11, is added to Q1 as
        // received, due and overdue open; L8 (first delivered invalid) adds nothing
        for (String unit : closed.keySet()) {
            Row a = early.get(unit), b = closed.get(unit);
            for (String col : GoldGeneratedTest.CASE_COUNTS) {
                long diff = ((Number) b.getAs(col)).longValue() - ((Number) a.getAs(col)).longValue();
                boolean l2 = List.of("compound " + D1 + ":Q1", "community " + D1 + ":K1", "district " + D1, "all all").contains(unit)
                        && List.of("received", "due", "overdue_open").contains(col);
                assertEquals(l2 ? 1 : 0, diff, unit + " " + col);
            }
        }
        assertEquals(early.keySet(), closed.keySet());
    }

    @Test
    void theNightlyComputeRecomputesTheMonthsTheNightTouches() {
        // the night of 04-02 is inside March's books: `compute --night` writes March and April
        String w = dir.resolve("early").toString();
        Warehouse wh = Warehouse.open(spark, w);
        long before = wh.version("ops.compute_runs");
        assertEquals(0, org.govind.cli.Main.execute("compute", "--night", "2026-04-02", "--warehouse", w, "--allow-failed-checks"));
        assertEquals(List.of("2026-03", "2026-04"), wh.read("ops.compute_runs").orderBy("period").collectAsList().stream()
                .map(r -> r.<String>getAs("period")).toList());
        assertEquals(before + 2, wh.version("ops.compute_runs"), "one run row written per month");
        // April's own rows: A1 (reported 04-01 00:05) is April's
        assertEquals(1L, wh.read("gold.case_indicators").where("period = '2026-04' AND level = 'district'").head().<Long>getAs("received"));
    }

    @Test
    void aNightTouchesThePreviousMonthUntilItsBooksClose() {
        Rules rules = Rules.load(null);
        assertEquals(List.of(YearMonth.of(2026, 3), YearMonth.of(2026, 4)), ComputeJob.monthsTouchedBy(LocalDate.of(2026, 4, 1), rules));
        assertEquals(List.of(YearMonth.of(2026, 3), YearMonth.of(2026, 4)), ComputeJob.monthsTouchedBy(LocalDate.of(2026, 4, 3), rules));
        assertEquals(List.of(YearMonth.of(2026, 4)), ComputeJob.monthsTouchedBy(LocalDate.of(2026, 4, 4), rules));
        assertEquals(List.of(YearMonth.of(2026, 3)), ComputeJob.monthsTouchedBy(LocalDate.of(2026, 3, 31), rules));
        // February's books close on 03-03 (28 days + 3)
        assertEquals(List.of(YearMonth.of(2026, 2), YearMonth.of(2026, 3)), ComputeJob.monthsTouchedBy(LocalDate.of(2026, 3, 3), rules));
        Rules none = Rules.parse(rules.text().replace("books_close_days: 3", "books_close_days: 0"), "test-rules");
        assertEquals(List.of(YearMonth.of(2026, 4)), ComputeJob.monthsTouchedBy(LocalDate.of(2026, 4, 1), none));
        Rules long40 = Rules.parse(rules.text().replace("books_close_days: 3", "books_close_days: 40"), "test-rules");
        assertEquals(List.of(YearMonth.of(2026, 2), YearMonth.of(2026, 3), YearMonth.of(2026, 4)),
                ComputeJob.monthsTouchedBy(LocalDate.of(2026, 4, 1), long40));
    }
}
