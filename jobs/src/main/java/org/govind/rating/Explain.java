package org.govind.rating;

import org.govind.store.Publications;
import org.govind.core.ExitCode;
import static org.apache.spark.sql.functions.col;
import static org.govind.core.Lang.t;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.govind.core.Lang;
import org.govind.rules.Rules;
import org.govind.schema.ListRules;
import org.govind.spark.Warehouse;
import org.govind.util.Refusal;

/**
 * {@code govind explain}: the arithmetic of one company's or compound's score, star and list
 * entry, from the rows in the gold tables (every value the SQL used is stored there) and the
 * weights and thresholds of the rules file.
 */
public final class Explain {
    private Explain() {}

    public static List<String> company(SparkSession spark, String warehouse, YearMonth m, String companyId, Rules rules) {
        Warehouse wh = Warehouse.open(spark, warehouse);
        Row r = one(wh, "gold.company_ratings", m, "company_id", companyId,
                t("企业编号形如 <区县代码>:<企业编号>", "company ids look like <district_code>:<company_id>"));
        List<String> out = new ArrayList<>();
        out.add(t("物业企业 ", "Property company ") + companyId + " " + nz(r.getAs("company_name")) + " — " + m + t(" 评级说明", " rating"));
        rulesLine(out, wh, m, rules);
        double mm = r.getAs("shrinkage_m");
        boolean rated = r.getAs("rated");
        out.add(t("在管小区 ", "compounds managed ") + r.getAs("compounds_managed") + t("，在管户数 ", ", households ") + r.getAs("households"));
        if (!rated) {
            out.add(t("本月未在管任何小区：无投诉分项，不参与评级（无得分、无星级）", "manages no compound at T: no complaints component, not rated (no score, no star)"));
        } else {
            out.add("  " + pad(t("分项", "component"), 12) + t(" 权重   分项值      加权", " weight  value      weighted"));
            double sum = 0;
            sum += component(out, t("按期办结", "on time"), rules.companyWeights().get("on_time"), r.getAs("comp_on_time"));
            shrinkLine(out, t("按期办结率", "on-time rate"), r.getAs("on_time"), r.getAs("due"), r.getAs("on_time_p0"), mm, r.getAs("on_time_shrunk"),
                    t("全区企业合计", "pooled over the district's companies"));
            sum += component(out, t("满意度", "satisfaction"), rules.companyWeights().get("satisfaction"), r.getAs("comp_satisfaction"));
            shrinkLine(out, t("满意率", "satisfaction rate"), r.getAs("satisfied"), r.getAs("answered"), r.getAs("satisfaction_p0"), mm,
                    r.getAs("satisfaction_shrunk"), t("全区企业合计", "pooled over the district's companies"));
            sum += component(out, t("投诉", "complaints"), rules.companyWeights().get("complaints"), r.getAs("comp_complaints"));
            Double per = r.getAs("complaints_per_1000");
            out.add("    " + t("受理 ", "received ") + r.getAs("received") + t(" 件 ÷ ", " ÷ ") + r.getAs("households") + t(" 户 × 1000 = 每千户 ", " households × 1000 = per 1,000: ")
                    + (per == null ? "—" : f(per, 2)) + "；max(0, 1 − " + (per == null ? "—" : f(per, 2)) + " / " + g(rules.complaintCeiling()) + ") = " + f(r.getAs("comp_complaints"), 4));
            sum += component(out, t("党组织", "party org"), rules.companyWeights().get("party_org"), r.getAs("comp_party_org"));
            starLines(out, r, rules, sum);
        }
        out.add(t("红黑榜规则", "List rules") + t("（参评条件：在管小区 ≥ 1 且当月到期诉求 ≥ ", " (eligible: manages >= 1 compound and >= ")
                + rules.minDue() + t(" 件；本企业到期 ", " cases due; this company: ") + r.getAs("due") + t(" 件）", ")"));
        // the entry as published: the final list, else the current draft's, else the computed list
        boolean any = wh.exists("ops.publications");
        Row fin = any ? Publications.latest(wh, m, "final") : null;
        Row draft = any ? Publications.latest(wh, m, "draft") : null;
        org.apache.spark.sql.Dataset<Row> listed = fin != null ? wh.read("gold.red_black_list_final")
                : draft != null ? Publications.at(wh.spark(), wh, "gold.red_black_list", org.govind.util.Json.versions(
                        org.govind.util.Json.object(draft.getAs("table_versions")), "published").get("gold.red_black_list"), m)
                : wh.read("gold.red_black_list");
        if (fin != null || draft != null) out.add(t("（榜单取自", "(list entry from ") + (fin != null ? fin.getAs("publication_id") : draft.getAs("publication_id")) + t("）", ")"));
        List<Row> entry = listed.where(col("period").equalTo(m.toString()).and(col("company_id").equalTo(companyId))).collectAsList();
        String fired = entry.isEmpty() ? "" : entry.get(0).getAs("rules_fired");
        // every black and red rule of the definition with this company's values and the rules file's thresholds
        ListRules lr = ListRules.get();
        long blackFired = List.of(fired.split(",")).stream().filter(c -> lr.rules().contains(c)
                && lr.conditionsOf(c).get(0).list().equals("black")).count();
        for (String rule : lr.rules()) {
            if (lr.conditionsOf(rule).get(0).list().equals("not_rated")) continue;   // the eligibility line above
            List<ListRules.Reason> shown = new ArrayList<>();
            for (ListRules.Condition c : lr.conditionsOf(rule)) {
                Double v = c.measure().equals("black_rules_fired") ? (Double) (double) blackFired : number(r.getAs(c.measure()));
                Double th = c.thresholdKey() == null ? c.fixed() : rules.listThreshold(c.thresholdKey());
                // a text without a value (e.g. "no black-list rule fired") is only true where it holds
                if (c.zh().contains("{value}") || ListRules.holds(c, v, th)) shown.add(new ListRules.Reason(c.code(), v, th));
            }
            out.add(ruleLine(rule, lr.render(shown, Lang.en() ? "en" : "zh"), fired));
        }
        if (entry.isEmpty()) {
            out.add(t("结果：未上榜", "result: on no list"));
        } else {
            Row e = entry.get(0);
            String list = e.getAs("list");
            String where = "not_rated".equals(list) ? t("本月不参评", "not rated this month")
                    : ("red".equals(list) ? t("红榜", "red list") : t("黑榜", "black list")) + t(" 第 ", " position ") + e.getAs("position") + t(" 位", "");
            out.add(t("结果：", "result: ") + where + " — " + e.getAs("reasons"));
        }
        return out;
    }

