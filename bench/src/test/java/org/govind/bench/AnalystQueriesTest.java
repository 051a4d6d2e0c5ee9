package org.govind.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.govind.analyst.EmbeddedRunner;
import org.govind.analyst.QueryResult;
import org.govind.generate.Scale;
import org.govind.spark.ReadOnlyPolicy;
import org.govind.spark.Warehouse;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bench compares equal work: on a small generated month, each of the five analyst queries gives
 * the same rows through govind's read-only SQL (Spark) and through DuckDB over the Parquet export,
 * and none of them is empty (an empty pair would agree on nothing).
 */
@Tag("slow")
class AnalystQueriesTest {
    @TempDir static Path tmp;
    static SparkSession spark;
    static Path wh, export;
    static String district;

    @BeforeAll
    static void month() throws Exception {
        spark = TestSpark.get();
        wh = tmp.resolve("wh");
        // the month's last week only (and the nights through its books close): enough rows for every query, fewer nights to ingest
        SqlBench.build(spark, tmp, wh, Scale.SMALL, java.time.LocalDate.parse("2026-03-24"));
        export = tmp.resolve("parquet");
        DuckPeer.export(spark, wh.toString(), export, AnalystQueries.TABLES);
        district = spark.sql("SELECT min(district_code) FROM delta.`" + wh.resolve("gold/case_indicators").toAbsolutePath()
                + "` WHERE period = '" + SqlBench.MONTH + "' AND level = 'district'").head().getString(0);
    }

    @Test
    void sparkAndDuckDbAgreeOnEveryQuery() throws Exception {
        EmbeddedRunner spark = new EmbeddedRunner(new ReadOnlyPolicy(Warehouse.open(AnalystQueriesTest.spark, wh.toString()).registerAll()));
        try (DuckPeer duck = new DuckPeer(export, AnalystQueries.TABLES)) {
            for (String q : AnalystQueries.NAMES) {
                QueryResult s = spark.run(AnalystQueries.text(q, AnalystQueries.Engine.SPARK, SqlBench.MONTH, district), Map.of(), 0);
                QueryResult d = duck.run(AnalystQueries.text(q, AnalystQueries.Engine.DUCKDB, SqlBench.MONTH, district));
                assertFalse(s.rows().isEmpty(), q + " returned no rows on the generated month");
                assertEquals(s.columns(), d.columns(), q + ": columns");
                List<List<Object>> sn = Rows.normal(s), dn = Rows.normal(d);
                assertEquals(sn.size(), dn.size(), q + ": row count");
                for (int i = 0; i < sn.size(); i++) assertEquals(sn.get(i), dn.get(i), q + ": row " + i);
            }
        }
    }

    @Test
    void instantsAreComparedAsInstants() throws Exception {
        // the overdue listing's due_at: Spark gives a java.sql.Timestamp, DuckDB an OffsetDateTime; both become Instants
        try (DuckPeer duck = new DuckPeer(export, AnalystQueries.TABLES)) {
            QueryResult d = duck.run(AnalystQueries.text("q3_overdue_listing", AnalystQueries.Engine.DUCKDB, SqlBench.MONTH, district));
            assertTrue(Rows.normal(d).get(0).get(3) instanceof java.time.Instant, "due_at is an instant: " + d.rows().get(0).get(3).getClass());
        }
    }
}
