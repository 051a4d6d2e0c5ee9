package org.govind.ingest;

import java.nio.charset.Charset;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.govind.pii.PiiPatterns;
import org.govind.pii.PiiProtector;
import org.govind.schema.CheckDef;
import org.govind.schema.ColumnDef;
import org.govind.schema.Pii;
import org.govind.schema.ReasonCode;
import org.govind.schema.TableDef;

/**
 * Reads one landing file into accepted rows and quarantined records, applying every rule of the
 * data contract that can be judged from the file alone. Pure Java (no Spark): runs anywhere, and
 * is unit-tested directly. Rules that need the tables (re-delivery, snapshot order) are applied
 * by {@link IngestJob}.
 */
public final class FileParser {
    /** Characters of a too-large record's masked raw text kept in quarantine. */
    static final int RAW_PREVIEW_CHARS = 1000;

    private final PiiProtector pii;
    private final IngestLimits limits;

    public FileParser(PiiProtector pii) { this(pii, IngestLimits.DEFAULT); }

    public FileParser(PiiProtector pii, IngestLimits limits) {
        this.pii = pii;
        this.limits = limits;
    }

    /**
     * A file over the size limit, judged from its size alone: rejected whole without being read. Reading
     * it to quarantine every record would defeat the limit, so the file stands as one quarantined record
     * (line 0, no raw text from it): rows_read = rows_quarantined = 1, and the audit row names the reason.
     */
    public static ParsedFile tooLarge(FileContext ctx, long size, long limit) {
        String msg = "file is " + size + " bytes, over the limit of " + limit + " bytes (--max-file-mb); not read";
        ParsedFile.Bad one = new ParsedFile.Bad(0, null, "<file not read: " + size + " bytes>", List.of(ReasonCode.file_too_large.name()), msg);
        return new ParsedFile(ctx, null, null, List.of(), List.of(one), 1, ReasonCode.file_too_large, msg);
    }

    /** Parses a file of a known entity ({@code table} is its landing definition) or rejects it whole. */
    public ParsedFile parse(TableDef table, byte[] bytes, FileContext ctx) {
        if (bytes.length > limits.maxFileBytes()) return tooLarge(ctx, bytes.length, limits.maxFileBytes());
        if (ctx.manifestError() != null) {
            // fail closed: the checks the manifest declares (sha256, rows, encoding) cannot be made
            return rejectAll(ctx, bytes, table, ReasonCode.manifest_invalid, ctx.manifestError() + "; every file of the folder rejected");
        }
        if (table == null) {
            return rejectAll(ctx, bytes, null, ReasonCode.unknown_entity,
                    "'" + fileName(ctx.sourceFile()) + "' is not a known entity file (expected one of cases, visits, points, members, compounds, branches, property_companies)");
        }
        if (bytes.length == 0) {
            return new ParsedFile(ctx, null, null, List.of(), List.of(), 0, ReasonCode.unreadable_file, "file is empty (no header row)");
        }
        if (ctx.manifestSha256() != null && !ctx.manifestSha256().equalsIgnoreCase(ctx.sha256())) {
            return rejectAll(ctx, bytes, table, ReasonCode.manifest_mismatch,
                    "sha256 " + ctx.sha256() + " differs from manifest " + ctx.manifestSha256());
        }
        Encodings.Detected enc;
        try {
            enc = Encodings.detect(bytes, ctx.declaredEncoding(), limits);
        } catch (IllegalArgumentException e) {
            return rejectAll(ctx, bytes, table, ReasonCode.unreadable_file, e.getMessage());
        }
        if (looksBinary(bytes)) {
            return rejectAll(ctx, bytes, table, ReasonCode.unreadable_file, "file is not text (contains NUL or control bytes)");
        }
        List<CsvRecords.Span> spans = CsvRecords.split(bytes, enc.offset(), limits.maxRecordBytes(), limits.maxFields());
        spans.removeIf(s -> s.start() == s.end());
        if (spans.isEmpty()) {
            return new ParsedFile(ctx, enc.label(), null, List.of(), List.of(), 0, ReasonCode.unreadable_file, "file has no header row");
        }
        CsvRecords.Span headerSpan = spans.get(0);
        if (headerSpan.tooLarge()) {
            return rejectAll(ctx, bytes, table, ReasonCode.unreadable_file, "header row: " + headerSpan.problem());
        }
        String headerText = Encodings.decodeStrict(enc.charset(), bytes, headerSpan.start(), headerSpan.end());
        if (headerText == null || headerSpan.malformed()) {
            return rejectAll(ctx, bytes, table, ReasonCode.unreadable_file, "header row cannot be read in " + enc.label());
        }
        Header h = Header.map(table, CsvRecords.fields(headerText));
        if (h.mapped == 0) {
            return rejectAll(ctx, bytes, table, ReasonCode.unreadable_file, "header names no column of " + table.name() + ": " + maskUnparsed(null, null, headerText));
        }
        if (!h.missingRequired.isEmpty()) {
            return rejectAll(ctx, bytes, table, ReasonCode.missing_column, "header lacks required column(s) " + h.missingRequired);
        }
        if (!h.duplicates.isEmpty()) {
            return rejectAll(ctx, bytes, table, ReasonCode.unreadable_file, "header names column(s) twice: " + h.duplicates);
        }
        int records = spans.size() - 1;
        if (ctx.manifestRows() != null && ctx.manifestRows() != records) {
            return rejectAll(ctx, bytes, table, ReasonCode.manifest_mismatch,
                    "file has " + records + " records, manifest says " + ctx.manifestRows());
        }

        List<Row> rows = new ArrayList<>(records);
        for (int r = 1; r < spans.size(); r++) rows.add(readRow(table, h, bytes, enc.charset(), spans.get(r), ctx));

        // Duplicate key within the file: every row carrying it is quarantined.
        Map<String, Integer> keyCount = new HashMap<>();
        for (Row row : rows) if (row.key != null) keyCount.merge(row.key, 1, Integer::sum);
        List<ParsedFile.Good> good = new ArrayList<>();
        List<ParsedFile.Bad> bad = new ArrayList<>();
        for (Row row : rows) {
            if (row.key != null && keyCount.get(row.key) > 1) {
                row.reasons.add(ReasonCode.duplicate_key_in_file.name());
                row.messages.add("key " + row.displayKey + " occurs " + keyCount.get(row.key) + " times in this file");
            }
            if (row.reasons.isEmpty()) {
                good.add(new ParsedFile.Good(row.line, protect(table, row.values), row.key, row.raw));
            } else {
                bad.add(new ParsedFile.Bad(row.line, row.key, row.raw, List.copyOf(row.reasons), pii.maskText(String.join("; ", row.messages))));
            }
        }
        return new ParsedFile(ctx, enc.label(), h.language(), good, bad, records, null, pii.maskText(h.ignoredMessage()));
    }