    public static List<String> compound(SparkSession spark, String warehouse, YearMonth m, String unitId, Rules rules) {
        Warehouse wh = Warehouse.open(spark, warehouse);
        Row r = one(wh, "gold.compound_stars", m, "unit_id", unitId,
                t("小区编号形如 <区县代码>:<小区编号>", "compound ids look like <district_code>:<compound_id>"));
        List<String> out = new ArrayList<>();
        out.add(t("小区 ", "Compound ") + unitId + " — " + m + t(" 评星说明", " star rating"));
        rulesLine(out, wh, m, rules);
        double mm = r.getAs("shrinkage_m");
        out.add("  " + pad(t("分项", "component"), 12) + t(" 权重   分项值      加权", " weight  value      weighted"));
        double sum = 0;
        sum += component(out, t("党组织覆盖", "branch"), rules.compoundWeights().get("branch"), r.getAs("comp_branch"));
        out.add("    " + t("有有效党组织：", "active branch at T: ") + yes(r.getAs("has_branch")));
        sum += component(out, t("入户走访", "visits"), rules.compoundWeights().get("visits"), r.getAs("comp_visits"));
        out.add("    min(1, " + t("走访覆盖率 ", "visit coverage ") + pct(r.getAs("visit_coverage")) + " / " + RatingJob.percent(rules.visitTarget()) + ")");
        sum += component(out, t("按期办结", "on time"), rules.compoundWeights().get("on_time"), r.getAs("comp_on_time"));
        shrinkLine(out, t("按期办结率", "on-time rate"), r.getAs("on_time"), r.getAs("due"), r.getAs("on_time_p0"), mm, r.getAs("on_time_shrunk"), t("全区", "district"));
        sum += component(out, t("满意度", "satisfaction"), rules.compoundWeights().get("satisfaction"), r.getAs("comp_satisfaction"));
        shrinkLine(out, t("满意率", "satisfaction rate"), r.getAs("satisfied"), r.getAs("answered"), r.getAs("satisfaction_p0"), mm,
                r.getAs("satisfaction_shrunk"), t("全区", "district"));
        sum += component(out, t("业委会", "committee"), rules.compoundWeights().get("committee"), r.getAs("comp_committee"));
        out.add("    " + t("有业委会：", "committee: ") + yes(r.getAs("has_committee")) + t("；成员党员比例 ", "; party share ")
                + pct(r.getAs("committee_party_share")) + t("（≥ ", " (>= ") + RatingJob.percent(rules.committeePartyShare()) + t(" 得 1，否则 0.5）", " gives 1, else 0.5)"));
        starLines(out, r, rules, sum);
        return out;
    }

