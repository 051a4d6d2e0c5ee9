package org.govind.reports;

import java.util.Locale;

/** The reports' wording in zh-CN (default) or English, and the number formats they share. */
public final class Texts {
    private final boolean en;

    public Texts(String lang) { this.en = "en".equalsIgnoreCase(lang); }

    public boolean en() { return en; }

    public String t(String zh, String english) { return en ? english : zh; }

    /** A ratio as a percentage with one decimal, "—" for null. */
    public static String pct(Double ratio) { return ratio == null ? "—" : String.format(Locale.ROOT, "%.1f%%", ratio * 100); }

    /** A score with one decimal, "—" for null. */
    public static String score(Double s) { return s == null ? "—" : String.format(Locale.ROOT, "%.1f", s); }

    /** A star as ★★★☆☆, "—" for null. */
    public static String stars(Integer star) { return star == null ? "—" : "★".repeat(star) + "☆".repeat(5 - star); }

    /**
     * The list reasons as stored (Chinese, the catalogue's wording) for an English report: the
     * fixed phrases are replaced, the values and thresholds stay as they are.
     */
    public static String reasonsEn(String zh) {
        if (zh == null) return null;
        String s = zh;
        String[][] phrases = {
            {"本月未在管任何小区，不参评", "manages no compound this month, not rated"},
            {"当月到期诉求", "cases due in the month"},
            {"，不参评", ", not rated"},
            {"未触发黑榜规则 B1–B4", "no black-list rule B1–B4 fired"},
            {"调整后星级", "star after adjustment"},
            {"按期办结率", "on-time rate"},
            {"满意率", "satisfaction rate"},
            {"超期未结", "overdue open"},
            {"有效回访", "answered"},
            {"红榜 星级", "red: star"},
            {"（", " ("}, {"）", ")"}, {"；", "; "}, {"，", ", "},
        };
        for (String[] p : phrases) s = s.replace(p[0], p[1]);
        s = s.replaceAll("(\\d+) 件", "$1").replaceAll("(\\d+) 星", "★$1");
        return s;
    }

    public String status(String s) {
        return "final".equals(s) ? t("正式发布", "final") : t("公示稿", "draft for publicity");
    }

    public String list(String l) {
        return switch (l) {
            case "red" -> t("红榜", "Red list");
            case "black" -> t("黑榜", "Black list");
            default -> t("本月不参评", "Not rated this month");
        };
    }
}
