package org.govind.ingest;

import static org.govind.testing.LandingFixture.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.govind.pii.PiiProtector;
import org.govind.schema.Schemas;
import org.govind.testing.LandingFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The file-level rules of the data contract, without Spark. */
class FileParserTest {
    private final PiiProtector pii = new PiiProtector("test-key");
    private final FileParser parser = new FileParser(pii);

    private ParsedFile parse(String entity, byte[] bytes) {
        return parse(entity, bytes, null, null, null);
    }

    private ParsedFile parse(String entity, byte[] bytes, String enc, Long rows, String sha) {
        FileContext c = new FileContext("370829", LocalDate.parse("2026-03-01"), entity, "370829/2026-03-01/" + entity + ".csv",
                Landing.sha256(bytes), enc, rows, sha);
        return parser.parse(Schemas.get().isEntity(entity) ? Schemas.get().landing(entity) : null, bytes, c);
    }

    private static byte[] csv(String entity, String... records) {
        StringBuilder b = new StringBuilder(LandingFixture.header(entity, false)).append('\n');
        for (String r : records) b.append(r).append('\n');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One bad row among good ones: the bad row carries exactly the expected reason; counts add up. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "unknown_enum;cases;source;carrier_pigeon",
        "unknown_enum;cases;satisfaction;很满意",
        "bad_timestamp;cases;reported_at;2026-04-31 10:00:00",
        "bad_timestamp;cases;updated_at;2026/03/01 10:00",
        "wrong_district;cases;district_code;370832",
        "missing_required;cases;reported_at;''",
        "closed_before_reported;cases;closed_at;2026-02-28 09:00:00",
        "negative_households;compounds;households;-5",
        "negative_households;compounds;households;0",
        "bad_format;members;id_number;12345",
        "bad_boolean;visits;key_group;maybe",
        "bad_number;points;points;5.001",
        "out_of_range;visits;needs_recorded;-1",
        "unknown_enum;members;roles;楼栋长",
        "unknown_enum;members;roles;building_leader,mayor",
    })
    void eachBadValueHasItsReason(String reason, String entity, String column, String value) {
        String idCol = Schemas.get().landing(entity).key().get(1);
        byte[] b = csv(entity, row(entity, idCol, "OK1"), row(entity, idCol, "BAD", column, value), row(entity, idCol, "OK2"));
        ParsedFile p = parse(entity, b);
        assertEquals(3, p.rowsRead());
        assertEquals(2, p.rows().size());
        assertEquals(1, p.quarantined().size());
        ParsedFile.Bad bad = p.quarantined().get(0);
        assertEquals(List.of(reason), bad.reasons(), bad.message());
        assertEquals(3, bad.line());
        assertNull(p.fileReason());
    }

    @Test
    void chineseLabelsAndBooleansAreAccepted() {
        byte[] b = csv("cases", row("cases", "source", "12345热线", "satisfaction", "基本满意", "is_dispute", "是", "category", "加装电梯"));
        ParsedFile p = parse("cases", b);
        assertEquals(1, p.rows().size(), () -> p.quarantined().toString());
        Object[] v = p.rows().get(0).values();
        var t = Schemas.get().landing("cases");
        assertEquals("hotline_12345", v[t.indexOf("source")]);
        assertEquals("basically_satisfied", v[t.indexOf("satisfaction")]);
        assertEquals("elevator", v[t.indexOf("category")]);
        assertEquals(Boolean.TRUE, v[t.indexOf("is_dispute")]);
        // 09:00 in Shanghai is 01:00 UTC
        assertEquals(Instant.parse("2026-03-01T01:00:00Z"), v[t.indexOf("reported_at")]);
    }

    @Test
    void statusCarriesCodesOnly() {
        ParsedFile p = parse("cases", csv("cases", row("cases", "status", "无效/重复件")));
        assertEquals(List.of("unknown_enum"), p.quarantined().get(0).reasons());
    }

    @Test
    void isoTimestampsWithAndWithoutOffset() {
        byte[] b = csv("cases", row("cases", "case_id", "A", "reported_at", "2026-03-01T09:00:00"),
                row("cases", "case_id", "B", "reported_at", "2026-03-01T01:00:00Z", "updated_at", "2026-03-01T09:00:00+08:00"));
        ParsedFile p = parse("cases", b);
        assertEquals(2, p.rows().size(), () -> p.quarantined().toString());
        var t = Schemas.get().landing("cases");
        assertEquals(p.rows().get(0).values()[t.indexOf("reported_at")], p.rows().get(1).values()[t.indexOf("reported_at")]);
    }

    @Test
    void duplicateKeyQuarantinesEveryRowCarryingIt() {
        byte[] b = csv("visits", row("visits", "visit_id", "V1"), row("visits", "visit_id", "V2"), row("visits", "visit_id", "V1", "needs_recorded", "2"));
        ParsedFile p = parse("visits", b);
        assertEquals(1, p.rows().size());
        assertEquals(2, p.quarantined().size());
        for (ParsedFile.Bad bad : p.quarantined()) assertEquals(List.of("duplicate_key_in_file"), bad.reasons());
        assertEquals(List.of(2, 4), p.quarantined().stream().map(ParsedFile.Bad::line).toList());
    }

    @Test
    void malformedRecordsAreRejectedAloneWithTheirLine() {
        String good = row("visits", "visit_id", "V1");
        byte[] b = csv("visits", good, "V2,370829,too,few", row("visits", "visit_id", "V3").replace("needs_survey", "needs\"survey"),
                row("visits", "visit_id", "V4"));
        ParsedFile p = parse("visits", b);
        assertEquals(4, p.rowsRead());
        assertEquals(List.of("V1", "V4"), p.rows().stream().map(g -> (String) g.values()[0]).toList());
        assertEquals(List.of(3, 4), p.quarantined().stream().map(ParsedFile.Bad::line).toList());
        for (ParsedFile.Bad bad : p.quarantined()) assertEquals(List.of("malformed_csv"), bad.reasons());
    }

    @Test
    void quotedMultiLineFieldsKeepLineNumbers() {
        String multi = row("property_companies", "company_id", "W2", "name", "甲乙物业服务有限公司\n（原\"丙丁\"物业，已合并）");
        byte[] b = csv("property_companies", row("property_companies"), multi, row("property_companies", "company_id", "W3", "name", "x"),
                "W4,370829,,true,91370829MA0000000X");
        ParsedFile p = parse("property_companies", b);
        assertEquals(4, p.rowsRead());
        assertEquals(3, p.rows().size(), () -> p.quarantined().toString());
        assertEquals("甲乙物业服务有限公司\n（原\"丙丁\"物业，已合并）", p.rows().get(1).values()[2]);
        assertEquals(List.of(2, 3, 5), p.rows().stream().map(ParsedFile.Good::line).toList());
        assertEquals(6, p.quarantined().get(0).line()); // name missing → missing_required on physical line 6
        assertEquals(List.of("missing_required"), p.quarantined().get(0).reasons());
    }

    @Test
    void gbkWithChineseHeaderIsDetected() {
        String text = LandingFixture.header("compounds", true) + "\n" + row("compounds", "name", "锦绣家园") + "\n";
        ParsedFile p = parse("compounds", text.getBytes(Encodings.GB18030));
        assertTrue(p.encoding().startsWith("GB18030"), p.encoding());
        assertEquals("zh", p.headerLanguage());
        assertEquals(1, p.rows().size(), () -> p.quarantined().toString());
        assertEquals("锦绣家园", p.rows().get(0).values()[4]);
    }

    @Test
    void utf8BomAndMixedCaseHeaders() {
        String text = "\uFEFF" + LandingFixture.header("branches", false).replace("branch_id", " Branch_ID ") + "\n" + row("branches") + "\n";
        ParsedFile p = parse("branches", text.getBytes(StandardCharsets.UTF_8));
        assertEquals("UTF-8-BOM", p.encoding());
        assertEquals(1, p.rows().size(), () -> p.quarantined() + " " + p.fileMessage());
    }

    @Test
    void undecodableBytesRejectTheRowNotTheFile() {
        byte[] a = csv("compounds", row("compounds", "compound_id", "Q1", "name", "锦绣家园"));
        byte[] badRow = (row("compounds", "compound_id", "Q2", "name", "XX") + "\n").getBytes(StandardCharsets.UTF_8);
        int at = new String(badRow, StandardCharsets.ISO_8859_1).indexOf("XX");
        badRow[at] = (byte) 0xFF;
        badRow[at + 1] = (byte) 0xFE;
        byte[] c = (row("compounds", "compound_id", "Q3", "name", "幸福里") + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[a.length + badRow.length + c.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(badRow, 0, all, a.length, badRow.length);
        System.arraycopy(c, 0, all, a.length + badRow.length, c.length);
        ParsedFile p = parse("compounds", all);
        assertEquals("UTF-8", p.encoding());
        assertEquals(2, p.rows().size());
        assertEquals(List.of("undecodable_bytes"), p.quarantined().get(0).reasons());
        assertEquals(3, p.quarantined().get(0).line());
    }

    @Test
    void fileLevelRejections() {
        byte[] b = csv("visits", row("visits"));
        ParsedFile unknown = parse("complaints", b);
        assertEquals("unknown_entity", unknown.fileReason().name());
        assertEquals(1, unknown.quarantined().size());
        assertEquals(1, unknown.rowsRead());

        ParsedFile rows = parse("visits", b, null, 2L, null);
        assertEquals("manifest_mismatch", rows.fileReason().name());
        assertEquals(1, rows.quarantined().size());
        assertEquals(0, rows.rows().size());

        ParsedFile sha = parse("visits", b, null, 1L, "00ff");
        assertEquals("manifest_mismatch", sha.fileReason().name());

        ParsedFile empty = parse("points", new byte[0]);
        assertEquals("unreadable_file", empty.fileReason().name());
        assertEquals(0, empty.rowsRead());

        byte[] binary = new byte[300];
        for (int i = 0; i < binary.length; i++) binary[i] = (byte) (i * 37);
        ParsedFile bin = parse("points", binary);
        assertEquals("unreadable_file", bin.fileReason().name());
        assertEquals(bin.rowsRead(), bin.quarantined().size());

        ParsedFile noColumn = parse("visits", ("visit_id,district_code\nV1,370829\n").getBytes(StandardCharsets.UTF_8));
        assertEquals("missing_column", noColumn.fileReason().name());
    }

    // ------------------------------------------------------------ hostile files: size, record and field limits

    private ParsedFile parse(IngestLimits limits, String entity, byte[] bytes, String manifestError) {
        FileContext c = new FileContext("370829", LocalDate.parse("2026-03-01"), entity, "370829/2026-03-01/" + entity + ".csv",
                Landing.sha256(bytes), null, null, null, manifestError);
        return new FileParser(pii, limits).parse(Schemas.get().landing(entity), bytes, c);
    }

    @Test
    void aRecordOverTheLimitIsQuarantinedAndTheOthersLoad() {
        // a visits record is ~110 bytes; V2's case_id of 2,000 characters makes it ~2,100 > 512
        String longCase = "y".repeat(2000);
        byte[] b = csv("visits", row("visits", "visit_id", "V1"),
                row("visits", "visit_id", "V2", "household_id", "HOUSEHOLD-TEST-0001", "case_id", longCase),
                row("visits", "visit_id", "V3"));
        ParsedFile p = parse(new IngestLimits(1 << 20, 512, 1000), "visits", b, null);
        assertNull(p.fileReason());
        assertEquals(3, p.rowsRead());
        assertEquals(List.of("V1", "V3"), p.rows().stream().map(g -> (String) g.values()[0]).toList());
        ParsedFile.Bad bad = p.quarantined().get(0);
        assertEquals(List.of("record_too_large"), bad.reasons());
        assertEquals(3, bad.line());
        assertNull(bad.key());
        // masked before it is cut (the household id is hashed), then cut to the preview plus the "…<cut; N bytes read>" note
        assertTrue(bad.rawText().length() <= FileParser.RAW_PREVIEW_CHARS + 40, () -> "" + bad.rawText().length());
        assertFalse(bad.rawText().contains("HOUSEHOLD-TEST-0001"), bad.rawText());
        assertTrue(bad.rawText().endsWith("…<cut; 512 bytes read>"), bad.rawText());
    }

    @Test
    void anUnclosedQuoteNearTheTopSwallowsAtMostOneRecordLimitThenReadingResumes() {
        int limit = 4096, n = 5000;
        List<String> recs = new java.util.ArrayList<>();
        recs.add(row("visits", "visit_id", "V00000"));
        String unclosed = row("visits", "visit_id", "VQUOTE") + "\"never closed";   // case_id opens a quote that never closes
        recs.add(unclosed);
        for (int i = 1; i <= n; i++) recs.add(row("visits", "visit_id", String.format("V%05d", i)));
        byte[] b = csv("visits", recs.toArray(String[]::new));
        // every V%05d line is L bytes with its newline; the unclosed record starts on line 3 and is U bytes with its newline.
        // The cut is at 4,096 bytes from its start, inside line 4 + floor((4096 - U) / L); reading resumes on the line after,
        // so swallowed = floor((4096 - U) / L) + 1 good lines, and the rest load.
        int L = row("visits", "visit_id", "V00001").length() + 1, U = unclosed.length() + 1;
        int swallowed = (limit - U) / L + 1;
        ParsedFile p = parse(new IngestLimits(1 << 30, limit, 1000), "visits", b, null);
        assertNull(p.fileReason());
        assertEquals(1, p.quarantined().size(), () -> p.quarantined().toString());
        ParsedFile.Bad bad = p.quarantined().get(0);
        assertEquals(List.of("record_too_large"), bad.reasons());
        assertEquals(3, bad.line());
        assertTrue(bad.message().contains("quoted field is not closed"), bad.message());
        assertEquals(1 + n - swallowed, p.rows().size());
        assertEquals(p.rowsRead(), p.rows().size() + p.quarantined().size());
        assertEquals(String.format("V%05d", swallowed + 1), p.rows().get(1).values()[0], "the first line after the cut loads");
        assertEquals(4 + swallowed, p.rows().get(1).line());
        // memory stays bounded: no record handed on is longer than the limit
        for (CsvRecords.Span s : CsvRecords.split(b, 0, limit, 1000)) assertTrue(s.end() - s.start() <= limit);
    }

    @Test
    void aRecordWith100000FieldsIsQuarantinedAndAHeaderLikeThatRejectsTheFile() {
        String wide = row("visits", "visit_id", "V2") + ",x".repeat(100_000);  // ~200 KB: under 1 MiB, over 1,000 fields
        byte[] b = csv("visits", row("visits"), wide, row("visits", "visit_id", "V3"));
        ParsedFile p = parse(IngestLimits.DEFAULT, "visits", b, null);
        assertEquals(2, p.rows().size());
        assertEquals(List.of("record_too_large"), p.quarantined().get(0).reasons());
        assertTrue(p.quarantined().get(0).message().contains("more than 1000 fields"), p.quarantined().get(0).message());
        assertTrue(p.quarantined().get(0).rawText().length() <= FileParser.RAW_PREVIEW_CHARS + 40);

        byte[] h = (LandingFixture.header("visits", false) + ",c".repeat(100_000) + "\n" + row("visits") + "\n").getBytes(StandardCharsets.UTF_8);
        ParsedFile wideHeader = parse(IngestLimits.DEFAULT, "visits", h, null);
        assertEquals("unreadable_file", wideHeader.fileReason().name());
        assertEquals(1, wideHeader.quarantined().size(), "the record is still quarantined");
    }

    @Test
    void aFileOverTheLimitIsNotReadAndStandsAsOneQuarantinedRecord() {
        byte[] b = csv("visits", row("visits"), row("visits", "visit_id", "V2"));
        ParsedFile p = parse(new IngestLimits(100, 512, 1000), "visits", b, null);
        assertEquals("file_too_large", p.fileReason().name());
        assertEquals(1, p.rowsRead());
        assertEquals(0, p.rows().size());
        assertEquals(1, p.quarantined().size());
        assertEquals(0, p.quarantined().get(0).line());
        assertEquals(List.of("file_too_large"), p.quarantined().get(0).reasons());
        assertFalse(p.quarantined().get(0).rawText().contains("V2"), "nothing of the file is kept");
    }

    @Test
    void anInvalidManifestRejectsTheFileWithEveryRecordInQuarantine() {
        byte[] b = csv("visits", row("visits"), row("visits", "visit_id", "V2"));
        ParsedFile p = parse(IngestLimits.DEFAULT, "visits", b, "manifest.json unreadable (Unexpected character)");
        assertEquals("manifest_invalid", p.fileReason().name());
        assertEquals(2, p.rowsRead());
        assertEquals(2, p.quarantined().size());
        for (ParsedFile.Bad bad : p.quarantined()) assertEquals(List.of("manifest_invalid"), bad.reasons());
        assertTrue(p.fileMessage().startsWith("manifest.json unreadable"), p.fileMessage());
    }

    @Test
    void personalDataIsMaskedInRowsAndRawText() {
        byte[] b = csv("members", row("members", "member_id", "M9", "name", "欧阳样例"),
                row("members", "member_id", "M8", "name", "样例乙", "category", "unknown"));
        ParsedFile p = parse("members", b);
        var t = Schemas.get().landing("members");
        Object[] v = p.rows().get(0).values();
        assertEquals("欧阳*例", v[t.indexOf("name")]);   // compound surname kept whole (was 欧*例 before compound surnames)
        assertEquals(pii.hash("000000199001010011"), v[t.indexOf("id_number")]);
        assertEquals(pii.hash("M9"), v[t.indexOf("member_id")]);
        String raw = p.quarantined().get(0).rawText();
        assertFalse(raw.contains("样例乙"), raw);
        assertFalse(raw.contains("000000199001010011"), raw);
        assertTrue(raw.contains("样*乙"), raw);
        assertFalse(p.rows().get(0).rawText().contains("欧阳样例"));
    }

    @Test
    void malformedRawTextIsMaskedToo() {
        byte[] b = csv("cases", "C9,370829,样例丙丁,13800000009,000000199001010011,extra");
        ParsedFile p = parse("cases", b);
        String raw = p.quarantined().get(0).rawText();
        assertFalse(raw.contains("样例丙丁"), raw);
        assertFalse(raw.contains("13800000009"), raw);
        assertFalse(raw.contains("000000199001010011"), raw);
        assertTrue(raw.contains("138****0009"), raw);
    }

    @Test
    void masks() {
        assertEquals("张*明", PiiProtector.maskName("张三明"));
        assertEquals("欧阳*华", PiiProtector.maskName("欧阳建华"));   // was 欧*华 before compound surnames
        assertEquals("王*", PiiProtector.maskName("王芳"));
        assertEquals("138****1234", PiiProtector.maskPhone("13812341234"));
        assertFalse(pii.hash("x").equals(new PiiProtector("other").hash("x")));
    }

    /**
     * Columns the schema does not know are masked by their header (手机号 → phone mask, 身份证号 → hash,
     * 联系人 → name mask) and every cell by pattern; messages quoting a value are masked too.
     */
    @Test
    void unknownColumnsAndMessagesAreMasked() {
        String header = LandingFixture.header("cases", false) + ",手机号,身份证号,联系人,备注";
        String extra = ",+86 139-0000-1234,000000199001011234,样例丙丁,请回电0531-88886666";
        byte[] b = (header + "\n" + row("cases") + extra + "\n"
                + row("cases", "case_id", "C2", "source", "13900004321") + extra + "\n").getBytes(StandardCharsets.UTF_8);
        ParsedFile p = parse("cases", b);
        assertEquals(1, p.rows().size());
        ParsedFile.Bad bad = p.quarantined().get(0);
        assertTrue(bad.message().contains("139****4321") && !bad.message().contains("13900004321"), bad.message());
        for (String raw : List.of(p.rows().get(0).rawText(), bad.rawText())) {
            for (String clear : List.of("0000-1234", "000000199001011234", "样例丙丁", "88886666", "13900004321")) {
                assertFalse(raw.contains(clear), clear + " in " + raw);
            }
            assertTrue(raw.contains("139****1234") && raw.contains(pii.hash("000000199001011234")) && raw.contains("样*丁")
                    && raw.contains("请回电0531-******66"), raw);
        }
        assertTrue(p.fileMessage().contains("手机号"), p.fileMessage());
    }

    /** A headerless file: its first record is data and is not quoted in the clear in the file's message. */
    @Test
    void aHeaderlessFileIsNotQuotedInTheClear() {
        byte[] b = (row("cases", "reporter_name", "样例丙丁", "reporter_phone", "13900001234") + "\n"
                + row("cases", "case_id", "C2", "reporter_phone", "0531 8888 6666") + "\n").getBytes(StandardCharsets.UTF_8);
        ParsedFile p = parse("cases", b);
        assertEquals("unreadable_file", p.fileReason().name());
        assertEquals(2, p.quarantined().size(), "the first record is data, kept in quarantine");
        List<String> texts = new java.util.ArrayList<>(List.of(p.fileMessage()));
        for (ParsedFile.Bad x : p.quarantined()) { texts.add(x.rawText()); texts.add(x.message()); }
        for (String t : texts) {
            assertFalse(t.contains("样例丙丁") || t.contains("13900001234") || t.contains("8888 6666"), t);
        }
        assertTrue(p.fileMessage().contains("样*丁") && p.fileMessage().contains("139****1234"), p.fileMessage());
        assertTrue(p.quarantined().get(1).rawText().contains("0531-******66"), p.quarantined().get(1).rawText());
    }

    /** A quote left open swallows the rest of the file into one record: still masked field by field and by pattern. */
    @Test
    void anUnclosedQuoteIsMasked() {
        byte[] b = csv("cases", "C9,370829,\"样例丙丁,0086 139 0000 1234,000000900101123", row("cases", "case_id", "C10"));
        ParsedFile p = parse("cases", b);
        String raw = p.quarantined().get(0).rawText();
        assertEquals("malformed_csv", p.quarantined().get(0).reasons().get(0));
        assertFalse(raw.contains("样例丙丁") || raw.contains("0000 1234") || raw.contains("000000900101123"), raw);
        assertTrue(raw.contains("139****1234"), raw);
    }
}
