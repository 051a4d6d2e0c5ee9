package org.govind.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.govind.reports.Bulletin.District;
import org.govind.reports.Bulletin.Entry;
import org.govind.reports.Bulletin.Meta;
import org.govind.reports.Bulletin.QualityNote;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.Test;

class HtmlTest {
    static final String PROLOG = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
            + "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n";
    static final String NS = "xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"";

    /** Three small charts: two reuse the clip id "c0" (as chart libraries do), one names itself with a title. */
    static LinkedHashMap<String, String> charts() {
        LinkedHashMap<String, String> c = new LinkedHashMap<>();
        c.put("trend-on-time", PROLOG + "<svg " + NS + " width=\"400\" height=\"200\"><defs><clipPath id=\"c0\"><rect width=\"400\" height=\"180\"/></clipPath></defs>"
                + "<g clip-path=\"url(#c0)\"><polyline points=\"0,100 400,50\" stroke=\"#b3261e\"/><text id=\"label-on-time\" x=\"10\" y=\"20\">ONTIME-MARK 按期办结率</text></g></svg>");
        c.put("stars", "<svg " + NS + " width=\"300\" height=\"150\"><defs><clipPath id=\"c0\"><rect width=\"300\" height=\"150\"/></clipPath></defs>"
                + "<g clip-path=\"url(#c0)\"><rect x=\"0\" y=\"0\" width=\"10\" height=\"40\"/><use xlink:href=\"#c0\"/><text x=\"5\" y=\"15\">STARS-MARK ★5</text></g></svg>");
        c.put("black-trend", "<svg " + NS + " viewBox=\"0 0 500 250\"><title>黑榜企业数趋势 &amp; 测试</title><text x=\"5\" y=\"15\">BLACK-MARK</text></svg>");
        return c;
    }

    static Document parse(String html) { return Jsoup.parse(html); }

    static Element district(Document doc, String code) {
        Element s = doc.getElementById("d-" + code);
        assertNotNull(s, "section for district " + code);
        return s;
    }

    @Test
    void parsesWithChineseLanguageAndOfficialHeader() {
        Bulletin b = SampleBulletin.of("zh");
        Document doc = parse(Html.render(b, charts()));
        assertEquals("zh-CN", doc.selectFirst("html").attr("lang"));
        assertEquals("2026年3月 物业服务企业红黑榜通报", doc.selectFirst("h1").text());
        assertEquals(b.meta().issuer(), doc.selectFirst(".issuer").text());
        Element badge = doc.getElementById("status-badge");
        assertTrue(badge.hasClass("draft"));
        assertTrue(badge.text().contains("公示稿"), badge.text());
        assertTrue(badge.text().contains("公示期至 2026-04-10"), badge.text());
        assertNotNull(doc.selectFirst("meta[name=viewport][content*=width=device-width]"));
        assertEquals("UTF-8", doc.charset().name());
        String css = doc.selectFirst("style").data();
        assertTrue(css.contains("font-family: \"" + Fonts.get().family() + "\","), "chosen CJK family first in the stack");
        assertTrue(css.contains("@media print"));
        // headings of every section, in Chinese
        List<String> h3 = doc.select("h3").eachText();
        assertTrue(h3.containsAll(List.of("红榜", "黑榜", "本月不参评", "小区星级分布", "覆盖率", "积分排行榜")), h3.toString());
    }

