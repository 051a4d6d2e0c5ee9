package org.govind.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Precedence and its two exceptions, parsed only (no command runs): guards come from the command line
 * alone, and the demo's folders never from the production settings. The conf file and the environment
 * are hand-made here (tests cannot set environment variables).
 */
class SettingsTest {
    @TempDir Path tmp;

    private Settings settings(Map<String, String> env) throws Exception {
        Path conf = tmp.resolve("govind.conf");
        Files.writeString(conf, String.join("\n",
                "# a careless conf file: every guard switched on, production folders",
                "allow-failed-checks = true",
                "force = true",
                "demo-key = true",
                "warehouse = /prod/warehouse",
                "landing = /prod/landing",
                "out = /prod/reports",
                "issuer = 测试发文单位"), StandardCharsets.UTF_8);
        return new Settings(conf, env::get);
    }

    private static <T> T parse(Settings s, Class<T> type, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setDefaultValueProvider(s);
        CommandLine.ParseResult r = cl.parseArgs(args);
        while (r.hasSubcommand()) r = r.subcommand();
        return type.cast(r.commandSpec().userObject());
    }

    @Test
    void guardsAreNeverTakenFromTheConfFileOrTheEnvironment() throws Exception {
        Settings conf = settings(Map.of());
        ComputeCommand c = parse(conf, ComputeCommand.class, "compute", "--period", "2026-03");
        assertFalse(c.allowFailedChecks, "allow-failed-checks=true in the conf file must not switch the guard off");
        assertEquals("/prod/warehouse", c.common.warehouse, "the same conf file does supply ordinary settings");
        PublishCommand p = parse(conf, PublishCommand.class, "publish", "--period", "2026-03", "--final");
        assertFalse(p.force);
        assertEquals("测试发文单位", p.issuer);
        IngestCommand i = parse(conf, IngestCommand.class, "ingest");
        assertFalse(i.ingest.demoKey);
        assertEquals("/prod/landing", i.ingest.landing);

        Settings env = settings(Map.of("GOVIND_ALLOW_FAILED_CHECKS", "true", "GOVIND_FORCE", "true", "GOVIND_DEMO_KEY", "true",
                "GOVIND_WAREHOUSE", "/env/warehouse"));
        c = parse(env, ComputeCommand.class, "compute", "--period", "2026-03");
        assertFalse(c.allowFailedChecks);
        assertEquals("/env/warehouse", c.common.warehouse, "environment over conf file");
        assertFalse(parse(env, PublishCommand.class, "publish", "--period", "2026-03", "--final").force);
        assertFalse(parse(env, IngestCommand.class, "ingest").ingest.demoKey);

        // on the command line they still work
        assertTrue(parse(env, ComputeCommand.class, "compute", "--period", "2026-03", "--allow-failed-checks").allowFailedChecks);
        assertTrue(parse(env, PublishCommand.class, "publish", "--period", "2026-03", "--final", "--force").force);
        assertTrue(parse(env, IngestCommand.class, "ingest", "--demo-key").ingest.demoKey);
    }

    @Test
    void theDemoUsesItsOwnFoldersUnlessItsCommandLineSaysOtherwise() throws Exception {
        Settings s = settings(Map.of("GOVIND_WAREHOUSE", "/env/warehouse", "GOVIND_LANDING", "/env/landing", "GOVIND_OUT", "/env/out",
                "GOVIND_LANG", "en"));
        DemoCommand d = parse(s, DemoCommand.class, "demo");
        assertEquals("./warehouse", d.common.warehouse);
        assertEquals(Path.of("./demo-landing"), d.landing);
        assertEquals(Path.of("./bulletins"), d.reportsDir);
        assertEquals("en", d.common.lang, "settings that are not folders still apply to the demo");
        d = parse(s, DemoCommand.class, "demo", "--warehouse", "/tmp/w", "--landing", "/tmp/l", "--out", "/tmp/o");
        assertEquals("/tmp/w", d.common.warehouse);
        assertEquals(Path.of("/tmp/l"), d.landing);
        assertEquals(Path.of("/tmp/o"), d.reportsDir);
        // the same settings do reach the production commands
        assertEquals("/env/warehouse", parse(s, IngestCommand.class, "ingest").common.warehouse);
        assertEquals("/env/landing", parse(s, IngestCommand.class, "ingest").ingest.landing);
    }

    /**
     * Every on/off flag of every command is either a guard (command line only) or listed here as a
     * plain choice of the run. A new flag fails this test until someone decides which it is.
     */
    @Test
    void everyFlagIsClassified() {
        Set<String> notGuards = Set.of("help", "version", "all", "final", "upheld", "rejected", "no-wait", "user", "stop", "status", "embedded", "profile");
        List<String> unclassified = new ArrayList<>();
        List<String> guardsSeen = new ArrayList<>();
        List<CommandLine> todo = new ArrayList<>(List.of(new CommandLine(new Main())));
        while (!todo.isEmpty()) {
            CommandLine cl = todo.remove(0);
            todo.addAll(cl.getSubcommands().values());
            for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
                if (o.arity().max() != 0) continue;   // takes a value: a setting, not a flag
                String name = o.longestName().replaceFirst("^--", "");
                if (Settings.GUARDS.contains(name)) guardsSeen.add(name);
                else if (!notGuards.contains(name)) unclassified.add(cl.getCommandName() + " --" + name);
            }
        }
        assertEquals(List.of(), unclassified, "add each to Settings.GUARDS if it weakens a guard, else to notGuards here");
        assertEquals(Settings.GUARDS, Set.copyOf(guardsSeen), "every guard is an option of some command");
        for (String g : Settings.GUARDS) assertFalse(Settings.FROM_SETTINGS.contains(g), g);
    }

    @Test
    void onlyLocationsAndLooksComeFromSettingsNeverAMonthADecisionOrAPerson() throws Exception {
        Settings env = settings(Map.of("GOVIND_PERIOD", "2026-03", "GOVIND_BY", "冒*名", "GOVIND_NO_WAIT", "true", "GOVIND_FINAL", "true"));
        assertThrows(CommandLine.MissingParameterException.class, () -> parse(env, ComputeCommand.class, "compute"),
                "GOVIND_PERIOD does not choose the month");
        PublishCommand p = parse(env, PublishCommand.class, "publish", "--period", "2026-03");
        assertFalse(p.isFinal, "GOVIND_FINAL does not publish the final");
        assertEquals(null, p.writer.by, "GOVIND_BY does not sign for anyone");
        assertFalse(p.writer.noWait);
    }
}
