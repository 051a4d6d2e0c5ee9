package org.govind.cli;

import org.govind.core.Lang;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.govind.ingest.CsvRecords;
import org.govind.spark.ReadOnlyPolicy;
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

    @Parameters(index = "0", descriptionKey = "query", paramLabel = "QUERY") String query;

    @Option(names = "--format", defaultValue = "table", descriptionKey = "format", paramLabel = "table|csv|json")
    String format;

    @Option(names = "--limit", defaultValue = "1000", descriptionKey = "limit", paramLabel = "N") int limit;

    @Override
    public Integer call() throws Exception {
        if (!List.of("table", "csv", "json").contains(format)) {
            throw new IllegalArgumentException("--format must be table, csv or json, not '" + format + "'");
        }
        SparkSession spark = common.session("sql");
        // read-only: queries over the warehouse tables by name, anything else refused with exit 7
        Dataset<Row> df = new ReadOnlyPolicy(Warehouse.open(spark, common.warehouse).registerAll()).dataset(query);
        if (df.columns().length == 0) return 0;
        Dataset<Row> shown = limit > 0 ? df.limit(limit) : df;
        if (format.equals("json")) {
            for (String j : shown.toJSON().collectAsList()) System.out.println(j);
            return 0;
        }
        List<Row> rows = shown.collectAsList();
        List<List<String>> cells = new ArrayList<>();
        for (Row r : rows) cells.add(TextTable.cells(r));
        if (format.equals("csv")) {
            System.out.println(CsvRecords.join(Arrays.asList(df.columns())));
            for (Row r : rows) {
                List<String> c = new ArrayList<>();
                for (int i = 0; i < r.length(); i++) c.add(r.isNullAt(i) ? "" : TextTable.cells(r).get(i));
                System.out.println(CsvRecords.join(c));
            }
            return 0;
        }
        System.out.print(TextTable.render(Arrays.asList(df.columns()), cells));
        System.out.println(Lang.t(rows.size() + " 行", rows.size() + " rows") + (limit > 0 && rows.size() == limit
                ? Lang.t("（已截断，用 --limit 调整）", " (truncated; see --limit)") : ""));
        return 0;
    }
}
