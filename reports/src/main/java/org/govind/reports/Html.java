package org.govind.reports;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.DateTimeException;
import java.time.YearMonth;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.govind.reports.Bulletin.District;
import org.govind.reports.Bulletin.Entry;
import org.govind.reports.Bulletin.Figure;
import org.govind.reports.Bulletin.Leader;
import org.govind.reports.Bulletin.Meta;
import org.govind.reports.Bulletin.QualityNote;
import org.govind.reports.Bulletin.Unit;

/**
 * The bulletin as one self-contained HTML page ({@code index.html}): inline CSS, inline SVG charts
 * and a small inline script (sortable tables, drill-down anchors); no external URL, no web font.
 * The page is rendered from {@code bulletin.html.mustache} with HTML escaping on; only the chart
 * SVGs are inserted raw, after their XML prolog and DOCTYPE are stripped, their ids are prefixed
 * per chart (so several inline SVGs cannot clash) and they are checked for external references.
 * The same inputs always give the same string.
 */
public final class Html {
    private static final String TEMPLATE = "bulletin.html.mustache";
    private static volatile Template template;

    /** Fallback fonts after the chosen CJK family: local names only, never a web font. */
    private static final String FONT_FALLBACK = "\"PingFang SC\", \"Hiragino Sans GB\", \"Microsoft YaHei\", "
            + "\"Noto Sans CJK SC\", \"Source Han Sans SC\", sans-serif";

    private Html() {}

    /**
     * Renders the page.
     *
     * @param b         the bulletin
     * @param svgCharts chart name → SVG document text, in display order (may be empty or null)
     * @return the complete HTML document
     * @throws IllegalArgumentException if a chart is not an SVG or refers to anything outside the page
     */
    public static String render(Bulletin b, LinkedHashMap<String, String> svgCharts) {
        Meta m = b.meta();
        Texts tx = new Texts(m.lang());
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("lang", tx.en() ? "en" : "zh-CN");
        v.put("L", labels(tx));
        v.put("fontStack", fontStack(Fonts.get().family()));
        v.put("issuer", nz(m.issuer()));
        String title = title(tx, m.period());
        v.put("title", title);
        v.put("docTitle", m.issuer() == null || m.issuer().isBlank() ? title : m.issuer() + " · " + title);
        boolean fin = "final".equals(m.status());
        v.put("final", fin);
        v.put("statusClass", fin ? "final" : "draft");
        v.put("statusText", capitalize(tx.status(m.status())));
        v.put("publicityEnd", m.publicityEnd() == null ? "" : m.publicityEnd().toString());
        v.put("publicationId", nz(m.publicationId()));
        v.put("rulesSha256", nz(m.rulesSha256()));
        v.put("period", nz(m.period()));
        List<Map<String, Object>> versions = new ArrayList<>();
        if (m.tableVersions() != null) {
            new TreeMap<>(m.tableVersions()).forEach((t, ver) -> versions.add(row("table", t, "version", ver == null ? "—" : "v" + ver)));
        }
        v.put("tableVersions", versions);

        List<Map<String, Object>> figures = new ArrayList<>();
        for (Figure f : list(b.figures())) figures.add(row("label", nz(f.label()), "key", nz(f.key()), "value", figure(f)));
        v.put("figures", figures);

        Map<String, String> districtNames = new LinkedHashMap<>();
        List<Map<String, Object>> districts = new ArrayList<>();
        for (District d : list(b.districts())) {
            districtNames.put(d.code(), d.name());
            districts.add(district(tx, d));
        }
        v.put("districts", districts);

        List<Map<String, Object>> charts = new ArrayList<>();
        if (svgCharts != null) {
            int i = 0;
            for (Map.Entry<String, String> c : svgCharts.entrySet()) {
                String anchor = "chart-" + (++i) + "-" + Svg.slug(c.getKey());
                String svg = Svg.prepare(c.getKey(), c.getValue(), anchor + "-");
                charts.add(row("name", c.getKey(), "anchor", anchor,
                        "caption", chartTitle(tx, c.getKey(), c.getValue()), "svg", svg));
            }
        }
        v.put("charts", charts);

        List<Map<String, Object>> errors = new ArrayList<>();
        List<Map<String, Object>> warnings = new ArrayList<>();
        for (QualityNote q : list(b.quality())) {
            String where = q.district() == null ? tx.t("全市", "City") : districtNames.getOrDefault(q.district(), q.district());
            Map<String, Object> r = row("district", where, "districtCode", nz(q.district()), "check", nz(q.check()),
                    "checkLabel", checkLabel(tx, q.check()), "message", nz(q.message()));
            ("error".equals(q.level()) ? errors : warnings).add(r);
        }
        v.put("errors", errors);
        v.put("warnings", warnings);
        v.put("errorsHeading", tx.t("错误（" + errors.size() + "）", "Errors (" + errors.size() + ")"));
        v.put("warningsHeading", tx.t("警告（" + warnings.size() + "）", "Warnings (" + warnings.size() + ")"));
        v.put("qualityClean", errors.isEmpty() && warnings.isEmpty());

        drillDown(v, list(b.units()));

        return template().execute(v);
    }

