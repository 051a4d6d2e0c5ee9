package org.govind.analyst.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.govind.reports.Charts;
import org.govind.rules.Rules;
import org.govind.spark.Warehouse;
import org.govind.testing.SilverFixture;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notebook session without Jupyter: magics, parameters bound as markers, the month's shared
 * views by name, the three table outputs, charts through the reports' chart code, and one-line
 * errors for refusals and mistakes.
 *
 * <p>The warehouse (March 2026, all cases closed): D1 has C1 (due 03-08, closed 03-07: on time) and
 * C2 (due 03-10, closed 03-12: late); D2 has C3 (due 03-09, closed 03-08: on time). So on time is
 * 1 of 2 in D1 (0.5) and 1 of 1 in D2 (1.0).
 */
class NotebookSessionTest {
    @TempDir static Path tmp;
    static Warehouse wh;
    static final String D1 = SilverFixture.D1;
    static final String D2 = SilverFixture.D2;

    @BeforeAll
    static void warehouse() {
        SilverFixture f = new SilverFixture();
        f.compound("compound_id", "Q1");
        f.cases("case_id", "C1", "reported_at", "2026-03-05 10:00:00", "due_at", "2026-03-08 10:00:00",
                "closed_at", "2026-03-07 10:00:00", "status", "closed", "updated_at", "2026-03-07 10:00:00");
        f.cases("case_id", "C2", "reported_at", "2026-03-06 10:00:00", "due_at", "2026-03-10 10:00:00",
                "closed_at", "2026-03-12 10:00:00", "status", "closed", "updated_at", "2026-03-12 10:00:00");
        f.cases("case_id", "C3", "district_code", D2, "reported_at", "2026-03-07 10:00:00", "due_at", "2026-03-09 10:00:00",
                "closed_at", "2026-03-08 10:00:00", "status", "closed", "updated_at", "2026-03-08 10:00:00");
        wh = f.write(TestSpark.get(), tmp.resolve("wh").toString()).registerAll();
    }

    static NotebookSession session() {
        return new NotebookSession(wh, Rules.load(null));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Display d) {
        return (Map<String, Object>) d.data().get("application/json");
    }

    static List<List<Object>> rows(List<Display> out) {
        @SuppressWarnings("unchecked")
        List<List<Object>> rows = (List<List<Object>>) json(out.get(out.size() - 1)).get("rows");
        return rows;
    }

    @Test
    void cellsSplitIntoMagicsThenOneStatement() {
        Cell c = Cell.parse("\n%period 2026-03\n  %District 370829\n\nSELECT 1 %\n% 2\n");
        assertEquals(List.of(new Cell.Magic("period", "2026-03"), new Cell.Magic("district", "370829")), c.magics());
        assertEquals("SELECT 1 %\n% 2", c.sql());   // a % line after the SQL began is SQL (modulo)
        assertEquals("", Cell.parse("%views").sql());
        ChartSpec s = ChartSpec.parse("line x=period y=on_time_rate,satisfaction_rate series=district_code title=各区县 按期办结率");
        assertEquals(List.of("on_time_rate", "satisfaction_rate"), s.y());
        assertEquals("district_code", s.series());
        assertEquals("各区县 按期办结率", s.title());   // title= takes the rest of the line
        assertTrue(s.percent());
        assertThrows(CellError.class, () -> ChartSpec.parse("pie x=a y=b"));
        assertThrows(CellError.class, () -> ChartSpec.parse("line x=a"));
    }

    @Test
    void periodSetsTheParametersAndCreatesTheSharedViews() {
        try (NotebookSession s = session()) {
            List<Display> out = s.execute("%period 2026-03\n%district 全部");
            assertEquals(2, out.size());
            Map<String, Object> p = s.params();
            assertEquals("2026-03", p.get("period"));
            // first instant of March and of April in Asia/Shanghai (UTC+8)
            assertEquals(Instant.parse("2026-02-28T16:00:00Z"), p.get("period_start"));
            assertEquals(Instant.parse("2026-03-31T16:00:00Z"), p.get("period_end"));
            assertEquals("2026-02", p.get("prev_period"));
            assertEquals("2025-04", p.get("period_12"));   // 12 months: 2025-04 … 2026-03
            assertEquals("全部", p.get("district"));
            // every shared view, created by name for the month (case_flags after the cases_at_t it reads)
            assertTrue(s.views().containsAll(List.of("cases_at_t", "case_flags", "points_in_m", "compounds_at_t", "members_at_t")), s.views().toString());
            assertTrue(s.views().indexOf("cases_at_t") < s.views().indexOf("case_flags"));
            // recompute on-time from the shared view: D1 1 of 2, D2 1 of 1
            List<Display> r = s.execute("""
                    SELECT district_code, count_if(is_closed_on_time) / count_if(is_due) AS on_time_rate
                    FROM case_flags GROUP BY district_code ORDER BY district_code""");
            assertEquals(List.of(List.of(D1, 0.5), List.of(D2, 1.0)), rows(r));
            String views = (String) s.execute("%views").get(0).data().get("text/plain");
            assertTrue(views.contains("silver.cases") && views.contains("case_flags"), views);
        }
    }