    @Test
    void englishPage() {
        Bulletin b = SampleBulletin.of("en");
        Document doc = parse(Html.render(b, charts()));
        assertEquals("en", doc.selectFirst("html").attr("lang"));
        assertEquals("Red and black lists of property companies, March 2026", doc.selectFirst("h1").text());
        List<String> h3 = doc.select("h3").eachText();
        assertTrue(h3.containsAll(List.of("Red list", "Black list", "Not rated this month", "Compound star distribution",
                "Coverage", "Points leaderboard")), h3.toString());
        for (String h : doc.select("h2, h3, th, footer dt").eachText()) {
            assertFalse(h.contains("红榜") || h.contains("黑榜") || h.contains("公示") || h.contains("覆盖率"), "Chinese heading in en page: " + h);
        }
        assertTrue(doc.getElementById("status-badge").text().contains("Publicity until 2026-04-10"));
        assertEquals("嘉祥县 (370829)", district(doc, "370829").selectFirst("h2").text());
        assertEquals(List.of("Errors (1)", "Warnings (1)"), doc.select("#quality h3").eachText());
        assertEquals("None this month", district(doc, "370832").selectFirst("div[data-list=red] .empty").text());
        // the SVG <title> is the caption when present; known names are translated otherwise
        assertEquals("On-time rate, last 12 months", doc.selectFirst("figure[data-chart=trend-on-time] figcaption").text());
    }

    @Test
    void finalStatusHasNoPublicityDeadline() {
        Bulletin s = SampleBulletin.of("zh");
        Meta m = s.meta();
        Bulletin b = new Bulletin(new Meta(m.period(), "final", "2026-03-final-1", m.publicityEnd(), m.issuer(), m.rulesSha256(),
                m.tableVersions(), m.lang()), s.figures(), s.districts(), s.quality(), s.trends(), s.units(), s.sheets());
        Document doc = parse(Html.render(b, new LinkedHashMap<>()));
        Element badge = doc.getElementById("status-badge");
        assertTrue(badge.hasClass("final"));
        assertEquals("正式发布", badge.text());
        assertFalse(doc.text().contains("公示期至"));
        assertTrue(doc.selectFirst("footer").text().contains("2026-03-final-1"));
        assertTrue(doc.select("svg").isEmpty());
        assertTrue(doc.select("#charts").isEmpty(), "no chart section without charts");
    }

    @Test
    void figuresFormattedByKind() {
        Bulletin b = SampleBulletin.of("zh");
        Document doc = parse(Html.render(b, charts()));
        assertEquals("87.3%", doc.selectFirst(".figure[data-key=on_time_rate] dd").text());
        assertEquals("91.2%", doc.selectFirst(".figure[data-key=satisfaction_rate] dd").text());
        assertEquals("1,234", doc.selectFirst(".figure[data-key=received] dd").text());
        assertEquals("—", doc.selectFirst(".figure[data-key=branch_coverage] dd").text());
        assertEquals("小区党组织覆盖率", doc.selectFirst(".figure[data-key=branch_coverage] dt").text());
        assertEquals(b.figures().size(), doc.select(".figure").size());
    }

    @Test
    void everyListEntryWithNameReasonsAndPositionsInOrder() {
        Bulletin b = SampleBulletin.of("zh", 7);
        Document doc = parse(Html.render(b, charts()));
        int checked = 0;
        for (District d : b.districts()) {
            Element sec = district(doc, d.code());
            assertTrue(sec.selectFirst("h2").text().contains(d.name()));
            for (String list : List.of("red", "black", "not_rated")) {
                List<Entry> entries = switch (list) { case "red" -> d.red(); case "black" -> d.black(); default -> d.notRated(); };
                Element box = sec.selectFirst("div[data-list=" + list + "]");
                assertNotNull(box, list);
                Elements rows = box.select("tbody tr");
                assertEquals(entries.size(), rows.size(), d.code() + " " + list);
                if (entries.isEmpty()) assertEquals("本月无", box.selectFirst(".empty").text());
                int prev = 0;
                for (int i = 0; i < entries.size(); i++) {
                    Entry e = entries.get(i);
                    Element row = rows.get(i);
                    assertEquals(e.companyId(), row.attr("data-company"));
                    assertEquals(e.companyName(), row.selectFirst("td.name").text());
                    assertEquals(e.reasons(), row.selectFirst("td.reasons").text());
                    assertEquals(Texts.stars(e.star()), row.selectFirst("td.stars").text());
                    assertTrue(row.text().contains(Texts.score(e.score())));
                    if (e.position() != null) {
                        int pos = Integer.parseInt(row.selectFirst("td.pos").text());
                        assertEquals(e.position(), pos);
                        assertTrue(pos > prev, "positions ascending in " + d.code() + " " + list);
                        prev = pos;
                    }
                    checked++;
                }
            }
        }
        assertEquals(2 + 7 + 1 + 1, checked);
        // star distribution, coverage and leaderboard of the first district
        District d1 = b.districts().get(0);
        Element sec = district(doc, d1.code());
        assertEquals(List.of("3", "10", "25", "40", "7", "85"), sec.select("table.star-distribution tbody td").eachText());
        assertEquals(List.of("82.0%", "91.0%", "35.0%"), sec.select("table.coverage tbody td.num").eachText());
        Elements leaders = sec.select("table.leaderboard tbody tr");
        assertEquals(d1.leaders().size(), leaders.size());
        for (int i = 0; i < leaders.size(); i++) {
            assertEquals(String.valueOf(d1.leaders().get(i).rank()), leaders.get(i).child(0).text());
            assertEquals(d1.leaders().get(i).displayName(), leaders.get(i).child(1).text());
            assertEquals(d1.leaders().get(i).netPoints().toPlainString(), leaders.get(i).child(3).text());
        }
        // second district: no leaders, coverage null as a dash
        Element sec2 = district(doc, "370832");
        assertTrue(sec2.select("table.leaderboard").isEmpty());
        assertEquals("—", sec2.select("table.coverage tbody td.num").get(1).text());
    }