    /** Mutable state of one record while it is judged. */
    private static final class Row {
        final int line;
        Object[] values;
        String key;
        String displayKey;
        String raw;
        final Set<String> reasons = new LinkedHashSet<>();
        final List<String> messages = new ArrayList<>();
        Row(int line) { this.line = line; }
        void fail(ReasonCode r, String msg) { reasons.add(r.name()); messages.add(msg); }
    }

    private Row readRow(TableDef t, Header h, byte[] bytes, Charset cs, CsvRecords.Span s, FileContext ctx) {
        Row row = new Row(s.line());
        String text = Encodings.decodeStrict(cs, bytes, s.start(), s.end());
        if (text == null) {
            text = Encodings.decodeLenient(cs, bytes, s.start(), s.end());
            row.fail(ReasonCode.undecodable_bytes, "line " + s.line() + " has bytes that are not valid " + cs.name());
        }
        if (s.tooLarge()) {
            row.fail(ReasonCode.record_too_large, s.problem() + " (--max-record-kb, --max-fields); cut there, reading resumed at the next line");
            row.raw = preview(maskUnparsed(t, h, text), s);
            return row;
        }
        if (s.malformed()) {
            row.fail(ReasonCode.malformed_csv, s.problem());
            row.raw = maskUnparsed(t, h, text);
            return row;
        }
        List<String> cells = CsvRecords.fields(text);
        if (cells.size() != h.width) {
            row.fail(ReasonCode.malformed_csv, cells.size() + " fields where the header has " + h.width);
            row.raw = maskUnparsed(t, h, text);
            return row;
        }
        row.raw = maskCells(t, h, cells);
        Object[] v = new Object[t.columns().size()];
        for (int i = 0; i < t.columns().size(); i++) {
            ColumnDef c = t.columns().get(i);
            int pos = h.position[i];
            String cell = pos < 0 ? "" : cells.get(pos).strip();
            if (cell.isEmpty()) {
                if (c.required()) row.fail(ReasonCode.missing_required, c.name() + " is empty");
                continue;
            }
            try {
                v[i] = ValueParser.parse(c, cell);
            } catch (ValueParser.Invalid e) {
                row.fail(e.reason, c.pii() == Pii.NONE ? e.getMessage() : c.name() + " is invalid (value withheld: personal data)");
            }
        }
        int d = t.indexOf("district_code");
        if (d >= 0 && v[d] != null && !v[d].equals(ctx.district())) {
            row.fail(ReasonCode.wrong_district, "district_code " + v[d] + " ≠ folder " + ctx.district());
        }
        for (CheckDef ch : t.checks()) {
            if ("not_before".equals(ch.rule())) {
                Object a = v[t.indexOf(ch.column())], b = v[t.indexOf(ch.other())];
                if (a instanceof Instant ia && b instanceof Instant ib && ia.isBefore(ib)) {
                    row.fail(ch.reason(), ch.column() + " is before " + ch.other());
                }
            }
        }
        row.values = v;
        StringBuilder k = new StringBuilder();
        StringBuilder dk = new StringBuilder();
        for (String kc : t.key()) {
            int i = t.indexOf(kc);
            Object kv = v[i];
            if (kv == null) {
                // key column empty or invalid: the key is unknown, except for district_code,
                // which we know from the folder when the cell was wrong.
                row.key = null;
                return row;
            }
            String kvs = String.valueOf(kv);
            String shown = t.columns().get(i).pii() == Pii.HASH ? pii.hash(kvs) : kvs;
            if (k.length() > 0) { k.append('|'); dk.append('|'); }
            k.append(shown);
            dk.append(shown);
        }
        row.key = k.toString();
        row.displayKey = dk.toString();
        return row;
    }

