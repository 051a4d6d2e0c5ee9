package org.govind.rating;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.govind.schema.ColumnDef;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;
import org.govind.spark.SparkSchemas;
import org.govind.spark.Warehouse;
import org.govind.testing.SilverFixture;

/**
 * The hand-built warehouse of the rating tests (February and March 2026). Compounds are rated
 * from gold rows written here directly (so each compound's counts and the district priors are
 * exactly what the worked examples say); property companies from bronze cases and silver
 * snapshots, as `rate` reads them. The arithmetic is in {@link RatingsTest}.
 * D1 = 370829, D2 = 370832.
 */
final class RatingFixture {
    static final String D1 = SilverFixture.D1, D2 = SilverFixture.D2;

    /** Company → {households of its one compound, has party org, due, on time, answered, satisfied, old overdue-open}. */
    static final Map<String, int[]> COMPANIES = new LinkedHashMap<>();
    static {
        COMPANIES.put("WB1", new int[] {1000, 1, 10, 6, 10, 10, 0});    // B1 alone: on time 60%
        COMPANIES.put("WB2", new int[] {1000, 1, 10, 10, 10, 5, 0});    // B2 alone: satisfaction 50% of 10 answered
        COMPANIES.put("WB3", new int[] {10000, 1, 10, 10, 10, 10, 10}); // B3 alone: 10 cases due in February still open; red otherwise
        COMPANIES.put("WB4", new int[] {100, 0, 10, 7, 4, 0, 0});       // B4 alone: ★1; on time exactly 70%; only 4 answered
        COMPANIES.put("WN2", new int[] {1000, 1, 4, 4, 0, 0, 0});       // 4 cases due: not rated
        COMPANIES.put("WR1", new int[] {10000, 1, 20, 20, 10, 10, 0});  // red, second
        COMPANIES.put("WR2", new int[] {20000, 1, 20, 20, 10, 10, 0});  // red, first
        COMPANIES.put("WR3", new int[] {5000, 1, 20, 20, 10, 10, 0});   // red by the rules, cut by red.size = 2
    }

    private final Map<String, List<Map<String, Object>>> gold = new LinkedHashMap<>();

    private RatingFixture() {}

    static Warehouse write(SparkSession spark, String dir) {
        SilverFixture f = new SilverFixture();
        for (Map.Entry<String, int[]> e : COMPANIES.entrySet()) {
            String w = e.getKey();
            int[] v = e.getValue();
            f.company("company_id", w, "name", "样例" + w + "物业有限公司", "has_party_org", v[1] == 1 ? "true" : "false",
                    "valid_from", "2026-03-01", "_export_date", "2026-03-01");
            f.compound("compound_id", "Q" + w, "households", String.valueOf(v[0]), "property_company_id", w,
                    "valid_from", "2026-03-01", "_export_date", "2026-03-01");
            for (int i = 0; i < v[2]; i++) {
                boolean answered = i < v[4];
                f.cases("case_id", w + "-" + i, "compound_id", "Q" + w, "property_company_id", w,
                        "reported_at", "2026-03-01 09:00:00", "due_at", "2026-03-10 09:00:00",
                        "closed_at", i < v[3] ? "2026-03-05 09:00:00" : "2026-03-15 09:00:00", "status", "closed",
                        "revisited_at", answered ? "2026-03-20 09:00:00" : "",
                        "satisfaction", i < v[5] ? "satisfied" : answered ? "dissatisfied" : "",
                        "updated_at", "2026-03-20 10:00:00");
            }
            for (int i = 0; i < v[6]; i++) {
                f.cases("case_id", w + "-old-" + i, "compound_id", "Q" + w, "property_company_id", w,
                        "reported_at", "2026-02-01 09:00:00", "due_at", "2026-02-10 09:00:00", "status", "received",
                        "updated_at", "2026-02-01 09:00:00");
            }
        }
        // WN1 manages no compound: not rated at all
        f.company("company_id", "WN1", "name", "样例WN1物业有限公司", "valid_from", "2026-03-01", "_export_date", "2026-03-01");
        Warehouse wh = f.write(spark, dir);
        wh.ensureAll("gold");
        wh.ensureAll("ops");

        RatingFixture g = new RatingFixture();
        // ---- January: only the priors (no compound, no company yet); used by the --force workflow test ----
        g.district("2026-01", D2, 10, 8, 10, 8);
        g.all("2026-01", 10, 8, 10, 8);
        g.compound("2026-01", D2, "P1", false, 0.25, false, null);
        // ---- compounds, February: D2 priors 8/10 on time, 8/10 satisfied ----
        g.district("2026-02", D2, 10, 8, 10, 8);
        g.all("2026-02", 10, 8, 10, 8);
        g.compound("2026-02", D2, "P1", false, 0.25, false, null);       // 0+20+20+20+0 = 60 → ★2
        g.compound("2026-02", D2, "P2", true, 0.25, true, 0.5);          // 20+20+20+20+10 = 90 → ★5
        // ---- compounds, March ----
        g.district("2026-03", D1, 40, 30, 20, 16);                       // p0 on time 0.75, satisfaction 0.8
        g.district("2026-03", D2, 10, 8, 10, 8);                         // p0 0.8 and 0.8 (compound-less cases)
        g.all("2026-03", 50, 38, 30, 24);
        g.compound("2026-03", D1, "C1", true, 0.1, true, 0.6).cases("2026-03", D1, "C1", 2, 0, 1, 0);
        g.compound("2026-03", D1, "C2", false, null, true, null);       // no cases at all
        g.compound("2026-03", D2, "S90", true, 0.25, true, 0.5);
        g.compound("2026-03", D2, "S80", true, 0.30, false, null);
        g.compound("2026-03", D2, "S70", false, 0.25, true, 0.5);
        g.compound("2026-03", D2, "S60", false, 0.25, false, null);
        g.compound("2026-03", D2, "S59", false, 0.24, false, null);
        g.compound("2026-03", D2, "P1", true, 0.25, false, null);        // raw 80 → ★4, but ★2 in February
        g.compound("2026-03", D2, "P2", false, 0.0, false, null);        // 40 → ★1, ★5 in February
        // ---- March points leaderboard (keyed hashes of holders: for analysts only, never published) ----
        g.leader(D1, D1, 1, HOLDER_KEYS.get(0), "样*一", "12.00").leader(D1, D1, 2, HOLDER_KEYS.get(1), "欧阳*二", "8.00")
         .leader(D1, D1 + ":K1", 1, HOLDER_KEYS.get(0), "样*一", "12.00").leader(D2, D2, 1, HOLDER_KEYS.get(2), "样*三", "3.00");
        g.writeGold(spark, wh);
        // compute records: January is clean, February failed its quality checks, March has warnings only
        g.put("ops.compute_runs", "period", "2026-01", "status", "ok", "errors", 0, "warnings", 0,
                "computed_at", Instant.parse("2026-02-01T00:00:00Z"), "rules_sha256", "x");
        g.put("ops.compute_runs", "period", "2026-02", "status", "failed_checks", "errors", 1, "warnings", 0,
                "computed_at", Instant.parse("2026-03-01T00:00:00Z"), "rules_sha256", "x");
        g.put("ops.compute_runs", "period", "2026-03", "status", "warnings", "errors", 0, "warnings", 2,
                "computed_at", Instant.parse("2026-04-01T00:00:00Z"), "rules_sha256", "x");
        g.writeGold(spark, wh);
        return wh;
    }

