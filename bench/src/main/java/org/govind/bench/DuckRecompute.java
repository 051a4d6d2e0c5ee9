package org.govind.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.govind.analyst.QueryResult;
import org.govind.core.SqlFiles;
import org.govind.gold.ComputeJob;
import org.govind.gold.SharedViews;
import org.govind.rules.Rules;
import org.govind.schema.ColumnDef;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;

/**
 * The DuckDB full recompute peer of {@code govind ingest} + {@code govind compute}: what an analyst who
 * knows DuckDB would do instead of running the pipeline. From the landing CSVs alone, in one process and
 * from scratch, it recomputes one month's {@code gold.case_indicators}, {@code gold.coverage_indicators}
 * and {@code gold.points_leaderboard} by govind's definitions:
 * <ol>
 *   <li><b>transcode</b> (JVM, {@link LandingScan}): list the files, detect each file's encoding as
 *       ingestion does, rewrite GBK files as UTF-8, map each header to the landing columns;</li>
 *   <li><b>load</b> (DuckDB): one {@code read_csv} per entity and header layout with explicit columns,
 *       cells converted by the landing yaml's types (codes or Chinese labels, the three boolean spellings,
 *       timestamps with or without an offset in Asia/Shanghai) into {@code landing_<entity>};</li>
 *   <li><b>compute</b> (DuckDB): the SQL files of {@code govind/bench/recompute/}, ports of govind's
 *       shared views and gold SQL, with the same parameters ({@link SharedViews#params}, from the rules file).</li>
 * </ol>
 * The peer is meant for clean exports (generated with {@code --bad-rows 0}): it does not quarantine
 * bad rows or files, it only skips what govind rejects whole by name (unknown entities, empty files).
 */
public final class DuckRecompute implements AutoCloseable {
    /** The compute SQL files in order; state_at_t.sql runs once per snapshot entity before case_flags. */
    static final List<String> FILES = List.of("00_macros.sql", "state_at_t.sql", "cases_at_t.sql", "case_flags.sql",
            "silver_events.sql", "points_in_m.sql", "case_indicators.sql", "coverage_indicators.sql", "points_leaderboard.sql");
    static final String DIR = "govind/bench/recompute/";

    /** What a run produced and how long each phase took (nanoseconds; the phases add up to {@code nanos}). */
    public record Result(Map<String, Long> rowsPerTable, long nanos, long transcodeNanos, long loadNanos,
                         long computeNanos, int files, int transcodedFiles, long landingRows) {
        public String summary() {
            return String.format(java.util.Locale.ROOT, "duckdb recompute: %.2f s (transcode %.2f s, load %.2f s, compute %.2f s); "
                            + "%d files (%d transcoded from GBK), %d landing rows; rows %s",
                    nanos / 1e9, transcodeNanos / 1e9, loadNanos / 1e9, computeNanos / 1e9, files, transcodedFiles, landingRows, rowsPerTable);
        }
    }

    private final Connection conn;

    /** An in-memory DuckDB session in Asia/Shanghai (where govind reads timestamps without an offset). */
    public DuckRecompute() throws SQLException {
        conn = DriverManager.getConnection("jdbc:duckdb:");
        try (Statement st = conn.createStatement()) {
            st.execute("SET TimeZone = 'Asia/Shanghai'");
        }
    }

    /**
     * The lead's entry point: a fresh session, the whole recompute of month m from {@code landing}, timed
     * (GBK files transcoded under a temporary folder, deleted afterwards). The personal-data key is
     * {@code GOVIND_PII_KEY}, else the public demo key; {@code rulesFile} null = govind's default lookup.
     */
    public static Result run(Path landing, YearMonth month, Path rulesFile) throws Exception {
        return run(landing, month, rulesFile, keyFromEnvironment());
    }

    /** As {@link #run(Path, YearMonth, Path)} with the personal-data key given (the key govind's ingest used). */
    public static Result run(Path landing, YearMonth month, Path rulesFile, String piiKey) throws Exception {
        Path work = Files.createTempDirectory("govind-duck-recompute");
        try (DuckRecompute d = new DuckRecompute()) {
            return d.recompute(landing, month, rulesFile, piiKey, work);
        } finally {
            deleteTree(work);
        }
    }

