package org.govind.rating;

import org.govind.store.Publications;
import org.govind.core.ExitCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.govind.cli.Main;
import org.govind.publish.PublishJob;
import org.govind.publish.Reproduce;
import org.govind.rules.Rules;
import org.govind.schema.Schemas;
import org.govind.spark.Warehouse;
import org.govind.testing.SilverFixture;
import org.govind.testing.TestSpark;
import org.govind.util.Refusal;
import org.govind.schema.ListRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Star ratings, red/black lists and the publication workflow on {@link RatingFixture}, every
 * expected number worked out by hand in the comments (M = 10; weights 20/20/25/25/10 and
 * 35/35/20/10; thresholds 90/80/70/60; red.size = 2 in this test's rules, every other value the
 * catalogue default). The workflow tests run in order on the same warehouse.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("slow")  // left out by mvn -Pfast (pom.xml profile "fast")
class RatingsTest {
    static final String D1 = RatingFixture.D1, D2 = RatingFixture.D2;
    static final YearMonth FEB = YearMonth.of(2026, 2), MARCH = YearMonth.of(2026, 3);
    static final double EPS = 1e-12;

    @TempDir static Path dir;
    static SparkSession spark;
    static String wh;
    static Warehouse warehouse;
    static Rules rules;
    static RatingJob.RunResult febRun, marchRun;
    static Map<String, Row> stars, companies, list;

    @BeforeAll
    static void rateFebruaryAndMarch() throws Exception {
        spark = TestSpark.get();
        wh = dir.resolve("wh").toString();
        warehouse = RatingFixture.write(spark, wh);
        String text = Files.readString(Path.of("../conf/rules.yaml")); // surefire runs in jobs/
        assertTrue(text.contains("    size: 10\n"));
        Files.writeString(dir.resolve("rules.yaml"), text.replace("    size: 10\n", "    size: 2\n"));
        rules = Rules.load(dir.resolve("rules.yaml").toString());
        febRun = RatingJob.rate(spark, wh, FEB, rules);
        marchRun = RatingJob.rate(spark, wh, MARCH, rules);
        RatingJob.lists(spark, wh, MARCH, rules);
        stars = by(warehouse.read("gold.compound_stars").where("period = '2026-03'").collectAsList(), "unit_id");
        companies = by(warehouse.read("gold.company_ratings").where("period = '2026-03'").collectAsList(), "company_id");
        list = by(warehouse.read("gold.red_black_list").where("period = '2026-03'").collectAsList(), "company_id");
    }

    static Map<String, Row> by(List<Row> rows, String key) {
        Map<String, Row> m = new TreeMap<>();
        for (Row r : rows) assertNull(m.put(r.getAs(key), r), "two rows for " + r.getAs(key));
        return m;
    }

    static void expect(Row r, Object... kv) {
        assertNotNull(r, "row missing");
        for (int i = 0; i < kv.length; i += 2) {
            String col = (String) kv[i];
            Object want = kv[i + 1], got = r.getAs(col);
            if (want == null) assertNull(got, col);
            else if (want instanceof Double d) assertEquals(d, ((Number) got).doubleValue(), EPS, col);
            else if (want instanceof Integer n && got instanceof Long) assertEquals(n.longValue(), (long) (Long) got, col);
            else assertEquals(want, got, col);
        }
    }

    @Test
    @Order(1)
    void compoundStarsWorkedByHand() {
        // C1 (D1, p0 on time 30/40 = 0.75, satisfaction 16/20 = 0.8): 0 of 2 due on time, 0 of 1 answered satisfied.
        // Small n is pulled toward the district: on time (0 + 10·0.75)/(2 + 10) = 0.625 (raw 0);
        // satisfaction (0 + 10·0.8)/(1 + 10) = 8/11. Visits min(1, 0.1/0.25) = 0.4. Committee share 0.6 ≥ 0.5 → 1.
        // score = 20·1 + 20·0.4 + 25·0.625 + 25·8/11 + 10·1 = 71.80681818… → ★3
        expect(stars.get(D1 + ":C1"), "on_time_rate", 0.0, "on_time_p0", 0.75, "on_time_shrunk", 0.625,
                "satisfaction_p0", 0.8, "satisfaction_shrunk", 8.0 / 11, "comp_visits", 0.4, "comp_committee", 1.0,
                "comp_branch", 1.0, "score", 20 + 8 + 15.625 + 25 * 8.0 / 11 + 10, "raw_star", 3);
        // C2: no cases → the shrunk rates are p0 itself; no branch; visits null → 0; committee with unknown share → 0.5
        // score = 0 + 0 + 25·0.75 + 25·0.8 + 10·0.5 = 43.75 → ★1
        expect(stars.get(D1 + ":C2"), "due", 0, "on_time_rate", null, "on_time_shrunk", 0.75, "satisfaction_shrunk", 0.8,
                "comp_visits", 0.0, "comp_committee", 0.5, "score", 43.75, "raw_star", 1, "star", 1, "adjustment", "first");
        // D2 compounds without cases: both shrunk rates = p0 = 0.8 → 25·0.8 = 20 each.
        // S90: 20 + 20 (0.25/0.25) + 20 + 20 + 10 (share 0.5, exactly the threshold) = 90 exactly → ★5
        expect(stars.get(D2 + ":S90"), "score", 90.0, "raw_star", 5, "star", 5, "comp_committee", 1.0);
        expect(stars.get(D2 + ":S80"), "score", 80.0, "raw_star", 4, "comp_visits", 1.0);   // visits capped at 1
        expect(stars.get(D2 + ":S70"), "score", 70.0, "raw_star", 3);
        expect(stars.get(D2 + ":S60"), "score", 60.0, "raw_star", 2);
        expect(stars.get(D2 + ":S59"), "score", 20 * 0.24 / 0.25 + 40, "raw_star", 1);        // 59.2 → ★1
        // P1: ★2 in February, raw ★4 in March → climbs one star only
        expect(stars.get(D2 + ":P1"), "score", 80.0, "raw_star", 4, "prev_star", 2, "star", 3, "adjustment", "capped");
        // P2: ★5 in February, 40 points in March → drops to ★1 at once
        expect(stars.get(D2 + ":P2"), "score", 40.0, "raw_star", 1, "prev_star", 5, "star", 1, "adjustment", "none");
        assertEquals(9, stars.size());
        // February had no previous month: star = raw_star, and the run says so
        assertTrue(febRun.notes().stream().anyMatch(n -> n.contains("2026-01")), febRun.notes().toString());
        assertTrue(marchRun.notes().stream().noneMatch(n -> n.contains("2026-02") && n.contains("未评级")), marchRun.notes().toString());
    }

