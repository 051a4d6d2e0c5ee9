package org.govind.analyst.notebook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.govind.analyst.QueryResult;
import org.govind.core.Lang;

/**
 * {@code %chart line|bar x=COL y=COL[,COL...] [series=COL] [title=TEXT]}: which columns of the cell's
 * result make the chart. {@code title=} takes the rest of the line (spaces included; quotes optional).
 * Categories are the x values in row order; one series per y column, or, with {@code series=COL}, per
 * value of that column (times each y column when there are several).
 */
record ChartSpec(String kind, String x, List<String> y, String series, String title) {

    static ChartSpec parse(String args) {
        String rest = args.strip();
        String title = null;
        int t = rest.indexOf("title=");
        if (t >= 0) {
            title = rest.substring(t + "title=".length()).strip();
            if (title.length() >= 2 && (title.startsWith("\"") && title.endsWith("\"") || title.startsWith("'") && title.endsWith("'"))) {
                title = title.substring(1, title.length() - 1);
            }
            rest = rest.substring(0, t).strip();
        }
        String[] tokens = rest.isEmpty() ? new String[0] : rest.split("\\s+");
        if (tokens.length == 0 || !(tokens[0].equals("line") || tokens[0].equals("bar"))) throw usage("line 或 bar", "line or bar");
        Map<String, String> kv = new LinkedHashMap<>();
        for (int i = 1; i < tokens.length; i++) {
            int eq = tokens[i].indexOf('=');
            if (eq <= 0) throw usage("无法识别 " + tokens[i], "cannot read " + tokens[i]);
            String k = tokens[i].substring(0, eq).toLowerCase(Locale.ROOT);
            if (!List.of("x", "y", "series").contains(k)) throw usage("未知参数 " + k, "unknown argument " + k);
            kv.put(k, tokens[i].substring(eq + 1));
        }
        if (!kv.containsKey("x") || !kv.containsKey("y") || kv.get("y").isEmpty()) throw usage("缺少 x= 或 y=", "x= and y= are required");
        List<String> y = new ArrayList<>();
        for (String c : kv.get("y").split(",")) if (!c.isBlank()) y.add(c.strip());
        return new ChartSpec(tokens[0], kv.get("x"), List.copyOf(y), kv.get("series"), title);
    }

    private static CellError usage(String zh, String en) {
        return new CellError(Lang.t("%chart 用法：%chart line|bar x=列 y=列[,列...] [series=列] [title=标题]（" + zh + "）",
                "%chart usage: %chart line|bar x=COL y=COL[,COL...] [series=COL] [title=TEXT] (" + en + ")"));
    }

    /** The chart's title: title= or "y by x". */
    String titleOr() {
        return title != null && !title.isBlank() ? title : String.join(", ", y) + " / " + x;
    }

    /** Rates (every y column named *rate) are drawn on a 0–100 % axis. */
    boolean percent() {
        return y.stream().allMatch(c -> c.toLowerCase(Locale.ROOT).endsWith("rate"));
    }

    /** The x values in order of first appearance. */
    List<String> categories(QueryResult r) {
        int xi = column(r, x);
        List<String> out = new ArrayList<>();
        for (List<Object> row : r.rows()) {
            String c = Tables.shown(row.get(xi));
            if (!out.contains(c)) out.add(c);
        }
        return out;
    }

    /** Series name → one value per category (null where the series has no row for it). */
    Map<String, List<Double>> series(QueryResult r, List<String> categories) {
        int xi = column(r, x);
        int si = series == null ? -1 : column(r, series);
        List<Integer> yi = new ArrayList<>();
        for (String c : y) yi.add(column(r, c));
        Map<String, List<Double>> out = new LinkedHashMap<>();
        for (List<Object> row : r.rows()) {
            int cat = categories.indexOf(Tables.shown(row.get(xi)));
            for (int k = 0; k < y.size(); k++) {
                String name = si < 0 ? y.get(k) : Tables.shown(row.get(si)) + (y.size() > 1 ? " · " + y.get(k) : "");
                List<Double> vals = out.computeIfAbsent(name, n -> {
                    List<Double> l = new ArrayList<>();
                    for (int c = 0; c < categories.size(); c++) l.add(null);
                    return l;
                });
                Object v = row.get(yi.get(k));
                if (v != null && !(v instanceof Number)) {
                    throw new CellError(Lang.t("%chart：列 " + y.get(k) + " 不是数值（" + v + "）",
                            "%chart: column " + y.get(k) + " is not numeric (" + v + ")"));
                }
                vals.set(cat, v == null ? null : ((Number) v).doubleValue());
            }
        }
        return out;
    }

    private static int column(QueryResult r, String name) {
        for (int i = 0; i < r.columns().size(); i++) if (r.columns().get(i).equalsIgnoreCase(name)) return i;
        throw new CellError(Lang.t("%chart：结果中没有列 " + name + "（有：" + r.columns() + "）",
                "%chart: the result has no column " + name + " (it has " + r.columns() + ")"));
    }
}
