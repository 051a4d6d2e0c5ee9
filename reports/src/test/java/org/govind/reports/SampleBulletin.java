package org.govind.reports;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.govind.reports.Bulletin.Column;
import org.govind.reports.Bulletin.District;
import org.govind.reports.Bulletin.Entry;
import org.govind.reports.Bulletin.Figure;
import org.govind.reports.Bulletin.Leader;
import org.govind.reports.Bulletin.Meta;
import org.govind.reports.Bulletin.QualityNote;
import org.govind.reports.Bulletin.Sheet;
import org.govind.reports.Bulletin.Trend;
import org.govind.reports.Bulletin.TrendPoint;
import org.govind.reports.Bulletin.Unit;

/**
 * A small bulletin for the renderer tests: two districts, red, black and not-rated entries (one
 * company name is an HTML injection attempt), 12 months of trends, drill-down units and two sheets.
 * {@code blackEntries} makes a long black list to test page breaks.
 */
public final class SampleBulletin {
    public static final String EVIL = "<script>alert('x')</script>物业";

    private SampleBulletin() {}

    /**
     * A structured reason. Entries with them render their reasons from the list rules' texts (their
     * Chinese text here is exactly what the zh templates give); the others (WB*, WR2) carry text only,
     * as entries listed before structured reasons were stored.
     */
    static org.govind.schema.ListRules.Reason r(String code, double value, double threshold) {
        return new org.govind.schema.ListRules.Reason(code, value, threshold);
    }

    public static Bulletin of(String lang) { return of(lang, 3); }

    public static Bulletin of(String lang, int blackEntries) {
        Map<String, Long> versions = new TreeMap<>(Map.of("gold.red_black_list", 4L, "gold.company_ratings", 7L, "bronze.cases", 12L));
        Meta meta = new Meta("2026-03", "draft", "2026-03-draft-1", LocalDate.of(2026, 4, 10), "中共示例市委组织部",
                "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", versions, lang);
        List<Figure> figures = List.of(
                new Figure("on_time_rate", lang.equals("en") ? "On-time rate" : "按期办结率", 0.873, "percent"),
                new Figure("satisfaction_rate", lang.equals("en") ? "Satisfaction" : "满意率", 0.912, "percent"),
                new Figure("received", lang.equals("en") ? "Cases received" : "受理诉求", 1234.0, "count"),
                new Figure("branch_coverage", lang.equals("en") ? "Branch coverage" : "小区党组织覆盖率", null, "percent"));
        List<Entry> black = new ArrayList<>();
        for (int i = 1; i <= blackEntries; i++) {
            black.add(new Entry("black", i, "370829:WB" + i, "样例第" + i + "物业服务有限公司", 1, 40.0 + i / 10.0,
                    "B1 按期办结率 " + (50 + i % 20) + ".0% < 70%；B4 调整后星级 1 星 ≤ 1 星"));
        }
        District d1 = new District("370829", "嘉祥县",
                List.of(new Entry("red", 1, "370829:WR1", "样例红旗物业有限公司", 5, 95.75,
                        "红榜 星级 5 星 ≥ 4 星；按期办结率 100.0% ≥ 95%；满意率 100.0% ≥ 90%（有效回访 10 件 ≥ 5 件）；未触发黑榜规则 B1–B4",
                        List.of(r("R.star", 5, 4), r("R.on_time_rate", 1.0, 0.95), r("R.satisfaction_rate", 1.0, 0.9),
                                r("R.answered", 10, 5), r("R.no_black", 0, 0))),
                        new Entry("red", 2, "370829:WR2", EVIL, 5, 94.75, "红榜 星级 5 星 ≥ 4 星")),
                black,
                List.of(new Entry("not_rated", null, "370829:WN2", "样例小型物业", 4, 89.4, "N2 当月到期诉求 4 件 < 5 件，不参评",
                        List.of(r("N2", 4, 5)))),
                List.of(3L, 10L, 25L, 40L, 7L), 0.82, 0.91, 0.35,
                List.of(new Leader(1, "样*乙", "member", new BigDecimal("120.00")), new Leader(2, "张*", "member", new BigDecimal("95.50")),
                        new Leader(2, "李*明", "resident", new BigDecimal("95.50"))));
        District d2 = new District("370832", "梁山县", List.of(), List.of(
                new Entry("black", 1, "370832:W9", "样例梁山物业", 2, 61.5, "B3 超期未结 13 件 ≥ 10 件", List.of(r("B3", 13, 10)))), List.of(),
                List.of(0L, 2L, 5L, 9L, 1L), 0.7, null, 0.2, List.of());
        List<QualityNote> quality = List.of(
                new QualityNote("370829", "exports_missing", "warning", "2026-03-10 缺少导出：cases、visits"),
                new QualityNote("370832", "silent_district", "error", "本月 3 晚无任何导出（2026-03-10、2026-03-11、2026-03-12），达到阈值 3"));
        List<Trend> trends = new ArrayList<>();
        for (District d : List.of(d1, d2)) {
            List<TrendPoint> pts = new ArrayList<>();
            for (int i = 11; i >= 0; i--) {
                YearMonth m = YearMonth.of(2026, 3).minusMonths(i);
                pts.add(new TrendPoint(m.toString(), i == 5 ? null : 0.7 + 0.02 * (11 - i), 0.8 + 0.01 * (i % 4), (long) (i % 3)));
            }
            trends.add(new Trend(d.code(), d.name(), pts));
        }
        List<Unit> units = List.of(
                new Unit("district", "370829", null, "嘉祥县", 800L, 0.85, 0.9, 0.82, 0.31, null),
                new Unit("community", "370829:370829001001", "370829", "370829001001", 500L, 0.8, 0.88, 0.8, 0.3, null),
                new Unit("compound", "370829:Q1", "370829:370829001001", "Q1", 20L, 0.75, null, 1.0, 0.4, 4),
                new Unit("district", "370832", null, "梁山县", 434L, 0.9, null, 0.7, 0.2, null));
        Sheet cases = new Sheet("case_indicators", "诉求工单指标",
                List.of(new Column("period", "统计月份", "text"), new Column("unit_id", "单位编号", "text"),
                        new Column("received", "受理数", "integer"), new Column("on_time_rate", "按期办结率", "percent"),
                        new Column("median_handle_hours", "办理时长中位数（小时）", "number")),
                List.of(List.of("2026-03", "370829", 800L, 0.85, 36.5), java.util.Arrays.asList("2026-03", "370832", 434L, null, null)));
        Sheet points = new Sheet("points_leaderboard", "积分排行榜",
                List.of(new Column("rank", "名次", "integer"), new Column("display_name", "姓名（脱敏）", "text"),
                        new Column("net_points", "净积分", "number")),
                List.of(List.of(1L, "样*乙", new BigDecimal("120.00")), List.of(2L, "张*", new BigDecimal("95.50"))));
        return new Bulletin(meta, figures, List.of(d1, d2), quality, trends, units, List.of(cases, points));
    }
}