    @Test
    @Order(2)
    void companyRatingsWorkedByHand() {
        // p0 pools the D1 companies: on time 97/104 (6+10+10+7+4+20+20+20 of 10+10+10+10+4+20+20+20),
        // satisfaction 55/64 (10+5+10+0+10+10+10 of 10+10+10+4+10+10+10).
        double p0 = 97.0 / 104, p0s = 55.0 / 64;
        // WB1: on time (6 + 10·p0)/20, satisfied (10 + 10·p0s)/20, complaints 1 − (10·1000/1000)/20 = 0.5, party 1
        double ot = (6 + 10 * p0) / 20, sat = (10 + 10 * p0s) / 20;
        expect(companies.get(D1 + ":WB1"), "on_time_p0", p0, "satisfaction_p0", p0s, "on_time_shrunk", ot,
                "satisfaction_shrunk", sat, "complaints_per_1000", 10.0, "comp_complaints", 0.5, "comp_party_org", 1.0,
                "score", 35 * ot + 35 * sat + 20 * 0.5 + 10, "raw_star", 3, "on_time_rate", 0.6, "rated", true);  // 79.36
        // WB4: ★1 — (7 + 10·p0)/20 and (0 + 10·p0s)/14, complaints 10·1000/100 = 100 per 1,000 → 0, no party org
        expect(companies.get(D1 + ":WB4"), "score", 35 * (7 + 10 * p0) / 20 + 35 * (10 * p0s) / 14, "star", 1, "comp_complaints", 0.0);
        // red candidates: (20 + 10·p0)/30 and (10 + 10·p0s)/20; complaints 2, 1 and 4 per 1,000 → 0.9, 0.95, 0.8
        double red = 35 * (20 + 10 * p0) / 30 + 35 * (10 + 10 * p0s) / 20 + 10;
        expect(companies.get(D1 + ":WR1"), "score", red + 20 * 0.9, "star", 5);
        expect(companies.get(D1 + ":WR2"), "score", red + 20 * 0.95, "star", 5);
        expect(companies.get(D1 + ":WR3"), "score", red + 20 * 0.8, "star", 5);
        expect(companies.get(D1 + ":WB3"), "overdue_open", 10L, "received", 10L, "star", 5);  // February cases are not received in March
        // WN1 manages no compound: not rated, no score or star
        expect(companies.get(D1 + ":WN1"), "rated", false, "score", null, "star", null, "compounds_managed", 0L, "comp_complaints", null);
        assertEquals(9, companies.size());
    }

