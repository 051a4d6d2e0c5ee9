package org.govind.cli;

import org.govind.core.ExitCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.govind.cli.CliTest.Run;
import org.govind.spark.ReadOnlyPolicy;
import org.govind.spark.Warehouse;
import org.govind.testing.SilverFixture;
import org.govind.testing.TestSpark;
import org.govind.util.Refusal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Analyst SQL is read-only: every hostile statement is refused with exit 7, one line on stderr, no
 * Delta version changed anywhere in the warehouse, and nothing of a file outside it printed; the
 * allowed forms (queries, time travel, SHOW, DESCRIBE, EXPLAIN) work. Runs through
 * {@code Main.execute("sql", ...)} like an analyst would.
 *
 * <p>The warehouse: every bronze/silver/ops table created empty (version 0); bronze.cases then
 * overwritten with one case C1 (version 1). So bronze.cases has 0 rows at version 0 and 1 row now.
 */
class SqlPolicyTest {
    @TempDir static Path tmp;
    static String wh;
    static Path secret, outside, outDir;
    /** A value only the file holds: if it shows up in the output, the file was read. */
    static final String SECRET = "not-for-analysts-" + UUID.randomUUID();

    @BeforeAll
    static void warehouse() throws Exception {
        SparkSession spark = TestSpark.get();
        wh = tmp.resolve("wh").toString();
        new SilverFixture().cases("case_id", "C1").write(spark, wh);
        secret = tmp.resolve("secret.txt");
        Files.writeString(secret, SECRET + "\n", StandardCharsets.UTF_8);
        outside = tmp.resolve("outside");  // a Delta table outside the warehouse
        spark.sql("SELECT '" + SECRET + "' AS s").write().format("delta").save(outside.toString());
        outDir = tmp.resolve("out");
        spark.udf().register("govind_test_udf", (UDF1<Integer, Integer>) x -> x, DataTypes.IntegerType);
    }

    /** Every warehouse table with its Delta version. */
    static Map<String, Long> versions() {
        Warehouse w = Warehouse.open(TestSpark.get(), wh);
        Map<String, Long> v = new LinkedHashMap<>();
        for (String t : w.tables()) v.put(t, w.version(t));
        return v;
    }

    static Run sql(String q, String... more) {
        List<String> args = new ArrayList<>(List.of("sql", "--warehouse", wh));
        args.addAll(List.of(more));
        args.addAll(List.of("--", q));  // after "--": a query that starts with a "--" comment is not an option
        return CliTest.run(args.toArray(new String[0]));
    }

    static List<String> hostile() {
        String s = "`" + secret + "`";
        return List.of(
                // the three from the issue
                "SELECT reflect('java.lang.System', 'getenv', 'GOVIND_PII_KEY')",
                "SELECT * FROM text." + s,
                "DELETE FROM ops.objections",
                "UPDATE ops.publications SET status = 'final'",
                // every kind of write and command
                "INSERT INTO bronze.cases SELECT * FROM bronze.cases",
                "MERGE INTO bronze.cases t USING bronze.cases s ON t.case_id = s.case_id WHEN MATCHED THEN DELETE",
                "CREATE TABLE ops.evil (a INT) USING delta",
                "DROP TABLE bronze.cases",
                "ALTER TABLE bronze.cases SET TBLPROPERTIES ('delta.logRetentionDuration' = 'interval 1 days')",
                "TRUNCATE TABLE bronze.cases",
                "VACUUM bronze.cases RETAIN 0 HOURS",
                "OPTIMIZE bronze.cases",
                "RESTORE TABLE bronze.cases TO VERSION AS OF 0",
                "REPAIR TABLE bronze.cases",
                "CACHE TABLE bronze.cases",
                "ADD JAR '" + tmp.resolve("evil.jar") + "'",
                "CREATE FUNCTION evil AS 'org.example.Evil'",
                "INSERT OVERWRITE DIRECTORY '" + outDir + "' USING parquet SELECT * FROM bronze.cases",
                "CREATE TEMPORARY VIEW v AS SELECT * FROM text." + s,
                "SET spark.sql.ansi.enabled = false",
                "SET -v",
                "RESET",
                "EXECUTE IMMEDIATE 'DELETE FROM bronze.cases'",
                "BEGIN DELETE FROM bronze.cases; END",           // SQL scripting would run it while analyzing
                // casing, comments, CTEs, several statements
                "dElEtE FROM bronze.cases",
                "/* only a comment */ DELETE FROM bronze.cases",
                "-- a comment\nDELETE FROM bronze.cases",
                "SELECT 1; DELETE FROM bronze.cases",
                "SELECT 1; -- harmless?\nDELETE FROM bronze.cases;",
                "WITH x AS (SELECT * FROM bronze.cases) INSERT INTO bronze.cases SELECT * FROM x",
                "EXPLAIN DELETE FROM bronze.cases",
                // reads of files, anywhere in the tree
                "WITH x AS (SELECT value FROM text." + s + ") SELECT * FROM x",
                "SELECT * FROM silver.cases WHERE case_id IN (SELECT value FROM text." + s + ")",
                "SELECT (SELECT max(value) FROM TEXT." + s + ") AS v",
                "SELECT * FROM csv." + s,
                "SELECT * FROM `org.apache.spark.sql.execution.datasources.csv.CSVFileFormat`." + s,
                "SELECT * FROM read_files('" + secret + "')",
                "SELECT * FROM delta.`" + outside + "`",
                "SELECT * FROM delta.`" + Path.of(wh, "bronze", "cases") + "`",  // tables by name only
                "DESCRIBE HISTORY delta.`" + outside + "`",
                "SELECT * FROM bronze.cases WITH ('path' = '" + outside + "')",
                "EXPLAIN SELECT * FROM text." + s,
                // functions that reach the JVM, the environment or the conf; UDFs
                "SELECT java_method('java.lang.System', 'getProperty', 'java.home')",
                "SELECT try_reflect('java.lang.System', 'getProperty', 'java.home')",
                "SELECT system.builtin.REFLECT('java.lang.System', 'getProperty', 'java.home')",
                "SELECT IDENTIFIER('refl' || 'ect')('java.lang.System', 'getProperty', 'java.home')",
                "SELECT transform(array(1), x -> java_method('java.lang.System', 'getProperty', 'java.home'))",
                "SELECT '${system:java.home}' AS h",
                "SELECT govind_test_udf(1)");
    }

