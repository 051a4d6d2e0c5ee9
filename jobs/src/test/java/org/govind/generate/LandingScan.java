package org.govind.generate;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.govind.schema.ColumnDef;
import org.govind.schema.ColumnType;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;

/**
 * A small independent reader of a generated landing tree for the tests: splits records at the byte
 * level (RFC 4180; a quote opens a quoted field only as a field's first character), decodes each
 * record strictly and classifies problems with the contract's reason codes.
 */
public final class LandingScan {
    static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);
    static final Pattern MANIFEST_ENTRY = Pattern.compile(
            "\"([a-z_]+\\.csv)\": \\{\"rows\": (\\d+), \"sha256\": \"([0-9a-f]{64})\"}");

    /** One parsed record. */
    static final class Rec {
        final List<byte[]> fields = new ArrayList<>();
        boolean strayQuote;
    }

    /** Counts by reason code, plus collected texts for other checks. */
    final Map<String, Integer> reasons = new TreeMap<>();
    int identicalRedeliveries;
    int multiLineRecords;
    long records;
    final Map<String, List<String>> texts = new HashMap<>();
    final List<String> problems = new ArrayList<>();

    private final Map<String, String> delivered = new HashMap<>();

    /**
     * One valid case record as delivered: its district, export night (the folder's date), delivery order
     * (nights, then files, then lines), and the fields the books-close reading needs (status as its code).
     */
    public record CaseVersion(String district, java.time.LocalDate night, long order, String caseId,
                              String community, String compound, LocalDateTime reported, LocalDateTime updated,
                              String status) {}

    /** Every valid case record of every loadable file, in delivery order. */
    public final List<CaseVersion> caseVersions = new ArrayList<>();
    private String night;

    public static LandingScan scan(Path root) throws IOException {
        LandingScan s = new LandingScan();
        List<Path> districts;
        try (Stream<Path> l = Files.list(root)) {
            districts = l.sorted().toList();
        }
        // nights in date order across districts do not interact; re-delivery is per district
        for (Path d : districts) {
            List<Path> nights;
            try (Stream<Path> l = Files.list(d)) {
                nights = l.sorted().toList();
            }
            for (Path n : nights) s.night(d.getFileName().toString(), n);
        }
        return s;
    }

    void add(String reason) {
        reasons.merge(reason, 1, Integer::sum);
    }

    int count(String reason) {
        return reasons.getOrDefault(reason, 0);
    }

    private void night(String district, Path dir) throws IOException {
        night = dir.getFileName().toString();
        Map<String, String[]> manifest = new HashMap<>();
        Path mf = dir.resolve("manifest.json");
        if (Files.exists(mf)) {
            Matcher m = MANIFEST_ENTRY.matcher(Files.readString(mf));
            while (m.find()) manifest.put(m.group(1), new String[] {m.group(2), m.group(3)});
        }
        List<Path> files;
        try (Stream<Path> l = Files.list(dir)) {
            files = l.sorted().toList();
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (name.equals("manifest.json")) continue;
            String entity = name.substring(0, name.length() - 4);
            byte[] bytes = Files.readAllBytes(f);
            if (!Schemas.get().isEntity(entity)) {
                add("unknown_entity");
                continue;
            }
            if (bytes.length == 0 || indexOf(bytes, (byte) 0) >= 0) {
                add("unreadable_file");
                continue;
            }
            List<Rec> recs = split(bytes);
            String[] m = manifest.get(name);
            boolean rejected = false;
            if (m != null) {
                boolean ok = Long.parseLong(m[0]) == recs.size() - 1 && m[1].equals(sha256(bytes));
                if (!ok) {
                    add("manifest_mismatch");
                    rejected = true;
                }
            }
            file(district, entity, recs, rejected);
        }
    }

    private void file(String district, String entity, List<Rec> recs, boolean rejected) {
        TableDef t = Schemas.get().landing(entity);
        boolean gbk = district.equals("370832") || district.equals("140921");
        Charset cs = gbk ? Charset.forName("GB18030") : StandardCharsets.UTF_8;
        String[] header = decode(recs.get(0), cs);
        int[] map = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            String h = header[i].trim().toLowerCase(Locale.ROOT);
            map[i] = -1;
            for (int c = 0; c < t.columns().size(); c++) {
                ColumnDef col = t.columns().get(c);
                if (col.name().equals(h) || h.equals(col.alias())) map[i] = c;
            }
            if (map[i] < 0) problems.add(district + " " + entity + ": unknown header " + header[i]);
        }
        Map<String, Integer> keys = new HashMap<>();
        List<String[]> valid = new ArrayList<>();
        int keyCol = t.indexOf(t.key().get(t.key().size() - 1));
        for (int r = 1; r < recs.size(); r++) {
            records++;
            Rec rec = recs.get(r);
            if (rec.fields.size() != header.length || rec.strayQuote) {
                add("malformed_csv");
                continue;
            }
            String[] raw = decode(rec, cs);
            if (raw == null) {
                add("undecodable_bytes");
                continue;
            }
            for (String x : raw) if (x.contains("\n")) multiLineRecords++;
            String[] v = new String[t.columns().size()];
            for (int i = 0; i < raw.length; i++) if (map[i] >= 0) v[map[i]] = raw[i];
            keys.merge(v[keyCol], 1, Integer::sum);
            List<String> why = check(t, district, v);
            for (String y : why) add(y);
            if (why.isEmpty()) valid.add(v);
            if (why.isEmpty() && !rejected && entity.equals("cases")) {
                caseVersions.add(new CaseVersion(district, java.time.LocalDate.parse(night), caseVersions.size(),
                        v[t.indexOf("case_id")], v[t.indexOf("community_code")], nz(v[t.indexOf("compound_id")]),
                        parseTs(v[t.indexOf("reported_at")]), parseTs(v[t.indexOf("updated_at")]),
                        t.column("status").orElseThrow().enumCode(v[t.indexOf("status")])));
            }
            for (String col : new String[] {"name", "reporter_name", "holder_name"}) {
                int i = t.indexOf(col);
                if (i >= 0 && v[i] != null && !v[i].isEmpty()) {
                    texts.computeIfAbsent(entity + "." + col, k -> new ArrayList<>()).add(v[i]);
                }
            }
        }
        for (int n : keys.values()) if (n > 1) add("duplicate_key_in_file");
        if (entity.equals("visits") || entity.equals("points")) {
            for (String[] v : valid) {
                if (keys.get(v[keyCol]) > 1) continue;
                String k = district + "/" + v[keyCol];
                String canon = canonical(t, v);
                String before = delivered.get(k);
                if (before == null) {
                    if (!rejected) delivered.put(k, canon);
                } else if (before.equals(canon)) {
                    identicalRedeliveries++;
                } else {
                    add("conflicting_redelivery");
                }
            }
        }
    }

    /** Parsed values of a row, so that a label and its code compare equal. */
    private static String canonical(TableDef t, String[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            ColumnDef c = t.columns().get(i);
            String x = v[i] == null ? "" : v[i];
            if (c.type() == ColumnType.ENUM && !x.isEmpty()) x = c.enumCode(x);
            if (c.type() == ColumnType.BOOLEAN) x = parseBool(x);
            if (c.type() == ColumnType.TIMESTAMP && !x.isEmpty()) x = String.valueOf(parseTs(x));
            b.append(x).append('\u0001');
        }
        return b.toString();
    }

    private List<String> check(TableDef t, String district, String[] v) {
        List<String> why = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            ColumnDef c = t.columns().get(i);
            String x = v[i] == null ? "" : v[i];
            if (x.isEmpty()) {
                if (c.required()) why.add("missing_required");
                continue;
            }
            switch (c.type()) {
                case ENUM -> {
                    if (c.enumCode(x) == null) why.add("unknown_enum");
                }
                case TIMESTAMP -> {
                    if (parseTs(x) == null) why.add("bad_timestamp");
                }
                case BOOLEAN -> {
                    if (parseBool(x) == null) why.add("bad_boolean");
                }
                case INT -> {
                    int n = Integer.parseInt(x);
                    if (c.name().equals("households") && n <= 0) why.add("negative_households");
                    else if (c.min() != null && n < c.min()) why.add("out_of_range");
                }
                case LIST -> {
                    for (String role : x.split(";")) if (!c.values().containsKey(role)) why.add("unknown_enum");
                }
                default -> {
                    if (c.pattern() != null && !c.pattern().matcher(x).matches()) why.add("bad_format");
                }
            }
        }
        int dc = t.indexOf("district_code");
        if (!district.equals(v[dc]) && v[dc] != null && !v[dc].isEmpty()) why.add("wrong_district");
        if (t.name().equals("cases")) {
            LocalDateTime rep = parseTs(nz(v[t.indexOf("reported_at")]));
            LocalDateTime closed = parseTs(nz(v[t.indexOf("closed_at")]));
            LocalDateTime upd = parseTs(nz(v[t.indexOf("updated_at")]));
            if (rep != null && closed != null && closed.isBefore(rep)) why.add("closed_before_reported");
            if (rep != null && upd != null && upd.isBefore(rep)) why.add("updated_before_reported");
        }
        return why;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    static LocalDateTime parseTs(String x) {
        if (x.isEmpty()) return null;
        String s = x.replace('T', ' ');
        if (s.endsWith("+08:00")) s = s.substring(0, s.length() - 6);
        try {
            return LocalDateTime.parse(s, TS);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String parseBool(String x) {
        return switch (x.toLowerCase(Locale.ROOT)) {
            case "true", "是", "1" -> "true";
            case "false", "否", "0" -> "false";
            default -> null;
        };
    }

    private static String[] decode(Rec r, Charset cs) {
        String[] out = new String[r.fields.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(r.fields.get(i))).toString();
            } catch (CharacterCodingException e) {
                return null;
            }
        }
        return out;
    }

    /** Splits bytes into records (header included); a BOM is skipped. */
    static List<Rec> split(byte[] b) {
        List<Rec> out = new ArrayList<>();
        int i = b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF ? 3 : 0;
        while (i < b.length) {
            Rec rec = new Rec();
            boolean end = false;
            while (!end) {
                java.io.ByteArrayOutputStream f = new java.io.ByteArrayOutputStream();
                if (i < b.length && b[i] == '"') {
                    i++;
                    while (i < b.length) {
                        if (b[i] == '"') {
                            if (i + 1 < b.length && b[i + 1] == '"') {
                                f.write('"');
                                i += 2;
                            } else {
                                i++;
                                break;
                            }
                        } else {
                            f.write(b[i++]);
                        }
                    }
                    // after the closing quote: separator or line end, anything else is malformed
                    while (i < b.length && b[i] != ',' && b[i] != '\n' && b[i] != '\r') {
                        rec.strayQuote = true;
                        f.write(b[i++]);
                    }
                } else {
                    while (i < b.length && b[i] != ',' && b[i] != '\n' && b[i] != '\r') {
                        if (b[i] == '"') rec.strayQuote = true;
                        f.write(b[i++]);
                    }
                }
                rec.fields.add(f.toByteArray());
                if (i >= b.length) {
                    end = true;
                } else if (b[i] == ',') {
                    i++;
                } else {
                    if (b[i] == '\r') i++;
                    if (i < b.length && b[i] == '\n') i++;
                    end = true;
                }
            }
            out.add(rec);
        }
        return out;
    }

    static int indexOf(byte[] b, byte x) {
        for (int i = 0; i < b.length; i++) if (b[i] == x) return i;
        return -1;
    }

    static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
