package org.govind.schema;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The red/black list rules ({@code schemas/lists/list_rules.yaml}, packaged as
 * {@code govind/lists/list_rules.yaml}): the one definition of every condition a list entry can cite
 * (code, measured value, comparison, threshold key, zh and en text). It lives in {@code schemas}
 * because both {@code jobs} (rules file, SQL parameters, the stored reason text, {@code explain})
 * and {@code reports} (the bulletin in either language) read it, and {@code reports} does not
 * depend on {@code jobs}. Like the table definitions it is plain data without Spark.
 */
public final class ListRules {
    public static final String RESOURCE = "govind/lists/list_rules.yaml";
    public static final List<String> OPS = List.of("<", "<=", ">=", "=");
    public static final List<String> FORMATS = List.of("percent", "count");
    public static final List<String> LISTS = List.of("not_rated", "black", "red");

    /**
     * A rules key a condition compares with.
     *
     * @param type rate (a number in [0, 1]) or count (an integer in [min, max])
     */
    public record Threshold(String key, String type, long min, long max) {
        /** The Spark SQL parameter name: the key with dots as underscores ({@code lists_black_on_time_rate}). */
        public String param() { return ListRules.param(key); }
        public boolean isRate() { return type.equals("rate"); }
    }

    /**
     * One condition; see the file's header for the fields.
     *
     * @param thresholdKey the rules key compared with, or null when {@code fixed} gives a constant
     */
    public record Condition(String code, String list, String measure, String op, String thresholdKey, Double fixed,
                            String format, boolean attach, String zh, String en) {
        /** The rule the condition belongs to: the code up to its first '.' (B2.answered → B2). */
        public String rule() {
            int dot = code.indexOf('.');
            return dot < 0 ? code : code.substring(0, dot);
        }

        public String text(String lang) { return "en".equalsIgnoreCase(lang) ? en : zh; }
    }

    /** A condition that held for an entry, as stored in {@code gold.red_black_list.reason_details}. */
    public record Reason(String code, Double value, Double threshold) implements java.io.Serializable {}

    private static volatile ListRules instance;

    private final Map<String, String> separator;
    private final Map<String, Threshold> thresholds;
    private final Map<String, Condition> conditions;

    private ListRules(Map<String, String> separator, Map<String, Threshold> thresholds, Map<String, Condition> conditions) {
        this.separator = separator;
        this.thresholds = thresholds;
        this.conditions = conditions;
    }

    public static ListRules get() {
        ListRules r = instance;
        if (r == null) {
            synchronized (ListRules.class) {
                if (instance == null) instance = load();
                r = instance;
            }
        }
        return r;
    }

    /** The Spark SQL parameter of a rules key: dots become underscores. */
    public static String param(String key) { return key.replace('.', '_'); }

    /** The threshold keys in conf/rules.yaml order. */
    public Map<String, Threshold> thresholds() { return thresholds; }

    /** Every condition, in the order reasons are written. */
    public List<Condition> conditions() { return List.copyOf(conditions.values()); }

    public Condition condition(String code) {
        Condition c = conditions.get(code);
        if (c == null) throw new SchemaException(RESOURCE + ": no list condition '" + code + "'");
        return c;
    }

    /** The rules (N1, N2, B1 … B4, R) in order. */
    public List<String> rules() {
        return conditions.values().stream().map(Condition::rule).distinct().toList();
    }

    /** The conditions of one rule, in order. */
    public List<Condition> conditionsOf(String rule) {
        return conditions.values().stream().filter(c -> c.rule().equals(rule)).toList();
    }

    /**
     * The text of an entry's reasons in a language (zh or en): each condition's template with its value
     * and threshold, conditions separated by the language's separator except those that attach to the
     * previous one. This is what {@code gold.red_black_list.reasons} stores (zh) and what the reports print.
     */
    public String render(List<Reason> reasons, String lang) {
        String sep = separator.get("en".equalsIgnoreCase(lang) ? "en" : "zh");
        StringBuilder b = new StringBuilder();
        for (Reason r : reasons) {
            Condition c = condition(r.code());
            if (b.length() > 0 && !c.attach()) b.append(sep);
            b.append(text(c, r.value(), r.threshold(), lang));
        }
        return b.toString();
    }

    /** Whether {@code value op threshold} holds (false when either is null). */
    public static boolean holds(Condition c, Double value, Double threshold) {
        if (value == null || threshold == null) return false;
        int cmp = Double.compare(value, threshold);
        return switch (c.op()) {
            case "<" -> cmp < 0;
            case "<=" -> cmp <= 0;
            case ">=" -> cmp >= 0;
            default -> cmp == 0;
        };
    }

    /** One condition's text with its value and threshold. */
    public String text(Condition c, Double value, Double threshold, String lang) {
        String v = value(c, value, threshold), t = threshold(c, threshold);
        return c.text(lang).replace("{value}", v).replace("{threshold}", t);
    }

    /**
     * A value as printed: a percentage with one decimal, or three when a strict "&lt;" would otherwise
     * print its own threshold (69.96% is not "70.0% &lt; 70%"); an integer for counts; "—" for null.
     */
    static String value(Condition c, Double v, Double threshold) {
        if (v == null) return "—";
        if (c.format().equals("count")) return Long.toString(Math.round(v));
        String one = String.format(Locale.ROOT, "%.1f", v * 100);
        if (c.op().equals("<") && threshold != null && one.equals(String.format(Locale.ROOT, "%.1f", threshold * 100))) {
            return String.format(Locale.ROOT, "%.3f%%", v * 100);
        }
        return one + "%";
    }

