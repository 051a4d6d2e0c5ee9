package org.govind.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.govind.generate.GenerateOptions;
import org.govind.generate.Generator;
import org.govind.generate.Scale;
import org.govind.testing.LandingFixture;
import org.govind.pii.PiiProtector;
import org.govind.schema.ColumnDef;
import org.govind.schema.Pii;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a generated run with bad rows, no full name, phone number or id number from the landing
 * files appears anywhere under the warehouse, scanning every file as bytes (Parquet is written
 * uncompressed in tests, Delta logs are JSON).
 */
@Tag("slow")  // left out by mvn -Pfast (pom.xml profile "fast")
class PersonalDataScanTest {
    private static final Pattern PHONE = Pattern.compile("1[3-9]\\d{9}");
    private static final Pattern ID = Pattern.compile("\\d{17}[\\dX]");
    private static final Pattern CJK_RUN = Pattern.compile("[\\u4e00-\\u9fff]{2,}");

    @TempDir Path tmp;

    /**
     * Every form of personal data real exports carry, generated at test time (never committed): the
     * exact strings written to the landing files appear nowhere afterwards: not in any warehouse file,
     * not in ops.quarantine (raw_text, message) or ops.ingest_audit (message), not in what
     * {@code govind ingest} prints. Files: cases with three extra columns the schema does not know
     * (手机号, 身份证号, 联系人) and a 备注 with a landline, a headerless points file, a members file with a
     * quote left open, an unknown entity file.
     */
    @Test
    void noFormOfPersonalDataEscapesIngestion() throws Exception {
        long seed = System.nanoTime();
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        Synthetic s = new Synthetic(r);
        String mobile = s.mobile(), mobile2 = s.mobile(), mobile3 = s.mobile(), mobile4 = s.mobile();
        String landline = s.landline("0531"), landline2 = s.landline("010");
        String id18 = s.id18(), id18x = s.id18x(), id15 = s.id15();
        String name = s.name("欧阳"), name2 = s.name("张"), name3 = s.name("司马"), name4 = s.name("王");
        // forms as written in the files
        String mobileIntl = "+86 " + mobile.substring(0, 3) + "-" + mobile.substring(3, 7) + "-" + mobile.substring(7);
        String mobile0086 = "0086" + mobile2;
        String mobileSpaced = mobile3.substring(0, 3) + " " + mobile3.substring(3, 7) + " " + mobile3.substring(7);
        String landlineDash = landline.substring(0, 4) + "-" + landline.substring(4);
        String landlineParen = "(" + landline2.substring(0, 3) + ") " + landline2.substring(3, 7) + " " + landline2.substring(7);

        Path landing = tmp.resolve("landing2"), wh = tmp.resolve("wh2");
        LandingFixture f = new LandingFixture(landing);
        String d = LandingFixture.D1, night = "2026-03-01";
        f.writeBytes(d, night, "cases.csv", String.join("\n",
                LandingFixture.header("cases", true) + ",手机号,身份证号,联系人,备注",
                LandingFixture.row("cases", "reporter_name", name, "reporter_phone", mobileIntl)
                        + "," + mobile0086 + "," + id18x + "," + name2 + ",请回电" + landlineParen,
                LandingFixture.row("cases", "case_id", "C2", "reporter_name", name3, "reporter_phone", landlineDash, "source", mobileSpaced)
                        + "," + mobile4 + "," + id18 + "," + name4 + ",请回电" + landlineParen + "，旧证" + id15,
                "").getBytes(StandardCharsets.UTF_8));
        f.writeBytes(d, night, "points.csv", (LandingFixture.row("points", "holder_name", name, "compound_id", mobile) + "\n"
                + LandingFixture.row("points", "entry_id", "P2", "holder_name", name2, "compound_id", id18) + "\n").getBytes(StandardCharsets.UTF_8));
        f.writeBytes(d, night, "members.csv", (LandingFixture.header("members", false) + "\n"
                + LandingFixture.row("members", "name", name3, "id_number", id18) + "\n"
                + "M2," + d + ",\"" + name4 + "," + id15 + "," + mobileSpaced + ",B1\n"
                + LandingFixture.row("members", "member_id", "M3", "name", name2, "id_number", id18x) + "\n").getBytes(StandardCharsets.UTF_8));
        f.writeBytes(d, night, "residents.csv", ("姓名,手机号,身份证号\n" + name + "," + mobile2 + "," + id15 + "\n").getBytes(StandardCharsets.UTF_8));

        java.io.PrintStream out = System.out, err = System.err;
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream(), e = new java.io.ByteArrayOutputStream();
        int code;
        TestSpark.get();
        try {
            System.setOut(new java.io.PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new java.io.PrintStream(e, true, StandardCharsets.UTF_8));
            code = org.govind.cli.Main.execute("ingest", "--demo-key", "--landing", landing.toString(), "--warehouse", wh.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
            org.govind.core.Lang.set("zh");
        }
        String printed = o.toString(StandardCharsets.UTF_8) + "\n" + e.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed);

        var spark = TestSpark.get();
        org.govind.spark.Warehouse.open(spark, wh.toString()).registerAll();
        List<String> opsText = new ArrayList<>();
        for (var row : spark.sql("SELECT raw_text, message, reasons FROM ops.quarantine").collectAsList()) {
            opsText.add(row.getString(0) + " | " + row.getString(1) + " | " + row.getList(2));
        }
        for (var row : spark.sql("SELECT source_file, status, message FROM ops.ingest_audit").collectAsList()) {
            opsText.add(row.getString(0) + " " + row.getString(1) + " | " + row.getString(2));
        }
        String ops = String.join("\n", opsText);
        // what was kept, masked: the quarantine still tells the operator what the row held
        for (String masked : List.of(mobile.substring(0, 3) + "****" + mobile.substring(7), "0531-******" + landline.substring(10),
                "010-******" + landline2.substring(9), name.substring(0, 2) + "*" + name.substring(3))) {
            assertTrue(ops.contains(masked), "seed " + seed + ": " + masked + " not in\n" + ops);
        }
        assertTrue(Pattern.compile("旧证#[0-9a-f]{16}").matcher(ops).find(), "an id number in free text is replaced by its hash\n" + ops);
        assertTrue(ops.contains("residents.csv rejected") && ops.contains("points.csv rejected") && ops.contains("malformed_csv"), ops);
        assertTrue(spark.sql("SELECT * FROM silver.cases").count() == 1, "the good case row is loaded");

        StringBuilder warehouseText = new StringBuilder();
        try (Stream<Path> files = Files.walk(wh)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                warehouseText.append(new String(Files.readAllBytes(p), StandardCharsets.UTF_8)).append('\n');
            }
        }
        List<String> secrets = List.of(mobile, mobile2, mobile3, mobile4, mobileIntl, mobile0086, mobileSpaced, landline, landline2,
                landlineDash, landlineParen, landline.substring(4), landline2.substring(3), id18, id18x, id15, name, name2, name3, name4);
        List<String> leaks = new ArrayList<>();
        for (String secret : secrets) {
            if (ops.contains(secret)) leaks.add("ops tables: " + secret);
            if (printed.contains(secret)) leaks.add("stdout/stderr: " + secret);
            if (warehouseText.indexOf(secret) >= 0) leaks.add("warehouse files: " + secret);
        }
        assertEquals(List.of(), leaks, "seed " + seed + "\n" + ops + "\n" + printed);
    }

    /** Synthetic personal data of valid shape, drawn at test time. */
    record Synthetic(java.util.SplittableRandom r) {
        String digits(int n) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < n; i++) b.append((char) ('0' + r.nextInt(10)));
            return b.toString();
        }

        String mobile() { return "1" + (char) ('3' + r.nextInt(7)) + digits(9); }

        /** Area code + an 8-digit local number starting 2–9. */
        String landline(String area) { return area + (char) ('2' + r.nextInt(8)) + digits(7); }

        private String birth(boolean fourDigitYear) {
            java.time.LocalDate b = java.time.LocalDate.of(1950, 1, 1).plusDays(r.nextInt(20_000));
            String y = String.valueOf(b.getYear());
            return (fourDigitYear ? y : y.substring(2)) + String.format("%02d%02d", b.getMonthValue(), b.getDayOfMonth());
        }

        /** GB 11643: area, birth date, sequence, check character (may be X). */
        String id18() {
            String first17 = "3708" + digits(2) + birth(true) + digits(3);
            int[] w = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
            int sum = 0;
            for (int i = 0; i < 17; i++) sum += (first17.charAt(i) - '0') * w[i];
            return first17 + "10X98765432".charAt(sum % 11);
        }

        /** An 18-digit id whose check character is X (drawn until one is). */
        String id18x() {
            String id;
            do id = id18(); while (id.charAt(17) != 'X');
            return id;
        }

        String id15() { return "3708" + digits(2) + birth(false) + digits(3); }

        String name(String surname) {
            String given = "建华明丽伟芳军敏静强磊洋艳勇杰娟涛超霞平刚桂英";
            return surname + given.charAt(r.nextInt(given.length())) + given.charAt(r.nextInt(given.length()));
        }
    }

    @Test
    void noPersonalDataInTheClearUnderTheWarehouse() throws Exception {
        Path landing = tmp.resolve("landing"), wh = tmp.resolve("wh");
        Generator.run(new GenerateOptions(landing, LocalDate.parse("2026-03-01"), 3, 6, Scale.SMALL, 7, 0.05), s -> { });
        IngestJob.run(TestSpark.get(), new IngestJob.Options(landing.toString(), wh.toString(), null, null, null), new PiiProtector("scan-key"));
        everyBadInputClassIsQuarantinedUnderItsOwnReason(wh);

        Set<String> names = new HashSet<>(), phones = new HashSet<>(), ids = new HashSet<>();
        try (Stream<Path> files = Files.walk(landing)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".csv"))::iterator) {
                collect(f, names, phones, ids);
            }
        }
        assertTrue(names.size() > 100 && phones.size() > 50 && ids.size() > 100, names.size() + " " + phones.size() + " " + ids.size());

        List<String> leaks = new ArrayList<>();
        long scanned = 0;
        try (Stream<Path> files = Files.walk(wh)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                byte[] b = Files.readAllBytes(f);
                scanned += b.length;
                String text = new String(b, StandardCharsets.UTF_8);
                find(PHONE, text, phones, f, leaks);
                find(ID, text, ids, f, leaks);
                Matcher m = CJK_RUN.matcher(text);
                while (m.find()) {
                    String run = m.group();
                    for (int i = 0; i < run.length(); i++) {
                        for (int len = 2; len <= 4 && i + len <= run.length(); len++) {
                            if (names.contains(run.substring(i, i + len))) leaks.add(f.getFileName() + ": name " + run.substring(i, i + len));
                        }
                    }
                }
            }
        }
        assertTrue(scanned > 100_000, "scanned only " + scanned + " bytes");
        assertEquals(List.of(), leaks.subList(0, Math.min(20, leaks.size())));
    }

    /** The generator injects every class of the contract's bad input; ingestion names each one and loses nothing. */
    private static void everyBadInputClassIsQuarantinedUnderItsOwnReason(Path wh) {
        var spark = TestSpark.get();
        org.govind.spark.Warehouse.open(spark, wh.toString()).registerAll();
        Set<String> seen = new HashSet<>(spark.sql("SELECT DISTINCT explode(reasons) FROM ops.quarantine").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
        for (String r : List.of("unknown_enum", "bad_timestamp", "wrong_district", "missing_required", "duplicate_key_in_file",
                "closed_before_reported", "negative_households", "malformed_csv", "undecodable_bytes", "conflicting_redelivery",
                "unknown_entity", "manifest_mismatch")) {
            assertTrue(seen.contains(r), r + " not among " + seen);
        }
        assertTrue(spark.sql("SELECT * FROM ops.ingest_audit WHERE message LIKE 'unreadable_file%'").count() > 0, "unreadable file audited");
        assertEquals(0, spark.sql("SELECT * FROM ops.ingest_audit WHERE rows_read <> rows_loaded + rows_quarantined").count());
        assertTrue(spark.sql("SELECT * FROM ops.ingest_audit WHERE rows_unchanged > 0").count() > 0, "identical re-deliveries counted");
        // quarantine rows per file equal the audit's count
        assertEquals(0, spark.sql("""
                SELECT a.source_file FROM ops.ingest_audit a
                LEFT JOIN (SELECT source_file, count(*) n FROM ops.quarantine GROUP BY 1) q USING (source_file)
                WHERE coalesce(q.n, 0) <> a.rows_quarantined""").count());
    }

    private static void find(Pattern p, String text, Set<String> secrets, Path f, List<String> leaks) {
        Matcher m = p.matcher(text);
        while (m.find()) if (secrets.contains(m.group())) leaks.add(f.getFileName() + ": " + m.group());
    }

    /** Personal-data cells of a landing file (names, phones, id numbers), by header position. */
    private static void collect(Path f, Set<String> names, Set<String> phones, Set<String> ids) throws Exception {
        byte[] b = Files.readAllBytes(f);
        String entity = f.getFileName().toString().replace(".csv", "");
        if (b.length == 0 || !Schemas.get().isEntity(entity)) {
            Matcher m = PHONE.matcher(new String(b, StandardCharsets.UTF_8));
            while (m.find()) phones.add(m.group());
            return;
        }
        TableDef t = Schemas.get().landing(entity);
        Encodings.Detected enc = Encodings.detect(b, f.getParent().getFileName().toString().isEmpty() ? null : null);
        List<CsvRecords.Span> spans = CsvRecords.split(b, enc.offset());
        if (spans.isEmpty()) return;
        List<String> header = CsvRecords.fields(Encodings.decodeLenient(enc.charset(), b, spans.get(0).start(), spans.get(0).end()));
        int[] pos = new int[t.columns().size()];
        for (int i = 0; i < pos.length; i++) {
            ColumnDef c = t.columns().get(i);
            pos[i] = -1;
            for (int h = 0; h < header.size(); h++) {
                String cell = header.get(h).strip().replace("\uFEFF", "");
                if (cell.equalsIgnoreCase(c.name()) || cell.equals(c.alias())) pos[i] = h;
            }
        }
        for (int r = 1; r < spans.size(); r++) {
            List<String> cells = CsvRecords.lenientFields(Encodings.decodeLenient(enc.charset(), b, spans.get(r).start(), spans.get(r).end()));
            for (int i = 0; i < pos.length; i++) {
                ColumnDef c = t.columns().get(i);
                if (pos[i] < 0 || pos[i] >= cells.size() || c.pii() == Pii.NONE) continue;
                String v = cells.get(pos[i]).strip();
                if (c.pii() == Pii.MASK_NAME && v.matches("[\\u4e00-\\u9fff]{2,4}")) names.add(v);
                if (c.pii() == Pii.MASK_PHONE && PHONE.matcher(v).matches()) phones.add(v);
                if (c.name().equals("id_number") && ID.matcher(v).matches()) ids.add(v);
            }
        }
    }
}
