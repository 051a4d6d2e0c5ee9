package org.govind.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules file and its loader. No Spark. Surefire runs in jobs/, so the repo's file is ../conf/rules.yaml. */
class RulesTest {
    private static final Path CONF = Path.of("..", "conf", "rules.yaml");
    private static final String SOURCE = "conf/rules.yaml";

    private static String confText() throws Exception {
        return Files.readString(CONF, StandardCharsets.UTF_8);
    }

    /** The real file's text with one exact, unique fragment replaced. */
    private static String variant(String old, String replacement) throws Exception {
        String text = confText();
        int at = text.indexOf(old);
        assertTrue(at >= 0, "fragment not in conf/rules.yaml: " + old);
        assertEquals(at, text.lastIndexOf(old), "fragment not unique in conf/rules.yaml: " + old);
        return text.replace(old, replacement);
    }

    private static RulesException refused(String text) {
        return assertThrows(RulesException.class, () -> Rules.parse(text, SOURCE));
    }

    @Test
    void repoFileHasTheCatalogueDefaults() {
        Rules r = Rules.load(CONF.toString());
        assertEquals(CONF.toString(), r.source());
        assertEquals(20, r.leaderboardSize());
        assertEquals(PointsReversals.ANY_TIME, r.pointsReversals());   // a reversal cancels its target whenever it arrives
        assertEquals(3, r.booksCloseDays());
        assertEquals(10.0, r.shrinkageM());
        assertEquals(Map.of("branch", 20.0, "visits", 20.0, "on_time", 25.0, "satisfaction", 25.0, "committee", 10.0),
                r.compoundWeights());
        assertEquals(List.of("branch", "visits", "on_time", "satisfaction", "committee"), List.copyOf(r.compoundWeights().keySet()));
        assertEquals(0.25, r.visitTarget());
        assertEquals(0.5, r.committeePartyShare());
        assertEquals(List.of("on_time", "satisfaction", "complaints", "party_org"), List.copyOf(r.companyWeights().keySet()));
        assertEquals(35.0, r.companyWeights().get("on_time"));
        assertEquals(10.0, r.companyWeights().get("party_org"));
        assertEquals(20.0, r.complaintCeiling());
        assertEquals(90.0, r.starThreshold(5));
        assertEquals(80.0, r.starThreshold(4));
        assertEquals(70.0, r.starThreshold(3));
        assertEquals(60.0, r.starThreshold(2));
        assertThrows(IllegalArgumentException.class, () -> r.starThreshold(1));
        assertEquals(1, r.maxClimb());
        assertEquals(5, r.minDue());
        assertEquals(0.70, r.listThreshold("lists.black.on_time_rate"));
        assertEquals(0.60, r.listThreshold("lists.black.satisfaction_rate"));
        assertEquals(5, r.listThreshold("lists.black.min_answered"));
        assertEquals(10, r.listThreshold("lists.black.overdue_open"));
        assertEquals(1, r.listThreshold("lists.black.star"));
        assertEquals(10, r.redSize());
        assertEquals(4, r.listThreshold("lists.red.star"));
        assertEquals(0.95, r.listThreshold("lists.red.on_time_rate"));
        assertEquals(0.90, r.listThreshold("lists.red.satisfaction_rate"));
        assertEquals(5, r.listThreshold("lists.red.min_answered"));
        assertEquals(5, r.publicityDays());
        assertEquals(3, r.silentNights());
        assertEquals("error", r.qualityLevel("silent_district"));
        assertEquals("warning", r.qualityLevel("exports_missing"));
        for (String check : Rules.QUALITY_CHECKS) assertTrue(List.of("error", "warning").contains(r.qualityLevel(check)));
        RulesException e = assertThrows(RulesException.class, () -> r.qualityLevel("no_such_check"));
        assertTrue(e.getMessage().contains("no_such_check"), e.getMessage());
    }

