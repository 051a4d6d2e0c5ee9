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
import org.govind.pii.PiiProtector;
import org.govind.schema.ColumnDef;
import org.govind.schema.Pii;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a generated run with bad rows, no full name, phone number or id number from the landing
 * files appears anywhere under the warehouse, scanning every file as bytes (Parquet is written
 * uncompressed in tests, Delta logs are JSON).
 */
class PersonalDataScanTest {
    private static final Pattern PHONE = Pattern.compile("1[3-9]\\d{9}");
    private static final Pattern ID = Pattern.compile("\\d{17}[\\dX]");
    private static final Pattern CJK_RUN = Pattern.compile("[\\u4e00-\\u9fff]{2,}");

    @TempDir Path tmp;

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
