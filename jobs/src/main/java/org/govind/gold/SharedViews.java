package org.govind.gold;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.govind.core.Periods;
import org.govind.core.SqlFiles;
import org.govind.rules.Rules;
import org.govind.schema.Schemas;

/**
 * The shared views of one month, creatable by name: what the gold, ops and rating SQL files read
 * besides tables. Each is a file {@code govind/sql/shared/<name>.sql} that reads only tables by their
 * qualified names ({@code bronze.cases}, {@code silver.points}, …) and other shared views by name,
 * plus {@code <snapshot>_at_t} for each snapshot entity of {@link Schemas#SNAPSHOTS} (the one template
 * shared/state_at_t.sql over {@code silver.<snapshot>}).
 * <p>A view's dependencies are not declared anywhere: they are the shared views its SQL names after
 * FROM or JOIN (its own CTE names aside), so {@code create(spark, "case_flags", m, rules)} also creates
 * {@code cases_at_t} first. An analyst's notebook can therefore say
 * {@code SharedViews.create(spark, "cases_at_t", YearMonth.of(2026, 3), Rules.load(null))} on a session
 * where the warehouse's tables are registered, then query {@code cases_at_t}.
 * <p>Every SQL parameter ({@code :period_start}, {@code :books_close}, {@code :gid_compound}, …) is bound
 * in {@link #params}, the one place they come from.
 */
public final class SharedViews {
    /** The template of the {@code <snapshot>_at_t} views; {@code ${table}} is silver.&lt;snapshot&gt;. */
    static final String STATE_AT_T = "shared/state_at_t.sql";
    private static final Pattern READS = Pattern.compile("(?i)\\b(?:FROM|JOIN)\\s+([a-z_][a-z0-9_]*)\\b(?!\\s*\\.)");
    private static final Pattern CTE = Pattern.compile("(?i)(?:\\bWITH|,)\\s*([a-z_][a-z0-9_]*)\\s+AS\\s*\\(");

    private SharedViews() {}

    /** The named parameters every SQL file may use, for one month: the rules file's, then the month's. */
    public static Map<String, Object> params(YearMonth m, Rules rules) {
        Map<String, Object> p = new LinkedHashMap<>(rules.sqlParams());
        p.put("period", m.toString());
        p.put("period_start", Periods.start(m));
        p.put("period_end", Periods.end(m));
        p.put("month_first", m.atDay(1));
        p.put("t_date", Periods.tDate(m));
        p.put("books_close", rules.booksClose(m));
        p.put("entities", Schemas.ENTITIES);
        for (UnitLevel l : UnitLevel.values()) p.put(l.param(), l.gid);
        return p;
    }

    /** Whether {@code name} is a shared view. */
    public static boolean isShared(String name) {
        return snapshotOf(name) != null || (!name.equals("state_at_t") && SqlFiles.exists("shared/" + name + ".sql"));
    }

    /** The SELECT text of a shared view (not yet bound). */
    public static String sql(String name) {
        String snapshot = snapshotOf(name);
        if (snapshot != null) return SqlFiles.text(STATE_AT_T).replace("${table}", "silver." + snapshot);
        if (!isShared(name)) {
            throw new IllegalArgumentException("no shared view '" + name + "': there is no govind/sql/shared/" + name
                    + ".sql, and it is not <snapshot>_at_t for a snapshot of " + Schemas.SNAPSHOTS);
        }
        return SqlFiles.text("shared/" + name + ".sql");
    }

    /** The shared views an SQL text reads by name (after FROM or JOIN, its own CTEs aside), in order of appearance. */
    public static List<String> readBy(String sqlText) {
        String text = SqlFiles.withoutComments(sqlText);
        Set<String> ctes = new LinkedHashSet<>();
        for (Matcher c = CTE.matcher(text); c.find(); ) ctes.add(c.group(1).toLowerCase());
        Set<String> out = new LinkedHashSet<>();
        for (Matcher r = READS.matcher(text); r.find(); ) {
            String n = r.group(1).toLowerCase();
            if (!ctes.contains(n) && isShared(n)) out.add(n);
        }
        return new ArrayList<>(out);
    }