    private static void rulesLine(List<String> out, Warehouse wh, YearMonth m, Rules rules) {
        out.add(t("规则文件 ", "rules file ") + rules.source() + " (sha256 " + rules.sha256().substring(0, 12) + "…)");
        Row run = RatingJob.run(wh, m, "rate");
        if (run != null && !rules.sha256().equals(run.getAs("rules_sha256"))) {
            out.add(t("⚠ 本月评级所用规则文件（sha256 ", "⚠ this month was rated with another rules file (sha256 ")
                    + run.<String>getAs("rules_sha256").substring(0, 12) + t("…）与当前不同：下列权重和门槛取自当前文件", "…): weights and thresholds below are the current file's"));
        }
    }

    private static void starLines(List<String> out, Row r, Rules rules, double sum) {
        double score = r.getAs("score");
        int raw = r.getAs("raw_star");
        String band = raw == 1 ? "< " + g(rules.starThreshold(2)) : "≥ " + g(rules.starThreshold(raw));
        out.add(t("得分 = ", "score = ") + f(sum, 4) + t("（表中 ", " (stored ") + f(score, 4) + t("）→ 原始星级 ", ") → raw star ") + raw + t(" 星（", " (") + band + t("）", ")"));
        Integer prev = r.getAs("prev_star");
        int star = r.getAs("star");
        if (prev == null) {
            out.add(t("动态调整：上月未评级，星级 = 原始星级 = ", "adjustment: previous month not rated, star = raw star = ") + star);
        } else {
            out.add(t("动态调整：上月 ", "adjustment: previous month ") + prev + t(" 星，本月至多 ", ", at most ") + (prev + rules.maxClimb())
                    + t(" 星；min(", " this month; min(") + raw + ", " + (prev + rules.maxClimb()) + ") = " + star
                    + ("capped".equals(r.getAs("adjustment")) ? t("（升星受限）", " (climb held)") : raw < prev ? t("（降星即时生效）", " (a drop applies at once)") : ""));
        }
        out.add(t("星级：", "star: ") + "★".repeat(star) + "☆".repeat(5 - star) + " " + star);
    }

    private static double component(List<String> out, String name, double weight, Double value) {
        double v = value == null ? 0 : value;
        out.add(String.format("  %s %5s  %-8s %8s", pad(name, 12), g(weight), f(v, 4), f(weight * v, 2)));
        return weight * v;
    }

    private static void shrinkLine(List<String> out, String what, Object k, Object n, Double p0, double m, Double shrunk, String pool) {
        long kk = ((Number) k).longValue(), nn = ((Number) n).longValue();
        out.add("    " + what + t("：原始 ", ": raw ") + kk + "/" + nn + " = " + (nn == 0 ? "—" : pct((double) kk / nn))
                + t("；p0（", "; p0 (") + pool + t("）= ", ") = ") + f(p0, 4)
                + t("；收缩 (k + M·p0)/(n + M) = (", "; shrunk (k + M·p0)/(n + M) = (") + kk + " + " + g(m) + "×" + f(p0, 4) + ")/(" + nn + " + " + g(m) + ") = " + f(shrunk, 4));
    }

    /** A rule's text (it names its code, e.g. "B1 按期办结率 …", or its list, "红榜 …") and whether it fired for the entry. */
    private static String ruleLine(String rule, String text, String fired) {
        boolean on = List.of(fired.split(",")).contains(rule);
        return "  " + text + " → " + (on ? t("触发", "fired") : t("未触发", "not fired"));
    }

    private static Double number(Object v) { return v == null ? null : ((Number) v).doubleValue(); }

    private static Row one(Warehouse wh, String table, YearMonth m, String key, String id, String hint) {
        if (!wh.exists(table)) throw new Refusal(ExitCode.FAILED, t("尚未评级：请先运行 govind rate", "not rated yet: run govind rate first"));
        List<Row> rows = wh.read(table).where(col("period").equalTo(m.toString()).and(col(key).equalTo(id))).collectAsList();
        if (rows.isEmpty()) throw new Refusal(ExitCode.FAILED, t(m + " 的 " + table + " 中没有 " + id + "；" + hint, "no " + id + " in " + table + " for " + m + "; " + hint));
        return rows.get(0);
    }

    /** Pads to a display width, counting CJK characters as two columns. */
    static String pad(String s, int width) {
        int w = 0;
        for (int i = 0; i < s.length(); i++) w += s.charAt(i) >= 0x2E80 ? 2 : 1;
        return s + " ".repeat(Math.max(0, width - w));
    }

    static String pct(Double v) { return v == null ? "—" : String.format("%.1f%%", v * 100); }
    static String f(Double v, int d) { return v == null ? "—" : String.format("%." + d + "f", v); }
    static String g(double v) { return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v); }
    static String yes(Boolean b) { return Boolean.TRUE.equals(b) ? t("是", "yes") : t("否", "no"); }
    static String nz(String s) { return s == null ? "" : s; }
}
