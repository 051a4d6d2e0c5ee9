package org.govind.reports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.dhatim.fastexcel.reader.Cell;
import org.dhatim.fastexcel.reader.CellType;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.ReadingOptions;
import org.dhatim.fastexcel.reader.Row;
import org.govind.reports.Bulletin.Column;
import org.govind.reports.Bulletin.Sheet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkbooksTest {

    private static final String LONG_TITLE = "红黑榜[明细]:2026/03*?" + "甲".repeat(30);
    /** LONG_TITLE with the forbidden characters replaced and cut to 31 characters, worked by hand. */
    private static final String LONG_TITLE_SHEET = "红黑榜_明细__2026_03__" + "甲".repeat(14);

    // ------------------------------------------------------------------ round trip

    @Test
    void roundTripChinese() throws IOException {
        Bulletin b = SampleBulletin.of("zh");
        byte[] xlsx = Workbooks.bytes(b);
        assertRoundTrip(b, xlsx, List.of("诉求工单指标", "积分排行榜"),
                List.of(List.of("统计月份", "单位编号", "受理数", "按期办结率", "办理时长中位数（小时）"),
                        List.of("名次", "姓名（脱敏）", "净积分")));
    }

    @Test
    void englishHeadersAndSheetNames() throws IOException {
        Bulletin b = SampleBulletin.of("en");
        byte[] xlsx = Workbooks.bytes(b);
        assertRoundTrip(b, xlsx, List.of("case_indicators", "points_leaderboard"),
                List.of(List.of("period", "unit_id", "received", "on_time_rate", "median_handle_hours"),
                        List.of("rank", "display_name", "net_points")));
    }

    @Test
    void trickyValuesChinese() throws IOException {
        Bulletin b = tricky("zh");
        byte[] xlsx = Workbooks.bytes(b);
        assertRoundTrip(b, xlsx,
                List.of(LONG_TITLE_SHEET, "红黑榜_明细__2026_03__" + "甲".repeat(10) + " (2)", "引号", "untitled", "Sheet5"),
                null);
        assertBooleans(xlsx, "是", "否");
    }

    @Test
    void trickyValuesEnglish() throws IOException {
        Bulletin b = tricky("en");
        byte[] xlsx = Workbooks.bytes(b);
        assertRoundTrip(b, xlsx,
                List.of("odd_name_with_chars_", "ODD_NAME_WITH_CHARS_ (2)", "quoted", "untitled", "Sheet5"), null);
        assertBooleans(xlsx, "yes", "no");
    }

    // ------------------------------------------------------------------ texts stay texts

    @Test
    void textIsStoredLiterallyNeverAsFormula() throws IOException {
        byte[] xlsx = Workbooks.bytes(tricky("zh"));
        try (ReadableWorkbook wb = reader(xlsx)) {
            List<Row> rows = wb.getFirstSheet().read();
            Cell evil = rows.get(1).getCell(0);
            assertEquals(CellType.STRING, evil.getType());
            assertEquals(SampleBulletin.EVIL, evil.asString());
            for (int r = 2; r <= 5; r++) {
                Cell c = rows.get(r).getCell(0);
                assertEquals(CellType.STRING, c.getType(), "row " + r);
                assertNull(c.getFormula(), "row " + r);
            }
            assertEquals("=1+2", rows.get(2).getCell(0).asString());
            assertEquals("@cmd", rows.get(5).getCell(0).asString());
        }
        Map<String, String> zip = unzip(xlsx);
        for (int i = 1; i <= 5; i++) {
            String sheet = zip.get("xl/worksheets/sheet" + i + ".xml");
            assertNotNull(sheet, "sheet" + i);
            assertFalse(sheet.contains("<f>") || sheet.contains("<f "), "no formula element in sheet" + i);
        }
        String strings = zip.get("xl/sharedStrings.xml"); // fastexcel writes non-ASCII as character references
        assertTrue(strings.contains(">&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;&#x7269;&#x4e1a;<"), strings);
        assertFalse(strings.contains("<script>"));
        assertTrue(strings.contains(">=1+2<"), strings);
    }

    // ------------------------------------------------------------------ layout: formats, frozen header, filter, widths

    @Test
    void columnFormatsFrozenHeaderAutoFilterAndWidths() throws IOException {
        byte[] xlsx = Workbooks.bytes(SampleBulletin.of("zh"));
        Map<String, String> zip = unzip(xlsx);
        String sheet1 = zip.get("xl/worksheets/sheet1.xml");
        String styles = zip.get("xl/styles.xml");

        Matcher pane = Pattern.compile("<pane\\b[^>]*/>").matcher(sheet1);
        assertTrue(pane.find(), sheet1);
        assertTrue(pane.group().contains("ySplit=\"1\""), pane.group());
        assertTrue(pane.group().contains("state=\"frozen\""), pane.group());
        assertTrue(sheet1.contains("<autoFilter ref=\"A1:E3\""), sheet1);
        assertTrue(zip.get("xl/worksheets/sheet2.xml").contains("<autoFilter ref=\"A1:C3\""));

        // column formats in the XML: D percent, C integer, E number, A/B text (the reader checks numbers too)
        assertEquals("0.0%", formatOf(zip, 1, "D2"));
        assertEquals("#,##0", formatOf(zip, 1, "C3"));
        assertEquals("0.00", formatOf(zip, 1, "E2"));
        assertEquals("@", formatOf(zip, 1, "B2"));
        assertEquals("0.00", formatOf(zip, 2, "C3"));
        List<String> xfs = new ArrayList<>();
        Matcher xf = Pattern.compile("<xf\\b[^>]*?(/>|>)").matcher(styles.substring(styles.indexOf("<cellXfs")));
        while (xf.find()) xfs.add(xf.group());
        // D3 holds null: no value
        assertFalse(sheet1.matches("(?s).*<c r=\"D3\"[^>]*>\\s*<v>.*"), sheet1);

        // header bold: A1's style has a bold font
        int headerStyle = Integer.parseInt(attr(find(sheet1, "<c r=\"A1\"[^>]*>"), "s"));
        int font = Integer.parseInt(attr(xfs.get(headerStyle), "fontId"));
        List<String> fonts = new ArrayList<>();
        Matcher f = Pattern.compile("(?s)<font>.*?</font>|<font/>").matcher(styles.substring(styles.indexOf("<fonts")));
        while (f.find()) fonts.add(f.group());
        assertTrue(fonts.get(font).contains("<b"), fonts.get(font));

        // widths: the column with the Chinese header 办理时长中位数（小时）(11 wide characters) is sized for 22+
        double w1 = colWidth(sheet1, 1), w5 = colWidth(sheet1, 5);
        assertTrue(w5 >= 22, "width E " + w5);
        assertTrue(w5 > w1, w1 + " vs " + w5);
    }

    // ------------------------------------------------------------------ determinism and properties

    @Test
    void sameBulletinSameBytesEvenSecondsApart() throws Exception {
        Bulletin b = SampleBulletin.of("zh");
        byte[] first = Workbooks.bytes(b);
        Thread.sleep(2_100); // core.xml's creation time has a resolution of one second, zip times of two
        byte[] second = Workbooks.bytes(SampleBulletin.of("zh"));
        assertArrayEquals(first, second);

        Map<String, String> zip = unzip(first);
        String core = zip.get("docProps/core.xml");
        assertTrue(core.contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">" + Workbooks.CREATED + "</dcterms:created>"), core);
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(first))) {
            int n = 0;
            for (ZipEntry e; (e = z.getNextEntry()) != null; n++) {
                assertEquals(Workbooks.ZIP_TIME, e.getTimeLocal(), e.getName());
                assertEquals(ZipEntry.DEFLATED, e.getMethod(), e.getName());
                assertTrue(e.getExtra() == null || e.getExtra().length == 0, "no extended-timestamp field in " + e.getName());
            }
            assertTrue(n >= 8, "entries " + n);
        }
        String app = zip.get("docProps/app.xml");
        assertTrue(app.contains("<Application>govind</Application>"), app);
        assertTrue(core.contains("2026-03"), core);
        // a different bulletin gives different bytes (the comparison above is not vacuous)
        assertFalse(Arrays.equals(first, Workbooks.bytes(SampleBulletin.of("en"))));
    }

    @Test
    void bytesDoNotDependOnTheDefaultTimeZone() {
        TimeZone saved = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
            byte[] utc = Workbooks.bytes(SampleBulletin.of("zh"));
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Shanghai"));
            byte[] shanghai = Workbooks.bytes(SampleBulletin.of("zh"));
            assertArrayEquals(utc, shanghai);
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    @Test
    void pathOverloadWritesIndicatorsFileIntoDirectory(@TempDir Path dir) throws IOException {
        Bulletin b = SampleBulletin.of("zh");
        Path written = Workbooks.write(b, dir);
        assertEquals(dir.resolve("indicators-2026-03.xlsx"), written);
        assertEquals("indicators-2026-03.xlsx", Workbooks.fileName(b));
        assertArrayEquals(Workbooks.bytes(b), Files.readAllBytes(written));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(written), files.toList(), "no temporary file left behind");
        }
        Path explicit = Workbooks.write(b, dir.resolve("sub/out.xlsx"));
        assertArrayEquals(Files.readAllBytes(written), Files.readAllBytes(explicit));
    }

    @Test
    void sheetNamesFollowExcelRules() {
        Set<String> used = new HashSet<>();
        assertEquals(LONG_TITLE_SHEET, Workbooks.sheetName(LONG_TITLE, used, 0));
        assertEquals("红黑榜_明细__2026_03__" + "甲".repeat(10) + " (2)", Workbooks.sheetName(LONG_TITLE, used, 1));
        assertEquals("红黑榜_明细__2026_03__" + "甲".repeat(10) + " (3)", Workbooks.sheetName(LONG_TITLE, used, 2));
        assertEquals("Sheet4", Workbooks.sheetName("  ", used, 3));
        assertEquals("Sheet5", Workbooks.sheetName(null, used, 4));
        assertEquals("History_", Workbooks.sheetName("history", used, 5));
        assertEquals("a_b", Workbooks.sheetName("'a\\b'", used, 6));
        assertEquals("A_B (2)", Workbooks.sheetName("A_B", used, 7));
        String emoji = "x".repeat(30) + "😀"; // a surrogate pair at the cut is dropped whole
        assertEquals("x".repeat(30), Workbooks.sheetName(emoji, used, 8));
        for (String n : used) {
            assertTrue(n.length() <= 31, n);
            for (char c : "[]:*?/\\".toCharArray()) assertTrue(n.indexOf(c) < 0, n);
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Five sheets: tricky values (injection texts, booleans, Integer/Long/Double/BigDecimal, nulls) under a
     * long title with forbidden characters; the same title again (zh) / the same name in other case (en);
     * a quoted title; a sheet without title; a sheet without title or name.
     */
    static Bulletin tricky(String lang) {
        List<Column> cols = List.of(new Column("company", "公司名称", "text"), new Column("rated", "是否参评", "text"),
                new Column("cases", "件数", "integer"), new Column("share", "占比", "percent"),
                new Column("score", "得分", "number"));
        List<List<Object>> rows = List.of(
                Arrays.asList(SampleBulletin.EVIL, true, 7, 0.125, new BigDecimal("95.50")),
                Arrays.asList("=1+2", false, 1_234_567L, 1.0, 3.14159),
                Arrays.asList("+SUM(A1:A2)", null, null, 0.0, -2.5),
                Arrays.asList("-1", null, 0L, null, null),
                Arrays.asList("@cmd", Boolean.TRUE, -3, 0.999, new BigDecimal("0.005")));
        Sheet a = new Sheet("odd:name/with*chars?", LONG_TITLE, cols, rows);
        Sheet b = new Sheet("ODD:NAME/WITH*CHARS?", LONG_TITLE, cols, rows.subList(0, 2));
        Sheet c = new Sheet("'quoted'", "'引号'", cols.subList(0, 1), List.of(List.of("x")));
        Sheet d = new Sheet("untitled", null, cols.subList(2, 3), List.of(List.of(1L)));
        Sheet e = new Sheet(null, null, List.of(new Column("n", null, "integer")), List.of());
        Bulletin s = SampleBulletin.of(lang);
        return new Bulletin(s.meta(), s.figures(), s.districts(), s.quality(), s.trends(), s.units(), List.of(a, b, c, d, e));
    }

    private static ReadableWorkbook reader(byte[] xlsx) throws IOException {
        return new ReadableWorkbook(new ByteArrayInputStream(xlsx), new ReadingOptions(true, false));
    }

    /** Sheet names, headers and every cell against the Bulletin; headers == null: check against the columns. */
    private static void assertRoundTrip(Bulletin b, byte[] xlsx, List<String> names, List<List<String>> headers) throws IOException {
        boolean en = "en".equals(b.meta().lang());
        try (ReadableWorkbook wb = reader(xlsx)) {
            List<org.dhatim.fastexcel.reader.Sheet> sheets = wb.getSheets().toList();
            assertEquals(names, sheets.stream().map(org.dhatim.fastexcel.reader.Sheet::getName).toList());
            assertEquals(b.sheets().size(), sheets.size());
            for (int i = 0; i < sheets.size(); i++) {
                Sheet s = b.sheets().get(i);
                Map<Integer, Row> rows = new HashMap<>();
                for (Row r : sheets.get(i).read()) rows.put(r.getRowNum(), r);
                Row header = rows.get(1);
                List<String> expectedHeaders = headers != null ? headers.get(i)
                        : s.columns().stream().map(c -> en || c.header() == null ? c.name() : c.header()).toList();
                assertNotNull(header, s.name());
                List<String> got = new ArrayList<>();
                for (int c = 0; c < s.columns().size(); c++) {
                    assertEquals(CellType.STRING, header.getCell(c).getType());
                    got.add(header.getCell(c).asString());
                }
                assertEquals(expectedHeaders, got, s.name());
                assertEquals(s.rows().size(), rows.keySet().stream().filter(n -> n > 1).count(), s.name() + " data rows");
                for (int r = 0; r < s.rows().size(); r++) {
                    Row row = rows.get(r + 2);
                    for (int c = 0; c < s.columns().size(); c++) {
                        Object v = c < s.rows().get(r).size() ? s.rows().get(r).get(c) : null;
                        String where = s.name() + " r" + r + " c" + c;
                        Optional<Cell> cell = row == null ? Optional.empty() : row.getOptionalCell(c);
                        if (v == null) {
                            assertTrue(cell.isEmpty() || cell.get().getType() == CellType.EMPTY, where + " " + cell);
                            continue;
                        }
                        assertTrue(cell.isPresent(), where);
                        Cell got1 = cell.get();
                        String kind = s.columns().get(c).kind();
                        if (v instanceof Number n) {
                            assertEquals(CellType.NUMBER, got1.getType(), where);
                            assertEquals(0, new BigDecimal(n.toString()).compareTo(got1.asNumber()), where + " " + got1.getRawValue());
                            String fmt = switch (kind) {
                                case "percent" -> "0.0%";
                                case "integer" -> "#,##0";
                                case "number" -> "0.00";
                                default -> null;
                            };
                            if (fmt != null) assertEquals(fmt, got1.getDataFormatString(), where);
                        } else if (v instanceof Boolean bool) {
                            assertEquals(CellType.STRING, got1.getType(), where);
                            assertEquals(en ? (bool ? "yes" : "no") : (bool ? "是" : "否"), got1.asString(), where);
                        } else {
                            assertEquals(CellType.STRING, got1.getType(), where);
                            assertEquals(v, got1.asString(), where);
                        }
                    }
                }
            }
        }
    }

    private static void assertBooleans(byte[] xlsx, String yes, String no) throws IOException {
        try (ReadableWorkbook wb = reader(xlsx)) {
            List<Row> rows = wb.getFirstSheet().read();
            assertEquals(yes, rows.get(1).getCell(1).asString());
            assertEquals(no, rows.get(2).getCell(1).asString());
        }
        // the reader gives formats for numeric cells only: look the text format up in the XML
        Map<String, String> zip = unzip(xlsx);
        assertEquals("@", formatOf(zip, 1, "B2"));
        assertEquals("@", formatOf(zip, 1, "A3"));
    }

    /** The number format code of a cell, from the sheet's s attribute, cellXfs and numFmts. */
    private static String formatOf(Map<String, String> zip, int sheet, String ref) {
        String styles = zip.get("xl/styles.xml");
        String cell = find(zip.get("xl/worksheets/sheet" + sheet + ".xml"), "<c r=\"" + ref + "\"[^>]*>");
        List<String> xfs = new ArrayList<>();
        Matcher xf = Pattern.compile("<xf\\b[^>]*?(/>|>)").matcher(styles.substring(styles.indexOf("<cellXfs")));
        while (xf.find()) xfs.add(xf.group());
        String id = attr(xfs.get(Integer.parseInt(attr(cell, "s"))), "numFmtId");
        return attr(find(styles, "<numFmt\\b[^>]*numFmtId=\"" + id + "\"[^>]*/>"), "formatCode");
    }

    private static Map<String, String> unzip(byte[] xlsx) throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(new ByteArrayInputStream(xlsx))) {
            for (ZipEntry e; (e = z.getNextEntry()) != null; ) m.put(e.getName(), new String(z.readAllBytes(), StandardCharsets.UTF_8));
        }
        return m;
    }

    private static String find(String xml, String regex) {
        Matcher m = Pattern.compile(regex).matcher(xml);
        if (!m.find()) fail("no " + regex + " in " + xml);
        return m.group();
    }

    private static String attr(String element, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=\"([^\"]*)\"").matcher(element);
        if (!m.find()) fail("no " + name + " in " + element);
        return m.group(1);
    }

    /** The width of 1-based column {@code col} from {@code <cols>}. */
    private static double colWidth(String sheetXml, int col) {
        Matcher m = Pattern.compile("<col\\b[^>]*/>").matcher(sheetXml);
        while (m.find()) {
            String c = m.group();
            int min = Integer.parseInt(attr(c, "min")), max = Integer.parseInt(attr(c, "max"));
            if (min <= col && col <= max) return Double.parseDouble(attr(c, "width"));
        }
        fail("no width for column " + col + " in " + sheetXml.substring(0, Math.min(600, sheetXml.length())));
        return 0;
    }
}
