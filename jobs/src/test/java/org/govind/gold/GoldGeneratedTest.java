package org.govind.gold;

import org.govind.store.Publications;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.govind.generate.GenerateOptions;
import org.govind.generate.Generator;
import org.govind.generate.Scale;
import org.govind.ingest.IngestJob;
import org.govind.publish.PublishJob;
import org.govind.publish.Reproduce;
import org.govind.rating.RatingJob;
import org.govind.rules.Rules;
import org.govind.spark.Warehouse;
import org.govind.testing.Tables;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated exports across a month boundary, through real ingestion: the roll-up adds up, ratios
 * follow from their counts, re-running a month replaces it, and March recomputed after April's
 * exports arrived equals March computed at the end of March.
 */
@Tag("slow")  // left out by mvn -Pfast (pom.xml profile "fast")
class GoldGeneratedTest {
    static final List<String> CASE_COUNTS = List.of("received", "closed", "due", "on_time", "overdue_open", "answered",
            "satisfied", "closed_in_m", "revisited", "mediated", "mediation_success", "received_no_due");
    static final List<String> COVERAGE_SUMS = List.of("compounds", "with_branch", "with_property", "with_committee",
            "committee_seats", "committee_party", "households", "key_group_households", "resident_members",
            "relation_in_compound", "in_service", "in_service_reported", "members_with_points");
    static final String[][] CASE_RATIOS = {{"closure_rate", "closed", "received"}, {"on_time_rate", "on_time", "due"},
            {"satisfaction_rate", "satisfied", "answered"}, {"revisit_rate", "revisited", "closed_in_m"},
            {"mediation_success_rate", "mediation_success", "mediated"}};
    static final String[][] COVERAGE_RATIOS = {{"branch_coverage", "with_branch", "compounds"},
            {"property_coverage", "with_property", "compounds"}, {"committee_rate", "with_committee", "compounds"},
            {"committee_party_share", "committee_party", "committee_seats"}, {"visit_coverage", "households_visited", "households"},
            {"key_group_coverage", "key_group_visited", "key_group_households"}, {"relation_rate", "relation_in_compound", "resident_members"},
            {"report_rate", "in_service_reported", "in_service"}, {"points_participation", "members_with_points", "resident_members"}};

    @TempDir Path dir;

    /**
     * March's case books close on 04-03. March computed that night equals March recomputed after every
     * later export, except that cases first delivered after books close are added (judged from their
     * earliest version; none is lost). The comparison uses points.reversals = known_at_period_end: under
     * the default a reversal arriving later is a correction that changes the month by design (tested on
     * the hand-built fixture in GoldIndicatorsTest).
     */
    @Test
    void rollUpAddsUpAndAMonthStandsAsItsBooksClosed() throws Exception {
        SparkSession spark = TestSpark.get();
        Path all = dir.resolve("landing"), early = dir.resolve("landing-march");
        // seed 42: district 370832 misses the night of 03-31 (its closures of that night arrive on 04-01)
        Generator.run(new GenerateOptions(all, LocalDate.of(2026, 3, 20), 25, 2, Scale.SMALL, 42, 0.0), s -> { });
        Rules rules = Rules.parse(Rules.load(null).text().replace("reversals: any_time", "reversals: known_at_period_end"), "test-rules");
        YearMonth march = YearMonth.of(2026, 3), april = YearMonth.of(2026, 4);
        LocalDate booksClose = rules.booksClose(march);
        assertEquals(LocalDate.of(2026, 4, 3), booksClose);
        copyNights(all, early, booksClose);   // what had arrived when March's books closed
        assertTrue(!Files.exists(all.resolve("370832/2026-03-31")) && Files.exists(all.resolve("370832/2026-04-01")),
                "a district missed the last night of March");
        String w = dir.resolve("wh").toString();
        org.govind.pii.PiiProtector demoKey = new org.govind.pii.PiiProtector(org.govind.pii.PiiKey.demo());   // generated sample data
        IngestJob.run(spark, new IngestJob.Options(early.toString(), w, null, null, s -> { }), demoKey);
        ComputeJob.run(spark, new ComputeJob.Options(w, List.of(march), rules, true, s -> { }));
        Warehouse wh = Warehouse.open(spark, w);
        Map<String, List<String>> first = marchRows(spark, wh);
        Map<String, Row> firstCases = GoldIndicatorsTest.byUnit(wh.read("gold.case_indicators").where("period = '2026-03'").collectAsList());
        assertTrue(first.get("gold.case_indicators").size() > 10, "generated March has units");
        // March is rated, listed and published as a draft once its books closed
        RatingJob.rate(spark, w, march, rules);
        RatingJob.lists(spark, w, march, rules);
        java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.parse("2026-04-04T02:00:00Z"), java.time.ZoneOffset.UTC);
        PublishJob.draft(spark, w, march, rules, clock);
        ratingsHold(spark, wh, march, rules);

