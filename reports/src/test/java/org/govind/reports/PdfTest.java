package org.govind.reports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/** The PDF bulletin, read back with PDFBox: text, page breaks with repeated headers, embedded font, determinism. */
class PdfTest {
    static Map<String, byte[]> chart() throws Exception {
        BufferedImage img = new BufferedImage(96, 54, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("stars", out.toByteArray());
        return m;
    }

    static String text(byte[] pdf, int from, int to) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDFTextStripper s = new PDFTextStripper();
            s.setStartPage(from);
            s.setEndPage(Math.min(to, doc.getNumberOfPages()));
            return s.getText(doc);
        }
    }

    static String squash(String s) { return s.replaceAll("\\s+", ""); }

    @Test
    void textHasTitleEveryEntryAndItsReasons() throws Exception {
        Bulletin b = SampleBulletin.of("zh");
        byte[] pdf = Pdf.render(b, chart(), Map.of("stars", "各区县小区星级分布"));
        String all = squash(text(pdf, 1, Integer.MAX_VALUE));
        assertTrue(all.contains("2026年3月物业服务企业红黑榜通报"), all);
        assertTrue(all.contains(squash(b.meta().issuer())));
        assertTrue(all.contains("公示期至2026-04-10"), all);
        for (Bulletin.District d : b.districts()) {
            for (List<Bulletin.Entry> list : List.of(d.red(), d.black(), d.notRated())) {
                for (Bulletin.Entry e : list) {
                    assertTrue(all.contains(squash(e.companyName())), e.companyName());
                    assertTrue(all.contains(squash(e.reasons())), e.reasons());
                }
            }
            for (Bulletin.Leader l : d.leaders()) assertTrue(all.contains(l.displayName()), l.displayName());
        }
        for (Bulletin.QualityNote q : b.quality()) assertTrue(all.contains(squash(q.message())), q.message());
        assertTrue(all.contains(b.meta().rulesSha256()), "rules hash");
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            assertEquals(org.apache.pdfbox.pdmodel.common.PDRectangle.A4.getWidth(), doc.getPage(0).getMediaBox().getWidth(), 0.5);
            PDFont font = doc.getPage(0).getResources().getFont(doc.getPage(0).getResources().getFontNames().iterator().next());
            assertTrue(font.isEmbedded(), "font embedded");
        }
    }

    @Test
    void longTableContinuesOnTheNextPageWithItsHeader() throws Exception {
        Bulletin b = SampleBulletin.of("zh", 80);
        byte[] pdf = Pdf.render(b, Map.of(), Map.of());
        int pages;
        try (PDDocument doc = Loader.loadPDF(pdf)) { pages = doc.getNumberOfPages(); }
        assertTrue(pages >= 3, "80 black entries span pages: " + pages);
        int withHeader = 0;
        for (int p = 1; p <= pages; p++) {
            String page = squash(text(pdf, p, p));
            if (page.contains("样例第")) {
                assertTrue(page.contains("上榜理由"), "page " + p + " has black entries but no header row");
                withHeader++;
            }
        }
        assertTrue(withHeader >= 2, "the black list runs over at least two pages");
        String all = squash(text(pdf, 1, pages));
        for (Bulletin.Entry e : b.districts().get(0).black()) assertTrue(all.contains(squash(e.companyName())), e.companyName());
        // every page has the footer with its number
        for (int p = 1; p <= pages; p++) assertTrue(squash(text(pdf, p, p)).contains("第" + p + "页"), "footer on page " + p);
    }

    @Test
    void englishAndDeterministic() throws Exception {
        byte[] en = Pdf.render(SampleBulletin.of("en"), chart(), Map.of());
        String all = text(en, 1, 99);
        assertTrue(all.contains("Red and Black Lists of Property Companies, March 2026"), all);
        assertTrue(all.contains("Black list"), all);
        byte[] a = Pdf.render(SampleBulletin.of("zh"), chart(), Map.of());
        Thread.sleep(1100);
        byte[] b = Pdf.render(SampleBulletin.of("zh"), chart(), Map.of());
        assertArrayEquals(a, b, "same input, same bytes");
        assertFalse(new String(a, java.nio.charset.StandardCharsets.ISO_8859_1).contains("/CreationDate(D:2026112"), "no wall-clock date");
    }

    @Test
    void reasonsReadInEnglish() {
        // English reasons are rendered from the codes with the definition's en texts, not translated from Chinese;
        // the same codes give the stored Chinese text
        Texts en = new Texts("en"), zh = new Texts("zh");
        List<org.govind.schema.ListRules.Reason> b2 = List.of(SampleBulletin.r("B2", 0.5, 0.6), SampleBulletin.r("B2.answered", 10, 5));
        assertEquals("B2 satisfaction rate 50.0% < 60% (answered 10 ≥ 5)", en.reasons(entry(b2)));
        assertEquals("B2 满意率 50.0% < 60%（有效回访 10 件 ≥ 5 件）", zh.reasons(entry(b2)));
        assertEquals("B4 star after adjustment ★1 ≤ ★1", en.reasons(entry(List.of(SampleBulletin.r("B4", 1, 1)))));
        assertEquals("B4 调整后星级 1 星 ≤ 1 星", zh.reasons(entry(List.of(SampleBulletin.r("B4", 1, 1)))));
        assertEquals("N2 cases due in the month 4 < 5, not rated", en.reasons(entry(List.of(SampleBulletin.r("N2", 4, 5)))));
        assertEquals("N2 当月到期诉求 4 件 < 5 件，不参评", zh.reasons(entry(List.of(SampleBulletin.r("N2", 4, 5)))));
        List<org.govind.schema.ListRules.Reason> red = List.of(SampleBulletin.r("R.star", 5, 4), SampleBulletin.r("R.on_time_rate", 1.0, 0.95),
                SampleBulletin.r("R.no_black", 0, 0));
        assertEquals("red: star ★5 ≥ ★4; on-time rate 100.0% ≥ 95%; no black-list rule B1–B4 fired", en.reasons(entry(red)));
        assertEquals("红榜 星级 5 星 ≥ 4 星；按期办结率 100.0% ≥ 95%；未触发黑榜规则 B1–B4", zh.reasons(entry(red)));
        // a rate that one decimal would print as its threshold gets three (69.96% is not "70.0% < 70%")
        assertEquals("B1 on-time rate 69.960% < 70%", en.reasons(entry(List.of(SampleBulletin.r("B1", 0.6996, 0.7)))));
        // an entry listed before structured reasons were stored shows its stored text
        assertEquals("B1 按期办结率 60.0% < 70%", en.reasons(new Bulletin.Entry("black", 1, "x", "y", 1, 1.0, "B1 按期办结率 60.0% < 70%")));
    }

    @Test
    void englishBulletinPrintsTheEnglishReasons() throws Exception {
        String all = squash(text(Pdf.render(SampleBulletin.of("en"), chart(), Map.of()), 1, Integer.MAX_VALUE));
        assertTrue(all.contains(squash("B3 overdue open 13 ≥ 10")), all);
        assertTrue(all.contains(squash("N2 cases due in the month 4 < 5, not rated")), all);
        assertFalse(all.contains(squash("超期未结")), "no Chinese reason where codes are stored");
    }

    private static Bulletin.Entry entry(List<org.govind.schema.ListRules.Reason> reasons) {
        return new Bulletin.Entry("black", 1, "370829:X", "样例", 1, 50.0, "stored text", reasons);
    }

    @Test
    void aCharacterTheFontLacksStopsTheRendering() {
        Bulletin s = SampleBulletin.of("zh");
        Bulletin.Entry bad = new Bulletin.Entry("red", 1, "370829:X", "物业\uD83D\uDE00", 5, 99.0, "红榜");
        Bulletin.District d = s.districts().get(1);
        Bulletin.District d2 = new Bulletin.District(d.code(), d.name(), List.of(bad), d.black(), d.notRated(), d.starCounts(),
                d.branchCoverage(), d.propertyCoverage(), d.committeeRate(), d.leaders());
        Bulletin b = new Bulletin(s.meta(), s.figures(), List.of(s.districts().get(0), d2), s.quality(), s.trends(), s.units(), s.sheets());
        Fonts.MissingFontException e = assertThrows(Fonts.MissingFontException.class, () -> Pdf.render(b, Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("\uD83D\uDE00"), e.getMessage());
    }
}
