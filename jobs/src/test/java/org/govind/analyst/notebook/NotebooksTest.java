package org.govind.analyst.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.govind.cli.Main;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every notebook of {@code notebooks/} runs through the real Jupyter path on the demo warehouse, for
 * its latest complete month: {@code govind notebook run --all} writes a private kernel spec
 * (JUPYTER_PATH under target/), Debian's nbclient starts the govind-sql kernel for each notebook and
 * executes every cell. Then, from the executed notebooks: no cell failed, every cell tagged
 * {@code expect-empty} (a recomputation from the shared views compared with gold) returned zero rows,
 * and the overview's on-time rate per district equals {@code gold.case_indicators}.
 *
 * <p>The demo warehouse is built once under target/notebooks-demo (about 4 minutes on an idle machine)
 * and reused while its READY file exists, so a re-run after a code change does not rebuild it
 * ({@code mvn clean} or deleting the folder does).
 */
@Tag("slow")
class NotebooksTest {
    static final Path REPO = Path.of(System.getProperty("govind.repo.root", "..")).toAbsolutePath().normalize();
    static final Path DEMO = Path.of("target", "notebooks-demo").toAbsolutePath();
    static final ObjectMapper JSON = new ObjectMapper();

    /** The demo warehouse, built once; returns its folder. */
    static Path demoWarehouse() throws Exception {
        Path ready = DEMO.resolve("READY");
        Path wh = DEMO.resolve("warehouse");
        if (Files.isRegularFile(ready)) return wh;
        NotebookCommandSupport.deleteTree(DEMO);
        Files.createDirectories(DEMO);
        long t0 = System.nanoTime();
        int rc = Main.execute("demo", "--warehouse", wh.toString(), "--landing", DEMO.resolve("landing").toString(),
                "--out", DEMO.resolve("bulletins").toString());
        assertEquals(0, rc, "demo");
        System.out.printf("NotebooksTest: demo warehouse built in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        Files.writeString(ready, "built by NotebooksTest\n");
        return wh;
    }

    @Test
    void everyNotebookRunsOnTheDemoWarehouseAndShowsGoldsFigures() throws Exception {
        long t0 = System.nanoTime();
        Path wh = demoWarehouse();
        SparkSession spark = TestSpark.get();
        Path gold = wh.resolve("gold").resolve("case_indicators");
        // the latest month the demo computed (its books closed: the demo's exports run through its books-close date)
        String month = spark.read().format("delta").load(gold.toString()).selectExpr("max(period)").head().getString(0);
        assertNotNull(month);

        Path out = DEMO.resolve("runs-" + System.nanoTime());
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("GOVIND_HOME");          // the kernel runs on this JVM's class path (bin/govind would rebuild the jar)
        env.put("GOVIND_KERNEL_HEAP", "2g");
        long run0 = System.nanoTime();
        int rc = Main.execute(env::get, "notebook", "run", "--all", "--period", month, "--warehouse", wh.toString(),
                "--out", out.toString(), "--notebooks", REPO.resolve("notebooks").toString(), "--timeout", "600");
        double runSeconds = (System.nanoTime() - run0) / 1e9;
        assertEquals(0, rc, "notebook run --all");

        Path runDir = out.resolve(month);
        List<String> expected = new ArrayList<>();
        try (Stream<Path> s = Files.list(REPO.resolve("notebooks"))) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ipynb")).sorted().forEach(expected::add);
        }
        assertFalse(expected.isEmpty());
        JsonNode summary = JSON.readTree(Files.readString(runDir.resolve("run-summary.json"), StandardCharsets.UTF_8));
        List<String> ran = new ArrayList<>();
        for (JsonNode r : summary) {
            ran.add(r.get("notebook").asText());
            assertEquals("ok", r.get("status").asText(), r.toString());
            System.out.printf("NotebooksTest: %s executed in %.1f s%n", r.get("notebook").asText(), r.get("seconds").asDouble());
        }
        assertEquals(expected, ran);

        int expectEmpty = 0;
        for (String name : expected) {
            String stem = name.substring(0, name.length() - ".ipynb".length());
            assertTrue(Files.size(runDir.resolve(stem + ".html")) > 0, stem + ".html");
            JsonNode nb = JSON.readTree(Files.readString(runDir.resolve(name), StandardCharsets.UTF_8));
            JsonNode cells = nb.get("cells");
            boolean injected = false;
            for (int i = 0; i < cells.size(); i++) {
                JsonNode c = cells.get(i);
                if (!"code".equals(c.get("cell_type").asText())) continue;
                String where = name + " cell " + i;
                assertFalse(c.get("execution_count").isNull(), where + " was not executed");
                for (JsonNode o : c.get("outputs")) assertFalse("error".equals(o.get("output_type").asText()), where + ": " + o);
                List<String> tags = tags(c);
                if (tags.contains("injected-parameters")) {
                    injected = true;
                    assertTrue(source(c).contains("%period " + month), where);
                    assertTrue(tags(cells.get(i - 1)).contains("parameters"), where + " follows the parameters cell");
                }
                if (tags.contains("expect-empty")) {
                    expectEmpty++;
                    JsonNode rows = result(c, where).get("rows");
                    assertEquals(0, rows.size(), where + " (expect-empty) returned rows: " + rows);
                }
            }
            assertTrue(injected, name + ": parameters injected");
        }
        assertTrue(expectEmpty > 0, "at least one expect-empty cross-check");

        // the overview's on-time rate per district equals gold.case_indicators (level district) for the month
        JsonNode overview = JSON.readTree(Files.readString(runDir.resolve("01_月度概览.ipynb"), StandardCharsets.UTF_8));
        JsonNode shown = null;
        for (JsonNode c : overview.get("cells")) if (tags(c).contains("on-time-by-district")) shown = result(c, "on-time-by-district");
        assertNotNull(shown, "01_月度概览 has a cell tagged on-time-by-district");
        List<String> cols = new ArrayList<>();
        shown.get("columns").forEach(n -> cols.add(n.asText()));
        int di = cols.indexOf("district_code"), ri = cols.indexOf("on_time_rate");
        assertTrue(di >= 0 && ri >= 0, cols.toString());
        Map<String, Double> notebook = new TreeMap<>();
        for (JsonNode r : shown.get("rows")) notebook.put(r.get(di).asText(), r.get(ri).isNull() ? null : r.get(ri).asDouble());
        Map<String, Double> expectedRates = new TreeMap<>();
        for (Row r : spark.read().format("delta").load(gold.toString())
                .where("period = '" + month + "' AND level = 'district'").select("district_code", "on_time_rate").collectAsList()) {
            expectedRates.put(r.getString(0), r.isNullAt(1) ? null : r.getDouble(1));
        }
        assertTrue(expectedRates.size() >= 2 && expectedRates.values().stream().anyMatch(v -> v != null && v > 0), expectedRates.toString());
        assertEquals(expectedRates, notebook);
        System.out.printf("NotebooksTest: notebook run --all %.0f s, whole test %.0f s%n", runSeconds, (System.nanoTime() - t0) / 1e9);
    }

    static List<String> tags(JsonNode cell) {
        List<String> out = new ArrayList<>();
        JsonNode t = cell.path("metadata").path("tags");
        t.forEach(n -> out.add(n.asText()));
        return out;
    }

    static String source(JsonNode cell) {
        JsonNode s = cell.get("source");
        if (s.isTextual()) return s.asText();
        StringBuilder b = new StringBuilder();
        s.forEach(n -> b.append(n.asText()));
        return b.toString();
    }

    /** The application/json result of a SQL cell (the table's rows as the kernel sent them). */
    static JsonNode result(JsonNode cell, String where) {
        for (JsonNode o : cell.get("outputs")) {
            JsonNode j = o.path("data").path("application/json");
            if (!j.isMissingNode()) return j;
        }
        throw new AssertionError(where + " has no application/json output: " + cell.get("outputs"));
    }
}