        // the later exports arrive (March cases closed, revisited, re-assigned or invalidated, cases first delivered
        // late, snapshots changed, new points); compute both months
        IngestJob.run(spark, new IngestJob.Options(all.toString(), w, null, null, s -> { }), demoKey);
        long v0 = wh.version("gold.case_indicators");
        ComputeJob.run(spark, new ComputeJob.Options(w, List.of(march, april), rules, true, s -> { }));
        assertEquals(v0 + 2, wh.version("gold.case_indicators"), "one commit per month");
        Map<String, List<String>> later = marchRows(spark, wh);
        assertEquals(first.get("gold.coverage_indicators"), later.get("gold.coverage_indicators"));
        assertEquals(first.get("gold.points_leaderboard"), later.get("gold.points_leaderboard"));
        assertTrue(wh.read("bronze.cases").where("_export_date > DATE'2026-04-03' AND reported_at < TIMESTAMP'2026-04-01 00:00:00'"
                + " AND updated_at > TIMESTAMP'2026-04-01 00:00:00'").count() > 0,
                "the later exports changed March cases (so the equality below is not trivial)");

        // received per district = distinct valid cases reported in March by the books, counted in Java from the landing files
        Books books = Books.of(org.govind.generate.LandingScan.scan(all).caseVersions, march, booksClose);
        Map<String, Row> laterCases = GoldIndicatorsTest.byUnit(wh.read("gold.case_indicators").where("period = '2026-03'").collectAsList());
        for (String d : List.of("370829", "370832")) {
            assertEquals(books.received.getOrDefault(d, 0L), ((Number) laterCases.get("district " + d).getAs("received")).longValue(), d + " received");
        }
        assertTrue(books.lateUnits.values().stream().mapToLong(Long::longValue).sum() > 0, "some March cases were first delivered after books close");
        // March recomputed after its books closed changed only by the cases first delivered after books close:
        // each unit's received grew by exactly their number, and a unit without one is unchanged in every column
        assertEquals(firstCases.keySet().stream().filter(u -> !books.lateUnits.containsKey(u)).toList(),
                laterCases.keySet().stream().filter(u -> !books.lateUnits.containsKey(u)).toList());
        for (Map.Entry<String, Row> e : laterCases.entrySet()) {
            long late = books.lateUnits.getOrDefault(e.getKey(), 0L);
            Row before = firstCases.get(e.getKey());
            long receivedBefore = before == null ? 0 : ((Number) before.getAs("received")).longValue();
            assertEquals(receivedBefore + late, ((Number) e.getValue().getAs("received")).longValue(), e.getKey() + " received");
            if (late == 0) assertEquals(before, e.getValue(), e.getKey() + " unchanged");
        }

        // the draft now rests on recomputed gold: a new draft is refused until March is rated again
        org.govind.util.Refusal stale = org.junit.jupiter.api.Assertions.assertThrows(org.govind.util.Refusal.class,
                () -> PublishJob.draft(spark, w, march, rules, clock));
        assertTrue(stale.getMessage().contains("rate"), stale.getMessage());
        // rating March again (new table versions) and April (adjusted against March) leaves the publication reproducible
        long published = org.govind.util.Json.versions(org.govind.util.Json.object(
                Publications.latest(wh, march, "draft").getAs("table_versions")), "published").get("gold.company_ratings");
        RatingJob.rate(spark, w, march, rules);
        RatingJob.rate(spark, w, april, rules);
        assertTrue(wh.version("gold.company_ratings") > published);
        Reproduce.Report report = Reproduce.run(spark, w, march);
        assertEquals(3, report.tables().size());
        for (Reproduce.TableCheck c : report.tables()) assertTrue(c.equal() && c.published() > 0, c.toString());
        ratingsHold(spark, wh, april, rules);

