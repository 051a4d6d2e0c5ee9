package org.govind.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.govind.analyst.EmbeddedRunner;
import org.govind.analyst.SqlShell;
import org.govind.cli.CliTest.Run;
import org.govind.core.Lang;
import org.govind.spark.ReadOnlyPolicy;
import org.govind.spark.Warehouse;
import org.govind.testing.SilverFixture;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive shell of {@code govind sql}, fed a script (stdin not a terminal), over an
 * embedded runner: statements over lines and several per line, {@code \d}, {@code \d TABLE},
 * {@code \timing}, a refused write (warehouse unchanged, shell goes on), typos (shell goes on),
 * {@code --on-error stop}, and the whole path through {@code Main.execute("sql")} with System.in.
 *
 * <p>The warehouse: every bronze/silver/ops table (SilverFixture), silver.cases with three cases:
 * C1 and C2 in district 370829, C3 in 370832 (so per district: 2 and 1, in all 3); and
 * scratch.notes, a Delta table no yaml defines (one row).
 */
class SqlShellTest {
    @TempDir static Path tmp;
    static String wh;

    @BeforeAll
    static void warehouse() {
        SparkSession spark = TestSpark.get();
        wh = tmp.resolve("wh").toString();
        new SilverFixture()
                .add("silver.cases", "case_id", "C1", "district_code", SilverFixture.D1)
                .add("silver.cases", "case_id", "C2", "district_code", SilverFixture.D1)
                .add("silver.cases", "case_id", "C3", "district_code", SilverFixture.D2)
                .write(spark, wh);
        spark.sql("SELECT 'n1' AS note_id, '备注' AS text").write().format("delta").save(tmp.resolve("wh/scratch/notes").toString());
    }

    record Out(int code, String out, String err) {}

    static Out shell(String script, boolean stop) throws Exception {
        Warehouse w = Warehouse.open(TestSpark.get(), wh).registerAll();
        StringWriter o = new StringWriter(), e = new StringWriter();
        try (EmbeddedRunner runner = new EmbeddedRunner(new ReadOnlyPolicy(w))) {
            int code = new SqlShell(runner, new PrintWriter(o), new PrintWriter(e), 1000, stop)
                    .runScript(new BufferedReader(new StringReader(script)));
            return new Out(code, o.toString(), e.toString());
        } finally {
            Lang.set("zh");
        }
    }

    static Map<String, Long> versions() {
        Warehouse w = Warehouse.open(TestSpark.get(), wh);
        Map<String, Long> v = new LinkedHashMap<>();
        for (String t : w.tables()) v.put(t, w.version(t));
        return v;
    }

    @Test
    void scriptThroughTheShell() throws Exception {
        Map<String, Long> before = versions();
        Out r = shell("""
                SELECT district_code, count(*) AS n
                FROM silver.cases GROUP BY district_code ORDER BY district_code; SELECT reporter_name FROM silver.cases WHERE case_id = 'C1';
                \\d
                \\d silver.cases
                \\d notes
                \\timing
                SELECT count(*) AS total FROM silver.cases;
                DELETE FROM silver.cases;
                SELEC 1;
                SELECT * FROM silver.casez;
                \\nope
                \\timing off
                SELECT 'still going' AS s;
                """, false);
        String out = r.out(), err = r.err();
        assertEquals(0, r.code(), "psql: a script goes on after errors and exits 0\n" + err);

        // the statement over two lines, then the second statement of line 2 (2 cases in 370829, 1 in 370832)
        assertTrue(out.contains("""
                +---------------+---+
                | district_code | n |
                +---------------+---+
                | 370829        | 2 |
                | 370832        | 1 |
                +---------------+---+
                (2 行)
                """), out);
        // 样*乙 is 5 columns wide (two CJK characters and '*'), padded to reporter_name's 13
        assertTrue(out.contains("| 样*乙         |\n+---------------+\n(1 行)"), out);
        assertTrue(out.indexOf("| 370829        | 2 |") < out.indexOf("样*乙"), "statements run in order");

        // \d: warehouse tables with the yaml's Chinese titles; the table without yaml listed too
        assertTrue(Pattern.compile("\\| silver\\.cases +\\| 诉求工单（最新版本） +\\|").matcher(out).find(), out);
        assertTrue(out.contains("| bronze.cases ") && out.contains("| ops.ingest_audit ") && out.contains("| scratch.notes "), out);
        // \d silver.cases: title, key, columns with type, alias, personal-data class
        assertTrue(out.contains("silver.cases — 诉求工单（最新版本）\n"), out);
        assertTrue(out.contains("键：district_code, case_id") || out.contains("键：case_id"), out);
        assertTrue(Pattern.compile("\\| reporter_name +\\| string +\\| 诉求人 +\\| mask_name +\\|").matcher(out).find(), out);
        assertTrue(Pattern.compile("\\| updated_at +\\| timestamp +\\| 更新时间 +\\| +\\| version of the row +\\|").matcher(out).find(), out);
        // \d notes: found by its unqualified name, described by DESCRIBE alone
        assertTrue(out.contains("scratch.notes（schemas/tables 中没有此表的定义，只显示 DESCRIBE）"), out);
        assertTrue(Pattern.compile("\\| text +\\| string +\\| +\\| +\\| +\\|").matcher(out).find(), out);

        // \timing on: the count, then its time
        assertTrue(out.contains("计时：开"), out);
        assertTrue(Pattern.compile("\\| 3     \\|\n\\+-------\\+\n\\(1 行\\)\n耗时：\\d+ ms\n").matcher(out).find(), out);

        // the refused write: one line, the warehouse unchanged; the typos: one line each
        String[] errs = err.strip().split("\n");
        assertEquals(4, errs.length, err);
        assertTrue(errs[0].startsWith("错误：第 8 行：只允许对仓库表的只读查询，已拒绝"), errs[0]);
        assertTrue(errs[1].startsWith("错误：第 9 行：") && errs[1].contains("PARSE_SYNTAX_ERROR"), errs[1]);
        assertTrue(errs[2].startsWith("错误：第 10 行：") && errs[2].contains("TABLE_OR_VIEW_NOT_FOUND"), errs[2]);
        assertTrue(errs[3].contains("未知命令 \\nope"), errs[3]);
        assertEquals(before, versions(), "the refused DELETE changed nothing");
        assertEquals(3L, TestSpark.get().read().format("delta").load(wh + "/silver/cases").count());

        // and the shell went on after them
        assertTrue(out.contains("| still going |"), out);
        assertTrue(out.contains("计时：关") && !out.substring(out.indexOf("计时：关")).contains("耗时"), out);
    }

