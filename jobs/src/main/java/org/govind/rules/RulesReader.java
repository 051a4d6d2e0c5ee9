package org.govind.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads typed values out of the parsed YAML tree and collects every problem (missing key, unknown
 * key, wrong type, out of range) as a bilingual line naming the dotted key. Paths are always the
 * full dotted key; a {@code null} parent means the section was already reported, so its leaves
 * stay silent and return placeholder values.
 */
final class RulesReader {
    private final String source;
    private final List<String> problems = new ArrayList<>();

    RulesReader(String source) { this.source = source; }

    List<String> problems() { return problems; }

    /** A problem about one key: {@code key 'p' <en> (got v) / p <zh>（实际 v）}. Chinese first, as in {@code Lang.t(zh, en)}. */
    void keyProblem(String path, String zh, String en, Object got) {
        problem(path + " " + zh + "（实际 " + showZh(got) + "）", "key '" + path + "' " + en + " (got " + show(got) + ")");
    }

    /** A problem line; Chinese first, as in {@code Lang.t(zh, en)}. */
    void problem(String zh, String en) { problems.add(RulesException.line(source, zh, en)); }

    /** The top-level mapping; reports unknown top-level keys. */
    Map<String, Object> root(Object yaml, List<String> keys) {
        if (!(yaml instanceof Map)) {
            problem("必须是“键: 值”形式的 YAML 映射（实际 " + (yaml == null ? "空文件" : showZh(yaml)) + "）",
                    "must be a YAML mapping of keys to values (got " + (yaml == null ? "an empty file" : show(yaml)) + ")");
            return null;
        }
        Map<String, Object> m = normalize((Map<?, ?>) yaml);
        unknownKeys(m, "", keys);
        return m;
    }

    /** The mapping under {@code path}; reports it missing or not a mapping, and unknown keys inside it. */
    Map<String, Object> section(Map<String, Object> parent, String path, List<String> keys) {
        Object v = value(parent, path);
        if (v == null) return null;
        if (!(v instanceof Map)) {
            keyProblem(path, "必须是“键: 值”形式的映射", "must be a mapping of keys to values", v);
            return null;
        }
        Map<String, Object> m = normalize((Map<?, ?>) v);
        unknownKeys(m, path + ".", keys);
        return m;
    }

    /** An integer in [min, max] (use {@code Integer.MAX_VALUE} for no upper bound). */
    int integer(Map<String, Object> parent, String path, int min, int max) {
        Object v = value(parent, path);
        if (v == null) return min;
        // Integer or Long only: 2.5, 20.0, '20' and huge BigIntegers are all refused.
        if ((v instanceof Integer || v instanceof Long) && ((Number) v).longValue() >= min && ((Number) v).longValue() <= max) {
            return ((Number) v).intValue();
        }
        if (min == max) keyProblem(path, "必须为 " + min, "must be " + min, v);
        else if (max == Integer.MAX_VALUE) keyProblem(path, "必须是 ≥ " + min + " 的整数", "must be an integer >= " + min, v);
        else keyProblem(path, "必须是 " + min + " 到 " + max + " 之间的整数", "must be an integer from " + min + " to " + max, v);
        return min;
    }

    /** A finite number between min and max, each bound inclusive or not (max may be +infinity). */
    double number(Map<String, Object> parent, String path, double min, boolean minIncl, double max, boolean maxIncl) {
        Object v = value(parent, path);
        if (v == null) return Double.NaN;
        double d = v instanceof Number num && !(v instanceof Boolean) ? num.doubleValue() : Double.NaN;
        boolean ok = Double.isFinite(d) && (minIncl ? d >= min : d > min) && (maxIncl ? d <= max : d < max);
        if (ok) return d;
        String en, zh;
        if (minIncl && maxIncl) {
            en = "must be a number from " + show(min) + " to " + show(max);
            zh = "必须是 " + show(min) + " 到 " + show(max) + " 之间的数";
        } else {
            en = "must be a number " + (minIncl ? ">= " : "> ") + show(min);
            zh = "必须是" + (minIncl ? " ≥ " : " > ") + show(min);
            if (Double.isFinite(max)) {
                en += " and " + (maxIncl ? "<= " : "< ") + show(max);
                zh += " 且" + (maxIncl ? " ≤ " : " < ") + show(max);
            }
            zh += " 的数";
        }
        keyProblem(path, zh, en, v);
        return Double.NaN;
    }

    /** A rate in [0, 1]. */
    double rate(Map<String, Object> parent, String path) {
        return number(parent, path, 0, true, 1, true);
    }

