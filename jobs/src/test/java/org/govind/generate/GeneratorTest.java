package org.govind.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.govind.schema.ColumnDef;
import org.govind.schema.Schemas;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratorTest {
    static final LocalDate START = LocalDate.of(2026, 3, 1);

    @TempDir
    static Path tmp;
    static Path clean;
    static GenerateSummary cleanSummary;
    static List<String> progress = new ArrayList<>();

    @BeforeAll
    static void generate() throws IOException {
        clean = tmp.resolve("clean");
        cleanSummary = Generator.run(new GenerateOptions(clean, START, 3, 6, Scale.SMALL, 7L, 0.0), progress::add);
    }

    static String treeHash(Path root) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        List<Path> files;
        try (Stream<Path> w = Files.walk(root)) {
            files = w.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            md.update(root.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(Files.readAllBytes(f));
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws Exception {
        Path again = tmp.resolve("again");
        Generator.run(new GenerateOptions(again, START, 3, 6, Scale.SMALL, 7L, 0.0), s -> { });
        assertEquals(treeHash(clean), treeHash(again));
        Path other = tmp.resolve("other");
        Generator.run(new GenerateOptions(other, START, 3, 6, Scale.SMALL, 8L, 0.0), s -> { });
        assertNotEquals(treeHash(clean), treeHash(other));
    }

    @Test
    void sameSeedSameBytesWithBadRows() throws Exception {
        Path a = tmp.resolve("bad-a");
        Path b = tmp.resolve("bad-b");
        Generator.run(new GenerateOptions(a, START, 3, 2, Scale.SMALL, 11L, 0.05), s -> { });
        Generator.run(new GenerateOptions(b, START, 3, 2, Scale.SMALL, 11L, 0.05), s -> { });
        assertEquals(treeHash(a), treeHash(b));
    }

    @Test
    void layoutSummaryAndProgress() throws IOException {
        assertEquals(List.of("370829", "370832", "140921", "350505", "420103", "440881"), cleanSummary.districtCodes());
        assertEquals(3, progress.size());
        assertTrue(progress.get(0).startsWith("2026-03-01  6 个区县  "), progress.get(0));
        assertEquals(0, cleanSummary.badRowsInjected());
        for (String code : cleanSummary.districtCodes()) {
            Path night = clean.resolve(code).resolve("2026-03-01");
            for (String e : Schemas.ENTITIES) assertTrue(Files.exists(night.resolve(e + ".csv")), night + "/" + e);
            assertEquals(!code.equals("440881"), Files.exists(night.resolve("manifest.json")), code);
        }
        LandingScan s = LandingScan.scan(clean);
        assertEquals(cleanSummary.rows(), s.records);
    }

    @Test
    void cleanRunHasNoProblemsAndManifestsMatch() throws IOException {
        LandingScan s = LandingScan.scan(clean);
        assertTrue(s.reasons.isEmpty(), s.reasons.toString());
        assertTrue(s.problems.isEmpty(), s.problems.toString());
        assertEquals(0, s.identicalRedeliveries);
        assertTrue(s.multiLineRecords > 0, "some names contain a newline");
    }

    @Test
    void gbkDistrictsDecodeAsGb18030NotUtf8() throws IOException {
        for (String code : List.of("370832", "140921")) {
            byte[] b = Files.readAllBytes(clean.resolve(code).resolve("2026-03-01").resolve("members.csv"));
            assertTrue(decodes(b, Charset.forName("GB18030")), code);
            assertFalse(decodes(b, StandardCharsets.UTF_8), code);
        }
        for (String code : List.of("370829", "350505", "420103", "440881")) {
            byte[] b = Files.readAllBytes(clean.resolve(code).resolve("2026-03-01").resolve("members.csv"));
            assertTrue(decodes(b, StandardCharsets.UTF_8), code);
        }
        byte[] bom = Files.readAllBytes(clean.resolve("350505").resolve("2026-03-01").resolve("cases.csv"));
        assertArrayEquals(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, java.util.Arrays.copyOf(bom, 3));
        String m832 = Files.readString(clean.resolve("370832").resolve("2026-03-01").resolve("manifest.json"));
        assertTrue(m832.contains("\"encoding\": \"GBK\""));
        String m921 = Files.readString(clean.resolve("140921").resolve("2026-03-01").resolve("manifest.json"));
        assertFalse(m921.contains("encoding"));
    }

    private static boolean decodes(byte[] b, Charset cs) {
        try {
            cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void chineseHeadersFor370829() throws IOException {
        for (String e : Schemas.ENTITIES) {
            String first = firstLine(clean.resolve("370829").resolve("2026-03-01").resolve(e + ".csv"));
            List<String> aliases = Schemas.get().landing(e).columns().stream().map(ColumnDef::alias).toList();
            assertEquals(String.join(",", aliases), first, e);
        }
        String mixed = firstLine(clean.resolve("420103").resolve("2026-03-01").resolve("cases.csv"));
        assertTrue(mixed.contains("工单编号") || mixed.contains("区县代码") || mixed.contains("社区代码"), mixed);
        assertTrue(mixed.contains(" "), mixed);
        String shuffled = firstLine(clean.resolve("140921").resolve("2026-03-01").resolve("cases.csv"));
        assertFalse(shuffled.startsWith("case_id,district_code,community_code"), shuffled);
    }

    private static String firstLine(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        String s = new String(b, f.toString().contains("140921") ? Charset.forName("GB18030") : StandardCharsets.UTF_8);
        return s.substring(0, s.indexOf('\n'));
    }

    @Test
    void personNamesNeverInsideOtherTexts() throws IOException {
        LandingScan s = LandingScan.scan(clean);
        Set<String> persons = new HashSet<>();
        for (String k : List.of("members.name", "cases.reporter_name", "points.holder_name")) persons.addAll(s.texts.get(k));
        List<String> others = new ArrayList<>();
        for (String k : List.of("compounds.name", "property_companies.name", "branches.name")) others.addAll(s.texts.get(k));
        assertTrue(persons.size() > 1000, "persons " + persons.size());
        for (String p : persons) {
            assertTrue(p.length() >= 2 && p.length() <= 4, p);
            for (String o : others) assertFalse(o.contains(p), p + " in " + o);
        }
        long two = persons.stream().filter(p -> p.length() == 2).count();
        long four = persons.stream().filter(p -> p.length() == 4).count();
        assertTrue(two > 0 && four > 0, "two " + two + " four " + four);
    }

    @Test
    void personPoolsDisjointFromPlacePools() {
        Set<Integer> person = new HashSet<>();
        (Names.SURNAMES + Names.GIVEN + String.join("", Names.DOUBLE_SURNAMES)).chars().forEach(person::add);
        StringBuilder other = new StringBuilder();
        for (String[] pool : List.of(Names.COMPOUND_STEMS, Names.COMPOUND_SUFFIXES, Names.UNIT_COMPOUNDS, Names.PHASES,
                Names.COMMUNITY_STEMS, Names.COMMUNITY_VARIANTS, Names.COMPANY_STEMS, Names.COMPANY_SUFFIXES,
                Names.NUMERALS, Names.FUNCTIONAL, Names.COMPLAINT_TEXTS)) {
            for (String w : pool) other.append(w);
        }
        other.append("社区党委第网格党支部小区物业项目部联合支部楼栋党小组暖心");
        other.chars().forEach(c -> assertFalse(person.contains(c), "shared character " + (char) c));
    }

    @Test
    void everyTextIsEncodableInGbk() {
        java.nio.charset.CharsetEncoder gbk = Charset.forName("GBK").newEncoder();
        StringBuilder all = new StringBuilder(Names.SURNAMES).append(Names.GIVEN);
        for (String[] pool : List.of(Names.DOUBLE_SURNAMES, Names.COMPOUND_STEMS, Names.COMPOUND_SUFFIXES,
                Names.UNIT_COMPOUNDS, Names.PHASES, Names.COMMUNITY_STEMS, Names.COMMUNITY_VARIANTS,
                Names.COMPANY_STEMS, Names.COMPANY_SUFFIXES, Names.NUMERALS, Names.FUNCTIONAL, Names.COMPLAINT_TEXTS)) {
            for (String w : pool) all.append(w);
        }
        for (String e : Schemas.ENTITIES) {
            for (ColumnDef c : Schemas.get().landing(e).columns()) {
                all.append(c.alias());
                c.values().values().forEach(v -> all.append(v == null ? "" : v));
            }
        }
        all.chars().forEach(c -> assertTrue(gbk.canEncode((char) c), "not in GBK: " + (char) c));
    }

    @Test
    void identifiersLookReal() {
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 200; i++) {
            String id = Names.idNumber(r, "370829", LocalDate.of(1960 + i % 40, 1 + i % 12, 1 + i % 28), i % 2 == 0);
            assertTrue(id.matches("\\d{17}[\\dX]"), id);
            assertEquals(Names.idCheck(id.substring(0, 17)), id.charAt(17));
            assertTrue(Names.phone(r).matches("1[3579]\\d{9}|18\\d{9}"));
            assertTrue(Names.creditCode(r, "370829").matches("91370829[0-9A-Z]{10}"));
        }
        assertEquals('X', Names.idCheck("11010519491231002"));
    }

    @Test
    void rejectsBadOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Generator.run(new GenerateOptions(tmp.resolve("x"), START, 1, 7, Scale.SMALL, 1, 0), s -> { }));
        assertTrue(e.getMessage().contains("--districts"));
        e = assertThrows(IllegalArgumentException.class, () ->
                Generator.run(new GenerateOptions(tmp.resolve("x"), START, 1, 0, Scale.SMALL, 1, 0), s -> { }));
        assertTrue(e.getMessage().contains("--districts"));
        e = assertThrows(IllegalArgumentException.class, () ->
                Generator.run(new GenerateOptions(tmp.resolve("x"), START, 0, 1, Scale.SMALL, 1, 0), s -> { }));
        assertTrue(e.getMessage().contains("--days"));
        e = assertThrows(IllegalArgumentException.class, () ->
                Generator.run(new GenerateOptions(tmp.resolve("x"), START, 1, 1, Scale.SMALL, 1, 1.5), s -> { }));
        assertTrue(e.getMessage().contains("--bad-rows"));
    }

    /**
     * The province preset without generating it: its 100 districts (the contract's six first, then derived ones)
     * have distinct six-digit codes the contract's district_code pattern accepts and distinct names, and their
     * sizes, drawn exactly as the generator draws them, add up to ten cities: 3,000 compounds × 10 = 30,000
     * (each district 300 ± 8 % jitter, so the total within ± 2 %), 50,000 members × 10 = 500,000.
     */
    @Test
    void provincePresetHas100DistrictsAndTenCitiesOfCompounds() {
        assertEquals(100, Scale.PROVINCE.defaultDistricts());
        assertEquals(6, Scale.CITY.defaultDistricts());
        ColumnDef dc = Schemas.get().landing("compounds").column("district_code").orElseThrow();
        Set<String> codes = new HashSet<>(), names = new HashSet<>();
        long compounds = 0, members = 0;
        for (int i = 0; i < Scale.PROVINCE.defaultDistricts(); i++) {
            DistrictProfile p = DistrictProfile.of(i);
            if (i < DistrictProfile.ALL.size()) assertEquals(DistrictProfile.ALL.get(i).code, p.code);
            assertTrue(dc.pattern().matcher(p.code).matches(), p.code);
            assertTrue(codes.add(p.code), "distinct code " + p.code);
            assertTrue(names.add(p.name), "distinct name " + p.name);
            assertEquals(i, p.index);
            Sizing z = Sizing.of(Scale.PROVINCE, 100, Rng.of(7L, p.code, START, "size"));
            compounds += z.compounds();
            members += z.members();
        }
        assertTrue(compounds > 29_400 && compounds < 30_600, "compounds " + compounds);
        assertTrue(members > 490_000 && members < 510_000, "members " + members);
        assertEquals("371121", DistrictProfile.of(6).code, "the first derived district");
        assertEquals(DistrictProfile.of(6).code, DistrictProfile.of(6).code, "derived from the index alone");
        assertThrows(IllegalArgumentException.class, () -> DistrictProfile.of(100));
        // the city's 3,000 compounds over 6 districts stay as they were
        long city = 0;
        for (DistrictProfile p : DistrictProfile.ALL) city += Sizing.of(Scale.CITY, 6, Rng.of(7L, p.code, START, "size")).compounds();
        assertTrue(city > 2_900 && city < 3_100, "city compounds " + city);
    }

    /**
     * One night of three derived districts (indices 51–53 write like 350505, 420103 and 440881: UTF-8 with a
     * BOM, mixed headers, Chinese headers without a manifest), at small size so it is quick: the files carry
     * the derived code in every row and meet the contract (LandingScan finds no problem).
     */
    @Test
    void derivedDistrictsWriteValidExports() throws IOException {
        Path out = tmp.resolve("derived");
        java.util.Map<String, Tbl> tables = new java.util.LinkedHashMap<>();
        for (String e : Schemas.ENTITIES) tables.put(e, new Tbl(Schemas.get().landing(e)));
        for (int i = 51; i <= 53; i++) {
            DistrictSim sim = new DistrictSim(7L, DistrictProfile.of(i), out, tables, 0.0, Scale.SMALL, 100, START);
            assertTrue(sim.night(START, 0).rows() > 0);
        }
        LandingScan s = LandingScan.scan(out);
        assertTrue(s.reasons.isEmpty(), s.reasons.toString());
        assertTrue(s.problems.isEmpty(), s.problems.toString());
        try (Stream<Path> l = Files.list(out)) {
            assertEquals(List.of("371236", "371237", "371238"), l.map(p -> p.getFileName().toString()).sorted().toList());
        }
        GenerateOptions tooMany = new GenerateOptions(tmp.resolve("y"), START, 1, 101, Scale.PROVINCE, 1, 0);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Generator.run(tooMany, x -> { })).getMessage().contains("100"));
    }
}