    /** The shared views {@code name} needs, recursively, then {@code name} itself: the order to create them in. */
    public static List<String> withDependencies(String name) {
        LinkedHashSet<String> order = new LinkedHashSet<>();
        visit(name, order, new LinkedHashSet<>());
        return new ArrayList<>(order);
    }

    private static void visit(String name, LinkedHashSet<String> order, LinkedHashSet<String> path) {
        if (order.contains(name)) return;
        if (!path.add(name)) throw new IllegalStateException("shared views read each other in a circle: " + path + " → " + name);
        for (String d : readBy(sql(name))) visit(d, order, path);
        path.remove(name);
        order.add(name);
    }

    /**
     * Creates the temporary view {@code name} for month m and, first, every shared view it reads.
     * The tables are read by name, at their current versions. Returns the views created, in order.
     */
    public static List<String> create(SparkSession spark, String name, YearMonth m, Rules rules) {
        return create(spark, List.of(name), params(m, rules), Map.of());
    }

    /**
     * Creates the views {@code names} and their dependencies with the given parameters; each table
     * name is replaced by its reference in {@code refs} (see {@link SqlFiles#pin}; empty: read by name).
     */
    public static List<String> create(SparkSession spark, List<String> names, Map<String, Object> params, Map<String, String> refs) {
        LinkedHashSet<String> order = new LinkedHashSet<>();
        for (String n : names) order.addAll(withDependencies(n));
        for (String v : order) SqlFiles.view(spark, v, SqlFiles.pin(sql(v), refs), params);
        return new ArrayList<>(order);
    }

    /** Creates every shared view that the SQL files {@code govind/sql/<file>} read (see {@link #create(SparkSession, List, Map, Map)}). */
    public static List<String> createFor(SparkSession spark, List<String> files, Map<String, Object> params, Map<String, String> refs) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String f : files) names.addAll(readBy(SqlFiles.text(f)));
        return create(spark, new ArrayList<>(names), params, refs);
    }

    /**
     * Of {@code views} (created for {@code files}), those read by two or more of the files and views:
     * without a cache each reader would compute such a view again (compute reads cases_at_t through
     * case_flags for case_indicators and again for the quality checks).
     */
    public static List<String> readMoreThanOnce(List<String> files, List<String> views) {
        Map<String, Integer> readers = new java.util.HashMap<>();
        for (String f : files) for (String v : readBy(SqlFiles.text(f))) readers.merge(v, 1, Integer::sum);
        for (String v : views) for (String d : readBy(sql(v))) readers.merge(d, 1, Integer::sum);
        return views.stream().filter(v -> readers.getOrDefault(v, 0) >= 2).toList();
    }

    /**
     * Caches (lazily, memory then disk) the views of {@code views} read more than once by {@code files}
     * and each other; returns them. Off with {@code -Dgovind.compute.cache=false} (to measure the
     * difference: README "Performance"). {@link #drop} uncaches them with the views.
     */
    public static List<String> cacheShared(SparkSession spark, List<String> files, List<String> views) {
        if (!Boolean.parseBoolean(System.getProperty("govind.compute.cache", "true"))) return List.of();
        List<String> shared = readMoreThanOnce(files, views);
        for (String v : shared) spark.catalog().cacheTable(v, org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        return shared;
    }

    /** Drops the temporary views (those {@code create} returned), and with them their cached rows. */
    public static void drop(SparkSession spark, List<String> names) {
        // uncache while every view still resolves (a view reads the views before it), then drop
        for (String v : names) {
            if (spark.catalog().tableExists(v) && spark.catalog().isCached(v)) spark.catalog().uncacheTable(v);
        }
        for (String v : names) spark.catalog().dropTempView(v);
    }

    private static String snapshotOf(String name) {
        if (!name.endsWith("_at_t")) return null;
        String e = name.substring(0, name.length() - "_at_t".length());
        return Schemas.SNAPSHOTS.contains(e) ? e : null;
    }
}