    @Test
    void packagedCopyIsTheConfFile() throws Exception {
        byte[] bytes = Files.readAllBytes(CONF);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        Rules file = Rules.load(CONF.toString());
        assertEquals(sha, file.sha256());
        assertEquals(new String(bytes, StandardCharsets.UTF_8), file.text());

        assertFalse(Files.exists(Path.of(Rules.DEFAULT_FILE)), "test expects no ./conf/rules.yaml in jobs/");
        Rules packaged = Rules.load(null);
        assertEquals("classpath:" + Rules.RESOURCE, packaged.source());
        assertEquals(sha, packaged.sha256(), "jobs/target/classes/govind/rules.yaml differs from conf/rules.yaml");
        assertEquals(sha, Rules.parse(confText(), "x").sha256());
    }

    @Test
    void sqlParamsHaveEveryKeyWithItsType() {
        // the list thresholds' parameters are named after their rules keys (lists.black.star → lists_black_star)
        Map<String, Object> p = Rules.load(CONF.toString()).sqlParams();
        for (String k : List.of("leaderboard_size", "lists_min_due", "silent_nights", "max_climb", "lists_black_min_answered",
                "lists_black_overdue_open", "lists_black_star", "lists_red_size", "lists_red_star", "lists_red_min_answered")) {
            assertInstanceOf(Integer.class, p.get(k), k);
        }
        for (String k : List.of("shrinkage_m", "visit_target", "committee_party_share", "complaint_ceiling",
                "w_branch", "w_visits", "w_on_time", "w_satisfaction", "w_committee",
                "cw_on_time", "cw_satisfaction", "cw_complaints", "cw_party_org", "star5", "star4", "star3", "star2",
                "lists_black_on_time_rate", "lists_black_satisfaction_rate", "lists_red_on_time_rate", "lists_red_satisfaction_rate")) {
            assertInstanceOf(Double.class, p.get(k), k);
        }
        assertEquals(Boolean.TRUE, p.get("reversals_any_time"));   // the catalogue's reading is the default
        assertEquals(3, p.get("books_close_days"));
        assertEquals(20, p.get("leaderboard_size"));
        assertEquals(25.0, p.get("w_on_time"));
        assertEquals(60.0, p.get("star2"));
        assertEquals(0.95, p.get("lists_red_on_time_rate"));
        assertThrows(UnsupportedOperationException.class, () -> p.put("x", 1));
    }

    @Test
    void changedValuesAreRead() throws Exception {
        Rules r = Rules.parse(variant("reversals: any_time", "reversals: known_at_period_end")
                .replace("  size: 20\n", "  size: 50\n").replace("books_close_days: 3", "books_close_days: 5"), SOURCE);
        assertEquals(PointsReversals.KNOWN_AT_PERIOD_END, r.pointsReversals());
        assertEquals(Boolean.FALSE, r.sqlParams().get("reversals_any_time"));
        assertEquals(5, r.booksCloseDays());
        assertEquals(java.time.LocalDate.of(2026, 3, 5), r.booksClose(java.time.YearMonth.of(2026, 2)));
        assertEquals(50, r.leaderboardSize());
        assertEquals(SOURCE, r.source());
    }