    @Test
    @Order(3)
    void listsWorkedByHand() {
        // black by score ascending: WB4 50.06, WB2 77.61, WB1 79.36, WB3 95.36 — each by one rule alone
        expect(list.get(D1 + ":WB4"), "list", "black", "position", 1, "rules_fired", "B4", "reasons", "B4 调整后星级 1 星 ≤ 1 星");
        expect(list.get(D1 + ":WB2"), "list", "black", "position", 2, "rules_fired", "B2",
                "reasons", "B2 满意率 50.0% < 60%（有效回访 10 件 ≥ 5 件）");
        expect(list.get(D1 + ":WB1"), "list", "black", "position", 3, "rules_fired", "B1", "reasons", "B1 按期办结率 60.0% < 70%");
        // WB3 meets every red condition (★5, 100%, 100%) but B3 fires: black only, never both
        expect(list.get(D1 + ":WB3"), "list", "black", "position", 4, "rules_fired", "B3", "reasons", "B3 超期未结 10 件 ≥ 10 件");
        // red by score descending, at most red.size = 2: WR2, WR1; WR3 (also red by the rules) is cut
        expect(list.get(D1 + ":WR2"), "list", "red", "position", 1, "rules_fired", "R",
                "reasons", "红榜 星级 5 星 ≥ 4 星；按期办结率 100.0% ≥ 95%；满意率 100.0% ≥ 90%（有效回访 10 件 ≥ 5 件）；未触发黑榜规则 B1–B4");
        expect(list.get(D1 + ":WR1"), "list", "red", "position", 2);
        assertFalse(list.containsKey(D1 + ":WR3"));
        // not rated: 4 cases due (< 5), and a company managing no compound
        expect(list.get(D1 + ":WN2"), "list", "not_rated", "position", null, "rules_fired", "N2",
                "reasons", "N2 当月到期诉求 4 件 < 5 件，不参评");
        expect(list.get(D1 + ":WN1"), "list", "not_rated", "position", null, "rules_fired", "N1");
        assertEquals(8, list.size());
        for (Row r : list.values()) assertFalse(r.<String>getAs("reasons").isBlank());
        // the structured reasons the text is rendered from: code, value, threshold (a rate as a ratio)
        assertEquals(List.of(new ListRules.Reason("B2", 0.5, 0.6), new ListRules.Reason("B2.answered", 10.0, 5.0)),
                ListReasons.of(list.get(D1 + ":WB2").getAs("reason_details")));
        assertEquals(List.of(new ListRules.Reason("N2", 4.0, 5.0)), ListReasons.of(list.get(D1 + ":WN2").getAs("reason_details")));
        assertEquals(List.of("R.star", "R.on_time_rate", "R.satisfaction_rate", "R.answered", "R.no_black"),
                ListReasons.of(list.get(D1 + ":WR2").getAs("reason_details")).stream().map(ListRules.Reason::code).toList());
        for (Row r : list.values()) {
            assertEquals(r.<String>getAs("reasons"), ListRules.get().render(ListReasons.of(r.getAs("reason_details")), "zh"),
                    "the stored text is the definition's rendering of the stored codes");
            assertEquals(r.<String>getAs("rules_fired"), String.join(",", ListReasons.of(r.getAs("reason_details")).stream()
                    .map(x -> ListRules.get().condition(x.code()).rule()).distinct().toList()), "rules_fired names the rules of the codes");
        }
    }

    @Test
    @Order(4)
    void explainPrintsTheArithmetic() {
        String company = String.join("\n", Explain.company(spark, wh, MARCH, D1 + ":WB1", rules));
        assertTrue(company.contains("(6 + 10×0.9327)/(10 + 10) = 0.7663"), company);
        assertTrue(company.contains("B1 按期办结率 60.0% < 70% → 触发"), company);
        // the rule lines are rendered from the list rules' definition, whose B3 text counts in 件 (was "B3 超期未结 0 ≥ 10")
        assertTrue(company.contains("B3 超期未结 0 件 ≥ 10 件 → 未触发"), company);
        assertTrue(company.contains("B2 满意率 "), company);
        assertTrue(company.contains("红榜 星级 "), company);
        assertFalse(company.contains("未触发黑榜规则 B1–B4 → "), "WB1 fired B1: the red rule's 'no black rule fired' is not claimed");
        assertTrue(company.contains("结果：黑榜 第 3 位"), company);
        String compound = String.join("\n", Explain.compound(spark, wh, MARCH, D2 + ":P1", rules));
        assertTrue(compound.contains("min(4, 3) = 3（升星受限）"), compound);
        assertTrue(compound.contains("得分 = 80.0000"), compound);
        Refusal none = assertThrows(Refusal.class, () -> Explain.company(spark, wh, MARCH, "WB1", rules));
        assertTrue(none.getMessage().contains("<区县代码>:<企业编号>"), none.getMessage());
    }

    // ---------------------------------------------------------------- publication workflow

