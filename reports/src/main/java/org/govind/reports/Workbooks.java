package org.govind.reports;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import org.govind.reports.Bulletin.Column;
import org.govind.reports.Bulletin.Sheet;

/**
 * The month's indicators as an XLSX workbook ({@code indicators-<period>.xlsx}): one worksheet per
 * {@link Bulletin.Sheet}, in order, with a bold, frozen header row, an auto-filter over header and data,
 * and per-column number formats ({@code percent} → {@code 0.0%} on the unscaled ratio, {@code integer} →
 * {@code #,##0}, {@code number} → {@code 0.00}, {@code text} → {@code @}).
 *
 * <p>Cells keep their types: Long/Integer/Double/BigDecimal are numeric cells, Strings are shared-string
 * text cells stored literally (fastexcel only writes a formula through {@code Worksheet.formula}, so a text
 * such as {@code =1+2} or {@code @SUM(A1)} stays a string and is never evaluated), Booleans are the words
 * 是/否 (yes/no in English), null and non-finite doubles are empty cells.
 *
 * <p><b>Determinism.</b> The same Bulletin gives byte-identical bytes. fastexcel 0.20.2 itself is almost
 * deterministic (styles and shared strings are written in first-use order; its zip writer, opczip, puts a
 * zero DOS time in every entry) with one exception: {@code docProps/core.xml} always carries
 * {@code <dcterms:created>} = {@code Instant.now()}, and there is no API to set it. So the workbook is first
 * written to a temporary file, then re-written entry by entry, in the same order and with the same
 * compression method, into the caller's stream with {@link ZipOutputStream}: every entry gets the fixed
 * DOS time {@link #ZIP_TIME} and the creation date in core.xml is replaced by {@link #CREATED}. The
 * document properties otherwise hold only values from the Bulletin. Why 1980-01-01T00:00:02 and not 00:00:
 * the JDK treats the DOS value of 1980-01-01T00:00 as its "before 1980" marker and then adds an extended
 * timestamp extra field computed in the default time zone, so the bytes would differ between a machine in
 * UTC and one in Asia/Shanghai; two seconds later is the next DOS time, gets no extra field, and
 * {@link ZipEntry#setTimeLocal} stores it without any time-zone conversion. (The temporary file is needed because opczip writes Zip64 data descriptors that
 * {@link java.util.zip.ZipInputStream} cannot read; {@link ZipFile} reads the central directory instead. A
 * welcome side effect: the result is readable by streaming zip readers too.)
 */
public final class Workbooks {
    /** Application name in docProps/app.xml. */
    public static final String APPLICATION = "govind";
    /** Application version in docProps/app.xml (fastexcel requires the form XX.YYYY). */
    static final String APPLICATION_VERSION = "0.1";
    /** The time stamped on every zip entry: the earliest DOS time that the JDK writes without a time-zone dependent extra field. */
    public static final LocalDateTime ZIP_TIME = LocalDateTime.of(1980, 1, 1, 0, 0, 2);
    /** The value written as {@code dcterms:created} in docProps/core.xml instead of the writing time. */
    public static final String CREATED = "1980-01-01T00:00:00Z";

    static final String FMT_PERCENT = "0.0%";
    static final String FMT_INTEGER = "#,##0";
    static final String FMT_NUMBER = "0.00";
    static final String FMT_TEXT = "@";

    /** Excel's limits. */
    static final int MAX_SHEET_NAME = 31;
    static final int MAX_CELL_TEXT = 32_767;
    private static final double MIN_WIDTH = 6, MAX_WIDTH = 60;
    private static final int FLUSH_EVERY = 1_000;

    private static final Pattern CREATED_ELEMENT =
            Pattern.compile("(<dcterms:(?:created|modified)\\b[^>]*>)[^<]*(</dcterms:(?:created|modified)>)");

    private Workbooks() {}

    /** The file name the workbook is published under: {@code indicators-<period>.xlsx}. */
    public static String fileName(Bulletin b) { return "indicators-" + b.meta().period() + ".xlsx"; }