    @TestFactory
    Stream<DynamicTest> hostileStatementsAreRefusedAndChangeNothing() {
        String javaHome = System.getProperty("java.home");
        return hostile().stream().map(q -> DynamicTest.dynamicTest(q.replace('\n', ' '), () -> {
            Map<String, Long> before = versions();
            Run r = sql(q);
            assertEquals(ExitCode.SQL_REFUSED.code(), r.code(), q + "\n" + r.out() + r.err());
            assertTrue(r.err().startsWith("govind: 只允许对仓库表的只读查询，已拒绝："), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertEquals(before, versions(), "a Delta version changed: " + q);
            String all = r.out() + r.err();
            assertFalse(all.contains(SECRET), "the file was read: " + all);
            assertFalse(all.contains(javaHome), "a JVM property leaked: " + all);
            assertFalse(Files.exists(outDir), "INSERT OVERWRITE DIRECTORY wrote " + outDir);
        }));
    }

    @Test
    void refusalIsInEnglishWithLangEn() {
        Run r = CliTest.run("--lang", "en", "sql", "DELETE FROM bronze.cases", "--warehouse", wh);
        assertEquals(7, r.code());
        assertEquals("govind: only read-only queries over the warehouse tables are allowed; refused: not a query: DeleteFromTable",
                r.err().strip());
    }

    @Test
    void queriesTimeTravelShowDescribeAndExplainAreAllowed() throws Exception {
        Map<String, Long> before = versions();
        assertEquals(1L, before.get("bronze.cases"));  // created (0), then the fixture's overwrite (1)

        assertEquals("case_id\nC1\n", ok(sql("SELECT case_id FROM bronze.cases", "--format", "csv")));
        assertEquals("n\n1\n", ok(sql("WITH x AS (SELECT case_id FROM bronze.cases) SELECT count(*) AS n FROM x", "--format", "csv")));
        assertEquals("n\n1\n", ok(sql("/* counted */ SELECT count(*) AS n FROM BRONZE.CASES WHERE case_id IN (SELECT case_id FROM bronze.cases); -- done", "--format", "csv")));
        // time travel by name: version 0 is the empty table the fixture created first
        assertEquals("n\n0\n", ok(sql("SELECT count(*) AS n FROM bronze.cases VERSION AS OF 0", "--format", "csv")));
        // Delta times a version by its commit file's modification time (milliseconds)
        long v1 = Files.getLastModifiedTime(Path.of(wh, "bronze", "cases", "_delta_log", "00000000000000000001.json")).toMillis();
        // Delta 4.4 reads an AS OF timestamp shifted by the session zone's offset from the JVM's (8 h early
        // with the JVM in UTC and the session in Asia/Shanghai): compensated here, see the notes
        v1 += java.util.TimeZone.getTimeZone("Asia/Shanghai").getOffset(v1) - java.util.TimeZone.getDefault().getOffset(v1);
        assertEquals("n\n1\n", ok(sql("SELECT count(*) AS n FROM bronze.cases TIMESTAMP AS OF timestamp_millis(" + v1 + ")", "--format", "csv")));

        String history = ok(sql("DESCRIBE HISTORY bronze.cases", "--format", "csv"));
        assertEquals(3, history.strip().lines().count(), history);  // header + versions 1 and 0
        assertTrue(history.contains("CREATE TABLE") && history.contains("WRITE"), history);
        assertTrue(ok(sql("SHOW TABLES IN silver", "--format", "csv")).contains("silver,cases,false"));
        ok(sql("SHOW TABLES"));
        assertTrue(ok(sql("SHOW DATABASES", "--format", "csv")).contains("bronze"));
        assertTrue(ok(sql("SHOW COLUMNS IN bronze.cases", "--format", "csv")).contains("\ncase_id\n"));
        assertTrue(ok(sql("DESCRIBE bronze.cases", "--format", "csv")).contains("\ncase_id,string,"));
        assertTrue(ok(sql("EXPLAIN SELECT * FROM bronze.cases WHERE case_id = 'C1'")).contains("Physical Plan"));
        assertEquals("col1\n1\n", ok(sql("VALUES (1)", "--format", "csv")));
        assertEquals("id\n0\n1\n", ok(sql("SELECT * FROM range(2)", "--format", "csv")));
        assertEquals("col\n1\n2\n", ok(sql("SELECT explode(array(1, 2))", "--format", "csv")));

        assertEquals(before, versions());
    }

    static String ok(Run r) {
        assertEquals(0, r.code(), r.err());
        return r.out().replace("\r", "");
    }

    @Test
    void aTypoIsAnErrorNotARefusal() {
        Run r = sql("SELECT * FROM silver.no_such_table");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("TABLE_OR_VIEW_NOT_FOUND"), r.err());
    }

