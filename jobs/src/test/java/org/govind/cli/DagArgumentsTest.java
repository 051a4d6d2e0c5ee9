package org.govind.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.govind.core.ExitCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The Airflow DAGs (airflow/dags/) against the real CLI, without Airflow: {@code airflow/tests/extract_tasks.py}
 * (python3, standard library only) compiles and loads every DAG file against a fake Airflow 2 and 3, runs its own
 * checks, and prints every task's govind argv and the DAGs' exit-code table. Here every argv, with its Jinja
 * templates replaced by sample values, is parsed by govind's own picocli parser, so a DAG cannot call a command or
 * an option that does not exist or pass a value it rejects; and the exit-code table must name exactly the codes of
 * {@link ExitCode}. python3 is required (the CI installs it); there is no skipping.
 */
class DagArgumentsTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    private static JsonNode extracted;

    @BeforeAll
    static void extract() throws Exception {
        Path script = ROOT.resolve("airflow/tests/extract_tasks.py");
        assertTrue(Files.isRegularFile(script), "missing " + script);
        Path tmp = Path.of("target", "dag-check");
        Files.createDirectories(tmp);
        Path stderr = tmp.resolve("extract_tasks.stderr");
        ProcessBuilder pb = new ProcessBuilder("python3", script.toString(), "--tmp", tmp.toString())
                .redirectError(stderr.toFile());
        pb.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            fail("python3 is required to check the Airflow DAGs (Debian: apt-get install python3; .ci/run installs it): "
                    + e.getMessage());
            return;
        }
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "extract_tasks.py did not finish in 2 minutes");
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "extract_tasks.py found a problem in the DAGs:\n" + err);
        extracted = new ObjectMapper().readTree(out);
    }

    /** Every govind command of every DAG task, templates rendered with the samples the script names. */
    private static Map<String, List<String>> commandLines() {
        Map<String, String> samples = new TreeMap<>();
        extracted.get("samples").fields().forEachRemaining(e -> samples.put(e.getKey(), e.getValue().asText()));
        Map<String, List<String>> lines = new TreeMap<>();
        extracted.get("tasks").fields().forEachRemaining(dag -> dag.getValue().fields().forEachRemaining(task -> {
            List<String> argv = new ArrayList<>();
            for (JsonNode a : task.getValue()) {
                String s = a.asText();
                for (Map.Entry<String, String> e : samples.entrySet()) s = s.replace(e.getKey(), e.getValue());
                assertFalse(s.contains("{{") || s.contains("{%"),
                        dag.getKey() + "." + task.getKey() + ": a template without a sample value in DagArgumentsTest: " + s);
                argv.add(s);
            }
            lines.put(dag.getKey() + "." + task.getKey(), argv);
        }));
        return lines;
    }

    /** Parsed as Main parses (its default value provider, with an empty environment and no conf file). */
    private static CommandLine.ParseResult parse(List<String> argv) {
        CommandLine cl = new CommandLine(new Main(name -> null));
        cl.setDefaultValueProvider(new Settings((String) null, name -> null));
        CommandLine.ParseResult r = cl.parseArgs(argv.toArray(String[]::new));
        while (r.hasSubcommand()) r = r.subcommand();
        return r;
    }

    @Test
    void everyTaskOfBothDagsIsAGovindCommandLineTheCliAccepts() {
        Map<String, List<String>> lines = commandLines();
        assertEquals(Set.of("govind_nightly.nightly", "govind_monthly.rate",
                "govind_monthly.lists", "govind_monthly.publish_draft", "govind_monthly.publish_final"), lines.keySet());
        List<String> extra = new ArrayList<>();
        extracted.get("spark_submit_extra").forEach(a -> extra.add(a.asText()));
        for (Map.Entry<String, List<String>> e : lines.entrySet()) {
            for (List<String> argv : List.of(e.getValue(), concat(e.getValue(), extra))) {
                try {
                    CommandLine.ParseResult r = parse(argv);
                    assertEquals(argv.get(0), r.commandSpec().name(), e.getKey());
                    assertTrue(r.unmatched().isEmpty(), e.getKey() + ": unmatched " + r.unmatched());
                    // every writing task names its warehouse and does not wait for the lock (exit 10 is retried)
                    assertEquals("/data/govind/warehouse", r.matchedOptionValue("--warehouse", null), e.getKey());
                    assertTrue(r.hasMatchedOption("--no-wait"), e.getKey() + ": --no-wait");
                } catch (CommandLine.ParameterException ex) {
                    fail(e.getKey() + ": govind refuses the DAG's command line " + argv + ": " + ex.getMessage());
                }
            }
        }
    }

    @Test
    void theTasksPassTheNightAndTheMonthGovindExpects() {
        Map<String, List<String>> lines = commandLines();
        LocalDate night = LocalDate.of(2026, 3, 15);
        YearMonth month = YearMonth.of(2026, 3);
        assertEquals(night, parse(lines.get("govind_nightly.nightly")).matchedOptionValue("--date", null));
        assertEquals("/data/govind/landing", parse(lines.get("govind_nightly.nightly")).matchedOptionValue("--landing", null));
        assertFalse(parse(lines.get("govind_nightly.nightly")).hasMatchedOption("--demo-key"), "real exports need the real key");
        assertFalse(parse(lines.get("govind_nightly.nightly")).hasMatchedOption("--allow-failed-checks"),
                "accepting failed checks is an operator's decision, never the schedule's");
        for (String t : List.of("rate", "lists", "publish_draft", "publish_final")) {
            CommandLine.ParseResult r = parse(lines.get("govind_monthly." + t));
            assertEquals(month, r.matchedOptionValue("--period", null), t);
            assertFalse(r.hasMatchedOption("--force"), t + ": --force is an operator's decision");
        }
        CommandLine.ParseResult draft = parse(lines.get("govind_monthly.publish_draft"));
        assertFalse(draft.hasMatchedOption("--final"));
        assertEquals("中共某市委组织部", draft.matchedOptionValue("--issuer", null));
        CommandLine.ParseResult fin = parse(lines.get("govind_monthly.publish_final"));
        assertTrue(fin.hasMatchedOption("--final"));
        assertFalse(fin.hasMatchedOption("--issuer"), "the final takes the draft's issuer (another one is exit 14)");
    }

    @Test
    void theDagsExitCodeTableIsExactlyExitCode() {
        Map<Integer, String> python = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = extracted.get("exit_codes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            python.put(Integer.parseInt(e.getKey()), e.getValue().asText());
        }
        Map<Integer, String> java = new TreeMap<>();
        for (ExitCode c : ExitCode.values()) java.put(c.code(), c.name());
        assertEquals(java, python, "airflow/dags/govind_common.py EXIT_CODES must map every ExitCode, by code and name, and no other code");

        JsonNode outcomes = extracted.get("outcomes");
        for (ExitCode c : ExitCode.values()) {
            JsonNode o = outcomes.get(String.valueOf(c.code()));
            assertNotNull(o, c.name());
            assertTrue(Set.of("ok", "retry", "fail", "not-yet").contains(o.asText()), c + ": " + o);
        }
        assertEquals("ok", outcomes.get(String.valueOf(ExitCode.OK.code())).asText());
        assertEquals("fail", outcomes.get(String.valueOf(ExitCode.FAILED_CHECKS.code())).asText(), "never retry a quality failure");
        assertEquals("fail", outcomes.get(String.valueOf(ExitCode.USAGE.code())).asText(), "never retry a usage error");
        assertEquals("retry", outcomes.get(String.valueOf(ExitCode.LOCKED.code())).asText());
        assertEquals("retry", outcomes.get(String.valueOf(ExitCode.CONFLICT.code())).asText());
        assertEquals("not-yet", outcomes.get(String.valueOf(ExitCode.PENDING_OBJECTION.code())).asText());
        assertEquals("not-yet", outcomes.get(String.valueOf(ExitCode.PUBLICITY_RUNNING.code())).asText());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> r = new ArrayList<>(a);
        r.addAll(b);
        return r;
    }
}
