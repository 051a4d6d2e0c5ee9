package org.govind.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.govind.schema.ListRules;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The rules file ({@code conf/rules.yaml}): every indicator parameter the catalogue marks as a
 * default (leaderboard size, shrinkage prior, star weights and thresholds, red/black list
 * criteria, data-quality levels, ...), typed and validated.
 *
 * <p><b>Which file.</b> Precedence: CLI {@code --rules} &gt; env {@code GOVIND_RULES} &gt;
 * {@code rules} in {@code conf/govind.conf} &gt; {@code ./conf/rules.yaml} &gt; the copy packaged in
 * the jar as classpath resource {@code govind/rules.yaml}. The CLI resolves the first three and
 * calls {@link #load(String)} with the path; {@code load(null)} handles the last two.
 *
 * <p><b>Validation.</b> A file is refused as a whole ({@link RulesException}) when it is not a
 * YAML mapping, has a YAML syntax error, a {@code version} other than 1, a missing or unknown key,
 * a value of the wrong type or out of range, weights not summing to 100, star thresholds not
 * strictly decreasing, or {@code lists.red.star <= lists.black.star}. Every problem is collected;
 * the message has one line per problem, each naming the dotted key (e.g.
 * {@code compound_stars.weights.branch}) and the value found, in English and Chinese.
 *
 * <p>{@link #source()}, {@link #sha256()} and {@link #text()} identify the exact rules a run used,
 * so results can record them. {@link #sqlParams()} gives the values as Spark SQL named parameters.
 */
public final class Rules implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Looked for relative to the working directory by {@code load(null)}. */
    public static final String DEFAULT_FILE = "conf/rules.yaml";
    /** The packaged copy of {@code conf/rules.yaml}. */
    public static final String RESOURCE = "govind/rules.yaml";
    public static final List<String> COMPOUND_WEIGHT_KEYS = List.of("branch", "visits", "on_time", "satisfaction", "committee");
    public static final List<String> COMPANY_WEIGHT_KEYS = List.of("on_time", "satisfaction", "complaints", "party_org");
    /** The checks quality.levels may name: the catalogue's ({@link org.govind.schema.QualityCheck}). */
    public static final List<String> QUALITY_CHECKS = org.govind.schema.QualityCheck.names();
    public static final List<String> QUALITY_LEVELS = org.govind.schema.QualityCheck.levels();

    private final String source;
    private final String text;
    private final String sha256;

    private final int leaderboardSize;
    private final PointsReversals pointsReversals;
    private final int booksCloseDays;
    private final double shrinkageM;
    private final Map<String, Double> compoundWeights;
    private final double visitTarget;
    private final double committeePartyShare;
    private final Map<String, Double> companyWeights;
    private final double complaintCeiling;
    private final Map<Integer, Double> starThresholds;
    private final int maxClimb;
    /** The list rules' thresholds by rules key (see {@link ListRules#thresholds()}); counts as integral doubles. */
    private final Map<String, Double> listThresholds;
    private final int redSize;
    private final int publicityDays;
    private final java.util.SortedSet<java.time.LocalDate> holidays, extraWorkdays;
    private final int silentNights;
    private final Map<String, String> qualityLevels;
    private final Map<String, Object> sqlParams;

    // ---------------------------------------------------------------- loading

    /**
     * Loads the rules file at {@code path}; with {@code null}, {@code ./conf/rules.yaml} when it
     * exists, else the packaged copy {@code classpath:govind/rules.yaml}.
     */
    public static Rules load(String path) {
        if (path == null) {
            Path local = Path.of(DEFAULT_FILE);
            if (Files.isRegularFile(local)) return load(DEFAULT_FILE);
            try (InputStream in = Rules.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new RulesException(RulesException.line(DEFAULT_FILE,
                            "文件不存在，且没有打包的 classpath:" + RESOURCE,
                            "not found, and no packaged copy classpath:" + RESOURCE));
                }
                return fromBytes(in.readAllBytes(), "classpath:" + RESOURCE);
            } catch (IOException e) {
                throw new RulesException(RulesException.line("classpath:" + RESOURCE,
                        "无法读取：" + e.getMessage(), "cannot be read: " + e.getMessage()));
            }
        }
        Path file = Path.of(path);
        if (!Files.exists(file)) {
            throw new RulesException(RulesException.line(path, "文件不存在", "file not found"));
        }
        if (!Files.isRegularFile(file)) {
            throw new RulesException(RulesException.line(path, "不是普通文件", "is not a regular file"));
        }
        try {
            return fromBytes(Files.readAllBytes(file), path);
        } catch (IOException e) {
            throw new RulesException(RulesException.line(path, "无法读取：" + e.getMessage(), "cannot be read: " + e.getMessage()));
        }
    }

    /** Parses and validates rules text; {@code sourceName} is only used in messages and {@link #source()}. */
    public static Rules parse(String yamlText, String sourceName) {
        return new Rules(sourceName, yamlText, sha256Hex(yamlText.getBytes(StandardCharsets.UTF_8)));
    }

    private static Rules fromBytes(byte[] bytes, String source) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new RulesException(RulesException.line(source, "不是有效的 UTF-8 文本", "is not valid UTF-8 text"));
        }
        return new Rules(source, text, sha256Hex(bytes));
    }

    private Rules(String source, String text, String sha256) {
        this.source = source;
        this.text = text;
        this.sha256 = sha256;
        RulesReader r = new RulesReader(source);
        Map<String, Object> root = r.root(parseYaml(text, source), List.of("version", "leaderboard", "points",
                "cases", "shrinkage", "compound_stars", "company_ratings", "stars", "lists", "publicity", "quality"));

        r.integer(root, "version", 1, 1);   // the only rules format this govind reads

        Map<String, Object> leaderboard = r.section(root, "leaderboard", List.of("size"));
        leaderboardSize = r.integer(leaderboard, "leaderboard.size", 1, Integer.MAX_VALUE);

        Map<String, Object> points = r.section(root, "points", List.of("reversals"));
        List<String> reversalNames = List.of(PointsReversals.KNOWN_AT_PERIOD_END.yamlName(), PointsReversals.ANY_TIME.yamlName());
        pointsReversals = PointsReversals.fromYaml(r.choice(points, "points.reversals", reversalNames));

        Map<String, Object> cases = r.section(root, "cases", List.of("books_close_days"));
        booksCloseDays = r.integer(cases, "cases.books_close_days", 0, 366);

        Map<String, Object> shrinkage = r.section(root, "shrinkage", List.of("M"));
        shrinkageM = r.number(shrinkage, "shrinkage.M", 0, true, Double.POSITIVE_INFINITY, false);

        Map<String, Object> compound = r.section(root, "compound_stars", List.of("weights", "visit_target", "committee_party_share"));
        compoundWeights = Collections.unmodifiableMap(r.weights(compound, "compound_stars.weights", COMPOUND_WEIGHT_KEYS));
        visitTarget = r.number(compound, "compound_stars.visit_target", 0, false, 1, true);
        committeePartyShare = r.rate(compound, "compound_stars.committee_party_share");

        Map<String, Object> company = r.section(root, "company_ratings", List.of("weights", "complaint_ceiling"));
        companyWeights = Collections.unmodifiableMap(r.weights(company, "company_ratings.weights", COMPANY_WEIGHT_KEYS));
        complaintCeiling = r.number(company, "company_ratings.complaint_ceiling", 0, false, Double.POSITIVE_INFINITY, false);

        Map<String, Object> stars = r.section(root, "stars", List.of("thresholds", "max_climb"));
        starThresholds = Collections.unmodifiableMap(thresholds(r, stars));
        maxClimb = r.integer(stars, "stars.max_climb", 0, Integer.MAX_VALUE);

        // the list thresholds, their types and ranges come from the list rules' definition (ListRules)
        Map<String, Object> lists = r.section(root, "lists", concat(thresholdKeysUnder("lists"), List.of("black", "red")));
        Map<String, Double> lt = new LinkedHashMap<>();
        java.util.Set<String> bad = new java.util.HashSet<>();
        listThresholds(r, lists, "lists", lt, bad);
        listThresholds(r, r.section(lists, "lists.black", thresholdKeysUnder("lists.black")), "lists.black", lt, bad);
        Map<String, Object> red = r.section(lists, "lists.red", concat(List.of("size"), thresholdKeysUnder("lists.red")));
        redSize = r.integer(red, "lists.red.size", 1, Integer.MAX_VALUE);
        listThresholds(r, red, "lists.red", lt, bad);
        double blackStar = lt.getOrDefault("lists.black.star", Double.NaN), redStar = lt.getOrDefault("lists.red.star", Double.NaN);
        if (!bad.contains("lists.black.star") && !bad.contains("lists.red.star") && redStar <= blackStar) {
            r.keyProblem("lists.red.star", "必须大于 lists.black.star = " + (long) blackStar,
                    "must be greater than lists.black.star = " + (long) blackStar, (long) redStar);
        }
        listThresholds = Collections.unmodifiableMap(lt);

        Map<String, Object> publicity = r.section(root, "publicity", List.of("days", "holidays", "extra_workdays"));
        publicityDays = r.integer(publicity, "publicity.days", 1, 365);   // a list is always publicized before it is final
        holidays = Collections.unmodifiableSortedSet(r.dates(publicity, "publicity.holidays"));
        extraWorkdays = Collections.unmodifiableSortedSet(r.dates(publicity, "publicity.extra_workdays"));
        for (java.time.LocalDate d : extraWorkdays) {
            if (holidays.contains(d)) r.keyProblem("publicity.extra_workdays", "包含的日期同时出现在 publicity.holidays 中",
                    "lists a date that is also in publicity.holidays", d.toString());
        }

        Map<String, Object> quality = r.section(root, "quality", List.of("silent_nights", "levels"));
        silentNights = r.integer(quality, "quality.silent_nights", 1, 31);
        Map<String, Object> levels = r.section(quality, "quality.levels", QUALITY_CHECKS);
        Map<String, String> lv = new LinkedHashMap<>();
        // a check the file does not name keeps the catalogue's default level; one it names must be in the catalogue
        for (org.govind.schema.QualityCheck c : org.govind.schema.QualityCheck.values()) {
            String level = levels == null || !levels.containsKey(c.name()) ? null
                    : r.choice(levels, "quality.levels." + c.name(), QUALITY_LEVELS);
            lv.put(c.name(), level != null ? level : c.defaultLevel.name());
        }
        qualityLevels = Collections.unmodifiableMap(lv);

        if (!r.problems().isEmpty()) throw new RulesException(r.problems());
        sqlParams = Collections.unmodifiableMap(buildSqlParams());
    }

    /** {@code stars.thresholds}: keys exactly 5, 4, 3, 2; values in (0, 100], strictly decreasing. */
    private static Map<Integer, Double> thresholds(RulesReader r, Map<String, Object> stars) {
        Map<String, Object> m = r.section(stars, "stars.thresholds", List.of("5", "4", "3", "2"));
        Map<Integer, Double> out = new LinkedHashMap<>();
        if (m == null) return out;
        Double above = null;
        for (int star = 5; star >= 2; star--) {
            String path = "stars.thresholds." + star;
            double t = r.number(m, path, 0, false, 100, true);
            out.put(star, t);
            if (Double.isNaN(t)) { above = null; continue; }
            if (above != null && t >= above) {
                r.keyProblem(path, "必须小于 stars.thresholds." + (star + 1) + " = " + RulesReader.show(above),
                        "must be below stars.thresholds." + (star + 1) + " = " + RulesReader.show(above), t);
            }
            above = t;
        }
        return out;
    }

    /** The rules keys of the list thresholds directly under a section ("lists.black" → on_time_rate, ...), in definition order. */
    private static List<String> thresholdKeysUnder(String section) {
        List<String> out = new java.util.ArrayList<>();
        for (String key : ListRules.get().thresholds().keySet()) {
            if (key.startsWith(section + ".") && key.indexOf('.', section.length() + 1) < 0) out.add(key.substring(section.length() + 1));
        }
        return out;
    }

    /** Reads the list thresholds directly under {@code section} with their type and range; {@code bad} collects the refused keys. */
    private static void listThresholds(RulesReader r, Map<String, Object> parent, String section, Map<String, Double> out,
                                       java.util.Set<String> bad) {
        for (String name : thresholdKeysUnder(section)) {
            ListRules.Threshold t = ListRules.get().thresholds().get(section + "." + name);
            int before = r.problems().size();
            double v = t.isRate() ? r.rate(parent, t.key()) : r.integer(parent, t.key(), (int) t.min(), (int) Math.min(t.max(), Integer.MAX_VALUE));
            if (parent == null || r.problems().size() != before) bad.add(t.key());
            out.put(t.key(), v);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static Object parseYaml(String text, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        try {
            return new Yaml(new SafeConstructor(options)).load(body);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = (e.getContext() != null ? e.getContext() + ": " : "") + e.getProblem();
            if (mark == null) {
                throw new RulesException(RulesException.line(source, "YAML 语法错误：" + problem, "YAML syntax error: " + problem));
            }
            int line = mark.getLine() + 1, column = mark.getColumn() + 1;
            // An unclosed {...} or [...] is noticed on a later line; its key is where the bracket opened.
            boolean flow = e.getContext() != null && e.getContext().contains("flow") && e.getContextMark() != null;
            String key = keyAtLine(body, flow ? e.getContextMark().getLine() + 1 : line);
            String nearEn = key == null ? "" : " near key '" + key + "'";
            String nearZh = key == null ? " " : "（键 " + key + " 附近）";
            throw new RulesException(RulesException.line(source,
                    "第 " + line + " 行第 " + column + " 列" + nearZh + "YAML 语法错误：" + problem,
                    "YAML syntax error at line " + line + ", column " + column + nearEn + ": " + problem));
        } catch (YAMLException e) {
            throw new RulesException(RulesException.line(source, "YAML 错误：" + e.getMessage(), "YAML error: " + e.getMessage()));
        }
    }

    private static final Pattern KEY_LINE = Pattern.compile("^( *)([A-Za-z0-9_]+)\\s*:(\\s|$)");

    /** Best effort: the dotted key of the last {@code key:} line at or before a 1-based line, by indentation. */
    static String keyAtLine(String text, int line) {
        Deque<Map.Entry<Integer, String>> stack = new ArrayDeque<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < Math.min(line, lines.length); i++) {
            Matcher m = KEY_LINE.matcher(lines[i]);
            if (!m.find()) continue;
            int indent = m.group(1).length();
            while (!stack.isEmpty() && stack.peekLast().getKey() >= indent) stack.removeLast();
            stack.addLast(Map.entry(indent, m.group(2)));
        }
        if (stack.isEmpty()) return null;
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Integer, String> e : stack) sb.append(sb.length() == 0 ? "" : ".").append(e.getValue());
        return sb.toString();
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> buildSqlParams() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("leaderboard_size", leaderboardSize);
        p.put("reversals_any_time", pointsReversals == PointsReversals.ANY_TIME);
        p.put("books_close_days", booksCloseDays);
        p.put("shrinkage_m", shrinkageM);
        for (Map.Entry<String, Double> e : compoundWeights.entrySet()) p.put("w_" + e.getKey(), e.getValue());
        p.put("visit_target", visitTarget);
        p.put("committee_party_share", committeePartyShare);
        for (Map.Entry<String, Double> e : companyWeights.entrySet()) p.put("cw_" + e.getKey(), e.getValue());
        p.put("complaint_ceiling", complaintCeiling);
        for (int star = 5; star >= 2; star--) p.put("star" + star, starThresholds.get(star));
        p.put("max_climb", maxClimb);
        // the list thresholds under the names the definition gives them (lists.black.star → :lists_black_star)
        for (ListRules.Threshold t : ListRules.get().thresholds().values()) {
            double v = listThresholds.get(t.key());
            p.put(t.param(), t.isRate() ? (Object) v : (Object) (int) v);
        }
        p.put(ListRules.param("lists.red.size"), redSize);
        p.put("publicity_days", publicityDays);
        p.put("silent_nights", silentNights);
        return p;
    }

    // ---------------------------------------------------------------- identity

    /** The file path as given, or {@code classpath:govind/rules.yaml}. */
    public String source() { return source; }

    /** Hex SHA-256 of the exact bytes read. */
    public String sha256() { return sha256; }

    /** The raw text of the rules file. */
    public String text() { return text; }

    // ---------------------------------------------------------------- values

    /** {@code leaderboard.size}: top N per scope (ties at the cut-off rank are all kept). */
    public int leaderboardSize() { return leaderboardSize; }

    /** {@code points.reversals}. */
    public PointsReversals pointsReversals() { return pointsReversals; }

    /** {@code cases.books_close_days}: a month's case books close this many days after its last day. */
    public int booksCloseDays() { return booksCloseDays; }

    /** The books-close date of month {@code m}: its last day plus {@code cases.books_close_days}. */
    public java.time.LocalDate booksClose(java.time.YearMonth m) { return m.atEndOfMonth().plusDays(booksCloseDays); }

    /** {@code shrinkage.M}: prior weight in {@code (k + M*p0) / (n + M)}. */
    public double shrinkageM() { return shrinkageM; }

    /** {@code compound_stars.weights} in the order branch, visits, on_time, satisfaction, committee; sums to 100. */
    public Map<String, Double> compoundWeights() { return compoundWeights; }

    /** {@code compound_stars.visit_target}: visits component = min(1, visit_coverage / visit_target). */
    public double visitTarget() { return visitTarget; }

    /** {@code compound_stars.committee_party_share}: committee component is 1 at or above this share, 0.5 below. */
    public double committeePartyShare() { return committeePartyShare; }

    /** {@code company_ratings.weights} in the order on_time, satisfaction, complaints, party_org; sums to 100. */
    public Map<String, Double> companyWeights() { return companyWeights; }

    /** {@code company_ratings.complaint_ceiling}: received cases per 1,000 households giving complaints component 0. */
    public double complaintCeiling() { return complaintCeiling; }

    /** {@code stars.thresholds.<star>} for star 2..5: score at or above it earns that star. */
    public double starThreshold(int star) {
        Double t = starThresholds.get(star);
        if (t == null) throw new IllegalArgumentException("star threshold exists for stars 2..5 only (got " + star + ")");
        return t;
    }

    /** {@code stars.thresholds} as star → threshold, 5 down to 2. */
    public Map<Integer, Double> starThresholds() { return starThresholds; }

    /** {@code stars.max_climb}: a unit climbs at most this many stars per month. */
    public int maxClimb() { return maxClimb; }

    /** {@code lists.min_due}: companies with fewer cases due in the month are "not rated" (list rule N2). */
    public int minDue() { return (int) listThreshold("lists.min_due"); }

    /**
     * A list rule's threshold by its rules key, e.g. {@code lists.black.on_time_rate}; the keys, their types
     * and ranges are those of {@link ListRules#thresholds()}. Counts are returned as integral doubles.
     */
    public double listThreshold(String key) {
        Double v = listThresholds.get(key);
        if (v == null) throw new IllegalArgumentException("no list threshold '" + key + "' (known: " + listThresholds.keySet() + ")");
        return v;
    }

    /** Every list threshold by rules key, in definition order. */
    public Map<String, Double> listThresholds() { return listThresholds; }

    /** {@code lists.red.size}: at most this many red entries per district. */
    public int redSize() { return redSize; }

    /** {@code publicity.days}: publicity period in working days. */
    public int publicityDays() { return publicityDays; }

    /** {@code publicity.holidays}: weekdays that are not working days (public holidays). */
    public java.util.SortedSet<java.time.LocalDate> holidays() { return holidays; }

    /** {@code publicity.extra_workdays}: weekend days that are working days (调休 make-up days). */
    public java.util.SortedSet<java.time.LocalDate> extraWorkdays() { return extraWorkdays; }

    /** Whether a date is a working day: Monday to Friday unless a holiday, or a listed make-up day. */
    public boolean isWorkingDay(java.time.LocalDate d) {
        if (extraWorkdays.contains(d)) return true;
        if (holidays.contains(d)) return false;
        return d.getDayOfWeek().getValue() <= 5;
    }

    /** The last day of a publicity period that starts the working day after {@code draftDay}; the draft day itself when days = 0. */
    public java.time.LocalDate publicityEnd(java.time.LocalDate draftDay) {
        java.time.LocalDate d = draftDay;
        for (int left = publicityDays; left > 0; ) {
            d = d.plusDays(1);
            if (isWorkingDay(d)) left--;
        }
        return d;
    }

    /** {@code quality.silent_nights}. */
    public int silentNights() { return silentNights; }

    /** {@code quality.levels.<check>}, else the catalogue's default level: "error" or "warning". */
    public String qualityLevel(String check) {
        String level = qualityLevels.get(check);
        if (level == null) {
            throw new RulesException(RulesException.line(source,
                    "未知的数据质量检查 " + check + "（已知：" + String.join("、", QUALITY_CHECKS) + "）",
                    "unknown quality check '" + check + "' (known: " + String.join(", ", QUALITY_CHECKS) + ")"));
        }
        return level;
    }

    /** Every catalogue check → its level ("error" | "warning"), in catalogue order. */
    public Map<String, String> qualityLevels() { return qualityLevels; }

    /**
     * The values as Spark SQL named parameters ({@code :leaderboard_size}, ...): Integer for counts,
     * Double for rates, weights and thresholds, Boolean {@code reversals_any_time}.
     */
    public Map<String, Object> sqlParams() { return sqlParams; }

    @Override
    public String toString() { return "rules " + source + " (sha256 " + sha256 + ")"; }
}