    @Test
    void thePolicyChecksPlansWithoutText() throws Exception {
        // the entry point a Spark Connect server will use: a parsed plan, never run when refused
        SparkSession spark = TestSpark.get();
        Map<String, Long> before = versions();
        ReadOnlyPolicy p = new ReadOnlyPolicy(Warehouse.open(spark, wh).registerAll());
        for (String q : List.of("BEGIN DELETE FROM bronze.cases; END", "DELETE FROM bronze.cases", "SELECT * FROM text.`" + secret + "`")) {
            var plan = spark.sessionState().sqlParser().parsePlan(q);
            Refusal r = assertThrows(Refusal.class, () -> p.check(plan), q);
            assertEquals(ExitCode.SQL_REFUSED.code(), r.exitCode());
        }
        assertEquals(before, versions());
        assertEquals(1L, p.dataset("SELECT * FROM bronze.cases").count());
    }

    @Test
    void adminRetentionWritesOneCommitPerTableRecordingWho() {
        // its own warehouse: bronze/silver/ops tables created with 3650 days (version 0), bronze.cases overwritten (1)
        String w2 = tmp.resolve("wh-admin").toString();
        Warehouse w = new SilverFixture().cases("case_id", "C1").write(TestSpark.get(), w2);
        List<String> tables = w.tables();
        Map<String, Long> before = new LinkedHashMap<>();
        for (String t : tables) before.put(t, w.version(t));

        Run r = CliTest.run("admin", "retention", "--table", "bronze.cases", "--days", "30", "--warehouse", w2);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("bronze.cases  保留 30 天（Delta 版本 2）"), r.out());
        var props = w.delta("bronze.cases").detail().select("properties").first().<String, String>getJavaMap(0);
        assertEquals("interval 30 days", props.get("delta.logRetentionDuration"));
        assertEquals("interval 30 days", props.get("delta.deletedFileRetentionDuration"));
        var last = w.delta("bronze.cases").history(1).select("operation", "userMetadata").first();
        assertEquals("SET TBLPROPERTIES", last.getString(0));
        assertEquals("govind-admin retention · govind admin retention by " + System.getProperty("user.name"), last.getString(1));
        assertFalse(TestSpark.get().conf().contains(Warehouse.COMMIT_USER_METADATA), "the session setting is restored");

        // --all back to 3650: only bronze.cases changes, every other table already has it
        Run all = CliTest.run("--lang", "en", "admin", "retention", "--all", "--warehouse", w2);
        assertEquals(0, all.code(), all.err());
        assertTrue(all.out().contains("bronze.cases  kept 3650 days (Delta version 3)"), all.out());
        assertTrue(all.out().contains("silver.cases  already 3650 days, unchanged"), all.out());
        for (String t : tables) assertEquals(before.get(t) + (t.equals("bronze.cases") ? 2 : 0), w.version(t), t);

        assertEquals(1, CliTest.run("admin", "retention", "--table", "bronze.nope", "--warehouse", w2).code());
        assertEquals(2, CliTest.run("admin", "retention", "--warehouse", w2).code());  // --table or --all
        assertEquals(2, CliTest.run("admin", "retention", "--table", "bronze.cases", "--all", "--warehouse", w2).code());
    }
}
