package org.govind.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.govind.analyst.QueryResult;
import org.govind.spark.Warehouse;

/**
 * The peer an analyst who knows DuckDB would pick: DuckDB in this process over Parquet exports of
 * the warehouse tables, each visible under the same name ({@code gold.case_indicators}) as a view.
 */
public final class DuckPeer implements AutoCloseable {
    private final Connection conn;

    /** Opens an in-memory DuckDB with one view per exported table under {@code exportDir}. */
    public DuckPeer(Path exportDir, List<String> tables) throws SQLException {
        conn = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement st = conn.createStatement()) {
            st.execute("SET TimeZone = 'Asia/Shanghai'");
            Set<String> schemas = new LinkedHashSet<>();
            for (String t : tables) schemas.add(t.substring(0, t.indexOf('.')));
            for (String s : schemas) st.execute("CREATE SCHEMA IF NOT EXISTS " + s);
            for (String t : tables) {
                String glob = exportDir.resolve(t).toAbsolutePath() + "/*.parquet";
                st.execute("CREATE VIEW " + t + " AS SELECT * FROM read_parquet('" + glob.replace("'", "''") + "')");
            }
        }
    }

    /**
     * Writes each table as plain Parquet (instants as TIMESTAMP_MICROS, UTC-adjusted, which DuckDB
     * reads as TIMESTAMPTZ) under {@code out/<layer.table>/}; returns the nanoseconds it took.
     */
    public static long export(SparkSession spark, String warehouse, Path out, List<String> tables) {
        long t0 = System.nanoTime();
        Warehouse wh = Warehouse.open(spark, warehouse);
        String before = spark.conf().get("spark.sql.parquet.outputTimestampType");
        spark.conf().set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
        try {
            for (String t : tables) wh.read(t).write().mode("overwrite").parquet(out.resolve(t).toString());
        } finally {
            spark.conf().set("spark.sql.parquet.outputTimestampType", before);
        }
        return System.nanoTime() - t0;
    }

    /** Runs one query; every row (the analyst queries are small by construction). */
    public QueryResult run(String sql) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData md = rs.getMetaData();
            List<String> cols = new ArrayList<>(), types = new ArrayList<>();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                cols.add(md.getColumnLabel(i));
                types.add(md.getColumnTypeName(i));
            }
            List<List<Object>> rows = new ArrayList<>();
            while (rs.next()) {
                List<Object> r = new ArrayList<>(cols.size());
                for (int i = 1; i <= cols.size(); i++) r.add(rs.getObject(i));
                rows.add(r);
            }
            return new QueryResult(cols, types, rows, false);
        }
    }

    @Override
    public void close() throws SQLException {
        conn.close();
    }
}
