package org.govind.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.govind.analyst.EmbeddedRunner;
import org.govind.analyst.SqlRunner;
import org.govind.analyst.SqlShell;
import org.govind.analyst.TextTable;
import org.govind.core.Lang;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.govind.ingest.CsvRecords;
import org.govind.analyst.QueryResult;
import org.govind.analyst.RemoteRunner;
import org.govind.analyst.ServeState;
import org.govind.core.ExitCode;
import org.govind.spark.ReadOnlyPolicy;
import org.govind.util.Refusal;
import picocli.CommandLine.ParentCommand;
import org.govind.spark.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * govind sql: the analyst's query over the warehouse tables by name. Read-only ({@link ReadOnlyPolicy}):
 * writes, commands, path reads and JVM-reaching functions are refused with exit 7; maintenance that
 * writes is an explicit operator command ({@code govind admin retention}).
 */
@Command(name = "sql", resourceBundle = "govind.messages", mixinStandardHelpOptions = true)
public final class SqlCommand implements Callable<Integer> {
    @Mixin CommonOptions common;

    /** None: the interactive shell ({@link SqlShell}), or a script read from stdin when it is not a terminal. */
    @Parameters(index = "0", arity = "0..1", descriptionKey = "query", paramLabel = "QUERY") String query;

    @Option(names = "--format", defaultValue = "table", descriptionKey = "format", paramLabel = "table|csv|json")
    String format;

    @Option(names = "--limit", defaultValue = "1000", descriptionKey = "limit", paramLabel = "N") int limit;

    @Option(names = "--on-error", defaultValue = "continue", descriptionKey = "onError", paramLabel = "continue|stop")
    String onError;

    @Option(names = "--embedded", descriptionKey = "sqlEmbedded") boolean embedded;

    @Option(names = "--server", descriptionKey = "sqlServer", paramLabel = "sc://HOST:PORT") String server;

    @Option(names = "--token-file", descriptionKey = "sqlTokenFile", paramLabel = "FILE") String tokenFile;

    @ParentCommand Main main;

    @Override
    public Integer call() throws Exception {
        if (!List.of("table", "csv", "json").contains(format)) {
            throw new IllegalArgumentException("--format must be table, csv or json, not '" + format + "'");
        }
        if (query == null) return shell();
        try (SqlRunner runner = runner()) {
            // read-only either way: the server's policy or this session's, anything else refused with exit 7
            print(runner.run(query, java.util.Map.of(), limit));
        }
        return 0;
    }

    /** The shell: on a terminal with line editing and history, else statements read from stdin (a script). */
    private int shell() throws Exception {
        if (!List.of("continue", "stop").contains(onError)) {
            throw new IllegalArgumentException("--on-error must be continue or stop, not '" + onError + "'");
        }
        boolean stop = onError.equals("stop");
        try (SqlRunner runner = runner()) {
            if (SqlShell.onTerminal()) {
                return new SqlShell(runner, null, null, limit, stop).runTerminal(SqlShell.historyFile(System.getenv("GOVIND_HOME")));
            }
            PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
            PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
            return new SqlShell(runner, out, err, limit, stop)
                    .runScript(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        }
    }

    /**
     * The one place that makes the runner (one statement or the shell): the server {@link #remote()}
     * finds, else this JVM's Spark session over the warehouse, read-only.
     */
    SqlRunner runner() throws java.io.IOException {
        SqlRunner remote = remote();
        if (remote != null) {
            System.err.println("govind sql: " + Lang.t("在服务器 ", "ran on the server ") + remote.where() + Lang.t(" 上执行", ""));
            return remote;
        }
        SparkSession spark = common.session("sql");
        return new EmbeddedRunner(new ReadOnlyPolicy(Warehouse.open(spark, common.warehouse).registerAll()));
    }

    /**
     * Where the statement runs: {@code --server URL}; else, unless {@code --embedded}, the server this
     * warehouse's {@code govind serve} state file names when it answers; else null (embedded, in this JVM).
     */
    SqlRunner remote() throws java.io.IOException {
        if (embedded) return null;
        java.util.function.UnaryOperator<String> env = main == null ? System::getenv : main.env;
        ServeState state = ServeState.read(common.warehouse);
        String url;
        if (server != null) {
            url = server.replaceFirst("/.*$", "").replaceFirst("(sc://[^/;]+).*", "$1");
        } else if (state != null && state.answers()) {
            url = state.url();
        } else {
            return null;
        }
        String token = ServeState.token(env, tokenFile, state);
        if (token == null) {
            throw new Refusal(ExitCode.FAILED, Lang.t("连接 " + url + " 需要令牌：设置 GOVIND_SERVE_TOKEN 或用 --token-file",
                    "connecting to " + url + " needs the token: set GOVIND_SERVE_TOKEN or use --token-file"));
        }
        return new RemoteRunner(url, token, System.getProperty("user.name"));
    }

    /** Prints a result in the chosen format (the same shapes as the embedded output). */
    void print(QueryResult r) {
        if (r.columns().isEmpty()) return;
        if (format.equals("json")) {
            for (List<Object> row : r.rows()) {
                java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
                for (int i = 0; i < row.size(); i++) if (row.get(i) != null) m.put(r.columns().get(i), jsonValue(row.get(i)));
                System.out.println(org.govind.util.Json.write(m));
            }
            return;
        }
        List<List<String>> cells = r.text();
        if (format.equals("csv")) {
            System.out.println(CsvRecords.join(r.columns()));
            for (int k = 0; k < cells.size(); k++) {
                List<String> c = new ArrayList<>(cells.get(k));
                for (int i = 0; i < c.size(); i++) if (r.rows().get(k).get(i) == null) c.set(i, "");
                System.out.println(CsvRecords.join(c));
            }
            return;
        }
        System.out.print(TextTable.render(r.columns(), cells));
        System.out.println(Lang.t(cells.size() + " 行", cells.size() + " rows")
                + (r.truncated() ? Lang.t("（已截断，用 --limit 调整）", " (truncated; see --limit)") : ""));
    }

    /** JSON values: numbers, booleans, strings and arrays as such; instants in ISO 8601 with the Asia/Shanghai offset, dates ISO; other types as text. */
    private static Object jsonValue(Object v) {
        if (v instanceof List<?> l) return l.stream().map(SqlCommand::jsonValue).toList();
        if (v instanceof java.sql.Timestamp t) return java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.toInstant().atZone(org.govind.core.Periods.ZONE));
        if (v instanceof java.time.Instant i) return java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(i.atZone(org.govind.core.Periods.ZONE));
        if (v instanceof java.sql.Date d) return d.toLocalDate().toString();
        if (v instanceof java.math.BigDecimal d) return d;
        return v instanceof Number || v instanceof Boolean || v instanceof String ? v : String.valueOf(v);
    }
}
