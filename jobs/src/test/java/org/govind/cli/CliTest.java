package org.govind.cli;

import org.govind.core.Lang;

import static org.govind.testing.LandingFixture.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.govind.testing.LandingFixture;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end in-process (the session is the shared test session: getOrCreate). */
class CliTest {
    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        return run(System::getenv, args);
    }

    /** Runs in a test's own environment. */
    static Run run(java.util.function.UnaryOperator<String> env, String... args) {
        TestSpark.get();
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.execute(env, args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
            Lang.set("zh");
        }
    }

    @Test
    void ingestThenQueryByNameInCsvAndJson() {
        LandingFixture f = new LandingFixture(tmp.resolve("landing"));
        f.write(LandingFixture.D1, "2026-03-01", "cases", row("cases"), row("cases", "case_id", "C2", "source", "bogus"));
        String wh = tmp.resolve("wh").toString();
        Run ingest = run("ingest", "--demo-key", "--landing", tmp.resolve("landing").toString(), "--warehouse", wh);
        assertEquals(0, ingest.code(), ingest.err());
        assertTrue(ingest.out().contains("2026-03-01  文件 1  读入 2  入库 1  隔离 1"), ingest.out());

        Run csv = run("sql", "SELECT case_id, reporter_name FROM silver.cases", "--format", "csv", "--warehouse", wh);
        assertEquals("case_id,reporter_name\nC1,样*乙\n", csv.out().replace("\r", ""));
        Run json = run("sql", "SELECT reasons FROM ops.quarantine", "--format", "json", "--warehouse", wh);
        assertEquals("{\"reasons\":[\"unknown_enum\"]}", json.out().strip());
        Run tables = run("--lang", "en", "tables", "--warehouse", wh);
        assertTrue(tables.out().contains("silver.cases") && tables.out().contains("Delta version"), tables.out());
    }

    @Test
    void failuresExitNonZeroWithOneLineReason() {
        Run badDate = run("ingest", "--date", "2026-04-31", "--warehouse", tmp.resolve("wh").toString());
        assertEquals(2, badDate.code());
        Run badSql = run("sql", "SELECT * FROM silver.no_such_table", "--warehouse", tmp.resolve("wh").toString());
        assertEquals(1, badSql.code());
        assertTrue(badSql.err().startsWith("govind: 失败: "), badSql.err());
        assertEquals(1, badSql.err().strip().lines().count(), badSql.err());
        Run missing = run("ingest", "--demo-key", "--landing", tmp.resolve("nope").toString(), "--warehouse", tmp.resolve("wh").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());
    }

    @Test
    void helpIsChineseByDefaultAndEnglishOnRequest() {
        assertTrue(run("--help").out().contains("用法"));
        assertTrue(run("--lang", "en", "--help").out().contains("Usage"));
    }
}
