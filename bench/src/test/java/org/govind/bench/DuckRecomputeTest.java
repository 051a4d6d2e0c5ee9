package org.govind.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.govind.analyst.QueryResult;
import org.govind.cli.Main;
import org.govind.gold.ComputeJob;
import org.govind.pii.PiiProtector;
import org.govind.schema.ColumnDef;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DuckDB recompute peer does govind's work: on a small generated sample across a month boundary
 * (22 March to 4 April, clean rows, fixed seed: late first exports, a missed month-end night, April
 * versions of March cases and April reversals included), govind's ingest of every night + compute of
 * March and April and the peer's recompute from the same landing folder give the same three gold tables,
 * row by row and column by column (counts exactly, rates and medians to 1e-9, net points as decimals).
 */
@Tag("slow")
class DuckRecomputeTest {
    @TempDir static Path tmp;
    /** A fake personal-data key made up for this test (≥ 32 characters, as the command line asks). */
    static final String KEY = "duck-peer-test-key-" + "0123456789abcdef".repeat(2);
    static final List<YearMonth> MONTHS = List.of(YearMonth.of(2026, 3), YearMonth.of(2026, 4));

    @Test
    void peerEqualsGovindOnEveryColumnOfTheThreeTables() throws Exception {
        Path landing = tmp.resolve("landing"), wh = tmp.resolve("wh");
        java.util.function.UnaryOperator<String> env = k -> k.equals(org.govind.pii.PiiKey.ENV) ? KEY : System.getenv(k);
        assertEquals(0, Main.execute(env, "generate", "--out", landing.toString(), "--start", "2026-03-22", "--days", "14",
                "--scale", "small", "--seed", "7", "--bad-rows", "0"));
        assertEquals(0, Main.execute(env, "ingest", "--all", "--landing", landing.toString(), "--warehouse", wh.toString()));
        assertEquals(0, Main.execute(env, "compute", "--from", "2026-03", "--to", "2026-04", "--warehouse", wh.toString(),
                "--allow-failed-checks"));
        SparkSession spark = TestSpark.get();
        try (DuckRecompute duck = new DuckRecompute()) {
            for (YearMonth m : MONTHS) {
                DuckRecompute.Result r = duck.recompute(landing, m, null, KEY, tmp.resolve("work-" + m));
                assertTrue(r.transcodedFiles() > 0, "the sample has GBK districts: " + r.summary());
                for (String t : ComputeJob.GOLD) {
                    TableDef def = Schemas.get().table("gold." + t);
                    List<List<Object>> govind = new ArrayList<>();
                    for (Row row : spark.read().format("delta").load(wh.resolve("gold").resolve(t).toString())
                            .where("period = '" + m + "'").collectAsList()) {
                        List<Object> v = new ArrayList<>();
                        for (ColumnDef c : def.columns()) v.add(row.get(row.fieldIndex(c.name())));
                        govind.add(v);
                    }
                    QueryResult peer = duck.gold(t);
                    assertEquals(r.rowsPerTable().get("gold." + t), (long) peer.rows().size());
                    assertTrue(govind.size() > 10, m + " " + t + ": too few rows to prove anything: " + govind.size());
                    assertSameRows(m + " gold." + t, def, govind, peer.rows());
                }
            }
        }
    }

    /** The peer's HMAC in SQL is PiiProtector's keyed hash (holder_key compares as the same hex). */
    @Test
    void sqlHmacIsGovindsKeyedHash() throws Exception {
        try (DuckRecompute duck = new DuckRecompute();
             java.sql.Statement st = duck.connection().createStatement()) {
            Map<String, Object> p = DuckRecompute.params(YearMonth.of(2026, 3), org.govind.rules.Rules.load(null), KEY);
            for (String s : DuckRecompute.statements(DuckRecompute.bind(DuckRecompute.text("00_macros.sql"), p))) st.execute(s);
            PiiProtector pii = new PiiProtector(KEY);
            for (String id : List.of("DY140921000001", " JM3708320001 ", "居民0001")) {
                try (java.sql.ResultSet rs = st.executeQuery("SELECT hmac_hex(" + LandingSql.quote(id) + "), mask_name('欧阳建华'), mask_name('样本乙')")) {
                    rs.next();
                    assertEquals(pii.hash(id), rs.getString(1), id);
                    assertEquals(PiiProtector.maskName("欧阳建华"), rs.getString(2));
                    assertEquals(PiiProtector.maskName("样本乙"), rs.getString(3));
                }
            }
        }
    }