    @Test
    void chartsInlineWithCaptionsAndUniqueIds() {
        LinkedHashMap<String, String> charts = charts();
        String html = Html.render(SampleBulletin.of("zh"), charts);
        assertFalse(html.contains("<?xml"));
        assertFalse(html.contains("<!DOCTYPE svg"));
        Document doc = parse(html);
        assertEquals(charts.size(), doc.select("svg").size());
        assertEquals(List.of("STARS-MARK", "ONTIME-MARK", "BLACK-MARK").size(), charts.size());
        for (String name : charts.keySet()) {
            Element fig = doc.selectFirst("figure.chart[data-chart=" + name + "]");
            assertNotNull(fig, name);
            assertEquals(1, fig.select("svg").size(), name);
            assertFalse(fig.selectFirst("figcaption").text().isBlank());
        }
        assertTrue(doc.selectFirst("figure[data-chart=trend-on-time] svg text").text().contains("ONTIME-MARK"));
        assertTrue(doc.selectFirst("figure[data-chart=stars] svg text").text().contains("STARS-MARK"));
        assertTrue(doc.selectFirst("figure[data-chart=black-trend] svg text").text().contains("BLACK-MARK"));
        assertEquals("按期办结率（近 12 个月）", doc.selectFirst("figure[data-chart=trend-on-time] figcaption").text());
        assertEquals("黑榜企业数趋势 & 测试", doc.selectFirst("figure[data-chart=black-trend] figcaption").text());
        // order as given
        assertEquals(List.of("trend-on-time", "stars", "black-trend"), doc.select("figure.chart").eachAttr("data-chart"));
        // viewBox added where missing so the chart scales on a phone; kept where present
        assertEquals("0 0 400 200", doc.selectFirst("figure[data-chart=trend-on-time] svg").attr("viewBox"));
        assertEquals("0 0 500 250", doc.selectFirst("figure[data-chart=black-trend] svg").attr("viewBox"));
        // ids unique across the page and every local reference resolves
        Set<String> ids = new HashSet<>();
        for (Element e : doc.select("[id]")) assertTrue(ids.add(e.id()), "duplicate id " + e.id());
        Matcher m = Pattern.compile("url\\(#([^)]+)\\)|href=\"#([^\"]+)\"").matcher(html);
        int refs = 0;
        while (m.find()) {
            String id = m.group(1) != null ? m.group(1) : m.group(2);
            assertTrue(ids.contains(id), "dangling reference #" + id);
            refs++;
        }
        assertTrue(refs >= 3);
        assertTrue(doc.selectFirst("figure[data-chart=stars] g").attr("clip-path").startsWith("url(#chart-2-stars-"));
    }