    /** A threshold as printed: a rate as its exact percentage (0.7 → 70%, 0.955 → 95.5%), a count as an integer. */
    static String threshold(Condition c, Double t) {
        if (t == null) return "—";
        if (c.format().equals("count")) return Long.toString(Math.round(t));
        return percent(t);
    }

    /** A rate as exact percentage text: 0.7 → "70%", 0.955 → "95.5%". */
    public static String percent(double rate) {
        return new BigDecimal(Double.toString(rate)).movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    }

    /** The definition as a Markdown table (for the README; a test keeps the README's copy equal). */
    public String markdownTable() {
        StringBuilder b = new StringBuilder("| code | list | measured value (gold.company_ratings) | holds when value is | 中文 | English |\n"
                + "|---|---|---|---|---|---|\n");
        for (Condition c : conditions.values()) {
            String t = c.thresholdKey() != null ? c.thresholdKey() : Long.toString(Math.round(c.fixed()));
            b.append("| ").append(c.code()).append(" | ").append(c.list()).append(" | `").append(c.measure()).append("` | `")
             .append(c.op()).append(' ').append(t).append("` | ").append(c.zh().replace("|", "\\|")).append(" | ")
             .append(c.en().strip().replace("|", "\\|")).append(" |\n");
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- loading

    static ListRules load() {
        Map<String, Object> y;
        try (InputStream in = ListRules.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) throw new SchemaException("classpath resource " + RESOURCE + " not found");
            LoaderOptions o = new LoaderOptions();
            o.setAllowDuplicateKeys(false);
            y = castMap(new Yaml(new SafeConstructor(o)).load(new String(in.readAllBytes(), StandardCharsets.UTF_8)), RESOURCE);
        } catch (IOException e) {
            throw new SchemaException("cannot read " + RESOURCE + ": " + e.getMessage());
        }
        return parse(y);
    }

    static ListRules parse(Map<String, Object> y) {
        Map<String, Object> sep = castMap(y.get("separator"), RESOURCE + ": separator");
        Map<String, String> separator = Map.of("zh", str(sep, "zh", "separator"), "en", str(sep, "en", "separator"));
        Map<String, Threshold> thresholds = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : castMap(y.get("thresholds"), RESOURCE + ": thresholds").entrySet()) {
            Map<String, Object> t = castMap(e.getValue(), RESOURCE + ": thresholds." + e.getKey());
            String type = str(t, "type", e.getKey());
            if (!List.of("rate", "count").contains(type)) throw new SchemaException(RESOURCE + ": " + e.getKey() + ": type must be rate or count");
            long min = t.get("min") == null ? 0 : ((Number) t.get("min")).longValue();
            long max = t.get("max") == null ? Integer.MAX_VALUE : ((Number) t.get("max")).longValue();
            thresholds.put(e.getKey(), new Threshold(e.getKey(), type, min, max));
        }
        Map<String, Condition> conditions = new LinkedHashMap<>();
        Object list = y.get("conditions");
        if (!(list instanceof List<?> items)) throw new SchemaException(RESOURCE + ": conditions must be a list");
        for (Object o : items) {
            Map<String, Object> c = castMap(o, RESOURCE + ": condition");
            String code = str(c, "code", "condition");
            String at = "condition " + code;
            String key = (String) c.get("threshold");
            Double fixed = c.get("fixed") == null ? null : ((Number) c.get("fixed")).doubleValue();
            if ((key == null) == (fixed == null)) throw new SchemaException(RESOURCE + ": " + at + ": needs either threshold or fixed");
            if (key != null && !thresholds.containsKey(key)) throw new SchemaException(RESOURCE + ": " + at + ": threshold " + key + " is not under thresholds:");
            Condition cond = new Condition(code, str(c, "list", at), str(c, "measure", at), str(c, "op", at), key, fixed,
                    str(c, "format", at), Boolean.TRUE.equals(c.get("attach")), str(c, "zh", at), str(c, "en", at));
            if (!LISTS.contains(cond.list())) throw new SchemaException(RESOURCE + ": " + at + ": list must be one of " + LISTS);
            if (!OPS.contains(cond.op())) throw new SchemaException(RESOURCE + ": " + at + ": op must be one of " + OPS);
            if (!FORMATS.contains(cond.format())) throw new SchemaException(RESOURCE + ": " + at + ": format must be one of " + FORMATS);
            if (conditions.put(code, cond) != null) throw new SchemaException(RESOURCE + ": " + at + " is defined twice");
        }
        return new ListRules(separator, Collections.unmodifiableMap(thresholds), Collections.unmodifiableMap(conditions));
    }

    private static String str(Map<String, Object> m, String key, String at) {
        Object v = m.get(key);
        if (!(v instanceof String s) || s.isEmpty()) throw new SchemaException(RESOURCE + ": " + at + ": missing '" + key + "'");
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o, String at) {
        if (!(o instanceof Map)) throw new SchemaException(at + " must be a mapping");
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : ((Map<Object, Object>) o).entrySet()) out.put(String.valueOf(e.getKey()), e.getValue());
        return out;
    }
}