    /**
     * Writes the workbook to {@code target}; if {@code target} is an existing directory, to
     * {@code target/indicators-<period>.xlsx}. The file is written next to its final place and moved there,
     * so a reader never sees half a workbook.
     *
     * @return the file written
     */
    public static Path write(Bulletin b, Path target) throws IOException {
        Path file = Files.isDirectory(target) ? target.resolve(fileName(b)) : target;
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".indicators-", ".xlsx.part");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                write(b, out);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        return file;
    }

    /** Writes the workbook to {@code out}; the stream is flushed, not closed. */
    public static void write(Bulletin b, OutputStream out) throws IOException {
        Path raw = Files.createTempFile("govind-indicators-", ".xlsx");
        try {
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(raw))) {
                writeRaw(b, os);
            }
            normalise(raw, out);
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    // ---------------------------------------------------------------- the workbook itself

    private static void writeRaw(Bulletin b, OutputStream os) throws IOException {
        Texts tx = new Texts(b.meta().lang());
        Workbook wb = new Workbook(os, APPLICATION, APPLICATION_VERSION);
        properties(wb, b, tx);
        Set<String> used = new HashSet<>();
        List<Sheet> sheets = b.sheets() == null ? List.of() : b.sheets();
        for (int i = 0; i < sheets.size(); i++) {
            Sheet s = sheets.get(i);
            String wanted = tx.en() ? s.name() : (s.title() == null || s.title().isBlank() ? s.name() : s.title());
            Worksheet ws = wb.newWorksheet(sheetName(wanted, used, i));
            sheet(ws, s, tx);
            ws.finish();
        }
        wb.finish();
    }

    private static void properties(Workbook wb, Bulletin b, Texts tx) {
        Bulletin.Meta m = b.meta();
        var p = wb.properties();
        p.setTitle(tx.t("指标数据 ", "Indicators ") + m.period());
        if (m.status() != null) p.setSubject(tx.status(m.status()));
        if (m.issuer() != null) p.setCompany(m.issuer());
        p.setTextProperty("period", m.period());
        if (m.publicationId() != null) p.setTextProperty("publicationId", m.publicationId());
        if (m.rulesSha256() != null) p.setTextProperty("rulesSha256", m.rulesSha256());
    }

    private static void sheet(Worksheet ws, Sheet s, Texts tx) throws IOException {
        List<Column> cols = s.columns() == null ? List.of() : s.columns();
        List<List<Object>> rows = s.rows() == null ? List.of() : s.rows();
        if (cols.isEmpty()) return;
        if (cols.size() > Worksheet.MAX_COLS) {
            throw new IllegalArgumentException("sheet " + s.name() + ": " + cols.size() + " columns, Excel allows " + Worksheet.MAX_COLS);
        }
        if (rows.size() + 1 > Worksheet.MAX_ROWS) {
            throw new IllegalArgumentException("sheet " + s.name() + ": " + rows.size() + " rows, Excel allows " + (Worksheet.MAX_ROWS - 1));
        }
        int n = cols.size();

        // Widths, the frozen pane and the filter go into the sheet's XML before the rows, so they are set
        // before the first flush.
        List<String> headers = new ArrayList<>(n);
        for (Column c : cols) headers.add(tx.en() || c.header() == null || c.header().isBlank() ? c.name() : c.header());
        double[] width = new double[n];
        for (int c = 0; c < n; c++) width[c] = displayWidth(headers.get(c)) + 3; // + the filter button
        for (List<Object> row : rows) {
            for (int c = 0; c < n && row != null && c < row.size(); c++) {
                width[c] = Math.max(width[c], displayWidth(shown(row.get(c), cols.get(c).kind(), tx)));
            }
        }
        for (int c = 0; c < n; c++) ws.width(c, Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width[c] + 2)));
        ws.freezePane(0, 1);
        ws.setAutoFilter(0, 0, rows.size(), n - 1);

        for (int c = 0; c < n; c++) {
            ws.value(0, c, checkedText(headers.get(c), s, 0, c));
            ws.style(0, c).bold().set();
        }
        for (int r = 0; r < rows.size(); r++) {
            List<Object> row = rows.get(r);
            if (row == null) continue;
            if (row.size() > n) {
                throw new IllegalArgumentException("sheet " + s.name() + " row " + r + ": " + row.size() + " values for " + n + " columns");
            }
            for (int c = 0; c < row.size(); c++) cell(ws, r + 1, c, row.get(c), cols.get(c).kind(), s, tx);
            if ((r + 1) % FLUSH_EVERY == 0) ws.flush();
        }
    }

    private static void cell(Worksheet ws, int r, int c, Object v, String kind, Sheet s, Texts tx) {
        if (v == null) return;
        if (v instanceof Number num) {
            if ((v instanceof Double d && !Double.isFinite(d)) || (v instanceof Float f && !Float.isFinite(f))) return;
            ws.value(r, c, num);
            String fmt = numberFormat(kind);
            if (fmt != null) ws.style(r, c).format(fmt).set();
            return;
        }
        String text = v instanceof Boolean bool ? tx.t(bool ? "是" : "否", bool ? "yes" : "no") : v.toString();
        ws.value(r, c, checkedText(text, s, r, c)); // a shared string, never a formula
        if ("text".equals(kind)) ws.style(r, c).format(FMT_TEXT).set();
    }

    private static String checkedText(String text, Sheet s, int r, int c) {
        if (text.length() > MAX_CELL_TEXT) {
            throw new IllegalArgumentException("sheet " + s.name() + " cell (" + r + ", " + c + "): text of " + text.length()
                    + " characters, Excel allows " + MAX_CELL_TEXT);
        }
        return text;
    }

    static String numberFormat(String kind) {
        if (kind == null) return null;
        return switch (kind) {
            case "percent" -> FMT_PERCENT;
            case "integer" -> FMT_INTEGER;
            case "number" -> FMT_NUMBER;
            default -> null; // text or unknown: General
        };
    }

    /** Roughly what Excel shows for a value, to size the column. */
    private static String shown(Object v, String kind, Texts tx) {
        if (v == null) return "";
        if (v instanceof Boolean bool) return tx.t(bool ? "是" : "否", bool ? "yes" : "no");
        if (v instanceof Number num) {
            if ((v instanceof Double d && !Double.isFinite(d)) || (v instanceof Float f && !Float.isFinite(f))) return "";
            String fmt = numberFormat(kind);
            if (fmt == null) return num.toString();
            Object x = num instanceof BigDecimal || num instanceof BigInteger || num instanceof Double || num instanceof Float
                    ? num : Long.valueOf(num.longValue());
            return new DecimalFormat(fmt, DecimalFormatSymbols.getInstance(Locale.ROOT)).format(x);
        }
        return v.toString();
    }

    /** Display width in Excel character units: East Asian wide characters count twice. */
    static int displayWidth(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            w += wide(cp) ? 2 : 1;
        }
        return w;
    }

    private static boolean wide(int cp) {
        return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60)
                || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    }

    // ---------------------------------------------------------------- sheet names

    /**
     * A valid, unique sheet name after Excel's rules: at most 31 characters, none of {@code []:*?/\} (and no
     * control characters; each replaced by '_'), not starting or ending with an apostrophe, not blank, not
     * the reserved "History", unique ignoring case (later duplicates get " (2)", " (3)", …).
     *
     * @param used lower-cased names already taken; the result is added
     * @param index zero-based sheet position, for the name of a nameless sheet
     */
    static String sheetName(String wanted, Set<String> used, int index) {
        StringBuilder sb = new StringBuilder();
        String raw = wanted == null ? "" : wanted.strip();
        raw.codePoints().forEach(cp -> sb.appendCodePoint("[]:*?/\\".indexOf(cp) >= 0 || Character.isISOControl(cp) ? '_' : cp));
        String base = tidy(truncate(sb.toString(), MAX_SHEET_NAME));
        if (base.isEmpty()) base = "Sheet" + (index + 1);
        if (base.equalsIgnoreCase("History")) base = "History_";
        String name = base;
        for (int k = 2; used.contains(name.toLowerCase(Locale.ROOT)); k++) {
            String suffix = " (" + k + ")";
            name = tidy(truncate(base, MAX_SHEET_NAME - suffix.length())) + suffix;
        }
        used.add(name.toLowerCase(Locale.ROOT));
        return name;
    }

    private static String tidy(String s) {
        String t = s.strip();
        while (t.startsWith("'")) t = t.substring(1).strip();
        while (t.endsWith("'")) t = t.substring(0, t.length() - 1).strip();
        return t;
    }

    /** At most {@code max} UTF-16 units, never splitting a surrogate pair. */
    private static String truncate(String s, int max) {
        if (s.length() <= max) return s;
        int end = max;
        if (Character.isHighSurrogate(s.charAt(end - 1))) end--;
        return s.substring(0, end);
    }

    // ---------------------------------------------------------------- determinism

    /** Re-writes the zip with fixed entry times and a fixed creation date; see the class comment. */
    private static void normalise(Path raw, OutputStream out) throws IOException {
        ZipOutputStream zos = new ZipOutputStream(new FilterOutputStream(out) {
            @Override public void write(byte[] buf, int off, int len) throws IOException { out.write(buf, off, len); }
            @Override public void close() throws IOException { out.flush(); } // the caller's stream stays open
        }, StandardCharsets.UTF_8);
        zos.setLevel(Deflater.DEFAULT_COMPRESSION);
        try (ZipFile zf = new ZipFile(raw.toFile(), StandardCharsets.UTF_8)) {
            for (Enumeration<? extends ZipEntry> en = zf.entries(); en.hasMoreElements(); ) {
                ZipEntry in = en.nextElement();
                byte[] data;
                try (InputStream is = zf.getInputStream(in)) { data = is.readAllBytes(); }
                if (in.getName().equals("docProps/core.xml")) data = fixCreated(data);
                ZipEntry e = new ZipEntry(in.getName());
                e.setTimeLocal(ZIP_TIME);
                if (in.getMethod() == ZipEntry.STORED) {
                    CRC32 crc = new CRC32();
                    crc.update(data);
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(data.length);
                    e.setCompressedSize(data.length);
                    e.setCrc(crc.getValue());
                } else {
                    e.setMethod(ZipEntry.DEFLATED);
                }
                zos.putNextEntry(e);
                zos.write(data);
                zos.closeEntry();
            }
        }
        zos.close();
    }

    private static byte[] fixCreated(byte[] xml) {
        Matcher m = CREATED_ELEMENT.matcher(new String(xml, StandardCharsets.UTF_8));
        return m.replaceAll("$1" + Matcher.quoteReplacement(CREATED) + "$2").getBytes(StandardCharsets.UTF_8);
    }

    /** {@link #write(Bulletin, OutputStream)} into a byte array. */
    public static byte[] bytes(Bulletin b) {
        var bo = new java.io.ByteArrayOutputStream();
        try {
            write(b, bo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bo.toByteArray();
    }
}