    static Clock at(String instant) { return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC); }

    @Test
    @Order(10)
    void workflowFromDraftToFinal() {
        // February failed its quality checks: no publication
        Refusal failed = assertThrows(Refusal.class, () -> PublishJob.draft(spark, wh, FEB, rules, at("2026-03-05T02:00:00Z")));
        assertEquals(ExitCode.FAILED_CHECKS.code(), failed.exitCode());
        // draft on Friday 2026-04-03 (Shanghai): publicity Mon 04-06 … Fri 04-10
        PublishJob.Outcome draft = PublishJob.draft(spark, wh, MARCH, rules, at("2026-04-03T02:00:00Z"), ISSUER, "zh");
        assertEquals("2026-03-draft-1", draft.publicationId());
        assertEquals(LocalDate.of(2026, 4, 10), draft.publicityEnd());
        assertEquals(Map.of("black", 4L, "red", 2L, "not_rated", 2L), draft.entries());
        Row pub = Publications.latest(warehouse, MARCH, "draft");
        assertEquals(rules.sha256(), pub.getAs("rules_sha256"));
        assertEquals(rules.text(), pub.getAs("rules_text"));
        assertTrue(pub.<String>getAs("table_versions").contains("\"bronze.cases\""), pub.<String>getAs("table_versions"));
        // issuer, language and the versions of everything else the bulletin reads are recorded with the draft
        assertEquals(ISSUER, pub.getAs("issuer"));
        assertEquals("zh", pub.getAs("lang"));
        Map<String, Long> shown = org.govind.util.Json.versions(org.govind.util.Json.object(pub.getAs("table_versions")), "bulletin");
        assertEquals(warehouse.version("gold.points_leaderboard"), shown.get("gold.points_leaderboard"));
        assertEquals(new java.util.TreeSet<>(org.govind.publish.BulletinReader.TABLES), shown.keySet());

        Clock during = at("2026-04-07T02:00:00Z");
        Refusal unknown = assertThrows(Refusal.class, () -> PublishJob.addObjection(spark, wh, MARCH, D1 + ":WR3", "不服", during));
        assertTrue(unknown.getMessage().contains("不在"), unknown.getMessage());
        String o1 = PublishJob.addObjection(spark, wh, MARCH, D1 + ":WB1", "按期办结数据有误：6 件延期经批准", during);
        // through the CLI (system clock: the draft is open): the id is the last line printed
        Cli add = cli("objection", "add", "--period", "2026-03", "--company", D1 + ":WR2", "--reason", "群众反映服务差", "--warehouse", wh,
                "--by", "王*审", "--channel", "phone");
        assertEquals(0, add.exit, add.out);
        String[] printed = add.out.strip().split("\n");
        String o2 = printed[printed.length - 1];
        assertEquals("YI-2026-03-001", o1);
        assertEquals("YI-2026-03-002", o2);

        // an undecided objection blocks the final publication, even with --force
        Clock after = at("2026-04-11T02:00:00Z");
        Refusal pending = assertThrows(Refusal.class, () -> PublishJob.finalise(spark, wh, MARCH, after, true));
        assertEquals(ExitCode.PENDING_OBJECTION.code(), pending.exitCode());
        assertTrue(pending.getMessage().contains(o1) && pending.getMessage().contains(o2), pending.getMessage());

        assertEquals("upheld", PublishJob.decideObjection(spark, wh, o1, true, "经核实延期已批准", during).getAs("status"));
        assertEquals("rejected", PublishJob.decideObjection(spark, wh, o2, false, "回访记录属实", during).getAs("status"));
        Refusal twice = assertThrows(Refusal.class, () -> PublishJob.decideObjection(spark, wh, o1, false, "改判", during));
        assertTrue(twice.getMessage().contains("不可更改"), twice.getMessage());

        // the publicity period runs until Friday 04-10 inclusive
        Refusal early = assertThrows(Refusal.class, () -> PublishJob.finalise(spark, wh, MARCH, at("2026-04-10T08:00:00Z"), false));
        assertEquals(ExitCode.PUBLICITY_RUNNING.code(), early.exitCode());
        assertTrue(early.getMessage().contains("2026-04-10"), early.getMessage());

        PublishJob.Outcome fin = PublishJob.finalise(spark, wh, MARCH, after, false);
        assertEquals("2026-03-final", fin.publicationId());
        assertTrue(fin.lines().stream().anyMatch(l -> l.contains(D1 + ":WB1") && l.contains(o1)), fin.lines().toString());
        Map<String, Row> frozen = by(warehouse.read("gold.red_black_list_final").where("period = '2026-03'").collectAsList(), "company_id");
        assertFalse(frozen.containsKey(D1 + ":WB1"), "upheld objection removes the entry");
        expect(frozen.get(D1 + ":WB4"), "position", 1);
        expect(frozen.get(D1 + ":WB2"), "position", 2);
        expect(frozen.get(D1 + ":WB3"), "position", 3, "publication_id", "2026-03-final");   // renumbered
        expect(frozen.get(D1 + ":WR2"), "position", 1);                                        // rejected objection: stays
        assertEquals(7, frozen.size());
        Row finalRow = Publications.latest(warehouse, MARCH, "final");
        assertEquals(false, finalRow.getAs("forced"));
        assertEquals(ISSUER, finalRow.getAs("issuer"), "the final keeps the draft's issuer");
        assertTrue(finalRow.<String>getAs("removed").contains(o1), finalRow.<String>getAs("removed"));
        // the objections stay on record with their decisions
        Map<String, Row> objections = by(Publications.objections(warehouse).collectAsList(), "objection_id");
        expect(objections.get(o1), "status", "upheld", "decision_note", "经核实延期已批准", "list", "black", "draft_id", "2026-03-draft-1",
                "filed_by", org.govind.util.Actor.osUser(), "channel", "other", "decided_by", org.govind.util.Actor.osUser());
        assertNotNull(objections.get(o1).getAs("decided_at"));
        // who did it: --by and --channel from the command line, in the row and in the Delta commit's user metadata
        expect(objections.get(o2), "filed_by", "王*审", "channel", "phone", "status", "rejected");
        assertTrue(warehouse.delta("ops.objections").history().collectAsList().stream()
                .anyMatch(h -> "govind objection add by 王*审".equals(h.getAs("userMetadata"))), "DESCRIBE HISTORY names the command and person");
        expect(finalRow, "published_by", org.govind.util.Actor.osUser());
        // the ops tables are append-only: the objections were never updated, decisions are rows of their own
        assertEquals(2, warehouse.read("ops.objections").where("period = '2026-03'").count());
        assertEquals(2, warehouse.read("ops.objection_decisions").where("period = '2026-03'").count());
        // a final month takes no decision any more
        assertEquals(ExitCode.ALREADY_FINAL.code(), assertThrows(Refusal.class,
                () -> PublishJob.decideObjection(spark, wh, o2, true, "改判", after)).exitCode());

        // final is immutable: again is a no-op (exit 0), and nothing recomputes the month
        long before = warehouse.version("gold.red_black_list_final");
        PublishJob.Outcome again = PublishJob.finalise(spark, wh, MARCH, at("2026-05-01T02:00:00Z"), true);
        assertFalse(again.changed());
        assertTrue(again.lines().get(0).contains("不可变更"), again.lines().toString());
        assertEquals(before, warehouse.version("gold.red_black_list_final"));
        assertEquals(2, warehouse.read("ops.publications").count());
        assertEquals(ExitCode.ALREADY_FINAL.code(), assertThrows(Refusal.class, () -> RatingJob.rate(spark, wh, MARCH, rules)).exitCode());
        assertEquals(ExitCode.ALREADY_FINAL.code(), assertThrows(Refusal.class,
                () -> PublishJob.addObjection(spark, wh, MARCH, D1 + ":WB2", "迟到的异议", after)).exitCode());
    }

    @Test
    @Order(11)
    void reproduceEqualsPublishedAfterNewExportsAndRecomputedGold() throws Exception {
        Map<String, Long> pinned = org.govind.util.Json.versions(org.govind.util.Json.object(
                Publications.latest(warehouse, MARCH, "final").getAs("table_versions")), "rate");
        // new exports arrive: a late March case of WR1, closed late; and March's gold indicators are recomputed
        SilverFixture late = new SilverFixture().cases("case_id", "WR1-late", "compound_id", "QWR1", "property_company_id", "WR1",
                "reported_at", "2026-03-02 09:00:00", "due_at", "2026-03-09 09:00:00", "closed_at", "2026-03-30 09:00:00",
                "status", "closed", "updated_at", "2026-03-30 10:00:00");
        Path other = dir.resolve("late");
        late.write(spark, other.toString());
        spark.read().format("delta").load(Warehouse.open(spark, other.toString()).path("bronze.cases"))
                .write().format("delta").mode("append").save(warehouse.path("bronze.cases"));
        spark.sql("UPDATE delta.`" + warehouse.path("gold.case_indicators") + "` SET on_time = 2 WHERE period = '2026-03' AND unit_id = '" + D1 + ":C1'");
        assertTrue(warehouse.version("bronze.cases") > pinned.get("bronze.cases"));

        // recomputed from the current tables, March would now differ …
        RatingJob.Rated now = RatingJob.ratings(spark, warehouse, MARCH, rules,
                Publications.currentVersions(warehouse, RatingJob.RATE_INPUTS));
        Reproduce.TableCheck drift = Reproduce.compare("gold.company_ratings",
                Publications.at(spark, warehouse, "gold.company_ratings", warehouse.version("gold.company_ratings"), MARCH), now.companies());
        assertFalse(drift.equal(), "the new exports must change a recomputation from current tables");
        // … but reproduce reads the recorded versions and the recorded rules, and equals the publication
        Reproduce.Report report = Reproduce.run(spark, wh, MARCH);
        assertEquals("2026-03-final", report.publicationId());
        assertEquals(4, report.tables().size());
        for (Reproduce.TableCheck c : report.tables()) assertTrue(c.equal(), c.toString());
        assertTrue(report.tables().stream().allMatch(c -> c.published() > 0));
        // the tables keep their history long enough to be reproduced years later
        Row detail = spark.sql("DESCRIBE DETAIL delta.`" + warehouse.path("gold.red_black_list") + "`").head();
        assertEquals(Warehouse.RETENTION, detail.<scala.collection.Map<String, String>>getAs("properties").get("delta.logRetentionDuration").get());

        // and the CLI says so, exit 0; with a different rules file in conf, the recorded one is still used
        assertEquals(0, cli("reproduce", "--period", "2026-03", "--warehouse", wh).exit);
        Cli fin = cli("publish", "--period", "2026-03", "--final", "--warehouse", wh, "--out", dir.resolve("cli-reports").toString());
        assertEquals(0, fin.exit);
        assertTrue(fin.out.contains("不可变更"), fin.out);
    }

    static final String ISSUER = "中共示例市委组织部";
    /** sha256 of every file of the final's first rendering (Order 13), compared after later changes (Order 15). */
    static Map<String, String> firstRender;

    static Map<String, String> sha256s(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (java.util.stream.Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                out.put(root.relativize(p).toString(), sha(p));
            }
        }
        return out;
    }

    @Test
    @Order(13)
    void publishedReportsCarryTheFinalListAndTheGoldRows() throws Exception {
        Path out = dir.resolve("reports");
        org.govind.reports.Publisher.Result res = org.govind.publish.BulletinReader.render(spark, wh, MARCH, "zh", ISSUER, out);
        firstRender = sha256s(res.dir());
        List<Row> frozen = warehouse.read("gold.red_black_list_final").where("period = '2026-03'").collectAsList();
        // PDF: the title and every final entry with its reasons; the removed entry is not there
        String pdf;
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(Files.readAllBytes(res.file("通报-2026-03.pdf")))) {
            pdf = new org.apache.pdfbox.text.PDFTextStripper().getText(doc).replaceAll("\\s+", "");
        }
        assertTrue(pdf.contains("2026年3月物业服务企业红黑榜通报") && pdf.contains("正式发布"), pdf);
        for (Row r : frozen) {
            assertTrue(pdf.contains(r.<String>getAs("company_name")), r.<String>getAs("company_name"));
            assertTrue(pdf.contains(r.<String>getAs("reasons").replaceAll("\\s+", "")), r.<String>getAs("reasons"));
        }
        assertFalse(pdf.contains("样例WB1物业有限公司"), "the entry removed by the upheld objection is not published");
        // HTML: every entry
        String html = Files.readString(res.file("index.html"));
        for (Row r : frozen) assertTrue(html.contains(r.<String>getAs("company_name")), r.<String>getAs("company_name"));
        // XLSX: the company ratings sheet has the published rows and the same numbers
        long version = org.govind.util.Json.versions(org.govind.util.Json.object(
                Publications.latest(warehouse, MARCH, "final").getAs("table_versions")), "published").get("gold.company_ratings");
        Map<String, Row> gold = by(Publications.at(spark, warehouse, "gold.company_ratings", version, MARCH).collectAsList(), "company_id");
        try (org.dhatim.fastexcel.reader.ReadableWorkbook wb = new org.dhatim.fastexcel.reader.ReadableWorkbook(res.file("indicators-2026-03.xlsx").toFile())) {
            org.dhatim.fastexcel.reader.Sheet sheet = wb.findSheet("物业企业评级").orElseThrow();
            List<org.dhatim.fastexcel.reader.Row> rows = sheet.read();
            List<String> header = new java.util.ArrayList<>();
            for (int i = 0; i < rows.get(0).getCellCount(); i++) header.add(rows.get(0).getCellText(i));
            int iId = header.indexOf("企业单位编号"), iScore = header.indexOf("得分"), iDue = header.indexOf("到期数");
            assertEquals(gold.size(), rows.size() - 1, "one row per company");
            for (org.dhatim.fastexcel.reader.Row x : rows.subList(1, rows.size())) {
                Row g = gold.get(x.getCellText(iId));
                assertNotNull(g, x.getCellText(iId));
                Double score = g.getAs("score");
                if (score == null) assertTrue(x.getCellAsNumber(iScore).isEmpty());
                else assertEquals(score, x.getCellAsNumber(iScore).orElseThrow().doubleValue(), 0.0, "score is a number, unrounded");
                assertEquals(g.<Long>getAs("due").longValue(), x.getCellAsNumber(iDue).orElseThrow().longValue());
            }
        }
        String manifest = Files.readString(res.file("manifest.json"));
        assertTrue(manifest.contains("\"status\": \"final\"") && manifest.contains(rules.sha256()), manifest);
        // The leaderboard is public with rank and masked name only: no keyed hash of a person in any file
        assertTrue(pdf.contains("样*一") && pdf.contains("欧阳*二") && html.contains("欧阳*二"), "the leaderboard is shown");
        StringBuilder everything = new StringBuilder(pdf);
        for (org.govind.reports.Publisher.Written w : res.files()) {
            byte[] bytes = Files.readAllBytes(res.file(w.path()));
            everything.append('\n').append(new String(bytes, StandardCharsets.ISO_8859_1));
            if (w.path().endsWith(".xlsx")) {
                try (java.util.zip.ZipInputStream z = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(bytes))) {
                    for (var e = z.getNextEntry(); e != null; e = z.getNextEntry()) everything.append('\n').append(new String(z.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertTrue(everything.indexOf("积分排行榜") >= 0 && everything.indexOf("姓名（脱敏）") >= 0, "the leaderboard sheet is exported");
        for (String key : RatingFixture.HOLDER_KEYS) {
            assertTrue(everything.indexOf(key) < 0 && everything.indexOf(key.substring(0, 16)) < 0, "holder_key " + key + " published");
        }
        assertTrue(everything.indexOf("积分人标识") < 0, "no holder_key column in any public file");
    }

    @Test
    @Order(14)
    void forceFinalisesDuringPublicityAndIsRecorded() {
        YearMonth jan = YearMonth.of(2026, 1);
        RatingJob.rate(spark, wh, jan, rules);
        RatingJob.lists(spark, wh, jan, rules);
        // drafted Monday 2026-02-02: publicity Tue 02-03 … Mon 02-09
        PublishJob.draft(spark, wh, jan, rules, at("2026-02-02T02:00:00Z"));
        // January rated again after the draft (new table versions): the final is refused until a new draft
        RatingJob.rate(spark, wh, jan, rules);
        RatingJob.lists(spark, wh, jan, rules);
        Refusal stale = assertThrows(Refusal.class, () -> PublishJob.finalise(spark, wh, jan, at("2026-03-01T02:00:00Z"), false));
        assertTrue(stale.getMessage().contains("重新发布公示稿"), stale.getMessage());
        assertEquals(LocalDate.of(2026, 2, 9), PublishJob.draft(spark, wh, jan, rules, at("2026-02-02T02:00:00Z")).publicityEnd());
        Clock wednesday = at("2026-02-04T02:00:00Z");
        assertEquals(ExitCode.PUBLICITY_RUNNING.code(), assertThrows(Refusal.class, () -> PublishJob.finalise(spark, wh, jan, wednesday, false)).exitCode());
        PublishJob.Outcome forced = PublishJob.finalise(spark, wh, jan, wednesday, true);
        assertTrue(forced.changed());
        assertTrue(forced.lines().get(0).contains("--force"), forced.lines().toString());
        Row fin = Publications.latest(warehouse, jan, "final");
        assertEquals(true, fin.getAs("forced"));
        assertTrue(fin.<String>getAs("note").contains("--force") && fin.<String>getAs("note").contains("2026-02-09"), fin.<String>getAs("note"));
        assertEquals("2026-01-draft-2", fin.getAs("draft_id"));
    }

    /** One row into a table, every column not named null. */
    static void append(String table, Object... kv) {
        org.govind.schema.TableDef t = Schemas.get().table(table);
        Object[] v = new Object[t.columns().size()];
        for (int i = 0; i < kv.length; i += 2) v[t.indexOf((String) kv[i])] = kv[i + 1];
        spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create(v)), org.govind.spark.SparkSchemas.of(t))
                .write().format("delta").mode("append").save(warehouse.path(table));
    }

    @Test
    @Order(15)
    void aFinalRendersAgainByteForByteWhateverChangedSince() throws Exception {
        Path out = dir.resolve("reports"), folder = out.resolve("2026-03");
        assertEquals(firstRender, sha256s(folder));
        // since the first rendering, January was rated, listed and finalised (Order 14: new versions of every
        // gold table); now March gains a leaderboard row and a quality finding, and D1 gains February's indicators
        append("gold.points_leaderboard", "period", "2026-03", "scope_level", "district", "scope_id", D1, "rank", 1,
                "holder_key", "hk-test-1", "display_name", "样*乙", "holder_type", "member", "net_points", new java.math.BigDecimal("99.50"),
                "district_code", D1);
        append("ops.quality_checks", "period", "2026-03", "district", D1, "check", "dangling_reference", "level", "warning",
                "value", 3.0, "message", "测试：3 件工单引用不存在的物业企业", "subject", "cases");
        // February indicators computed for D1 (a trend month of D1, which had none)
        append("gold.case_indicators", "period", "2026-02", "level", "district", "unit_id", D1, "district_code", D1,
                "on_time_rate", 0.123, "satisfaction_rate", 0.456);

        // read as they stand (a publication without recorded bulletin versions), the bulletin would now differ …
        Row fin = Publications.latest(warehouse, MARCH, "final");
        Map<String, Object> versions = new TreeMap<>(org.govind.util.Json.object(fin.getAs("table_versions")));
        versions.remove("bulletin");
        Object[] v = new Object[fin.size()];
        for (int i = 0; i < v.length; i++) v[i] = fin.get(i);
        v[fin.fieldIndex("table_versions")] = org.govind.util.Json.write(versions);
        Row unpinned = new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(v, fin.schema());
        org.govind.reports.Bulletin now = org.govind.publish.BulletinReader.read(spark, warehouse, MARCH, unpinned, "zh", ISSUER);
        org.govind.reports.Bulletin pinned = org.govind.publish.BulletinReader.read(spark, warehouse, MARCH, fin, "zh", ISSUER);
        assertNotEquals(pinned.quality(), now.quality());
        assertNotEquals(pinned.districts(), now.districts());   // D1's leaderboard
        assertNotEquals(pinned.trends(), now.trends());         // D1's February rates
        // … but the final renders again from the versions it recorded: every file byte-identical (the issuer
        // not given: the recorded one)
        Cli again = cli("publish", "--period", "2026-03", "--final", "--warehouse", wh, "--out", out.toString());
        assertEquals(0, again.exit, again.out);
        assertEquals(firstRender, sha256s(folder));

        // another issuer than the recorded one is refused; nothing is written
        Cli other = cli("publish", "--period", "2026-03", "--final", "--warehouse", wh, "--out", out.toString(), "--issuer", "另一单位");
        assertEquals(ExitCode.ALREADY_FINAL.code(), other.exit, other.out);
        assertEquals(firstRender, sha256s(folder));

        // English goes to its own folder; the Chinese one is unchanged
        Cli en = cli("publish", "--period", "2026-03", "--final", "--warehouse", wh, "--out", out.toString(), "--lang", "en");
        assertEquals(0, en.exit, en.out);
        assertTrue(Files.readString(out.resolve("2026-03-en/index.html")).contains("lang=\"en\""));
        assertTrue(Files.readString(out.resolve("2026-03-en/manifest.json")).contains("\"issuer\": \"" + ISSUER + "\""));
        assertEquals(firstRender, sha256s(folder));
        // its reasons are rendered from the stored codes with the list rules' English texts, not translated
        String enHtml = Files.readString(out.resolve("2026-03-en/index.html"));
        assertTrue(enHtml.contains("B2 satisfaction rate 50.0% &lt; 60% (answered 10 ≥ 5)"), "WB2's English reasons");
        assertFalse(enHtml.contains("满意率 50.0%"), "no Chinese reason text in the English bulletin");
        org.govind.reports.Bulletin enBulletin = org.govind.publish.BulletinReader.read(spark, warehouse, MARCH, fin, "en", ISSUER);
        org.govind.reports.Bulletin.Sheet listSheet = enBulletin.sheets().stream().filter(x -> x.name().equals("red_black_list_final")).findFirst().orElseThrow();
        int iReasons = listSheet.columns().stream().map(org.govind.reports.Bulletin.Column::name).toList().indexOf("reasons");
        int iDetails = listSheet.columns().stream().map(org.govind.reports.Bulletin.Column::name).toList().indexOf("reason_details");
        assertTrue(listSheet.rows().stream().anyMatch(x -> "B2 satisfaction rate 50.0% < 60% (answered 10 ≥ 5)".equals(x.get(iReasons))), "workbook reasons in English");
        assertTrue(listSheet.rows().stream().anyMatch(x -> "B2 0.5 / 0.6; B2.answered 10 / 5".equals(x.get(iDetails))), "workbook structured reasons");

        // an --out whose 2026-03 folder govind did not write: refused before anything is done, the user's files intact
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve("2026-03"));
        Files.writeString(home.resolve("2026-03/mine.txt"), "mine");
        Files.writeString(home.resolve("notes.txt"), "notes");
        Cli refused = cli("publish", "--period", "2026-03", "--final", "--warehouse", wh, "--out", home.toString());
        assertEquals(ExitCode.FOREIGN_FOLDER.code(), refused.exit, refused.out);
        assertEquals(Map.of("2026-03/mine.txt", sha(home.resolve("2026-03/mine.txt")), "notes.txt", sha(home.resolve("notes.txt"))), sha256s(home));
        assertEquals("mine", Files.readString(home.resolve("2026-03/mine.txt")));
    }

    static String sha(Path p) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }

    @Test
    @Order(20)
    void auditFindsTheTrailConsistentAndNamesEveryTampering() throws Exception {
        // January's trail (two drafts, a forced final) is consistent
        assertEquals(List.of(), org.govind.publish.Audit.run(spark, wh, YearMonth.of(2026, 1)).problems());
        assertEquals(0, cli("audit", "--period", "2026-01", "--warehouse", wh).exit);
        // March's is not, and the audit says exactly why: YI-2026-03-002 was filed through the CLI, on the real
        // clock (today), while the workflow test decided it and published the final on its fixed April clock
        assertEquals(List.of("异议 YI-2026-03-002 晚于正式发布", "异议 YI-2026-03-002 的裁决早于异议本身"),
                org.govind.publish.Audit.run(spark, wh, MARCH).problems());
        // tampering, each on its own copy of the warehouse
        String a = tampered("update", "UPDATE delta.`%s` SET publicity_end = DATE'2000-01-01' WHERE status = 'draft'", "ops.publications");
        List<String> pa = org.govind.publish.Audit.run(spark, a, MARCH).problems();
        assertTrue(pa.stream().anyMatch(x -> x.contains("ops.publications") && x.contains("UPDATE")), pa.toString());
        String b = tampered("delete", "DELETE FROM delta.`%s` WHERE status = 'upheld'", "ops.objection_decisions");
        List<String> pb = org.govind.publish.Audit.run(spark, b, MARCH).problems();
        assertTrue(pb.stream().anyMatch(x -> x.contains("DELETE")), pb.toString());
        assertTrue(pb.stream().anyMatch(x -> x.contains("尚未裁决")), "the objection now looks pending at the final: " + pb);
        assertTrue(pb.stream().anyMatch(x -> x.contains("公示稿减去")), "and its removal is no longer explained: " + pb);
        String c = tampered("final", "DELETE FROM delta.`%s` WHERE company_id = '" + D1 + ":WB4'", "gold.red_black_list_final");
        List<String> pc = org.govind.publish.Audit.run(spark, c, MARCH).problems();
        assertTrue(pc.stream().anyMatch(x -> x.contains("gold.red_black_list_final")), pc.toString());
        assertEquals(ExitCode.AUDIT_INCONSISTENT.code(), cli("audit", "--period", "2026-03", "--warehouse", c).exit);
    }

    /** A copy of the warehouse with one statement run on one table outside govind. */
    static String tampered(String name, String sql, String table) throws Exception {
        Path copy = dir.resolve("tampered-" + name);
        try (var paths = Files.walk(dir.resolve("wh"))) {
            for (Path f : (Iterable<Path>) paths::iterator) {
                Path t = copy.resolve(dir.resolve("wh").relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(t); else Files.copy(f, t);
            }
        }
        spark.sql(String.format(sql, Warehouse.open(spark, copy.toString()).path(table)));
        return copy.toString();
    }

    @Test
    @Order(12)
    void comparisonFindsAChangedValue() {
        List<Row> published = warehouse.read("gold.red_black_list").where("period = '2026-03'").collectAsList();
        List<Row> changed = new java.util.ArrayList<>(published);
        Row r = changed.remove(0);
        Object[] v = new Object[r.size()];
        for (int i = 0; i < v.length; i++) v[i] = r.get(i);
        int iScore = Schemas.get().table("gold.red_black_list").indexOf("score");
        v[iScore] = Math.nextUp((Double) v[iScore]);   // one ulp
        changed.add(org.apache.spark.sql.RowFactory.create(v));
        Reproduce.TableCheck c = Reproduce.compare("gold.red_black_list", published, changed, Schemas.get().table("gold.red_black_list"));
        assertFalse(c.equal());
        assertEquals(1, c.differing());
        assertTrue(c.examples().get(0).contains("score"), c.examples().toString());
        assertNotEquals(0, published.size());
    }

    record Cli(int exit, String out) {}

    static Cli cli(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.execute(args);
            return new Cli(exit, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }
}
