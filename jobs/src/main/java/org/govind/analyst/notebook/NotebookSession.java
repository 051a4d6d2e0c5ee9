package org.govind.analyst.notebook;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.govind.analyst.EmbeddedRunner;
import org.govind.analyst.QueryResult;
import org.govind.analyst.SqlRunner;
import org.govind.core.Lang;
import org.govind.core.Periods;
import org.govind.gold.SharedViews;
import org.govind.reports.Charts;
import org.govind.rules.Rules;
import org.govind.schema.Schemas;
import org.govind.spark.ReadOnlyPolicy;
import org.govind.spark.Warehouse;
import org.govind.util.Refusal;

/**
 * What a govind notebook cell does, without Jupyter: the kernel hands each cell's text to
 * {@link #execute} and publishes the {@link Display}s it returns; tests call it directly.
 *
 * <p>Magics (lines starting with % at the top of a cell, see {@link Cell}):
 * <ul>
 *   <li>{@code %period YYYY-MM}: the named parameters {@code :period}, {@code :period_start} /
 *       {@code :period_end} (first instant of the month and of the next, Asia/Shanghai),
 *       {@code :prev_period}, {@code :period_12} (11 months earlier, for 12-month trends); and the
 *       month's shared views as temporary views by name ({@link SharedViews}: {@code cases_at_t},
 *       {@code case_flags}, {@code points_in_m}, {@code <snapshot>_at_t}), so a notebook can recompute
 *       an indicator from silver the way compute does;</li>
 *   <li>{@code %district NAME}: {@code :district} ({@code 全部} = every district, the default);</li>
 *   <li>{@code %chart ...} before the SQL: the table and a PNG chart ({@link ChartSpec}, drawn by the
 *       reports' {@link Charts}, so CJK renders as in the bulletin);</li>
 *   <li>{@code %limit N}: rows shown per table (default {@value #DEFAULT_LIMIT});</li>
 *   <li>{@code %views}: the shared views and tables that can be queried by name.</li>
 * </ul>
 * Every statement runs through the {@link SqlRunner} (read-only policy) with the parameters bound as
 * named markers, never pasted into the text. Anything that fails is a {@link CellError} with one line.
 */
public final class NotebookSession implements AutoCloseable {
    public static final int DEFAULT_LIMIT = 200;
    /** The value of :district that means every district. */
    public static final String ALL_DISTRICTS = "全部";

    private final SqlRunner runner;
    private final SparkSession spark;
    private final Collection<String> tables;
    private final Rules rules;
    private YearMonth period;
    private String district = ALL_DISTRICTS;
    private int limit = DEFAULT_LIMIT;
    private final List<String> views = new ArrayList<>();
    private int charts;

    /** A session over a warehouse whose tables are registered by name, in this JVM, read-only. */
    public NotebookSession(Warehouse warehouse, Rules rules) {
        this(new EmbeddedRunner(new ReadOnlyPolicy(warehouse)), warehouse.spark(), warehouse.tables(), rules);
    }

    /**
     * @param runner runs the statements (read-only)
     * @param spark  where %period creates the shared views (the runner's session)
     * @param tables the warehouse tables as layer.table, for %views
     */
    public NotebookSession(SqlRunner runner, SparkSession spark, Collection<String> tables, Rules rules) {
        this.runner = runner;
        this.spark = spark;
        this.tables = List.copyOf(new TreeSet<>(tables));
        this.rules = rules;
    }

    /** Runs one cell: its magics in order, then its SQL. Returns what the cell shows, in order. */
    public List<Display> execute(String code) {
        Cell cell = Cell.parse(code);
        List<Display> out = new ArrayList<>();
        ChartSpec chart = null;
        for (Cell.Magic m : cell.magics()) {
            switch (m.name()) {
                case "period" -> out.add(period(m.args()));
                case "district" -> out.add(district(m.args()));
                case "limit" -> out.add(limit(m.args()));
                case "views" -> out.add(Display.text(listing()));
                case "chart" -> {
                    chart = ChartSpec.parse(m.args());
                    if (cell.sql().isEmpty()) throw new CellError(Lang.t("%chart 之后需要一条 SQL 查询", "%chart needs a SQL query after it"));
                }
                default -> throw new CellError(Lang.t("未知的魔法命令 " + m + "（可用：%period、%district、%chart、%limit、%views）",
                        "unknown magic " + m + " (known: %period, %district, %chart, %limit, %views)"));
            }
        }
        if (cell.sql().isEmpty()) return out;
        QueryResult r = query(cell.sql());
        if (r.columns().isEmpty()) return out;
        if (chart != null) out.add(chart(chart, r));
        out.add(Tables.display(r));
        return out;
    }

