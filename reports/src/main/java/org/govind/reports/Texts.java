package org.govind.reports;

import java.util.Locale;
import org.govind.schema.ListRules;

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
     * An entry's reasons in the report's language, rendered from its codes with the texts of the list
     * rules' definition ({@code schemas/lists/list_rules.yaml}); in Chinese this is the stored text. An
     * entry without structured reasons (listed before they were stored) shows its stored text.
     */
    public String reasons(Bulletin.Entry e) {
        if (e.reasonDetails().isEmpty()) return e.reasons();
        return ListRules.get().render(e.reasonDetails(), en ? "en" : "zh");
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
