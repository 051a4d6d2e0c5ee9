package org.govind.gold;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated exports across a month boundary, through real ingestion: the roll-up adds up, ratios
 * follow from their counts, re-running a month replaces it, and March recomputed after April's
 * exports arrived equals March computed at the end of March.
 */
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

    @Test
    void rollUpAddsUpAndAMonthStandsAsItWas() throws Exception {
        SparkSession spark = TestSpark.get();
        Path all = dir.resolve("landing"), early = dir.resolve("landing-march");
        Generator.run(new GenerateOptions(all, LocalDate.of(2026, 3, 28), 7, 2, Scale.SMALL, 42, 0.0), s -> { });
        copyNights(all, early, LocalDate.of(2026, 3, 31));   // what had arrived by the end of March
        String w = dir.resolve("wh").toString();
        IngestJob.run(spark, new IngestJob.Options(early.toString(), w, null, null, s -> { }));
        Rules rules = Rules.load(null);
        YearMonth march = YearMonth.of(2026, 3), april = YearMonth.of(2026, 4);
        ComputeJob.run(spark, new ComputeJob.Options(w, List.of(march), rules, true, s -> { }));
        Warehouse wh = Warehouse.open(spark, w);
        Map<String, List<String>> first = marchRows(spark, wh);
        assertTrue(first.get("gold.case_indicators").size() > 10, "generated March has units");
        // March is rated, listed and published as a draft from what had arrived by then
        RatingJob.rate(spark, w, march, rules);
        RatingJob.lists(spark, w, march, rules);
        java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.parse("2026-04-02T02:00:00Z"), java.time.ZoneOffset.UTC);
        PublishJob.draft(spark, w, march, rules, clock);
        ratingsHold(spark, wh, march, rules);

        // April's exports arrive (cases of March closed or revisited, snapshots changed, new points); compute both months
        IngestJob.run(spark, new IngestJob.Options(all.toString(), w, null, null, s -> { }));
        long v0 = wh.version("gold.case_indicators");
        ComputeJob.run(spark, new ComputeJob.Options(w, List.of(march, april), rules, true, s -> { }));
        assertEquals(v0 + 2, wh.version("gold.case_indicators"), "one commit per month");
        assertEquals(first, marchRows(spark, wh), "March recomputed after April's exports equals March as first computed");
        long aprilCases = wh.read("silver.cases").where("reported_at >= TIMESTAMP'2026-04-01 00:00:00'").count();
        assertTrue(aprilCases > 0, "the later exports carry April cases");
        assertTrue(wh.read("bronze.cases").where("updated_at >= TIMESTAMP'2026-04-01 00:00:00' AND reported_at < TIMESTAMP'2026-04-01 00:00:00'").count() > 0,
                "the later exports changed March cases (so the equality above is not trivial)");

        // the draft now rests on recomputed gold: a new draft is refused until March is rated again
        org.govind.util.Refusal stale = org.junit.jupiter.api.Assertions.assertThrows(org.govind.util.Refusal.class,
                () -> PublishJob.draft(spark, w, march, rules, clock));
        assertTrue(stale.getMessage().contains("rate"), stale.getMessage());
        // rating March again (new table versions) and April (adjusted against March) leaves the publication reproducible
        long published = org.govind.util.Json.versions(org.govind.util.Json.object(
                PublishJob.publication(wh, march, "draft").getAs("table_versions")), "published").get("gold.company_ratings");
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
            ComputeJob.createViews(spark, ComputeJob.params(m, rules));
            Map<String, Map<String, Long>> noCompound = compoundLess(spark.sql("SELECT * FROM cases_at_t WHERE compound_id IS NULL").collectAsList(), m);
            addsUp(cases, CASE_COUNTS, noCompound);
            addsUp(coverage, COVERAGE_SUMS, Map.of());
            ratios(cases, CASE_RATIOS);
            ratios(coverage, COVERAGE_RATIOS);
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
        Instant start = ComputeJob.params(m, Rules.load(null)).get("period_start") instanceof Instant i ? i : null;
        Instant end = (Instant) ComputeJob.params(m, Rules.load(null)).get("period_end");
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