        for (YearMonth m : List.of(march, april)) {
            List<Row> cases = wh.read("gold.case_indicators").where("period = '" + m + "'").collectAsList();
            List<Row> coverage = wh.read("gold.coverage_indicators").where("period = '" + m + "'").collectAsList();
            // compound-less cases counted independently of the SQL, from the cases as they stood at T
            ComputeJob.createViews(spark, SharedViews.params(m, rules));
            Map<String, Map<String, Long>> noCompound = compoundLess(spark.sql("SELECT * FROM cases_at_t WHERE compound_id IS NULL").collectAsList(), m);
            addsUp(cases, CASE_COUNTS, noCompound);
            addsUp(coverage, COVERAGE_SUMS, Map.of());
            ratios(cases, CASE_RATIOS);
            ratios(coverage, COVERAGE_RATIOS);
        }
    }

    /**
     * The catalogue's "Cases at T (books close)" written again in Java over the landing files: per case, of the
     * versions delivered by books close the newest updated_at (ties: first delivered), else the earliest delivered;
     * invalid ones left out. {@code received} per district; {@code lateUnits}: per unit (as the gold tables name
     * them) the valid March cases whose every version was delivered after books close.
     */
    record Books(Map<String, Long> received, Map<String, Long> lateUnits) {
        static Books of(List<org.govind.generate.LandingScan.CaseVersion> versions, YearMonth m, LocalDate close) {
            java.time.LocalDateTime start = m.atDay(1).atStartOfDay(), end = m.plusMonths(1).atDay(1).atStartOfDay();
            Map<String, org.govind.generate.LandingScan.CaseVersion> judged = new HashMap<>();
            Map<String, Boolean> inBooks = new HashMap<>();
            for (org.govind.generate.LandingScan.CaseVersion v : versions) {   // in delivery order
                String k = v.district() + "/" + v.caseId();
                boolean booked = !v.night().isAfter(close);
                org.govind.generate.LandingScan.CaseVersion j = judged.get(k);
                if (j == null || booked && (!inBooks.get(k) || v.updated().isAfter(j.updated()))) {
                    judged.put(k, v);
                    inBooks.put(k, booked);
                }
            }
            Map<String, Long> received = new HashMap<>(), late = new HashMap<>();
            for (Map.Entry<String, org.govind.generate.LandingScan.CaseVersion> e : judged.entrySet()) {
                org.govind.generate.LandingScan.CaseVersion v = e.getValue();
                if (v.status().equals("invalid") || v.reported().isBefore(start) || !v.reported().isBefore(end)) continue;
                received.merge(v.district(), 1L, Long::sum);
                if (inBooks.get(e.getKey())) continue;
                List<String> units = new ArrayList<>(List.of("community " + v.district() + ":" + v.community(), "district " + v.district(), "all all"));
                if (!v.compound().isEmpty()) units.add("compound " + v.district() + ":" + v.compound());
                for (String u : units) late.merge(u, 1L, Long::sum);
            }
            return new Books(received, late);
        }
    }

    /** Properties of a rated month on generated data: every compound rated, score = Σ weight × component, stars and lists consistent. */
    static void ratingsHold(SparkSession spark, Warehouse wh, YearMonth m, Rules rules) {
        String p = "period = '" + m + "'";
        assertEquals(wh.read("gold.coverage_indicators").where(p + " AND level = 'compound'").count(),
                wh.read("gold.compound_stars").where(p).count(), "every compound registered at T is rated");
        for (Row r : wh.read("gold.compound_stars").where(p).collectAsList()) {
            double score = 0;
            for (String c : Rules.COMPOUND_WEIGHT_KEYS) score += rules.compoundWeights().get(c) * r.<Double>getAs("comp_" + c);
            assertEquals(score, r.<Double>getAs("score"), 1e-9, r.<String>getAs("unit_id"));
            int star = r.getAs("star"), raw = r.getAs("raw_star");
            Integer prev = r.getAs("prev_star");
            assertEquals(prev == null ? raw : Math.min(raw, prev + rules.maxClimb()), star, r.getAs("unit_id") + " adjustment");
        }
        Map<String, Row> companies = new HashMap<>();
        for (Row r : wh.read("gold.company_ratings").where(p).collectAsList()) {
            companies.put(r.getAs("company_id"), r);
            if (!r.<Boolean>getAs("rated")) { assertNull(r.getAs("score")); continue; }
            double score = 0;
            for (String c : Rules.COMPANY_WEIGHT_KEYS) score += rules.companyWeights().get(c) * r.<Double>getAs("comp_" + c);
            assertEquals(score, r.<Double>getAs("score"), 1e-9, r.<String>getAs("company_id"));
        }
        Map<String, Integer> positions = new HashMap<>();
        for (Row e : wh.read("gold.red_black_list").where(p).orderBy("district_code", "list", "position").collectAsList()) {
            assertTrue(!e.<String>getAs("reasons").isBlank(), "an entry without reasons is a defect");
            Row c = companies.get(e.<String>getAs("company_id"));
            boolean eligible = c.<Boolean>getAs("rated") && c.<Long>getAs("due") >= rules.minDue();
            assertEquals(!eligible, "not_rated".equals(e.getAs("list")), e.getAs("company_id") + " eligibility");
            if (e.getAs("position") != null) {
                assertEquals(positions.merge(e.<String>getAs("district_code") + e.<String>getAs("list"), 1, Integer::sum), e.<Integer>getAs("position"), "positions count from 1");
            }
        }
    }

    static Map<String, List<String>> marchRows(SparkSession spark, Warehouse wh) {
        Map<String, List<String>> m = new HashMap<>();
        for (String t : ComputeJob.GOLD) m.put("gold." + t, Tables.rows(spark, wh.path("gold." + t)).stream().filter(r -> r.startsWith("[2026-03,")).toList());
        return m;
    }

    /** Σ compounds (+ compound-less cases) = district, Σ communities = district, Σ districts = all, for each count. */
    static void addsUp(List<Row> rows, List<String> counts, Map<String, Map<String, Long>> extraPerDistrict) {
        Map<String, Row> district = new HashMap<>();
        Row all = null;
        for (Row r : rows) {
            if (r.getAs("level").equals("district")) district.put(r.getAs("district_code"), r);
            if (r.getAs("level").equals("all")) all = r;
        }
        assertTrue(all != null && !district.isEmpty());
        for (String c : counts) {
            Map<String, Long> byCompound = new HashMap<>(), byCommunity = new HashMap<>();
            long districts = 0;
            for (Row r : rows) {
                long v = ((Number) r.getAs(c)).longValue();
                String d = r.getAs("district_code");
                switch ((String) r.getAs("level")) {
                    case "compound" -> byCompound.merge(d, v, Long::sum);
                    case "community" -> byCommunity.merge(d, v, Long::sum);
                    case "district" -> districts += v;
                    default -> { }
                }
            }
            for (Map.Entry<String, Row> e : district.entrySet()) {
                long want = ((Number) e.getValue().getAs(c)).longValue();
                long extra = extraPerDistrict.getOrDefault(e.getKey(), Map.of()).getOrDefault(c, 0L);
                assertEquals(want, byCompound.getOrDefault(e.getKey(), 0L) + extra, e.getKey() + " " + c + ": compounds + compound-less");
                assertEquals(want, (long) byCommunity.getOrDefault(e.getKey(), 0L), e.getKey() + " " + c + ": communities");
            }
            assertEquals(((Number) all.getAs(c)).longValue(), districts, "all " + c);
        }
    }

    static void ratios(List<Row> rows, String[][] defs) {
        for (Row r : rows) {
            for (String[] d : defs) {
                long k = ((Number) r.getAs(d[1])).longValue(), n = ((Number) r.getAs(d[2])).longValue();
                Double got = r.getAs(d[0]);
                if (n == 0) assertNull(got, r.getAs("unit_id") + " " + d[0]);
                else assertEquals((double) k / n, got, 1e-12, r.getAs("unit_id") + " " + d[0]);
            }
        }
    }

    /** The catalogue's case counts, written again in Java, for the district's cases without a compound. */
    static Map<String, Map<String, Long>> compoundLess(List<Row> cases, YearMonth m) {
        Instant start = SharedViews.params(m, Rules.load(null)).get("period_start") instanceof Instant i ? i : null;
        Instant end = (Instant) SharedViews.params(m, Rules.load(null)).get("period_end");
        Map<String, Map<String, Long>> out = new HashMap<>();
        for (Row r : cases) {
            Instant rep = r.getAs("reported_at"), due = r.getAs("due_at"), closed = r.getAs("closed_at"), rev = r.getAs("revisited_at");
            String sat = r.getAs("satisfaction"), med = r.getAs("mediation_result");
            boolean received = in(rep, start, end), isDue = in(due, start, end), closedInM = in(closed, start, end);
            boolean answered = in(rev, start, end) && sat != null && !sat.equals("unreachable");
            boolean mediated = Boolean.TRUE.equals(r.getAs("is_dispute")) && closedInM && med != null;
            Map<String, Long> c = out.computeIfAbsent(r.getAs("district_code"), k -> new HashMap<>());
            add(c, "received", received);
            add(c, "closed", received && closed != null && closed.isBefore(end));
            add(c, "received_no_due", received && due == null);
            add(c, "due", isDue);
            add(c, "on_time", isDue && closed != null && !closed.isAfter(due));
            add(c, "overdue_open", due != null && due.isBefore(end) && (closed == null || !closed.isBefore(end)));
            add(c, "answered", answered);
            add(c, "satisfied", answered && (sat.equals("satisfied") || sat.equals("basically_satisfied")));
            add(c, "closed_in_m", closedInM);
            add(c, "revisited", closedInM && rev != null && rev.isBefore(end));
            add(c, "mediated", mediated);
            add(c, "mediation_success", mediated && med.equals("success"));
        }
        return out;
    }

    static boolean in(Instant t, Instant start, Instant end) { return t != null && !t.isBefore(start) && t.isBefore(end); }

    static void add(Map<String, Long> m, String k, boolean b) { if (b) m.merge(k, 1L, Long::sum); }

    static void copyNights(Path from, Path to, LocalDate last) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path rel = from.relativize(f);
                if (LocalDate.parse(rel.getName(1).toString()).isAfter(last)) continue;
                Files.createDirectories(to.resolve(rel).getParent());
                Files.copy(f, to.resolve(rel));
            }
        }
    }
}