    /** The named parameters a statement is bound with now. */
    public Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        if (period != null) {
            p.put("period", period.toString());
            p.put("period_start", Periods.start(period));
            p.put("period_end", Periods.end(period));
            p.put("prev_period", period.minusMonths(1).toString());
            p.put("period_12", period.minusMonths(11).toString());
        }
        p.put("district", district);
        return p;
    }

    /** The temporary views %period created, in creation order. */
    public List<String> views() {
        return Collections.unmodifiableList(views);
    }

    int limit() { return limit; }

    private QueryResult query(String sql) {
        try {
            return runner.run(sql, params(), limit);
        } catch (Refusal e) {
            throw new CellError(e.getMessage());
        } catch (org.apache.spark.sql.catalyst.parser.ParseException e) {
            throw new CellError(Lang.t("SQL 语法错误：", "SQL syntax error: ") + firstLine(e.getMessage()));
        } catch (org.apache.spark.sql.AnalysisException e) {
            throw new CellError(firstLine(e.getMessage()));
        } catch (CellError e) {
            throw e;
        } catch (Exception e) {
            throw new CellError(e.getClass().getSimpleName() + ": " + firstLine(String.valueOf(e.getMessage())));
        }
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    private Display period(String args) {
        YearMonth m;
        try {
            m = YearMonth.parse(args.strip());
        } catch (DateTimeParseException e) {
            throw new CellError(Lang.t("%period 用法：%period YYYY-MM（不是 '" + args + "'）", "%period usage: %period YYYY-MM (not '" + args + "')"));
        }
        List<String> created;
        try {
            created = SharedViews.create(spark, sharedViewNames(), SharedViews.params(m, rules), Map.of());
        } catch (RuntimeException e) {
            throw new CellError(Lang.t("无法为 " + m + " 创建共享视图：", "cannot create the shared views for " + m + ": ")
                    + firstLine(String.valueOf(e.getMessage())));
        }
        period = m;
        views.clear();
        views.addAll(created);
        Map<String, Object> p = params();
        return Display.text(Lang.t("月份 ", "period ") + m + "：:period_start=" + Tables.shown(p.get("period_start"))
                + ", :period_end=" + Tables.shown(p.get("period_end")) + ", :prev_period=" + p.get("prev_period")
                + ", :period_12=" + p.get("period_12") + Lang.t("；共享视图：", "; shared views: ") + String.join(", ", created));
    }

    private Display district(String args) {
        String d = args.strip();
        if (d.isEmpty() || d.contains(" ")) throw new CellError(Lang.t("%district 用法：%district 区县代码|全部", "%district usage: %district CODE|全部"));
        district = d;
        return Display.text(":district=" + d);
    }

    private Display limit(String args) {
        try {
            int n = Integer.parseInt(args.strip());
            if (n <= 0) throw new NumberFormatException();
            limit = n;
            return Display.text(Lang.t("每个表最多显示 " + n + " 行", "showing at most " + n + " rows per table"));
        } catch (NumberFormatException e) {
            throw new CellError(Lang.t("%limit 用法：%limit N（正整数）", "%limit usage: %limit N (a positive number)"));
        }
    }

    private String listing() {
        StringBuilder b = new StringBuilder();
        b.append(Lang.t("共享视图（%period 创建，按当月）：", "shared views (created by %period, for its month): "))
                .append(views.isEmpty() ? Lang.t("（尚无，先执行 %period YYYY-MM）", "(none yet: run %period YYYY-MM)") : String.join(", ", views))
                .append('\n').append(Lang.t("可用的共享视图：", "shared views available: ")).append(String.join(", ", sharedViewNames()))
                .append('\n').append(Lang.t("仓库表：", "warehouse tables: ")).append(String.join(", ", tables))
                .append('\n').append(Lang.t("参数：", "parameters: ")).append(params().keySet().stream().map(k -> ":" + k).toList());
        return b.toString();
    }

    private Display chart(ChartSpec spec, QueryResult r) {
        List<String> categories = spec.categories(r);
        Map<String, List<Double>> series = spec.series(r, categories);
        Charts.Rendered c;
        try {
            c = Charts.chart("chart-" + (++charts), spec.kind(), spec.titleOr(), spec.x(), String.join(", ", spec.y()),
                    categories, series, spec.percent());
        } catch (RuntimeException e) {
            throw new CellError("%chart: " + firstLine(String.valueOf(e.getMessage())));
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("image/png", Base64.getEncoder().encodeToString(c.png()));
        data.put("text/plain", Lang.t("图：", "chart: ") + c.title());
        return new Display(data);
    }

    /**
     * Every shared view that can be created by name: one per {@code govind/sql/shared/*.sql} (the
     * template state_at_t aside) and {@code <snapshot>_at_t} per snapshot entity, sorted. Read from the
     * folder itself, so a new shared view is available in notebooks without a change here.
     */
    public static List<String> sharedViewNames() {
        TreeSet<String> names = new TreeSet<>();
        for (String s : Schemas.SNAPSHOTS) names.add(s + "_at_t");
        URL dir = NotebookSession.class.getClassLoader().getResource("govind/sql/shared/");
        if (dir == null) throw new IllegalStateException("missing resource folder govind/sql/shared/");
        try {
            URI uri = dir.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                addSql(fs.getPath("govind/sql/shared"), names);
            } else {
                addSql(Path.of(uri), names);
            }
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot list govind/sql/shared/: " + e.getMessage(), e);
        }
        names.removeIf(n -> !SharedViews.isShared(n));
        return List.copyOf(names);
    }

    private static void addSql(Path dir, Collection<String> names) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".sql"))
                    .forEach(f -> names.add(f.substring(0, f.length() - ".sql".length())));
        }
    }

    /** Cancels the Spark jobs running now (a cell the analyst interrupts fails with Spark's cancellation). */
    public void cancel() {
        spark.sparkContext().cancelAllJobs();
    }

    @Override
    public void close() {
        runner.close();
    }
}
