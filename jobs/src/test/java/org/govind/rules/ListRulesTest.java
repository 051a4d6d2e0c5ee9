package org.govind.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.govind.schema.ListRules;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The list rules' definition ({@code schemas/lists/list_rules.yaml}) against the three places that
 * must agree with it: the rules file, the SQL and the texts. A condition added to the definition but
 * missing from any of them, or one the SQL writes but the definition lacks, fails here.
 */
class ListRulesTest {
    static final Path CONF = Path.of("..", "conf", "rules.yaml");
    static final String SQL_RESOURCE = "govind/sql/gold/red_black_list.sql";

    @Test
    void theReadmeTableIsTheDefinition() throws IOException {
        assertTrue(Files.readString(Path.of("..", "README.md")).contains(ListRules.get().markdownTable()),
                "README.md's list-rules table differs from ListRules.markdownTable(); paste it again");
    }

    static String sql() throws IOException {
        try (InputStream in = ListRulesTest.class.getClassLoader().getResourceAsStream(SQL_RESOURCE)) {
            assertNotNull(in, SQL_RESOURCE);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The value at a dotted key of conf/rules.yaml, or null. */
    @SuppressWarnings("unchecked")
    static Object at(Map<String, Object> yaml, String key) {
        Object node = yaml;
        for (String part : key.split("\\.")) {
            if (!(node instanceof Map)) return null;
            node = ((Map<String, Object>) node).get(part);
        }
        return node;
    }

    @Test
    void everyConditionHasAThresholdInTheRulesFileTextsAndTheSql() throws IOException {
        Map<String, Object> conf = new Yaml().load(Files.readString(CONF));
        String sql = sql();
        ListRules lr = ListRules.get();
        assertFalse(lr.conditions().isEmpty());
        for (ListRules.Condition c : lr.conditions()) {
            String at = c.code();
            if (c.thresholdKey() != null) {
                assertNotNull(at(conf, c.thresholdKey()), at + ": threshold key " + c.thresholdKey() + " missing in conf/rules.yaml");
                assertTrue(sql.contains(":" + ListRules.param(c.thresholdKey())), at + ": the SQL does not use :" + ListRules.param(c.thresholdKey()));
            } else {
                assertNotNull(c.fixed(), at + ": neither a threshold key nor a fixed threshold");
            }
            assertFalse(c.zh().isBlank(), at + ": no zh text");
            assertFalse(c.en().isBlank(), at + ": no en text");
            for (String p : List.of("{value}", "{threshold}")) {
                assertEquals(c.zh().contains(p), c.en().contains(p), at + ": zh and en disagree on " + p);
            }
            assertTrue(sql.contains("'code', '" + c.code() + "'"), at + ": the SQL never writes this code");
        }
    }

    @Test
    void theSqlWritesOnlyDefinedCodesAndUsesOnlyDefinedThresholds() throws IOException {
        String sql = sql();
        ListRules lr = ListRules.get();
        Set<String> codes = new TreeSet<>();
        Matcher m = Pattern.compile("'code', '([^']+)'").matcher(sql);
        while (m.find()) codes.add(m.group(1));
        Set<String> defined = new TreeSet<>();
        for (ListRules.Condition c : lr.conditions()) defined.add(c.code());
        assertEquals(defined, codes, "codes the SQL writes vs codes the definition has");
        Set<String> params = new TreeSet<>();
        Matcher p = Pattern.compile(":(lists_\\w+)").matcher(sql);
        while (p.find()) params.add(p.group(1));
        Set<String> known = new TreeSet<>(List.of(ListRules.param("lists.red.size")));   // the red cut, not a condition
        for (ListRules.Threshold t : lr.thresholds().values()) known.add(t.param());
        assertEquals(known, params, "lists_* parameters the SQL uses vs the definition's thresholds");
        // the rules column names each rule the codes belong to
        for (String rule : lr.rules()) assertTrue(sql.contains("'" + rule + "'"), rule + " is never named in rules_fired");
    }

    @Test
    void everyThresholdIsComparedByACondition() {
        ListRules lr = ListRules.get();
        for (String key : lr.thresholds().keySet()) {
            assertTrue(lr.conditions().stream().anyMatch(c -> key.equals(c.thresholdKey())), key + " is compared by no condition");
        }
    }

    @Test
    void theRulesFileReadsEveryThresholdOfTheDefinition() {
        Rules r = Rules.load(CONF.toString());
        assertEquals(new ArrayList<>(ListRules.get().thresholds().keySet()), new ArrayList<>(r.listThresholds().keySet()));
        for (ListRules.Threshold t : ListRules.get().thresholds().values()) {
            Object v = r.sqlParams().get(t.param());
            assertNotNull(v, t.param());
            assertEquals(r.listThreshold(t.key()), ((Number) v).doubleValue(), t.key());
        }
    }

    @Test
    void aThresholdOutOfTheDefinitionsRangeIsRefusedNamingItsKey() throws IOException {
        // lists.black.overdue_open: count, min 1 (list_rules.yaml)
        String text = Files.readString(CONF).replace("overdue_open: 10", "overdue_open: 0");
        RulesException e = org.junit.jupiter.api.Assertions.assertThrows(RulesException.class, () -> Rules.parse(text, "t.yaml"));
        assertTrue(e.getMessage().contains("key 'lists.black.overdue_open' must be an integer >= 1 (got 0)"), e.getMessage());
        assertTrue(e.getMessage().contains("lists.black.overdue_open 必须是 ≥ 1 的整数（实际 0）"), e.getMessage());
    }

    @Test
    void markdownTableHasOneRowPerCondition() {
        String table = ListRules.get().markdownTable();
        assertEquals(ListRules.get().conditions().size() + 2, table.strip().split("\n").length, table);
        for (ListRules.Condition c : ListRules.get().conditions()) assertTrue(table.contains("| " + c.code() + " |"), c.code());
    }
}