    /** The comparison fails on one differing cell, a missing row, and a rate off by more than 1e-9; it accepts 2 = 2L and 5.0 = 5.00. */
    @Test
    void comparisonCatchesDifferences() {
        TableDef def = Schemas.get().table("gold.points_leaderboard");
        // period, scope_level, scope_id, rank, holder_key, display_name, holder_type, net_points, district_code
        List<Object> a = List.of("2026-03", "district", "370829", 2, "k1", "样*乙", "resident", new BigDecimal("5.00"), "370829");
        List<Object> same = List.of("2026-03", "district", "370829", 2L, "k1", "样*乙", "resident", new BigDecimal("5.0"), "370829");
        List<Object> other = List.of("2026-03", "district", "370829", 3L, "k1", "样*乙", "resident", new BigDecimal("5.0"), "370829");
        assertSameRows("same", def, List.of(a), List.of(same));
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> assertSameRows("rank", def, List.of(a), List.of(other)));
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> assertSameRows("missing", def, List.of(a), List.of()));
        assertTrue(same(0.5, 0.5 + 1e-12));
        assertTrue(!same(0.5, 0.5001));
        assertTrue(!same(null, 0L));
    }

    /** Rows matched on the table's unit key, then every column compared (normalised: integers as long, decimals by value, doubles to 1e-9). */
    static void assertSameRows(String what, TableDef def, List<List<Object>> govind, List<List<Object>> peer) {
        List<String> cols = def.columns().stream().map(ColumnDef::name).toList();
        List<Integer> key = def.name().equals("points_leaderboard")
                ? List.of(cols.indexOf("scope_id"), cols.indexOf("holder_key"))
                : List.of(cols.indexOf("level"), cols.indexOf("unit_id"));
        Map<String, List<Object>> g = byKey(govind, key), d = byKey(peer, key);
        assertEquals(govind.size(), g.size(), what + ": govind's key is not unique");
        assertEquals(peer.size(), d.size(), what + ": the peer's key is not unique");
        List<String> onlyGovind = new ArrayList<>(g.keySet()), onlyPeer = new ArrayList<>(d.keySet());
        onlyGovind.removeAll(d.keySet());
        onlyPeer.removeAll(g.keySet());
        assertTrue(onlyGovind.isEmpty() && onlyPeer.isEmpty(), what + ": rows only in govind " + head(onlyGovind) + ", only in the peer " + head(onlyPeer));
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<String, List<Object>> e : g.entrySet()) {
            List<Object> p = d.get(e.getKey());
            for (int i = 0; i < cols.size(); i++) {
                Object a = normal(e.getValue().get(i)), b = normal(p.get(i));
                if (!same(a, b)) diffs.add(e.getKey() + " " + cols.get(i) + ": govind " + a + ", peer " + b);
            }
        }
        assertTrue(diffs.isEmpty(), what + ": " + diffs.size() + " differences, e.g. " + head(diffs));
    }

    private static Map<String, List<Object>> byKey(List<List<Object>> rows, List<Integer> key) {
        Map<String, List<Object>> out = new TreeMap<>();
        for (List<Object> r : rows) {
            StringBuilder k = new StringBuilder();
            for (int i : key) k.append(r.get(i)).append('|');
            out.put(k.toString(), r);
        }
        return out;
    }

    static Object normal(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof java.math.BigInteger) return ((Number) v).longValue();
        if (v instanceof BigDecimal b) return b.stripTrailingZeros();
        if (v instanceof Float f) return f.doubleValue();
        return v;
    }

    static boolean same(Object a, Object b) {
        if (a == null || b == null) return a == b;
        if (a instanceof Double x && b instanceof Double y) return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x));
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) return x.compareTo(y) == 0;
        return a.equals(b);
    }

    private static List<String> head(List<String> l) {
        return l.subList(0, Math.min(5, l.size()));
    }
}