    @Test
    void chartsReferringOutsideThePageAreRejected() {
        for (String bad : List.of(
                "<svg " + NS + "><image href=\"https://example.org/x.png\"/></svg>",
                "<svg " + NS + "><image xlink:href=\"//cdn.example.org/x.png\"/></svg>",
                "<svg " + NS + "><style>@import 'x.css';</style></svg>",
                "<svg " + NS + "><rect fill=\"url('pattern.svg#p')\"/></svg>",
                "<svg " + NS + "><script>alert(1)</script></svg>",
                "<p>not an svg</p>")) {
            LinkedHashMap<String, String> c = new LinkedHashMap<>();
            c.put("x", bad);
            assertThrows(IllegalArgumentException.class, () -> Html.render(SampleBulletin.of("zh"), c), bad);
        }
    }

    @Test
    void noExternalUrlAnywhere() {
        String html = Html.render(SampleBulletin.of("zh"), charts());
        Document doc = parse(html);
        Pattern bad = Pattern.compile("(?i)https?:|@import|url\\((?!#)|(^|[\\s\"'(=])//");
        int attrs = 0;
        for (Element e : doc.getAllElements()) {
            for (Attribute a : e.attributes()) {
                attrs++;
                if (a.getKey().equals("xmlns") || a.getKey().startsWith("xmlns:")) continue;
                assertFalse(bad.matcher(a.getValue()).find(), e.tagName() + "@" + a.getKey() + "=" + a.getValue());
            }
        }
        assertTrue(attrs > 100);
        Elements code = doc.select("style, script");
        assertTrue(code.size() >= 2);
        for (Element e : code) {
            assertFalse(bad.matcher(e.data()).find(), e.tagName() + " text has a URL");
            assertFalse(e.data().contains("//"), e.tagName() + " text has //");
        }
        assertTrue(doc.select("link, iframe, img, object, embed, [src]").isEmpty(), "nothing loaded from anywhere");
        // in the raw text, "http" appears only as an xmlns value
        Matcher m = Pattern.compile("(?i)https?:").matcher(html);
        int ns = 0;
        while (m.find()) {
            String before = html.substring(Math.max(0, m.start() - 20), m.start());
            assertTrue(before.matches("(?s).*\\sxmlns(:\\w+)?=\"$"), "http outside xmlns: ..." + before + html.substring(m.start(), m.start() + 30));
            ns++;
        }
        assertEquals(6, ns, "two xmlns per chart");
        assertFalse(doc.select("table.sortable").isEmpty());
        assertTrue(doc.select("script").first().data().contains("aria-sort"), "sort script inline");
    }

    @Test
    void companyNamesAreEscaped() {
        String html = Html.render(SampleBulletin.of("zh"), charts());
        Document doc = parse(html);
        assertFalse(html.contains(SampleBulletin.EVIL));
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;物业"));
        List<String> names = doc.select("td.name").eachText();
        assertTrue(names.contains(SampleBulletin.EVIL), names.toString());
        for (Element s : doc.select("script")) assertFalse(s.data().contains("alert"), "injected script element");
        assertEquals(1, doc.select("script").size());
    }

    @Test
    void qualityBoxListsErrorsAndWarnings() {
        Bulletin b = SampleBulletin.of("zh");
        Document doc = parse(Html.render(b, charts()));
        Element box = doc.selectFirst("#quality .quality");
        for (QualityNote q : b.quality()) {
            Element li = box.selectFirst("ul." + q.level() + "s li[data-district=" + q.district() + "]");
            assertNotNull(li, q.toString());
            assertTrue(li.text().contains(q.message()), li.text());
            String name = b.districts().stream().filter(d -> d.code().equals(q.district())).findFirst().orElseThrow().name();
            assertEquals(name, li.selectFirst("strong").text());
        }
        assertTrue(box.text().contains("错误（1）") && box.text().contains("警告（1）"), box.text());
        Bulletin clean = new Bulletin(b.meta(), b.figures(), b.districts(), List.of(), b.trends(), b.units(), b.sheets());
        Document doc2 = parse(Html.render(clean, charts()));
        assertTrue(doc2.selectFirst("#quality .quality").hasClass("clean"));
        assertTrue(doc2.select("#quality li").isEmpty());
    }