    RatingFixture district(String period, String d, long due, long onTime, long answered, long satisfied) {
        return put("gold.case_indicators", "period", period, "level", "district", "unit_id", d, "district_code", d,
                "due", due, "on_time", onTime, "answered", answered, "satisfied", satisfied);
    }

    RatingFixture all(String period, long due, long onTime, long answered, long satisfied) {
        return put("gold.case_indicators", "period", period, "level", "all", "unit_id", "all",
                "due", due, "on_time", onTime, "answered", answered, "satisfied", satisfied);
    }

    /** A compound's coverage row, and a case row with no cases (replace it with {@link #cases}). */
    RatingFixture compound(String period, String d, String id, boolean branch, Double visitCoverage, boolean committee, Double share) {
        put("gold.coverage_indicators", "period", period, "level", "compound", "unit_id", d + ":" + id, "district_code", d,
                "compound_id", id, "compounds", 1L, "with_branch", branch ? 1L : 0L, "visit_coverage", visitCoverage,
                "with_committee", committee ? 1L : 0L, "committee_party_share", share);
        return put("gold.case_indicators", "period", period, "level", "compound", "unit_id", d + ":" + id, "district_code", d, "compound_id", id);
    }

    RatingFixture cases(String period, String d, String id, long due, long onTime, long answered, long satisfied) {
        List<Map<String, Object>> rows = gold.get("gold.case_indicators");
        rows.removeIf(r -> r.get("period").equals(period) && r.get("unit_id").equals(d + ":" + id));
        return put("gold.case_indicators", "period", period, "level", "compound", "unit_id", d + ":" + id, "district_code", d,
                "compound_id", id, "due", due, "on_time", onTime, "answered", answered, "satisfied", satisfied);
    }

    /** holder_key of the leaderboard rows: keyed hashes of three holders, as compute writes them. */
    static final List<String> HOLDER_KEYS = List.of("M1", "M2", "M3").stream()
            .map(new org.govind.pii.PiiProtector("rating-fixture-key")::hash).toList();

    RatingFixture leader(String d, String scope, int rank, String holderKey, String displayName, String points) {
        return put("gold.points_leaderboard", "period", "2026-03", "scope_level", scope.contains(":") ? "community" : "district",
                "scope_id", scope, "rank", rank, "holder_key", holderKey, "display_name", displayName, "holder_type", "party_member",
                "net_points", new java.math.BigDecimal(points), "district_code", d);
    }

    RatingFixture put(String table, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        gold.computeIfAbsent(table, k -> new ArrayList<>()).add(m);
        return this;
    }

    /** Appends the collected rows (long columns not given are 0, others null), then forgets them. */
    void writeGold(SparkSession spark, Warehouse wh) {
        for (Map.Entry<String, List<Map<String, Object>>> e : gold.entrySet()) {
            TableDef t = Schemas.get().table(e.getKey());
            List<Row> out = new ArrayList<>();
            for (Map<String, Object> m : e.getValue()) {
                for (String k : m.keySet()) t.require(k);
                Object[] v = new Object[t.columns().size()];
                for (int i = 0; i < v.length; i++) {
                    ColumnDef c = t.columns().get(i);
                    Object x = m.get(c.name());
                    if (x == null && c.type() == org.govind.schema.ColumnType.LONG) x = 0L;
                    if (x == null && c.type() == org.govind.schema.ColumnType.INT) x = 0;
                    v[i] = x;
                }
                out.add(RowFactory.create(v));
            }
            spark.createDataFrame(out, SparkSchemas.of(t)).write().format("delta").mode("append").save(wh.path(e.getKey()));
        }
        gold.clear();
    }
}