    /** One of the allowed words. */
    String choice(Map<String, Object> parent, String path, List<String> allowed) {
        Object v = value(parent, path);
        if (v == null) return null;
        if (v instanceof String s && allowed.contains(s)) return s;
        keyProblem(path, "必须是 " + String.join("、", allowed) + " 之一", "must be one of " + String.join(", ", allowed), v);
        return null;
    }

    /** A weights mapping with exactly {@code keys}, each >= 0, summing to 100. */
    Map<String, Double> weights(Map<String, Object> parent, String path, List<String> keys) {
        Map<String, Object> m = section(parent, path, keys);
        Map<String, Double> out = new LinkedHashMap<>();
        if (m == null) return out;
        int before = problems.size();
        double sum = 0;
        for (String k : keys) {
            double w = number(m, path + "." + k, 0, true, Double.POSITIVE_INFINITY, false);
            out.put(k, w);
            sum += w;
        }
        if (problems.size() == before && Math.abs(sum - 100) > 1e-9) {
            problem(path + " 之和必须为 100（实际 " + show(sum) + "）", path + " must sum to 100 (got " + show(sum) + ")");
        }
        return out;
    }

    /** A list of distinct ISO dates (YYYY-MM-DD); an empty list is fine. */
    java.util.SortedSet<java.time.LocalDate> dates(Map<String, Object> parent, String path) {
        java.util.SortedSet<java.time.LocalDate> out = new java.util.TreeSet<>();
        if (parent == null) return out;
        String key = path.substring(path.lastIndexOf('.') + 1);
        if (!parent.containsKey(key)) {
            problem("缺少键 " + path, "key '" + path + "' is missing");
            return out;
        }
        Object v = parent.get(key);
        if (v == null) return out;
        if (!(v instanceof List<?> list)) {
            keyProblem(path, "必须是日期列表（YYYY-MM-DD），如 [2026-10-01, 2026-10-02]",
                    "must be a list of dates YYYY-MM-DD, e.g. [2026-10-01, 2026-10-02]", v);
            return out;
        }
        for (Object o : list) {
            java.time.LocalDate d = null;
            if (o instanceof java.util.Date u) d = u.toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate();
            else if (o instanceof String s) {
                try { d = java.time.LocalDate.parse(s); } catch (java.time.format.DateTimeParseException e) { d = null; }
            }
            if (d == null) keyProblem(path, "只能包含日期（YYYY-MM-DD）", "must hold dates YYYY-MM-DD only", o);
            else if (!out.add(d)) keyProblem(path, "日期重复", "lists a date twice", d.toString());
        }
        return out;
    }

    /** The value at path, or null after reporting it missing or empty. */
    private Object value(Map<String, Object> parent, String path) {
        if (parent == null) return null;
        String key = path.substring(path.lastIndexOf('.') + 1);
        if (!parent.containsKey(key)) {
            problem("缺少键 " + path, "key '" + path + "' is missing");
            return null;
        }
        Object v = parent.get(key);
        if (v == null) problem("键 " + path + " 没有值", "key '" + path + "' has no value");
        return v;
    }

    private void unknownKeys(Map<String, Object> m, String prefix, List<String> expected) {
        for (String k : m.keySet()) {
            if (expected.contains(k)) continue;
            String near = closest(k, expected);
            if (near != null) {
                problem("未知的键 " + prefix + k + "（是否应为 " + prefix + near + "？）",
                        "unknown key '" + prefix + k + "' (did you mean '" + prefix + near + "'?)");
            } else {
                problem("未知的键 " + prefix + k + "（此处允许的键：" + String.join("、", expected) + "）",
                        "unknown key '" + prefix + k + "' (allowed here: " + String.join(", ", expected) + ")");
            }
        }
    }

    /** YAML keys as strings ({@code 5:} is read as the integer 5). */
    private static Map<String, Object> normalize(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), e.getValue());
        return out;
    }

    /** The expected key a typo is closest to (edit distance 1, or 2 for keys of 6+ characters), if any. */
    private static String closest(String k, List<String> expected) {
        String best = null;
        int bestD = k.length() >= 6 ? 3 : k.length() >= 3 ? 2 : 1;
        for (String e : expected) {
            int d = distance(k.toLowerCase(), e.toLowerCase());
            if (d < bestD) { bestD = d; best = e; }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }

    /** A value as the user wrote it: 95 not 95.0, text in quotes. */
    static String show(Object v) {
        if (v == null) return "null";
        if (v instanceof String s) return "'" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'";
        if (v instanceof Double d && Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString(d.longValue());
        if (v instanceof Map) return "a mapping";
        if (v instanceof List) return "a list";
        return String.valueOf(v);
    }

    static String showZh(Object v) {
        if (v instanceof Map) return "映射";
        if (v instanceof List) return "列表";
        return show(v);
    }
}