    @Test
    void drillDownFromDistrictToCommunityToCompound() {
        Bulletin b = SampleBulletin.of("zh");
        Document doc = parse(Html.render(b, charts()));
        Element drill = doc.getElementById("drill");
        Element district = only(drill.getElementsByAttributeValue("data-unit", "370829"), "details");
        assertTrue(district.hasClass("district"));
        assertEquals("嘉祥县", district.selectFirst("summary").ownText().trim());
        Element community = only(district.getElementsByAttributeValue("data-unit", "370829:370829001001"), "details");
        assertEquals(district, community.parent(), "community nested directly in its district");
        Element compound = only(community.getElementsByAttributeValue("data-unit", "370829:Q1"), "tr");
        assertEquals(community, compound.closest("details"));
        assertEquals(List.of("Q1", "370829:Q1", "20", "75.0%", "—", "100.0%", "40.0%", "★★★★☆"),
                compound.select("td").eachText());
        // the community row in the district's table links to the community
        Element link = only(district.getElementsByAttributeValue("data-unit", "370829:370829001001"), "tr").selectFirst("a");
        assertEquals("#u-370829:370829001001", link.attr("href"));
        assertEquals(community, doc.getElementById("u-370829:370829001001"));
        // the compound is nowhere else under another district
        Element other = only(drill.getElementsByAttributeValue("data-unit", "370832"), "details");
        assertTrue(other.getElementsByAttributeValue("data-unit", "370829:Q1").isEmpty());
        assertEquals("无下级单位数据。", other.selectFirst(".empty").text());
        // the top table: one row per district
        assertEquals(List.of("370829", "370832"), drill.select("table.units-district tbody tr").eachAttr("data-unit"));
        assertTrue(drill.select("table.units-loose").isEmpty());
    }

    @Test
    void unitsOutsideTheHierarchyAreListedApart() {
        Bulletin s = SampleBulletin.of("zh");
        List<Bulletin.Unit> units = new ArrayList<>(s.units());
        units.add(new Bulletin.Unit("compound", "370829:Q9", "370829:nowhere", "Q9", 3L, null, null, null, null, 2));
        Bulletin b = new Bulletin(s.meta(), s.figures(), s.districts(), s.quality(), s.trends(), units, s.sheets());
        Document doc = parse(Html.render(b, charts()));
        assertEquals(List.of("370829:Q9"), doc.select("table.units-loose tbody tr").eachAttr("data-unit"));
    }

    @Test
    void deterministic() {
        String a = Html.render(SampleBulletin.of("zh"), charts());
        String b = Html.render(SampleBulletin.of("zh"), charts());
        assertEquals(a, b);
        assertEquals(Html.render(SampleBulletin.of("en"), charts()), Html.render(SampleBulletin.of("en"), charts()));
        assertFalse(a.equals(Html.render(SampleBulletin.of("en"), charts())));
    }

    @Test
    void footerCarriesProvenance() {
        Bulletin b = SampleBulletin.of("zh");
        Element footer = parse(Html.render(b, charts())).selectFirst("footer");
        String t = footer.text();
        assertTrue(t.contains("公示稿"));
        assertTrue(t.contains("2026-04-10"));
        assertTrue(t.contains(b.meta().publicationId()));
        assertTrue(t.contains(b.meta().rulesSha256()));
        assertEquals(List.of("bronze.cases v12", "gold.company_ratings v7", "gold.red_black_list v4"), footer.select("li").eachText());
    }

    private static Element only(Elements es, String tag) {
        Elements f = new Elements();
        for (Element e : es) if (e.tagName().equals(tag)) f.add(e);
        assertEquals(1, f.size(), tag + " matches: " + f.size());
        return f.first();
    }
}