    /** Recomputes month m into the session's tables {@code gold_case_indicators}, … (see {@link #gold}). */
    public Result recompute(Path landing, YearMonth month, Path rulesFile, String piiKey, Path work) throws Exception {
        Rules rules = Rules.load(rulesFile == null ? null : rulesFile.toString());
        Map<String, Object> params = params(month, rules, piiKey);
        long t0 = System.nanoTime();
        List<LandingScan.Source> sources = LandingScan.scan(landing, org.govind.core.Periods.tDate(month), work);
        long t1 = System.nanoTime();
        long landingRows = 0;
        try (Statement st = conn.createStatement()) {
            for (String e : Schemas.ENTITIES) {
                st.execute(LandingSql.load(Schemas.get().landing(e), sources.stream().filter(s -> s.entity().equals(e)).toList()));
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM landing_" + e)) {
                    rs.next();
                    landingRows += rs.getLong(1);
                }
            }
        }
        long t2 = System.nanoTime();
        try (Statement st = conn.createStatement()) {
            for (String f : FILES) {
                List<String> texts = new ArrayList<>();
                if (f.equals("state_at_t.sql")) for (String s : Schemas.SNAPSHOTS) texts.add(text(f).replace("${entity}", s));
                else texts.add(text(f));
                for (String t : texts) for (String stmt : statements(bind(t, params))) st.execute(stmt);
            }
        }
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Statement st = conn.createStatement()) {
            for (String g : ComputeJob.GOLD) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM gold_" + g)) {
                    rs.next();
                    rows.put("gold." + g, rs.getLong(1));
                }
            }
        }
        long t3 = System.nanoTime();
        int transcoded = (int) sources.stream().filter(LandingScan.Source::transcoded).count();
        return new Result(rows, t3 - t0, t1 - t0, t2 - t1, t3 - t2, sources.size(), transcoded, landingRows);
    }

    /** Every row of the peer's gold table ({@code case_indicators}, …) in the columns of gold.&lt;table&gt;. */
    public QueryResult gold(String table) throws SQLException {
        TableDef t = Schemas.get().table("gold." + table);
        String cols = String.join(", ", t.columns().stream().map(ColumnDef::name).toList());
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT " + cols + " FROM gold_" + table)) {
            List<String> names = t.columns().stream().map(ColumnDef::name).toList();
            List<List<Object>> out = new ArrayList<>();
            while (rs.next()) {
                List<Object> r = new ArrayList<>(names.size());
                for (int i = 1; i <= names.size(); i++) r.add(rs.getObject(i));
                out.add(r);
            }
            return new QueryResult(names, List.of(), out, false);
        }
    }

    /** The session (tests run the macros on it). */
    Connection connection() { return conn; }

    /** govind's parameters for the month ({@link SharedViews#params}) plus the peer's own: the masking list and the HMAC pads. */
    static Map<String, Object> params(YearMonth m, Rules rules, String piiKey) {
        Map<String, Object> p = new TreeMap<>(SharedViews.params(m, rules));
        p.put("compound_surnames", compoundSurnames());
        byte[] k = piiKey.getBytes(StandardCharsets.UTF_8);
        if (k.length > 64) k = sha256(k);
        byte[] ipad = new byte[64], opad = new byte[64];
        for (int i = 0; i < 64; i++) {
            byte b = i < k.length ? k[i] : 0;
            ipad[i] = (byte) (b ^ 0x36);
            opad[i] = (byte) (b ^ 0x5c);
        }
        p.put("hmac_ipad", HexFormat.of().formatHex(ipad));
        p.put("hmac_opad", HexFormat.of().formatHex(opad));
        return p;
    }

    /** The text with every {@code :name} replaced by a DuckDB literal of its value (comments removed first). */
    static String bind(String sql, Map<String, Object> params) {
        return SqlFiles.bind(sql, params, DuckRecompute::literal);
    }

    static String literal(Object v) {
        if (v == null) return "NULL";
        if (v instanceof String s) return "'" + s.replace("'", "''") + "'";
        if (v instanceof java.time.LocalDate d) return "DATE '" + d + "'";
        if (v instanceof java.time.Instant i) return "TIMESTAMPTZ '" + i + "'";
        if (v instanceof Boolean || v instanceof Integer || v instanceof Long) return v.toString();
        if (v instanceof Double d) return "CAST(" + d + " AS DOUBLE)";
        if (v instanceof java.util.Collection<?> l) {
            StringBuilder b = new StringBuilder("[");
            int i = 0;
            for (Object x : l) b.append(i++ > 0 ? ", " : "").append(literal(x));
            return b.append(']').toString();
        }
        throw new IllegalArgumentException("no DuckDB literal for " + v.getClass());
    }

    /** The statements of a bound SQL file (each ends with ';' at the end of a line). */
    static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        for (String s : sql.split(";\\s*(\\n|$)")) if (!s.isBlank()) out.add(s.strip());
        return out;
    }

    static String text(String file) {
        try (InputStream in = DuckRecompute.class.getClassLoader().getResourceAsStream(DIR + file)) {
            if (in == null) throw new IllegalStateException("missing SQL resource " + DIR + file);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DIR + file + ": " + e.getMessage(), e);
        }
    }

    /** GOVIND_PII_KEY, else the public demo key (the key govind's ingest used must be given for holder_key to match). */
    static String keyFromEnvironment() {
        String k = System.getenv(org.govind.pii.PiiKey.ENV);
        if (k != null && !k.isEmpty()) return k;
        return demoSecret();
    }

    /** The public demo key's secret (what {@code --demo-key} ingests with). */
    static String demoSecret() {
        return (String) field(org.govind.pii.PiiKey.class, "DEMO_SECRET");
    }

    /** PiiPatterns' compound surnames (package-private there; read, not copied, so both stay one list). */
    static List<String> compoundSurnames() {
        @SuppressWarnings("unchecked")
        java.util.Set<String> s = (java.util.Set<String>) field(org.govind.pii.PiiPatterns.class, "COMPOUND_SURNAMES");
        return s.stream().sorted().toList();
    }

    private static Object field(Class<?> c, String name) {
        try {
            java.lang.reflect.Field f = c.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getSimpleName() + "." + name + ": " + e, e);
        }
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }

    @Override
    public void close() throws SQLException {
        conn.close();
    }
}