    /** Applies each column's personal-data class to a typed row. */
    private Object[] protect(TableDef t, Object[] v) {
        for (int i = 0; i < v.length; i++) {
            Pii cls = t.columns().get(i).pii();
            if (cls != Pii.NONE && v[i] instanceof String s) v[i] = pii.apply(cls, s);
        }
        return v;
    }

    /**
     * Masks a record's cells: each column's personal-data class, the class a column the schema does
     * not know gets from its header ({@link PiiPatterns#classOfHeader}), then phone and id shapes in
     * every cell.
     */
    private String maskCells(TableDef t, Header h, List<String> cells) {
        List<String> out = new ArrayList<>(cells);
        for (int i = 0; i < t.columns().size(); i++) {
            int pos = h.position[i];
            Pii cls = t.columns().get(i).pii();
            if (pos >= 0 && cls != Pii.NONE && !out.get(pos).isBlank()) out.set(pos, pii.apply(cls, out.get(pos).strip()));
        }
        for (int p = 0; p < out.size(); p++) {
            Pii cls = p < h.unknown.length ? h.unknown[p] : Pii.NONE;
            if (cls != Pii.NONE && !out.get(p).isBlank()) out.set(p, pii.apply(cls, out.get(p).strip()));
            out.set(p, pii.maskText(out.get(p)));
        }
        return CsvRecords.join(out);
    }

    /**
     * Masks a record whose fields could not be read reliably: personal-data positions of a lenient
     * split, every run of non-ASCII letters name-masked (names cannot be told apart from other text
     * here; a quote left open can swallow several records into one field), and anything shaped like
     * a phone or id number.
     */
    String maskUnparsed(TableDef t, Header h, String text) {
        List<String> f = CsvRecords.lenientFields(text);
        if (t != null && h != null && f.size() == h.width) return maskCells(t, h, f);
        List<String> out = new ArrayList<>(f.size());
        for (String s : f) out.add(hasNonAscii(s) ? maskLetterRuns(s) : s);
        return maskPatterns(CsvRecords.join(out));
    }

    private static final java.util.regex.Pattern NON_ASCII_LETTERS = java.util.regex.Pattern.compile("[[\\p{L}·]&&[^\\x00-\\x7F]]+");

