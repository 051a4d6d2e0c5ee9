package org.govind.reports;

import com.lowagie.text.Chunk;
import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.Image;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.ColumnText;
import com.lowagie.text.pdf.PdfContentByte;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfPageEventHelper;
import com.lowagie.text.pdf.PdfWriter;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.govind.reports.Bulletin.District;
import org.govind.reports.Bulletin.Entry;

/**
 * The monthly bulletin (通报) as an A4 PDF: issuer and title, the month's figures, the red and black
 * lists per district with star, score and reasons, "not rated this month", the compound star
 * distribution, the leaderboards, the data-quality box, the charts, and on every page a footer
 * with status, publicity deadline, publication id and rules hash. The CJK font is embedded
 * (subset); a text the font cannot display stops the rendering ({@link Fonts.MissingFontException}).
 * Tables that run past a page continue on the next with their header repeated. The output is
 * byte-identical for the same input: the creation date is the period's and the file id is
 * derived from the content.
 */
public final class Pdf {
    private static final Color RED = new Color(0xB0, 0x1E, 0x23), DARK = new Color(0x22, 0x22, 0x22),
            GREY = new Color(0x66, 0x66, 0x66), HEAD_BG = new Color(0xF2, 0xE6, 0xE6), BOX_BG = new Color(0xFA, 0xF6, 0xEC);

    private final Bulletin b;
    private final Texts t;
    private final BaseFont base;
    private final Fonts fonts;

    private Pdf(Bulletin b) throws IOException {
        this.b = b;
        this.t = new Texts(b.meta().lang());
        this.fonts = Fonts.get();
        String file = fonts.file().toString();
        this.base = BaseFont.createFont(file.toLowerCase(Locale.ROOT).endsWith(".ttc") ? file + ",0" : file,
                BaseFont.IDENTITY_H, BaseFont.EMBEDDED);
    }

    /** Renders the bulletin; {@code pngCharts} maps chart name → PNG bytes, drawn in that order. */
    public static byte[] render(Bulletin b, Map<String, byte[]> pngCharts, Map<String, String> chartTitles) {
        try {
            return new Pdf(b).build(pngCharts, chartTitles);
        } catch (IOException | DocumentException e) {
            throw new IllegalStateException("PDF rendering failed: " + e.getMessage(), e);
        }
    }

    private Font font(float size, int style, Color color) {
        Font f = new Font(base, size, style);
        f.setColor(color);
        return f;
    }

