package org.govind.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.govind.core.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** govind notebook install writes the kernel spec of the contract; run refuses unclear choices before starting anything. */
class NotebookCommandTest {
    @TempDir Path tmp;

    @Test
    void installWritesTheGovindSqlKernelSpec() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("GOVIND_HOME");
        Path prefix = tmp.resolve("prefix");
        int rc = Main.execute(env::get, "notebook", "install", "--prefix", prefix.toString(), "--warehouse", tmp.resolve("wh").toString());
        assertEquals(0, rc);
        JsonNode spec = new ObjectMapper().readTree(prefix.resolve("share/jupyter/kernels/govind-sql/kernel.json").toFile());
        assertEquals("govind SQL (Spark)", spec.get("display_name").asText());
        assertEquals("sql", spec.get("language").asText());
        List<String> argv = new ArrayList<>();
        spec.get("argv").forEach(a -> argv.add(a.asText()));
        // Jupyter fills in {connection_file}; without bin/govind (GOVIND_HOME) the launcher is this JVM's java and class path
        assertEquals(List.of("notebook", "kernel", "{connection_file}"), argv.subList(argv.size() - 3, argv.size()));
        assertEquals("org.govind.cli.Main", argv.get(argv.size() - 4));
        assertTrue(argv.get(0).endsWith("/bin/java"), argv.get(0));
        assertEquals(tmp.resolve("wh").toAbsolutePath().toString(), spec.get("env").get("GOVIND_WAREHOUSE").asText());

        // through bin/govind (it exports GOVIND_HOME): the checkout's bin/govind, by absolute path
        Path home = Path.of(System.getProperty("govind.repo.root", "..")).toAbsolutePath().normalize();
        env.put("GOVIND_HOME", home.toString());
        assertEquals(0, Main.execute(env::get, "notebook", "install", "--prefix", prefix.toString()));
        spec = new ObjectMapper().readTree(prefix.resolve("share/jupyter/kernels/govind-sql/kernel.json").toFile());
        assertEquals(home.resolve("bin/govind").toString(), spec.get("argv").get(0).asText());
        assertEquals(4, spec.get("argv").size());
    }

    @Test
    void runNeedsNamesOrAllAndKnownNotebooks() throws Exception {
        Path nbs = Files.createDirectories(tmp.resolve("nbs"));
        Files.writeString(nbs.resolve("01_a.ipynb"), "{}");
        Files.writeString(nbs.resolve("02_b.ipynb"), "{}");
        String[] base = {"notebook", "run", "--period", "2026-03", "--notebooks", nbs.toString(), "--out", tmp.resolve("out").toString()};
        assertEquals(ExitCode.USAGE.code(), Main.execute(concat(base)));                          // neither names nor --all
        assertEquals(ExitCode.USAGE.code(), Main.execute(concat(base, "--all", "01")));           // both
        assertEquals(ExitCode.USAGE.code(), Main.execute(concat(base, "03")));                    // no such notebook
        assertEquals(ExitCode.USAGE.code(), Main.execute(concat(base, "0")));                     // ambiguous prefix
        assertEquals(ExitCode.USAGE.code(), Main.execute("notebook", "run", "--all"));             // --period is required
    }

    static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