    @Test
    void parametersAreBoundAsMarkersNotPastedIntoTheText() {
        try (NotebookSession s = session()) {
            s.execute("%period 2026-03");
            // the contract's district filter: 全部 = every district (3 cases), a code = its cases (D1: 2)
            String q = "SELECT count(*) AS n FROM cases_at_t WHERE (:district = '全部' OR district_code = :district)"
                    + " AND reported_at >= :period_start AND reported_at < :period_end";
            assertEquals(List.of(List.of(3L)), rows(s.execute(q)));
            assertEquals(List.of(List.of(2L)), rows(s.execute("%district " + D1 + "\n" + q)));
            // markers inside a CTE body and a subquery are bound, too
            assertEquals(List.of(List.of("2026-03", "2025-04")),
                    rows(s.execute("WITH m AS (SELECT :period AS p) SELECT p, (SELECT :period_12) AS p12 FROM m")));
            // a value is a literal, never SQL: a quote in it is just a character
            assertEquals(List.of(List.of("a'b")), rows(s.execute("%district a'b\nSELECT :district AS d")));
        }
    }

    @Test
    void aResultIsAnHtmlTableATextTableAndJson() {
        try (NotebookSession s = session()) {
            List<Display> out = s.execute("%limit 2\nSELECT case_id, district_code, reported_at FROM bronze.cases ORDER BY case_id");
            Display t = out.get(out.size() - 1);
            assertEquals(List.of("text/html", "text/plain", "application/json"), List.copyOf(t.data().keySet()));
            Map<String, Object> j = json(t);
            assertEquals(List.of("case_id", "district_code", "reported_at"), j.get("columns"));
            assertEquals(List.of("string", "string", "timestamp"), j.get("types"));
            // 3 cases, 2 shown: truncated; the instant in Asia/Shanghai
            assertEquals(List.of(List.of("C1", D1, "2026-03-05 10:00:00"), List.of("C2", D1, "2026-03-06 10:00:00")), j.get("rows"));
            assertEquals(true, j.get("truncated"));
            String html = (String) t.data().get("text/html");
            assertTrue(html.contains("<th>case_id</th>") && html.contains("<td>C2</td>") && !html.contains("C3"), html);
            String text = (String) t.data().get("text/plain");
            assertTrue(text.contains("| C1      | " + D1) && text.contains("2 行（已截断"), text);
        }
    }

    @Test
    void aChartCellDrawsAPngWithItsChineseTitle() throws Exception {
        try (NotebookSession s = session()) {
            s.execute("%period 2026-03");
            List<Display> out = s.execute("""
                    %chart bar x=district_code y=on_time_rate title=各区县按期办结率（重算）
                    SELECT district_code, count_if(is_closed_on_time) / count_if(is_due) AS on_time_rate
                    FROM case_flags GROUP BY district_code ORDER BY district_code""");
            assertEquals(2, out.size());   // the chart, then the table
            Display chart = out.get(0);
            assertEquals("图：各区县按期办结率（重算）", chart.data().get("text/plain"));
            byte[] png = Base64.getDecoder().decode((String) chart.data().get("image/png"));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertEquals(Charts.WIDTH, img.getWidth());
            assertEquals(Charts.HEIGHT, img.getHeight());
            assertEquals(2, rows(out).size());
            // a title the CJK font cannot draw stops the cell instead of printing boxes
            CellError e = assertThrows(CellError.class, () -> s.execute("%chart line x=a y=b title=\uD83D\uDE00\nSELECT 1 AS a, 2 AS b"));
            assertTrue(e.getMessage().contains("U+1F600"), e.getMessage());
            // a column the result lacks is named
            e = assertThrows(CellError.class, () -> s.execute("%chart line x=a y=c\nSELECT 1 AS a, 2 AS b"));
            assertTrue(e.getMessage().contains("c") && e.getMessage().contains("[a, b]"), e.getMessage());
        }
    }

    @Test
    void refusalsAndMistakesAreOneLineErrors() {
        long before = wh.version("silver.cases");
        try (NotebookSession s = session()) {
            Map<String, String> cells = new LinkedHashMap<>();
            cells.put("DROP TABLE silver.cases", "已拒绝");
            cells.put("%period 2026-03\nINSERT INTO silver.cases SELECT * FROM silver.cases", "已拒绝");
            cells.put("SELECT * FROM text.`/etc/hostname`", "已拒绝");
            cells.put("SELECT '${env:HOME}'", "已拒绝");
            cells.put("SELEC 1", "SQL 语法错误");
            cells.put("SELECT * FROM no_such_table", "no_such_table");
            cells.put("%frobnicate", "未知的魔法命令 %frobnicate");
            cells.put("%period March", "%period 用法");
            cells.put("%limit 0", "%limit 用法");
            for (Map.Entry<String, String> c : cells.entrySet()) {
                CellError e = assertThrows(CellError.class, () -> s.execute(c.getKey()), c.getKey());
                assertTrue(e.getMessage().contains(c.getValue()), c.getKey() + " → " + e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
        }
        assertEquals(before, wh.version("silver.cases"));
    }
}
