package org.govind.cli;

import java.util.ArrayList;
import java.util.List;

/** Plain-text table for terminals, aware that CJK characters take two columns. */
public final class TextTable {
    private TextTable() {}

    public static String render(List<String> header, List<List<String>> rows) {
        int n = header.size();
        int[] w = new int[n];
        for (int i = 0; i < n; i++) w[i] = width(header.get(i));
        for (List<String> r : rows) for (int i = 0; i < n; i++) w[i] = Math.max(w[i], width(r.get(i)));
        StringBuilder b = new StringBuilder();
        line(b, w);
        row(b, header, w);
        line(b, w);
        for (List<String> r : rows) row(b, r, w);
        line(b, w);
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
            String v = r.get(i);
            b.append(' ').append(v).append(" ".repeat(w[i] - width(v))).append(" |");
        }
        b.append('\n');
    }

    static int width(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            w += wide(cp) ? 2 : 1;
            i += Character.charCount(cp);
        }
        return w;
    }

    private static boolean wide(int cp) {
        return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60)
                || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
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
