package org.govind.analyst;

import java.util.ArrayList;
import java.util.List;

/**
 * Plain-text tables for terminals (the sql shell, {@code govind sql}, {@code tables}, the demo's
 * summary). Columns line up on screen, not in {@code String.length()}: East Asian wide and
 * fullwidth characters (汉字, ＡＢ, most emoji) take two terminal columns, combining marks and
 * zero-width characters none, and control characters are shown escaped so a cell can never move
 * the cursor.
 */
public final class TextTable {
    private TextTable() {}

    public static String render(List<String> header, List<List<String>> rows) {
        int n = header.size();
        int[] w = new int[n];
        for (int i = 0; i < n; i++) w[i] = width(clean(header.get(i)));
        for (List<String> r : rows) for (int i = 0; i < n; i++) w[i] = Math.max(w[i], width(clean(r.get(i))));
        StringBuilder b = new StringBuilder();
        line(b, w);
        row(b, header, w);
        line(b, w);
        for (List<String> r : rows) row(b, r, w);
        line(b, w);
        return b.toString();
    }

    /**
     * Expanded display (psql's {@code \x}): one line per column, a header line per row; for wide
     * rows that a terminal would wrap.
     */
    public static String renderExpanded(List<String> header, List<List<String>> rows) {
        int w = 0;
        for (String h : header) w = Math.max(w, width(clean(h)));
        StringBuilder b = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            b.append("-[ RECORD ").append(r + 1).append(" ]").append("-".repeat(Math.max(3, w - 8))).append('\n');
            for (int i = 0; i < header.size(); i++) {
                String h = clean(header.get(i));
                b.append(h).append(" ".repeat(w - width(h))).append(" | ").append(clean(rows.get(r).get(i))).append('\n');
            }
        }
        return b.toString();
    }

    private static void line(StringBuilder b, int[] w) {
        b.append('+');
        for (int x : w) b.append("-".repeat(x + 2)).append('+');
        b.append('\n');
    }

    private static void row(StringBuilder b, List<String> r, int[] w) {
        b.append('|');
        for (int i = 0; i < w.length; i++) {
            String v = clean(r.get(i));
            b.append(' ').append(v).append(" ".repeat(w[i] - width(v))).append(" |");
        }
        b.append('\n');
    }

    /** Control characters escaped (a tab or carriage return in a cell would break the columns). */
    static String clean(String s) {
        if (s == null) return "NULL";
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t"
                    : (c < 0x20 || (c >= 0x7F && c < 0xA0)) ? String.format("\\u%04x", (int) c) : null;
            if (rep != null && b == null) b = new StringBuilder(s.substring(0, i));
            if (b != null) {
                if (rep != null) b.append(rep);
                else b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    /** Display width in terminal columns. */
    public static int width(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            w += width(cp);
            i += Character.charCount(cp);
        }
        return w;
    }

    /** Columns of one code point: 0 for combining marks and zero-width characters, 2 for wide and fullwidth ones. */
    public static int width(int cp) {
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                || (cp >= 0x1160 && cp <= 0x11FF)  // Hangul medial vowels and final consonants join the syllable
                || cp == 0x200B) {
            return 0;
        }
        return wide(cp) ? 2 : 1;
    }

    /** East Asian Wide (W) and Fullwidth (F) ranges of Unicode's EastAsianWidth.txt, grouped. */
    private static final int[][] WIDE = {
            {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0}, {0x23F3, 0x23F3},
            {0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F}, {0x2693, 0x2693}, {0x26A1, 0x26A1},
            {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5}, {0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA},
            {0x26F2, 0x26F3}, {0x26F5, 0x26F5}, {0x26FA, 0x26FA}, {0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B},
            {0x2728, 0x2728}, {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
            {0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55},
            {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA000, 0xA4CF}, {0xA960, 0xA97F},
            {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE10, 0xFE19}, {0xFE30, 0xFE6F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6},
            {0x16FE0, 0x16FE4}, {0x17000, 0x18CFF}, {0x1B000, 0x1B2FF}, {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF},
            {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251}, {0x1F300, 0x1F320}, {0x1F32D, 0x1F335},
            {0x1F337, 0x1F37C}, {0x1F37E, 0x1F393}, {0x1F3A0, 0x1F3CA}, {0x1F3CF, 0x1F3D3}, {0x1F3E0, 0x1F3F0},
            {0x1F3F4, 0x1F3F4}, {0x1F3F8, 0x1F43E}, {0x1F440, 0x1F440}, {0x1F442, 0x1F4FC}, {0x1F4FF, 0x1F53D},
            {0x1F54B, 0x1F54E}, {0x1F550, 0x1F567}, {0x1F57A, 0x1F57A}, {0x1F595, 0x1F596}, {0x1F5A4, 0x1F5A4},
            {0x1F5FB, 0x1F64F}, {0x1F680, 0x1F6C5}, {0x1F6CC, 0x1F6CC}, {0x1F6D0, 0x1F6D2}, {0x1F6D5, 0x1F6D7},
            {0x1F6EB, 0x1F6EC}, {0x1F6F4, 0x1F6FC}, {0x1F7E0, 0x1F7EB}, {0x1F90C, 0x1F93A}, {0x1F93C, 0x1F945},
            {0x1F947, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD}};

    private static boolean wide(int cp) {
        if (cp < 0x1100) return false;
        int lo = 0, hi = WIDE.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < WIDE[mid][0]) hi = mid - 1;
            else if (cp > WIDE[mid][1]) lo = mid + 1;
            else return true;
        }
        return false;
    }

    public static List<String> cells(org.apache.spark.sql.Row r) {
        List<String> out = new ArrayList<>(r.length());
        for (int i = 0; i < r.length(); i++) {
            Object v = r.get(i);
            String s = v == null ? "NULL" : v instanceof scala.collection.Seq<?> seq
                    ? scala.jdk.javaapi.CollectionConverters.asJava(seq).toString() : String.valueOf(v);
            out.add(s.replace("\n", "\\n"));
        }
        return out;
    }
}