    // ---------------------------------------------------------------- sections

    private static Map<String, Object> district(Texts tx, District d) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("code", nz(d.code()));
        r.put("name", nz(d.name()));
        r.put("codeNote", tx.t("（" + nz(d.code()) + "）", "(" + nz(d.code()) + ")"));
        r.put("red", entries(tx, list(d.red())));
        r.put("black", entries(tx, list(d.black())));
        r.put("notRated", entries(tx, list(d.notRated())));
        List<Map<String, Object>> stars = new ArrayList<>();
        long total = 0;
        boolean anyNull = false;
        List<Long> counts = list(d.starCounts());
        for (int i = 0; i < 5; i++) {
            Long c = i < counts.size() ? counts.get(i) : null;
            if (c == null) anyNull = true; else total += c;
            stars.add(row("label", "★" + (i + 1), "count", c == null ? "—" : count(c)));
        }
        r.put("stars", stars);
        r.put("starTotal", anyNull && total == 0 ? "—" : count(total));
        r.put("coverage", List.of(
                row("label", tx.t("小区党组织覆盖率", "Party branch coverage of compounds"), "value", Texts.pct(d.branchCoverage())),
                row("label", tx.t("物业服务覆盖率", "Property service coverage"), "value", Texts.pct(d.propertyCoverage())),
                row("label", tx.t("业委会组建率", "Owners' committee rate"), "value", Texts.pct(d.committeeRate()))));
        List<Map<String, Object>> leaders = new ArrayList<>();
        for (Leader l : list(d.leaders())) {
            leaders.add(row("rank", String.valueOf(l.rank()), "displayName", nz(l.displayName()),
                    "holderType", holderType(tx, l.holderType()), "netPoints", points(l.netPoints())));
        }
        r.put("leaders", leaders);
        return r;
    }

    private static List<Map<String, Object>> entries(Texts tx, List<Entry> es) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Entry e : es) {
            rows.add(row("position", e.position() == null ? "—" : String.valueOf(e.position()),
                    "companyId", nz(e.companyId()), "companyName", nz(e.companyName()),
                    "stars", Texts.stars(e.star()), "starValue", e.star() == null ? "—" : String.valueOf(e.star()),
                    "score", Texts.score(e.score()), "reasons", nz(tx.reasons(e))));
        }
        return rows;
    }

    /**
     * Drill-down over units: roots (no parent) are districts, their children communities, theirs
     * compounds; order as given. Units whose parent is not in the list, or that sit deeper than
     * three levels, are listed apart so nothing is silently dropped.
     */
    private static void drillDown(Map<String, Object> v, List<Unit> units) {
        Map<String, List<Unit>> children = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        for (Unit u : units) ids.add(u.unitId());
        List<Unit> roots = new ArrayList<>();
        for (Unit u : units) {
            if (u.parentId() == null) roots.add(u);
            else children.computeIfAbsent(u.parentId(), k -> new ArrayList<>()).add(u);
        }
        Set<Unit> shown = new LinkedHashSet<>();
        List<Map<String, Object>> districts = new ArrayList<>();
        for (Unit d : roots) {
            shown.add(d);
            Map<String, Object> dr = unit(d);
            List<Map<String, Object>> communities = new ArrayList<>();
            for (Unit c : children.getOrDefault(d.unitId(), List.of())) {
                shown.add(c);
                Map<String, Object> cr = unit(c);
                List<Map<String, Object>> compounds = new ArrayList<>();
                for (Unit q : children.getOrDefault(c.unitId(), List.of())) {
                    shown.add(q);
                    compounds.add(unit(q));
                }
                cr.put("compounds", compounds);
                communities.add(cr);
            }
            dr.put("communities", communities);
            districts.add(dr);
        }
        List<Map<String, Object>> loose = new ArrayList<>();
        for (Unit u : units) if (!shown.contains(u)) loose.add(unit(u));
        v.put("drillDistricts", districts);
        v.put("looseUnits", loose);
    }

    private static Map<String, Object> unit(Unit u) {
        return row("unitId", nz(u.unitId()), "level", nz(u.level()), "unitName", nz(u.name()),
                "received", u.received() == null ? "—" : count(u.received()),
                "onTime", Texts.pct(u.onTimeRate()), "satisfaction", Texts.pct(u.satisfactionRate()),
                "branch", Texts.pct(u.branchCoverage()), "visit", Texts.pct(u.visitCoverage()),
                "unitStars", Texts.stars(u.star()), "unitStarValue", u.star() == null ? "—" : String.valueOf(u.star()));
    }

    // ---------------------------------------------------------------- wording

    private static Map<String, String> labels(Texts tx) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("contents", tx.t("目录", "Contents"));
        l.put("figures", tx.t("本月主要指标", "Figures of the month"));
        l.put("red", tx.list("red"));
        l.put("black", tx.list("black"));
        l.put("notRated", tx.list("not_rated"));
        l.put("none", tx.t("本月无", "None this month"));
        l.put("position", tx.t("位次", "Position"));
        l.put("company", tx.t("企业名称", "Company"));
        l.put("star", tx.t("星级", "Star"));
        l.put("score", tx.t("得分", "Score"));
        l.put("reasons", tx.t("依据", "Reasons"));
        l.put("notRatedReasons", tx.t("不参评原因", "Reason"));
        l.put("starDistribution", tx.t("小区星级分布", "Compound star distribution"));
        l.put("compounds", tx.t("小区数", "Compounds"));
        l.put("total", tx.t("合计", "Total"));
        l.put("coverage", tx.t("覆盖率", "Coverage"));
        l.put("indicator", tx.t("指标", "Indicator"));
        l.put("value", tx.t("数值", "Value"));
        l.put("leaderboard", tx.t("积分排行榜", "Points leaderboard"));
        l.put("rank", tx.t("名次", "Rank"));
        l.put("holder", tx.t("姓名（脱敏）", "Name (masked)"));
        l.put("holderType", tx.t("类型", "Type"));
        l.put("netPoints", tx.t("净积分", "Net points"));
        l.put("charts", tx.t("图表", "Charts"));
        l.put("quality", tx.t("数据质量提示", "Data quality"));
        l.put("colon", tx.t("：", ": "));
        l.put("qualityClean", tx.t("本月无数据质量问题。", "No data quality findings this month."));
        l.put("district", tx.t("区县", "District"));
        l.put("check", tx.t("检查项", "Check"));
        l.put("message", tx.t("说明", "Message"));
        l.put("drill", tx.t("逐级查看：区县 → 社区 → 小区", "Drill-down: district → community → compound"));
        l.put("drillHint", tx.t("点击区县或社区展开下级单位；点击表头排序。",
                "Open a district or community to see the units below it; click a column header to sort."));
        l.put("unitName", tx.t("名称", "Name"));
        l.put("unitId", tx.t("编号", "Code"));
        l.put("communityCol", tx.t("社区", "Community"));
        l.put("compoundCol", tx.t("小区", "Compound"));
        l.put("received", tx.t("受理", "Received"));
        l.put("onTime", tx.t("按期办结率", "On-time rate"));
        l.put("satisfaction", tx.t("满意率", "Satisfaction rate"));
        l.put("branch", tx.t("党组织覆盖率", "Branch coverage"));
        l.put("visit", tx.t("走访覆盖率", "Visit coverage"));
        l.put("noChildren", tx.t("无下级单位数据。", "No units below this one."));
        l.put("looseUnits", tx.t("未归入层级的单位", "Units outside the hierarchy"));
        l.put("parent", tx.t("上级编号", "Parent"));
        l.put("level", tx.t("层级", "Level"));
        l.put("status", tx.t("状态", "Status"));
        l.put("publicityEnd", tx.t("公示期至", "Publicity until"));
        l.put("publicationId", tx.t("发布编号", "Publication"));
        l.put("tableVersions", tx.t("数据表版本", "Table versions"));
        l.put("rulesSha256", tx.t("规则 SHA-256", "Rules SHA-256"));
        l.put("period", tx.t("统计月份", "Period"));
        l.put("sortHint", tx.t("点击表头排序", "Click a header to sort"));
        return l;
    }

    static String title(Texts tx, String period) {
        try {
            YearMonth ym = YearMonth.parse(period);
            return tx.en()
                    ? "Red and black lists of property companies, " + ym.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " " + ym.getYear()
                    : ym.getYear() + "年" + ym.getMonthValue() + "月 物业服务企业红黑榜通报";
        } catch (DateTimeException | NullPointerException e) {
            return tx.t(nz(period) + " 物业服务企业红黑榜通报", "Red and black lists of property companies, " + nz(period));
        }
    }

    private static String chartTitle(Texts tx, String name, String svg) {
        Matcher t = Pattern.compile("<title[^>]*>([^<]*)</title>").matcher(svg == null ? "" : svg);
        if (t.find() && !t.group(1).isBlank()) {
            return t.group(1).trim().replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                    .replace("&#39;", "'").replace("&apos;", "'").replace("&amp;", "&");
        }
        return switch (name) {
            case "trend-on-time" -> tx.t("按期办结率（近 12 个月）", "On-time rate, last 12 months");
            case "trend-satisfaction" -> tx.t("满意率（近 12 个月）", "Satisfaction rate, last 12 months");
            case "coverage" -> tx.t("覆盖率", "Coverage");
            case "stars" -> tx.t("小区星级分布", "Compound star distribution");
            case "black-trend" -> tx.t("黑榜企业数（近 12 个月）", "Black-list companies, last 12 months");
            default -> name;
        };
    }

    /** A check's label from the one catalogue (org.govind.schema.QualityCheck); an unknown name is shown as it is. */
    private static String checkLabel(Texts tx, String check) {
        if (check == null) return "";
        org.govind.schema.QualityCheck c = org.govind.schema.QualityCheck.find(check);
        if (c == null) return check;
        return tx.t(c.zh, Character.toUpperCase(c.labelEn.charAt(0)) + c.labelEn.substring(1));
    }

    private static String holderType(Texts tx, String t) {
        if (t == null) return "—";
        return switch (t) {
            case "party_member" -> tx.t("党员", "Party member");
            case "resident" -> tx.t("居民", "Resident");
            case "red_neighbor_leader" -> tx.t("红色近邻长", "Red neighbour leader");
            case "volunteer" -> tx.t("志愿者", "Volunteer");
            default -> t;
        };
    }

    // ---------------------------------------------------------------- formats

    private static String figure(Figure f) {
        if (f.value() == null) return "—";
        return switch (nz(f.kind())) {
            case "percent" -> Texts.pct(f.value());
            case "count" -> count(Math.round(f.value()));
            default -> number(f.value());
        };
    }

    static String count(long n) { return String.format(Locale.ROOT, "%,d", n); }

    private static String number(double d) {
        return new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(d);
    }

    private static String points(BigDecimal p) { return p == null ? "—" : p.toPlainString(); }

    /** A CSS font-family list: the chosen family first (as a CSS string), then local fallbacks. */
    static String fontStack(String family) {
        String clean = family == null ? "" : family.replaceAll("[\\\\\"<>{};\\p{Cntrl}]", "").trim();
        return clean.isEmpty() ? FONT_FALLBACK : "\"" + clean + "\", " + FONT_FALLBACK;
    }

    private static String capitalize(String s) {
        return s == null || s.isEmpty() ? "" : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    private static String nz(String s) { return s == null ? "" : s; }

    private static <T> List<T> list(List<T> l) { return l == null ? List.of() : l; }

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    private static Template template() {
        Template t = template;
        if (t == null) {
            synchronized (Html.class) {
                if (template == null) {
                    try (InputStream in = Html.class.getResourceAsStream(TEMPLATE)) {
                        if (in == null) throw new IllegalStateException("missing template " + TEMPLATE);
                        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                        template = Mustache.compiler().escapeHTML(true).strictSections(true).emptyStringIsFalse(true)
                                .compile(text);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                t = template;
            }
        }
        return t;
    }

    // ---------------------------------------------------------------- SVG

    /** Prepares an SVG document for inline use. Package-private for tests. */
    static final class Svg {
        private static final Pattern PROLOG = Pattern.compile("^\\s*(?:<\\?xml[^>]*\\?>\\s*|<!--.*?-->\\s*|<!DOCTYPE[^>\\[]*(?:\\[.*?\\])?\\s*>\\s*)*",
                Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
        private static final Pattern XMLNS = Pattern.compile("\\sxmlns(?::[\\w.-]+)?\\s*=\\s*(\"[^\"]*\"|'[^']*')");
        private static final Pattern ID = Pattern.compile("\\sid\\s*=\\s*([\"'])(.*?)\\1", Pattern.DOTALL);
        private static final Pattern REF = Pattern.compile(
                "(\\sid\\s*=\\s*)([\"'])(.*?)\\2|(url\\(\\s*['\"]?#)([^)'\"\\s]+)|((?:xlink:)?href\\s*=\\s*)([\"'])#(.*?)\\7", Pattern.DOTALL);
        private static final Pattern ROOT = Pattern.compile("<svg\\b[^>]*>", Pattern.CASE_INSENSITIVE);
        private static final Pattern[] FORBIDDEN = {
                Pattern.compile("(?i)https?:"),
                Pattern.compile("(?i)@import"),
                Pattern.compile("(?i)url\\(\\s*(?!['\"]?\\s*#)"),
                Pattern.compile("(?i)(?:href|src)\\s*=\\s*[\"']\\s*//"),
                Pattern.compile("(?i)(?:href|src)\\s*=\\s*[\"']\\s*(?!#|data:)[a-z][a-z0-9+.-]*:"),
                Pattern.compile("(?i)<script"),
                Pattern.compile("(?i)<foreignObject"),
        };

        private Svg() {}

        static String prepare(String name, String svg, String idPrefix) {
            if (svg == null) throw new IllegalArgumentException("chart " + name + ": no SVG");
            String s = PROLOG.matcher(svg).replaceFirst("").strip();
            if (!s.regionMatches(true, 0, "<svg", 0, 4)) {
                throw new IllegalArgumentException("chart " + name + ": not an SVG document (expected <svg after the prolog)");
            }
            String withoutNs = XMLNS.matcher(s).replaceAll("");
            for (Pattern p : FORBIDDEN) {
                Matcher m = p.matcher(withoutNs);
                if (m.find()) {
                    throw new IllegalArgumentException("chart " + name + ": refers outside the page or runs script near '"
                            + withoutNs.substring(m.start(), Math.min(withoutNs.length(), m.start() + 40)) + "'");
                }
            }
            return viewBox(prefixIds(s, idPrefix));
        }

        /** Prefixes every id and every local reference to it (url(#…), href="#…"). */
        static String prefixIds(String s, String prefix) {
            Set<String> ids = new HashSet<>();
            Matcher im = ID.matcher(s);
            while (im.find()) ids.add(im.group(2));
            if (ids.isEmpty()) return s;
            Matcher m = REF.matcher(s);
            StringBuilder out = new StringBuilder(s.length() + 64);
            while (m.find()) {
                String rep;
                if (m.group(1) != null) {
                    rep = m.group(1) + m.group(2) + prefix + m.group(3) + m.group(2);
                } else if (m.group(4) != null) {
                    rep = ids.contains(m.group(5)) ? m.group(4) + prefix + m.group(5) : m.group();
                } else {
                    rep = ids.contains(m.group(8)) ? m.group(6) + m.group(7) + "#" + prefix + m.group(8) + m.group(7) : m.group();
                }
                m.appendReplacement(out, Matcher.quoteReplacement(rep));
            }
            m.appendTail(out);
            return out.toString();
        }

        /** Adds viewBox="0 0 w h" to the root element when it has numeric width and height but no viewBox, so CSS can scale it. */
        static String viewBox(String s) {
            Matcher r = ROOT.matcher(s);
            if (!r.find()) return s;
            String tag = r.group();
            if (Pattern.compile("(?i)\\sviewBox\\s*=").matcher(tag).find()) return s;
            Matcher w = Pattern.compile("\\swidth\\s*=\\s*[\"']\\s*([0-9.]+)\\s*(?:px)?\\s*[\"']").matcher(tag);
            Matcher h = Pattern.compile("\\sheight\\s*=\\s*[\"']\\s*([0-9.]+)\\s*(?:px)?\\s*[\"']").matcher(tag);
            if (!w.find() || !h.find()) return s;
            String newTag = tag.substring(0, 4) + " viewBox=\"0 0 " + w.group(1) + " " + h.group(1) + "\"" + tag.substring(4);
            return s.substring(0, r.start()) + newTag + s.substring(r.end());
        }

        /** The chart name as an id fragment: letters, digits, '-' and '_' kept, anything else as '_'. */
        static String slug(String name) {
            String s = name == null ? "" : name.replaceAll("[^A-Za-z0-9_-]", "_");
            return s.isEmpty() ? "_" : s;
        }
    }
}