    @Test
    void publicityCountsWorkingDaysWithHolidaysAndMakeUpDays() throws Exception {
        Rules plain = Rules.load(null);
        // drafted Friday 2026-04-03: Mon 04-06 .. Fri 04-10 are the 5 working days
        assertEquals(java.time.LocalDate.of(2026, 4, 10), plain.publicityEnd(java.time.LocalDate.of(2026, 4, 3)));
        // drafted on a Sunday: Mon..Fri of the next week
        assertEquals(java.time.LocalDate.of(2026, 4, 10), plain.publicityEnd(java.time.LocalDate.of(2026, 4, 5)));
        // Mon 04-06 a holiday, Sat 04-11 a make-up working day: Tue..Fri + Sat
        Rules cal = Rules.parse(variant("  holidays: []\n", "  holidays: [2026-04-06]\n")
                .replace("  extra_workdays: []\n", "  extra_workdays: ['2026-04-11']\n"), SOURCE);
        assertEquals(java.util.Set.of(java.time.LocalDate.of(2026, 4, 6)), cal.holidays());
        assertFalse(cal.isWorkingDay(java.time.LocalDate.of(2026, 4, 6)));
        assertTrue(cal.isWorkingDay(java.time.LocalDate.of(2026, 4, 11)));
        assertEquals(java.time.LocalDate.of(2026, 4, 11), cal.publicityEnd(java.time.LocalDate.of(2026, 4, 3)));
        // no publicity at all is not a rules choice: a list is always publicized before it is final
        RulesException none = refused(variant("  days: 5\n", "  days: 0\n"));
        assertTrue(none.getMessage().contains("publicity.days"), none.getMessage());
        Rules one = Rules.parse(variant("  days: 5\n", "  days: 1\n"), SOURCE);
        assertEquals(java.time.LocalDate.of(2026, 4, 6), one.publicityEnd(java.time.LocalDate.of(2026, 4, 3)));
        RulesException both = refused(variant("  holidays: []\n", "  holidays: [2026-04-11]\n")
                .replace("  extra_workdays: []\n", "  extra_workdays: [2026-04-11]\n"));
        assertTrue(both.getMessage().contains("publicity.extra_workdays"), both.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        RulesException e = assertThrows(RulesException.class, () -> Rules.load("no/such/rules.yaml"));
        assertTrue(e.getMessage().contains("no/such/rules.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains("not found") && e.getMessage().contains("文件不存在"), e.getMessage());
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                // name, fragment of conf/rules.yaml, replacement, texts the message must contain
                Arguments.of("missing key", "  visit_target: 0.25\n", "", List.of("key 'compound_stars.visit_target' is missing")),
                Arguments.of("missing section", "publicity:\n", "publicity_x:\n", List.of("'publicity' is missing", "did you mean 'publicity'")),
                Arguments.of("unknown key", "leaderboard:\n", "leaderbord:\n", List.of("unknown key 'leaderbord'", "did you mean 'leaderboard'", "未知的键 leaderbord")),
                Arguments.of("unknown nested key", "    star: 4\n", "    star: 4\n    stars: 4\n", List.of("unknown key 'lists.red.stars'")),
                Arguments.of("wrong type", "  M: 10\n", "  M: ten\n", List.of("key 'shrinkage.M' must be a number >= 0 (got 'ten')")),
                Arguments.of("quoted number", "  size: 20\n", "  size: '20'\n", List.of("key 'leaderboard.size' must be an integer >= 1 (got '20')")),
                Arguments.of("non-integer size", "  size: 20\n", "  size: 2.5\n", List.of("key 'leaderboard.size' must be an integer >= 1 (got 2.5)", "leaderboard.size 必须是 ≥ 1 的整数（实际 2.5）")),
                Arguments.of("negative size", "  size: 20\n", "  size: -3\n", List.of("key 'leaderboard.size' must be an integer >= 1 (got -3)")),
                Arguments.of("no value", "  max_climb: 1\n", "  max_climb:\n", List.of("key 'stars.max_climb' has no value")),
                Arguments.of("negative weight", "{branch: 20,", "{branch: -5,", List.of("key 'compound_stars.weights.branch' must be a number >= 0 (got -5)")),
                Arguments.of("weights not 100", "committee: 10}", "committee: 5}", List.of("compound_stars.weights must sum to 100 (got 95)", "compound_stars.weights 之和必须为 100（实际 95）")),
                Arguments.of("company weight missing", ", party_org: 10}", "}", List.of("key 'company_ratings.weights.party_org' is missing")),
                Arguments.of("thresholds out of order", "4: 80,", "4: 95,", List.of("key 'stars.thresholds.4' must be below stars.thresholds.5 = 90 (got 95)")),
                Arguments.of("threshold above 100", "{5: 90,", "{5: 101,", List.of("key 'stars.thresholds.5' must be a number > 0 and <= 100 (got 101)")),
                Arguments.of("wrong star key", "2: 60}", "1: 60}", List.of("unknown key 'stars.thresholds.1'", "key 'stars.thresholds.2' is missing")),
                Arguments.of("rate above 1", "on_time_rate: 0.70\n", "on_time_rate: 1.5\n", List.of("key 'lists.black.on_time_rate' must be a number from 0 to 1 (got 1.5)")),
                Arguments.of("visit target 0", "visit_target: 0.25\n", "visit_target: 0\n", List.of("key 'compound_stars.visit_target' must be a number > 0 and <= 1 (got 0)")),
                Arguments.of("negative books close", "books_close_days: 3", "books_close_days: -1", List.of("cases.books_close_days")),
                Arguments.of("bad enum", "reversals: any_time", "reversals: sometimes", List.of("key 'points.reversals' must be one of known_at_period_end, any_time (got 'sometimes')")),
                Arguments.of("bad level", "silent_district: error", "silent_district: fatal", List.of("key 'quality.levels.silent_district' must be one of error, warning (got 'fatal')")),
                Arguments.of("silent nights > 31", "silent_nights: 3\n", "silent_nights: 32\n", List.of("key 'quality.silent_nights' must be an integer from 1 to 31 (got 32)")),
                Arguments.of("black star 0", "    star: 1\n", "    star: 0\n", List.of("key 'lists.black.star' must be an integer from 1 to 5 (got 0)")),
                Arguments.of("red star not above black", "    star: 4\n", "    star: 1\n", List.of("key 'lists.red.star' must be greater than lists.black.star = 1 (got 1)")),
                Arguments.of("version", "version: 1\n", "version: 2\n", List.of("key 'version' must be 1 (got 2)")),
                Arguments.of("section not a mapping", "publicity:\n", "publicity: []\nold_publicity:\n", List.of("key 'publicity' must be a mapping of keys to values (got a list)", "publicity 必须是“键: 值”形式的映射（实际 列表）")),
                Arguments.of("yaml syntax error", "  size: 20\n", "  size: 20: 30\n", List.of("YAML syntax error at line", "near key 'leaderboard.size'", "YAML 语法错误")),
                Arguments.of("unclosed flow mapping", "committee: 10}", "committee: 10", List.of("YAML syntax error at line", "near key 'compound_stars.weights'")),
                Arguments.of("duplicate key", "  M: 10\n", "  M: 10\n  M: 11\n", List.of("duplicate key", "near key 'shrinkage.M'")),
                Arguments.of("holiday not a date", "  holidays: []\n", "  holidays: [2026-10-01, soon]\n", List.of("key 'publicity.holidays' must hold dates YYYY-MM-DD only (got 'soon')")),
                Arguments.of("holidays not a list", "  holidays: []\n", "  holidays: 2026-10-01\n", List.of("key 'publicity.holidays' must be a list of dates")),
                Arguments.of("unknown publicity key", "  extra_workdays: []\n", "  extra_workdays: []\n  holidays_x: 1\n",
                        List.of("unknown key 'publicity.holidays_x'")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badFileIsRefusedNamingTheKey(String name, String old, String replacement, List<String> expected) throws Exception {
        RulesException e = refused(variant(old, replacement));
        for (String s : expected) assertTrue(e.getMessage().contains(s), name + ": expected '" + s + "' in:\n" + e.getMessage());
        for (String line : e.problems()) {
            assertTrue(line.startsWith("rules file " + SOURCE + ": "), line);
            assertTrue(line.contains(" / 规则文件 " + SOURCE + "："), line);
        }
    }

    @Test
    void everyProblemIsReportedOnItsOwnLine() throws Exception {
        String text = variant("  size: 20\n", "  size: 0\n").replace("committee: 10}", "committee: 15}")
                .replace("silent_district: error", "silent_district: fatal");
        RulesException e = refused(text);
        assertEquals(3, e.problems().size(), e.getMessage());
        assertEquals(3, e.getMessage().split("\n").length);
        assertTrue(e.problems().get(0).contains("leaderboard.size"));
        assertTrue(e.problems().get(1).contains("compound_stars.weights must sum to 100 (got 105)"));
        assertTrue(e.problems().get(2).contains("quality.levels.silent_district"));
    }

    @Test
    void notAMappingIsRefused() {
        assertTrue(refused("- a\n- b\n").getMessage().contains("must be a YAML mapping"));
        assertTrue(refused("").getMessage().contains("empty file"));
        assertTrue(refused("# only a comment\n").getMessage().contains("空文件"));
    }
}