    @Test
    void onErrorStopEndsAtTheFirstErrorWithItsCode() throws Exception {
        Out refused = shell("SELECT 1 AS one;\nDROP TABLE silver.cases;\nSELECT 'after' AS s;\n", true);
        assertEquals(7, refused.code(), refused.err());
        assertTrue(refused.out().contains("| one |") && !refused.out().contains("after"), refused.out());
        Out typo = shell("SELECT * FROM silver.nope;\nSELECT 'after' AS s;\n", true);
        assertEquals(1, typo.code(), typo.err());
        assertFalse(typo.out().contains("after"), typo.out());
        assertTrue(versions().values().stream().allMatch(v -> v >= 0));
        assertEquals(3L, TestSpark.get().read().format("delta").load(wh + "/silver/cases").count());
    }

    @Test
    void limitExpandedLangAndQuit() throws Exception {
        Out r = shell("""
                \\limit 2
                SELECT case_id FROM silver.cases ORDER BY case_id;
                \\x
                SELECT case_id, district_code FROM silver.cases WHERE case_id = 'C3';
                \\lang en
                \\limit 0
                SELECT count(*) AS n FROM silver.cases
                """, false);
        String out = r.out();
        assertTrue(out.contains("| C1      |\n| C2      |\n+---------+\n(2 行，已截断：最多显示 2 行，用 \\limit N 调整)"), out);
        assertTrue(out.contains("-[ RECORD 1 ]-----\ncase_id       | C3\ndistrict_code | 370832\n"), out);
        assertTrue(out.contains("Language: English"), out);
        // the last statement has no ';': at the end of the script it runs anyway, as psql does
        assertTrue(out.contains("-[ RECORD 1 ]---\nn | 3\n(1 row)"), out);

        Out q = shell("SELECT 1 AS a;\n\\q\nSELECT 2 AS b;\n", false);
        assertTrue(q.out().contains("| a |") && !q.out().contains("| b |"), q.out());
    }

    @Test
    void mainSqlWithoutQueryReadsStdin() {
        InputStream in = System.in;
        try {
            System.setIn(new ByteArrayInputStream("SELECT count(*) AS n\n  FROM silver.cases;\nINSERT INTO silver.cases SELECT * FROM silver.cases;\nSELECT 'ok' AS s;\n"
                    .getBytes(StandardCharsets.UTF_8)));
            Run r = CliTest.run("sql", "--warehouse", wh);
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("| 3 |") && r.out().contains("| ok |"), r.out());
            assertTrue(r.err().contains("错误：第 3 行：只允许对仓库表的只读查询，已拒绝"), r.err());

            System.setIn(new ByteArrayInputStream("INSERT INTO silver.cases SELECT * FROM silver.cases;\nSELECT 'never' AS s;\n".getBytes(StandardCharsets.UTF_8)));
            Run stop = CliTest.run("sql", "--warehouse", wh, "--on-error", "stop");
            assertEquals(7, stop.code(), stop.err());
            assertFalse(stop.out().contains("never"), stop.out());
        } finally {
            System.setIn(in);
        }
        assertEquals(3L, TestSpark.get().read().format("delta").load(wh + "/silver/cases").count());
    }
}