    private static String maskLetterRuns(String s) {
        java.util.regex.Matcher m = NON_ASCII_LETTERS.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) m.appendReplacement(b, java.util.regex.Matcher.quoteReplacement(PiiProtector.maskName(m.group())));
        m.appendTail(b);
        return b.toString();
    }

    String maskPatterns(String s) {
        return pii.maskText(s);
    }

    /**
     * The start of a too-large record's raw text. Cut after masking, so a phone or id number at the
     * cut is never left partly in the clear; the full record is at most the record limit anyway.
     */
    static String preview(String masked, CsvRecords.Span s) {
        String head = masked.length() <= RAW_PREVIEW_CHARS ? masked : masked.substring(0, RAW_PREVIEW_CHARS);
        return head + "…<cut; " + (s.end() - s.start()) + " bytes read>";
    }

    private static boolean hasNonAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) > 127) return true;
        return false;
    }

    /** Whether the file's first bytes are not text (a NUL, or more than 5% control bytes): rejected whole as unreadable_file. */
    public static boolean looksBinary(byte[] b) {
        int n = Math.min(b.length, 8192), ctl = 0;
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            if (c == 0) return true;
            if (c < 0x09 || (c > 0x0D && c < 0x20)) ctl++;
        }
        return ctl > 0 && ctl * 20 > n;
    }

    /** Every record of the file to quarantine with one reason (the file is rejected whole). */
    private ParsedFile rejectAll(FileContext ctx, byte[] bytes, TableDef t, ReasonCode reason, String message) {
        Encodings.Detected enc;
        try {
            enc = Encodings.detect(bytes, ctx.declaredEncoding(), limits);
        } catch (IllegalArgumentException e) {
            enc = new Encodings.Detected(java.nio.charset.StandardCharsets.UTF_8, "UTF-8", 0);
        }
        List<CsvRecords.Span> spans = CsvRecords.split(bytes, enc.offset(), limits.maxRecordBytes(), limits.maxFields());
        spans.removeIf(s -> s.start() == s.end());
        boolean binary = looksBinary(bytes);
        Header h = null;
        int first = 0;
        if (!binary && !spans.isEmpty() && t != null && !spans.get(0).tooLarge()) {
            String head = Encodings.decodeLenient(enc.charset(), bytes, spans.get(0).start(), spans.get(0).end());
            Header cand = Header.map(t, CsvRecords.fields(head));
            if (cand.mapped > 0) { h = cand; first = 1; }
        } else if (!binary && !spans.isEmpty()) {
            first = 1; // unknown entity: first record is its header
        }
        List<ParsedFile.Bad> bad = new ArrayList<>();
        for (int r = first; r < spans.size(); r++) {
            CsvRecords.Span s = spans.get(r);
            String raw;
            if (binary) {
                raw = "<binary " + (s.end() - s.start()) + " bytes>";
            } else {
                raw = maskUnparsed(t, h, Encodings.decodeLenient(enc.charset(), bytes, s.start(), s.end()));
                if (s.tooLarge()) raw = preview(raw, s);
            }
            bad.add(new ParsedFile.Bad(s.line(), null, raw, List.of(reason.name()), pii.maskText(message)));
        }
        return new ParsedFile(ctx, enc.label(), h == null ? null : h.language(), List.of(), bad, bad.size(), reason, pii.maskText(message));
    }

    static String fileName(String path) {
        int i = path.lastIndexOf('/');
        return i < 0 ? path : path.substring(i + 1);
    }

    /** Header cells mapped to the table's columns by canonical name or Chinese alias. */
    static final class Header {
        int width;
        int mapped;
        int[] position;
        /** Per header cell the schema does not know: its class from the header text, else NONE. */
        Pii[] unknown;
        int zh, en;
        final List<String> missingRequired = new ArrayList<>();
        final List<String> duplicates = new ArrayList<>();
        final List<String> ignored = new ArrayList<>();

        static Header map(TableDef t, List<String> cells) {
            Header h = new Header();
            h.width = cells.size();
            h.position = new int[t.columns().size()];
            java.util.Arrays.fill(h.position, -1);
            h.unknown = new Pii[cells.size()];
            java.util.Arrays.fill(h.unknown, Pii.NONE);
            for (int p = 0; p < cells.size(); p++) {
                String cell = cells.get(p).strip().replace("\uFEFF", "");
                String lower = cell.toLowerCase(Locale.ROOT);
                int found = -1;
                for (int i = 0; i < t.columns().size(); i++) {
                    ColumnDef c = t.columns().get(i);
                    if (c.name().equals(lower)) { found = i; h.en++; break; }
                    if (c.alias() != null && c.alias().equals(cell)) { found = i; h.zh++; break; }
                }
                if (found < 0) {
                    if (!cell.isEmpty()) h.ignored.add(cell);
                    h.unknown[p] = PiiPatterns.classOfHeader(cell);
                    continue;
                }
                if (h.position[found] >= 0) { h.duplicates.add(cell); h.unknown[p] = t.columns().get(found).pii(); continue; }
                h.position[found] = p;
                h.mapped++;
            }
            for (int i = 0; i < t.columns().size(); i++) {
                if (h.position[i] < 0 && t.columns().get(i).required()) h.missingRequired.add(t.columns().get(i).name());
            }
            return h;
        }

        String language() { return zh > 0 && en > 0 ? "mixed" : zh > 0 ? "zh" : "en"; }

        String ignoredMessage() { return ignored.isEmpty() ? null : "ignored unknown column(s) " + ignored; }
    }
}
