package org.govind.analyst.notebook;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.govind.analyst.QueryResult;
import org.govind.core.Lang;
import org.govind.core.Periods;

/**
 * A statement's rows as the three outputs of a SQL cell: {@code text/html} (a table), {@code text/plain}
 * (an aligned text table, CJK characters two columns wide) and {@code application/json}
 * ({@code {"columns", "types", "rows", "truncated"}}, values as JSON numbers, strings, booleans or null:
 * what a test or another tool reads back from an executed notebook). Instants are shown in the city's
 * time zone ({@link Periods#ZONE}), as every govind month is judged in it.
 */
final class Tables {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(Periods.ZONE);

    private Tables() {}

    static Display display(QueryResult r) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("text/html", html(r));
        data.put("text/plain", text(r));
        data.put("application/json", json(r));
        return new Display(data);
    }

    /** The value as a cell shows it: NULL, instants in Asia/Shanghai, everything else as Java prints it. */
    static String shown(Object v) {
        if (v == null) return "NULL";
        if (v instanceof Instant i) return LOCAL.format(i);
        if (v instanceof List<?> l) {
            List<String> s = new ArrayList<>();
            for (Object o : l) s.add(shown(o));
            return "[" + String.join(", ", s) + "]";
        }
        return String.valueOf(v);
    }

    /** A JSON-safe value: numbers and booleans as they are (NaN/∞ as null), everything else as shown text. */
    static Object jsonValue(Object v) {
        if (v == null) return null;
        if (v instanceof Double d) return d.isNaN() || d.isInfinite() ? null : d;
        if (v instanceof Float f) return f.isNaN() || f.isInfinite() ? null : f;
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof BigDecimal
                || v instanceof Boolean || v instanceof String) return v;
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(jsonValue(o));
            return out;
        }
        return shown(v);
    }

    static Map<String, Object> json(QueryResult r) {
        List<List<Object>> rows = new ArrayList<>();
        for (List<Object> row : r.rows()) {
            List<Object> out = new ArrayList<>();
            for (Object v : row) out.add(jsonValue(v));
            rows.add(out);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("columns", new ArrayList<>(r.columns()));
        m.put("types", new ArrayList<>(r.types()));
        m.put("rows", rows);
        m.put("truncated", r.truncated());
        return m;
    }

    static String footer(QueryResult r) {
        return Lang.t(r.rows().size() + " 行", r.rows().size() + " rows")
                + (r.truncated() ? Lang.t("（已截断，用 %limit N 调整）", " (truncated; see %limit N)") : "");
    }

    static String html(QueryResult r) {
        StringBuilder b = new StringBuilder("<table class=\"govind-result\">\n<thead><tr>");
        for (String c : r.columns()) b.append("<th>").append(escape(c)).append("</th>");
        b.append("</tr></thead>\n<tbody>\n");
        for (List<Object> row : r.rows()) {
            b.append("<tr>");
            for (Object v : row) {
                boolean number = v instanceof Number;
                b.append(number ? "<td style=\"text-align:right\">" : "<td>").append(escape(shown(v))).append("</td>");
            }
            b.append("</tr>\n");
        }
        return b.append("</tbody>\n</table>\n<p><small>").append(escape(footer(r))).append("</small></p>").toString();
    }

    static String text(QueryResult r) {
        List<String> header = r.columns();
        List<List<String>> rows = new ArrayList<>();
        for (List<Object> row : r.rows()) {
            List<String> t = new ArrayList<>();
            for (Object v : row) t.add(shown(v).replace("\n", "\\n"));
            rows.add(t);
        }
        return org.govind.analyst.TextTable.render(header, rows) + footer(r);
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
