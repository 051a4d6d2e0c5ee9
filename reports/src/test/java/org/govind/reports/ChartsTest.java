package org.govind.reports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.govind.reports.Bulletin.District;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.data.category.DefaultCategoryDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

class ChartsTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final List<String> NAMES = List.of("trend-on-time", "trend-satisfaction", "coverage", "stars", "black-trend");
    private static final Pattern ID = Pattern.compile("\\sid=['\"]([^'\"]+)['\"]");
    private static final Pattern REF = Pattern.compile("url\\(#([^)]+)\\)|href=['\"]#?([^'\"]+)['\"]");

    private static List<Charts.Rendered> zh;
    private static List<Charts.Rendered> en;

    @BeforeAll
    static void renderOnce() {
        zh = Charts.render(SampleBulletin.of("zh"));
        en = Charts.render(SampleBulletin.of("en"));
    }

    @Test
    void fiveChartsInOrderWithPngAndSvg() throws Exception {
        assertEquals(NAMES, zh.stream().map(Charts.Rendered::name).toList());
        String family = Fonts.get().family();
        for (Charts.Rendered r : zh) {
            byte[] head = java.util.Arrays.copyOf(r.png(), PNG_SIGNATURE.length);
            assertArrayEquals(PNG_SIGNATURE, head, r.name() + ": PNG signature");
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.png()));
            assertNotNull(img, r.name() + ": PNG decodes");
            assertEquals(960, img.getWidth(), r.name());
            assertEquals(540, img.getHeight(), r.name());
            assertEquals(0xFFFFFF, img.getRGB(2, 2) & 0xFFFFFF, r.name() + ": white background");

            Document doc = parse(r.svg());
            Element root = doc.getDocumentElement();
            assertEquals("svg", root.getTagName(), r.name());
            assertEquals("0.0 0.0 960.0 540.0", root.getAttribute("viewBox"), r.name());
            List<String> texts = texts(doc);
            assertTrue(texts.contains(r.title()), r.name() + ": title as <text>: " + texts);
            assertTrue(texts.contains("嘉祥县"), r.name() + ": district as <text>: " + texts);
            assertTrue(texts.contains("梁山县"), r.name() + ": district as <text>: " + texts);
            assertTrue(texts.contains("统计月份：2026-03（公示稿）"), r.name() + ": subtitle: " + texts);
            // every <text> is in the CJK font
            NodeList nodes = doc.getElementsByTagName("text");
            for (int i = 0; i < nodes.getLength(); i++) {
                String style = ((Element) nodes.item(i)).getAttribute("style");
                assertTrue(style.contains("font-family: \"" + family + "\""), r.name() + ": " + style);
            }
            // self-contained: no images, no links out, every url(#...) points into this SVG
            assertFalse(r.svg().contains("<image"), r.name());
            Set<String> ids = ids(r.svg());
            Matcher m = REF.matcher(r.svg());
            while (m.find()) {
                String ref = m.group(1) != null ? m.group(1) : m.group(2);
                assertTrue(ids.contains(ref), r.name() + ": reference to " + ref + " outside the SVG");
            }
        }
        assertEquals("各区县按期办结率（近12个月）", zh.get(0).title());
    }

    @Test
    void axisLabelsAndTicksStayText() throws Exception {
        Map<String, Charts.Rendered> byName = new HashMap<>();
        zh.forEach(r -> byName.put(r.name(), r));
        // the value axis label is drawn rotated; it must still be <text>, not glyph outlines
        List<String> onTime = texts(parse(byName.get("trend-on-time").svg()));
        assertTrue(onTime.contains("按期办结率"), onTime.toString());
        assertTrue(onTime.contains("月份"), onTime.toString());
        assertTrue(onTime.contains("0%") && onTime.contains("100%"), "percent axis 0–100%: " + onTime);
        assertTrue(onTime.contains("2025-04") && onTime.contains("2026-03"), "12 months: " + onTime);
        List<String> coverage = texts(parse(byName.get("coverage").svg()));
        for (String s : List.of("小区党组织覆盖率", "物业服务覆盖率", "业委会组建率", "82.0%", "91.0%", "35.0%", "70.0%", "20.0%")) {
            assertTrue(coverage.contains(s), s + " in " + coverage);
        }
        List<String> stars = texts(parse(byName.get("stars").svg()));
        for (int s = 1; s <= 5; s++) assertTrue(stars.contains("★" + s), "★" + s + " in " + stars);
    }

    @Test
    void nullCoverageIsNoBarNotZero() {
        JFreeChart coverage = chart(SampleBulletin.of("zh"), "coverage");
        DefaultCategoryDataset ds = (DefaultCategoryDataset) ((CategoryPlot) coverage.getPlot()).getDataset();
        assertEquals(3, ds.getRowCount());
        assertEquals(null, ds.getValue("物业服务覆盖率", "梁山县"));  // Sample: property coverage of 梁山县 is null
        assertEquals(0.7, ds.getValue("小区党组织覆盖率", "梁山县").doubleValue(), 1e-12);
        // and no "0.0%" label is drawn for it
        String svg = zh.stream().filter(r -> r.name().equals("coverage")).findFirst().orElseThrow().svg();
        assertFalse(svg.contains(">0.0%<"), "a null rate must not be drawn as 0.0%");

        JFreeChart onTime = chart(SampleBulletin.of("zh"), "trend-on-time");
        DefaultCategoryDataset t = (DefaultCategoryDataset) ((CategoryPlot) onTime.getPlot()).getDataset();
        assertEquals(List.of("嘉祥县", "梁山县"), t.getRowKeys());
        assertEquals(12, t.getColumnCount());
        assertEquals(null, t.getValue("嘉祥县", "2025-10"));  // the null point is a gap
        assertEquals(0.92, t.getValue("嘉祥县", "2026-03").doubleValue(), 1e-9);
    }

    @Test
    void englishTitles() throws Exception {
        assertEquals(NAMES, en.stream().map(Charts.Rendered::name).toList());
        assertEquals("On-time rate by district (last 12 months)", en.get(0).title());
        assertEquals("Satisfaction rate by district (last 12 months)", en.get(1).title());
        for (Charts.Rendered r : en) {
            assertTrue(r.title().chars().allMatch(c -> c < 0x80), "English title: " + r.title());
            List<String> texts = texts(parse(r.svg()));
            assertTrue(texts.contains(r.title()), r.name() + ": " + texts);
            assertTrue(texts.contains("Period: 2026-03 (draft for publicity)"), r.name() + ": " + texts);
            // no Chinese besides the district names (data, not wording)
            for (String s : texts) {
                if (s.equals("嘉祥县") || s.equals("梁山县")) continue;
                assertTrue(s.codePoints().noneMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN),
                        r.name() + ": Chinese wording in English chart: " + s);
            }
        }
    }

    @Test
    void deterministic() {
        List<Charts.Rendered> again = Charts.render(SampleBulletin.of("zh"));
        assertEquals(zh.size(), again.size());
        for (int i = 0; i < zh.size(); i++) {
            assertEquals(zh.get(i).svg(), again.get(i).svg(), zh.get(i).name() + ": SVG differs between runs");
            assertArrayEquals(zh.get(i).png(), again.get(i).png(), zh.get(i).name() + ": PNG differs between runs");
        }
        // and the charts really differ from each other (no accidental constant output)
        assertEquals(zh.size(), zh.stream().map(Charts.Rendered::svg).distinct().count());
    }

    @Test
    void idsArePrefixedAndDoNotCollide() {
        Map<String, String> owner = new HashMap<>();
        for (List<Charts.Rendered> set : List.of(zh, en)) {
            owner.clear();
            for (Charts.Rendered r : set) {
                Set<String> ids = ids(r.svg());
                assertTrue(ids.size() >= 2, r.name() + ": expected root and clip-path ids, got " + ids);
                for (String id : ids) {
                    assertTrue(id.startsWith(r.name() + "-"), r.name() + ": id " + id + " not prefixed by the chart name");
                    String before = owner.put(id, r.name());
                    assertEquals(null, before, "id " + id + " used in " + before + " and " + r.name());
                }
            }
        }
    }

    @Test
    void missingGlyphInTitleFails() {
        for (String odd : List.of("\uD83D\uDE00", new String(Character.toChars(0x20000)))) {
            assumeTrue(Fonts.get().cannotDisplay(odd) == 0, "the font unexpectedly has " + odd);
            JFreeChart chart = chart(SampleBulletin.of("zh"), "trend-on-time");
            Charts.checkGlyphs(chart);  // fine as built
            chart.setTitle("各区县按期办结率" + odd);
            Fonts.MissingFontException e = assertThrows(Fonts.MissingFontException.class, () -> Charts.checkGlyphs(chart));
            assertTrue(e.getMessage().contains("'" + odd + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("U+" + Integer.toHexString(odd.codePointAt(0)).toUpperCase()), e.getMessage());
            assertTrue(e.getMessage().contains("chart title"), e.getMessage());
        }
    }

    @Test
    void missingGlyphInDataLabelStopsRender() {
        String odd = new String(Character.toChars(0x20BB7));  // 𠮷, CJK Extension B (used in some names)
        assumeTrue(Fonts.get().cannotDisplay(odd) == 0, "the font unexpectedly has " + odd);
        Bulletin b = SampleBulletin.of("zh");
        List<District> ds = new ArrayList<>(b.districts());
        District d = ds.get(1);
        ds.set(1, new District(d.code(), "梁" + odd + "县", d.red(), d.black(), d.notRated(), d.starCounts(), d.branchCoverage(),
                d.propertyCoverage(), d.committeeRate(), d.leaders()));
        Bulletin odded = new Bulletin(b.meta(), b.figures(), ds, b.quality(), b.trends(), b.units(), b.sheets());
        Fonts.MissingFontException e = assertThrows(Fonts.MissingFontException.class, () -> Charts.render(odded));
        assertTrue(e.getMessage().contains("'" + odd + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("category label"), e.getMessage());
    }

    // ---------------------------------------------------------------- helpers

    private static JFreeChart chart(Bulletin b, String name) {
        return Charts.charts(b).stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow().chart();
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new InputSource(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8))));
    }

    private static List<String> texts(Document doc) {
        List<String> out = new ArrayList<>();
        NodeList nodes = doc.getElementsByTagName("text");
        for (int i = 0; i < nodes.getLength(); i++) out.add(nodes.item(i).getTextContent());
        return out;
    }

    private static Set<String> ids(String svg) {
        Set<String> ids = new HashSet<>();
        Matcher m = ID.matcher(svg);
        while (m.find()) assertTrue(ids.add(m.group(1)), "duplicate id " + m.group(1));
        return ids;
    }
}