    /** Every string goes through here: a character the font lacks stops the rendering. */
    private String checked(String s) {
        if (s == null) return "";
        fonts.requireGlyphs("PDF", s);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (!Character.isWhitespace(cp) && !base.charExists(cp)) {
                throw new Fonts.MissingFontException("the PDF font has no glyph for '" + new String(Character.toChars(cp))
                        + "' / PDF 字体缺少字符 '" + new String(Character.toChars(cp)) + "'");
            }
            i += Character.charCount(cp);
        }
        return s;
    }

    private Paragraph para(String s, Font f, int align, float before, float after) {
        Paragraph p = new Paragraph(checked(s), f);
        p.setAlignment(align);
        p.setSpacingBefore(before);
        p.setSpacingAfter(after);
        p.setLeading(f.getSize() * 1.45f);
        return p;
    }

    private PdfPCell cell(String s, Font f, Color bg, int align) {
        PdfPCell c = new PdfPCell(new Phrase(checked(s), f));
        c.setPadding(4);
        c.setHorizontalAlignment(align);
        c.setVerticalAlignment(Element.ALIGN_MIDDLE);
        c.setBorderColor(new Color(0xCC, 0xCC, 0xCC));
        if (bg != null) c.setBackgroundColor(bg);
        return c;
    }

    private PdfPTable table(float[] widths, String... headers) {
        PdfPTable table = new PdfPTable(widths);
        table.setWidthPercentage(100);
        table.setHeaderRows(1);             // repeated on every page the table continues on
        table.setSplitLate(false);
        table.setSpacingBefore(4);
        table.setSpacingAfter(8);
        Font hf = font(9, Font.BOLD, DARK);
        for (String h : headers) table.addCell(cell(h, hf, HEAD_BG, Element.ALIGN_CENTER));
        return table;
    }

    private byte[] build(Map<String, byte[]> pngCharts, Map<String, String> chartTitles) throws DocumentException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4, 48, 48, 56, 64);
        PdfWriter writer = PdfWriter.getInstance(doc, out);
        writer.setPageEvent(new Footer());
        java.time.YearMonth ym = java.time.YearMonth.parse(b.meta().period());
        String title = t.t(ym.getYear() + "年" + ym.getMonthValue() + "月物业服务企业红黑榜通报",
                "Red and Black Lists of Property Companies, " + ym.getMonth().getDisplayName(java.time.format.TextStyle.FULL, Locale.ENGLISH) + " " + ym.getYear());
        doc.addTitle(checked(title));
        doc.addAuthor(checked(b.meta().issuer()));
        doc.addCreator("govind");
        doc.open();

        Font body = font(10, Font.NORMAL, DARK), small = font(8.5f, Font.NORMAL, GREY), h2 = font(13, Font.BOLD, DARK),
                h3 = font(11, Font.BOLD, DARK);
        doc.add(para(b.meta().issuer(), font(22, Font.BOLD, RED), Element.ALIGN_CENTER, 0, 6));
        PdfPTable rule = new PdfPTable(1);
        rule.setWidthPercentage(100);
        PdfPCell line = new PdfPCell(new Phrase(" "));
        line.setBorder(Rectangle.BOTTOM);
        line.setBorderColorBottom(RED);
        line.setBorderWidthBottom(2f);
        line.setFixedHeight(4);
        rule.addCell(line);
        doc.add(rule);
        doc.add(para(title, font(17, Font.BOLD, DARK), Element.ALIGN_CENTER, 14, 4));
        String status = t.status(b.meta().status()) + ("draft".equals(b.meta().status())
                ? t.t("（公示期至 " + b.meta().publicityEnd() + "，期间可提出异议）", " (publicity until " + b.meta().publicityEnd() + "; objections may be filed)")
                : "") + t.t("　发布编号 ", "   publication ") + b.meta().publicationId();
        doc.add(para(status, font(10, Font.NORMAL, "draft".equals(b.meta().status()) ? RED : GREY), Element.ALIGN_CENTER, 0, 12));

        int section = 0;
        keepRoom(doc, writer, 120);

        doc.add(para(heading(++section, t.t("本月概况", "The month in figures")), h2, Element.ALIGN_LEFT, 6, 4));
        PdfPTable figures = table(new float[] {3, 2}, t.t("指标", "Indicator"), t.t("全市", "City"));
        for (Bulletin.Figure f : b.figures()) {
            figures.addCell(cell(f.label(), body, null, Element.ALIGN_LEFT));
            figures.addCell(cell(figure(f), body, null, Element.ALIGN_RIGHT));
        }
        doc.add(figures);

        keepRoom(doc, writer, 120);


        doc.add(para(heading(++section, t.t("红黑榜", "Red and black lists")), h2, Element.ALIGN_LEFT, 10, 4));
        for (District d : b.districts()) {
            keepRoom(doc, writer, 140);   // a district heading never stands alone at the foot of a page
            doc.add(para(d.name() + "（" + d.code() + "）", h3, Element.ALIGN_LEFT, 8, 2));
            listTable(doc, t.list("red"), d.red(), body, small);
            listTable(doc, t.list("black"), d.black(), body, small);
            if (!d.notRated().isEmpty()) {
                doc.add(para(t.list("not_rated"), font(10, Font.BOLD, GREY), Element.ALIGN_LEFT, 4, 2));
                PdfPTable nr = table(new float[] {5, 7}, t.t("企业名称", "Company"), t.t("原因", "Reason"));
                for (Entry e : d.notRated()) {
                    nr.addCell(cell(e.companyName(), body, null, Element.ALIGN_LEFT));
                    nr.addCell(cell(t.reasons(e), small, null, Element.ALIGN_LEFT));
                }
                doc.add(nr);
            }
        }

        keepRoom(doc, writer, 120);


        doc.add(para(heading(++section, t.t("小区星级分布", "Compound star ratings")), h2, Element.ALIGN_LEFT, 10, 4));
        PdfPTable stars = table(new float[] {3, 1.3f, 1.3f, 1.3f, 1.3f, 1.3f, 1.5f}, t.t("区县", "District"),
                "★1", "★2", "★3", "★4", "★5", t.t("合计", "Total"));
        for (District d : b.districts()) {
            stars.addCell(cell(d.name(), body, null, Element.ALIGN_LEFT));
            long total = 0;
            for (Long n : d.starCounts()) {
                stars.addCell(cell(String.format(Locale.ROOT, "%,d", n), body, null, Element.ALIGN_RIGHT));
                total += n;
            }
            stars.addCell(cell(String.format(Locale.ROOT, "%,d", total), body, null, Element.ALIGN_RIGHT));
        }
        doc.add(stars);

        keepRoom(doc, writer, 120);


        doc.add(para(heading(++section, t.t("积分排行榜", "Points leaderboards")), h2, Element.ALIGN_LEFT, 10, 4));
        for (District d : b.districts()) {
            if (d.leaders().isEmpty()) continue;
            doc.add(para(d.name(), h3, Element.ALIGN_LEFT, 4, 2));
            PdfPTable lb = table(new float[] {1, 3, 2, 2}, t.t("名次", "Rank"), t.t("姓名（脱敏）", "Name (masked)"),
                    t.t("类型", "Type"), t.t("净积分", "Net points"));
            for (Bulletin.Leader l : d.leaders()) {
                lb.addCell(cell(String.valueOf(l.rank()), body, null, Element.ALIGN_CENTER));
                lb.addCell(cell(l.displayName(), body, null, Element.ALIGN_LEFT));
                lb.addCell(cell(l.holderType() == null ? "—" : l.holderType(), body, null, Element.ALIGN_LEFT));
                lb.addCell(cell(l.netPoints().toPlainString(), body, null, Element.ALIGN_RIGHT));
            }
            doc.add(lb);
        }

        keepRoom(doc, writer, 120);


        doc.add(para(heading(++section, t.t("数据质量", "Data quality")), h2, Element.ALIGN_LEFT, 10, 4));
        PdfPTable box = new PdfPTable(1);
        box.setWidthPercentage(100);
        PdfPCell inner = new PdfPCell();
        inner.setBackgroundColor(BOX_BG);
        inner.setBorderColor(new Color(0xD9, 0xC7, 0x8C));
        inner.setPadding(8);
        if (b.quality().isEmpty()) inner.addElement(para(t.t("本月无数据质量问题。", "No data-quality findings this month."), body, Element.ALIGN_LEFT, 0, 0));
        for (Bulletin.QualityNote q : b.quality()) {
            String lvl = "error".equals(q.level()) ? t.t("【错误】", "[error] ") : t.t("【警告】", "[warning] ");
            inner.addElement(para(lvl + q.district() + "　" + q.message(), "error".equals(q.level()) ? font(9, Font.NORMAL, RED) : font(9, Font.NORMAL, DARK),
                    Element.ALIGN_LEFT, 0, 1));
        }
        box.addCell(inner);
        doc.add(box);

        if (!pngCharts.isEmpty()) {
            keepRoom(doc, writer, 120);

            doc.add(para(heading(++section, t.t("图表", "Charts")), h2, Element.ALIGN_LEFT, 10, 4));
            for (Map.Entry<String, byte[]> c : pngCharts.entrySet()) {
                Image img = Image.getInstance(c.getValue());
                img.scaleToFit(doc.getPageSize().getWidth() - 96, 300);
                img.setAlignment(Element.ALIGN_CENTER);
                Paragraph p = para(chartTitles.getOrDefault(c.getKey(), c.getKey()), small, Element.ALIGN_CENTER, 6, 2);
                doc.add(p);
                doc.add(img);
            }
        }

        keepRoom(doc, writer, 120);


        doc.add(para(heading(++section, t.t("数据来源与复现", "Sources and reproduction")), h2, Element.ALIGN_LEFT, 10, 4));
        doc.add(para(t.t("本通报由 govind 根据下列 Delta 表版本和规则文件生成，可用 govind reproduce --period ", "Computed by govind from these Delta table versions and rules file; check with govind reproduce --period ")
                + b.meta().period() + t.t(" 复现核对。", "."), small, Element.ALIGN_LEFT, 0, 2));
        PdfPTable versions = table(new float[] {4, 1}, t.t("表", "Table"), t.t("版本", "Version"));
        for (Map.Entry<String, Long> v : b.meta().tableVersions().entrySet()) {
            versions.addCell(cell(v.getKey(), small, null, Element.ALIGN_LEFT));
            versions.addCell(cell(String.valueOf(v.getValue()), small, null, Element.ALIGN_RIGHT));
        }
        doc.add(versions);
        doc.add(para(t.t("规则文件 sha256：", "Rules file sha256: ") + b.meta().rulesSha256(), small, Element.ALIGN_LEFT, 2, 0));
        doc.close();
        return Deterministic.pdf(out.toByteArray(), b.meta().period());
    }

    /** Starts a new page when less than {@code points} of height is left on this one. */
    private static void keepRoom(Document doc, PdfWriter writer, float points) {
        if (writer.getVerticalPosition(true) - doc.bottom() < points) doc.newPage();
    }

    private void listTable(Document doc, String title, List<Entry> entries, Font body, Font small) throws DocumentException {
        doc.add(para(title + "（" + entries.size() + "）", font(10, Font.BOLD, title.equals(t.list("red")) ? RED : DARK), Element.ALIGN_LEFT, 4, 2));
        if (entries.isEmpty()) {
            doc.add(para(t.t("无", "none"), small, Element.ALIGN_LEFT, 0, 4));
            return;
        }
        PdfPTable table = table(new float[] {0.8f, 3.6f, 1.4f, 1.0f, 5.2f}, t.t("位次", "No."), t.t("企业名称", "Company"),
                t.t("星级", "Stars"), t.t("得分", "Score"), t.t("上榜理由", "Reasons"));
        for (Entry e : entries) {
            table.addCell(cell(e.position() == null ? "—" : String.valueOf(e.position()), body, null, Element.ALIGN_CENTER));
            table.addCell(cell(e.companyName(), body, null, Element.ALIGN_LEFT));
            table.addCell(cell(Texts.stars(e.star()), body, null, Element.ALIGN_CENTER));
            table.addCell(cell(Texts.score(e.score()), body, null, Element.ALIGN_RIGHT));
            table.addCell(cell(t.reasons(e), small, null, Element.ALIGN_LEFT));
        }
        doc.add(table);
    }

    private String heading(int n, String text) {
        String[] zh = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
        return t.en() ? n + ". " + text : zh[n - 1] + "、" + text;
    }

    private static String figure(Bulletin.Figure f) {
        if (f.value() == null) return "—";
        return switch (f.kind()) {
            case "percent" -> Texts.pct(f.value());
            case "count" -> String.format(Locale.ROOT, "%,d", Math.round(f.value()));
            default -> String.format(Locale.ROOT, "%.2f", f.value());
        };
    }

    /** Footer on every page: status, publicity deadline, publication id, rules hash, page number. */
    private final class Footer extends PdfPageEventHelper {
        @Override
        public void onEndPage(PdfWriter writer, Document document) {
            PdfContentByte cb = writer.getDirectContent();
            String text = t.status(b.meta().status())
                    + ("draft".equals(b.meta().status()) ? t.t("｜公示期至 ", " | publicity until ") + b.meta().publicityEnd() : "")
                    + t.t("｜", " | ") + b.meta().publicationId()
                    + t.t("｜规则 ", " | rules ") + b.meta().rulesSha256().substring(0, 12)
                    + t.t("｜第 " + writer.getPageNumber() + " 页", " | page " + writer.getPageNumber());
            ColumnText.showTextAligned(cb, Element.ALIGN_CENTER, new Phrase(checked(text), font(8, Font.NORMAL, GREY)),
                    (document.left() + document.right()) / 2, document.bottom() - 28, 0);
        }
    }

    /** Keeps the bytes stable across runs. */
    static final class Deterministic {
        private Deterministic() {}

        /**
         * OpenPDF stamps the current time as /CreationDate and /ModDate and derives the trailer /ID
         * from the time: both are replaced, in place and with the same lengths, by the period's first
         * day and an id hashed from the rest of the file, so byte offsets (the xref) stay valid.
         */
        static byte[] pdf(byte[] pdf, String period) {
            String s = new String(pdf, StandardCharsets.ISO_8859_1);
            String date = "D:" + period.replace("-", "") + "01000000";
            s = replaceDate(s, "/CreationDate(", date);
            s = replaceDate(s, "/ModDate(", date);
            // the embedded font subset is tagged with 6 random letters: use a fixed tag of the same length
            java.util.regex.Matcher tag = java.util.regex.Pattern.compile("/BaseFont\\s*/([A-Z]{6})\\+").matcher(s);
            java.util.Set<String> tags = new java.util.TreeSet<>();
            while (tag.find()) tags.add(tag.group(1));
            int n = 0;
            for (String old : tags) s = s.replace("/" + old + "+", "/" + fixedTag(n++) + "+");
            int id = s.lastIndexOf("/ID [<");
            if (id >= 0) {
                int end = s.indexOf(']', id);
                String head = s.substring(0, id);
                String hash = sha256Hex(head.getBytes(StandardCharsets.ISO_8859_1)).substring(0, 32).toUpperCase(Locale.ROOT);
                String old = s.substring(id, end);
                String rep = old.replaceAll("<[0-9a-fA-F]+>", "<" + hash + ">");
                if (rep.length() == old.length()) s = head + rep + s.substring(end);
            }
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }

        private static String fixedTag(int n) {
            return "GOVIN" + (char) ('A' + n % 26);
        }

        private static String replaceDate(String s, String key, String date) {
            int i = s.indexOf(key);
            if (i < 0) return s;
            int start = i + key.length(), end = s.indexOf(')', start);
            String old = s.substring(start, end);
            String rep = (date + old.substring(Math.min(old.length(), date.length())));
            rep = rep.length() > old.length() ? rep.substring(0, old.length()) : rep;
            // keep the timezone suffix of the original (e.g. +08'00') so the length is unchanged
            if (old.length() > date.length()) rep = date + old.substring(date.length()).replaceAll("[0-9]", "0");
            return s.substring(0, start) + rep + s.substring(end);
        }

        private static String sha256Hex(byte[] bytes) {
            try {
                return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
