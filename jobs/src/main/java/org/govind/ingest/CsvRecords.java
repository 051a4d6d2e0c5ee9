package org.govind.ingest;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a file's bytes into CSV records (RFC 4180) without decoding them first, so that a
 * record with undecodable bytes can be rejected alone. Quote, comma, CR and LF are ASCII and
 * never occur inside a multi-byte UTF-8 or GBK/GB18030 character, so byte-level splitting is safe.
 * A quote opens a quoted field only at the start of a field; anywhere else the record is
 * marked malformed (and still ends at the next line break).
 *
 * <p>A record longer than the record limit (or with more fields than the field limit) is cut at the
 * limit and marked too large; reading resumes at the next line break after the cut, whatever the
 * quote state. So an unclosed quote swallows at most one limit's worth of lines, never the rest of
 * the file, and no record handed on is longer than the limit.
 */
public final class CsvRecords {
    private CsvRecords() {}

    /**
     * One record: byte range [start, end) without the line terminator, and the 1-based line it starts on.
     * {@code tooLarge}: cut at the record or field limit ({@code problem} says which).
     */
    public record Span(int start, int end, int line, boolean malformed, String problem, boolean tooLarge) {}

    /** Split with the default limits ({@link IngestLimits#DEFAULT}). */
    public static List<Span> split(byte[] b, int offset) {
        return split(b, offset, IngestLimits.DEFAULT.maxRecordBytes(), IngestLimits.DEFAULT.maxFields());
    }

    public static List<Span> split(byte[] b, int offset, int maxRecordBytes, int maxFields) {
        List<Span> out = new ArrayList<>();
        int i = offset, line = 1, n = b.length;
        while (i < n) {
            int start = i, startLine = line, fields = 1;
            boolean inQuotes = false, fieldStart = true, afterClosingQuote = false, over = false;
            String problem = null, tooLarge = null;
            int end = -1;
            while (i < n) {
                byte c = b[i];
                if (i - start >= maxRecordBytes && (inQuotes || (c != '\n' && c != '\r'))) {
                    over = true;
                    break;
                }
                if (inQuotes) {
                    if (c == '"') {
                        if (i + 1 < n && b[i + 1] == '"') { i += 2; continue; }
                        inQuotes = false;
                        afterClosingQuote = true;
                        i++;
                        continue;
                    }
                    if (c == '\n') line++;
                    i++;
                    continue;
                }
                if (c == '\n' || c == '\r') {
                    end = i;
                    if (c == '\r' && i + 1 < n && b[i + 1] == '\n') i++;
                    i++;
                    line++;
                    break;
                }
                if (c == ',') {
                    fieldStart = true;
                    afterClosingQuote = false;
                    if (++fields > maxFields && tooLarge == null) tooLarge = "more than " + maxFields + " fields";
                    i++;
                    continue;
                }
                if (c == '"') {
                    if (fieldStart) { inQuotes = true; fieldStart = false; i++; continue; }
                    if (problem == null) problem = "stray quote inside an unquoted field";
                } else if (afterClosingQuote && problem == null) {
                    problem = "text after a closing quote";
                }
                fieldStart = false;
                i++;
            }
            if (over) {
                // cut here; skip (without interpreting quotes) to the next line break and resume after it
                end = i;
                tooLarge = "record longer than " + maxRecordBytes + " bytes" + (inQuotes ? " (a quoted field is not closed)" : "");
                while (i < n && b[i] != '\n' && b[i] != '\r') i++;
                if (i < n) {
                    if (b[i] == '\r' && i + 1 < n && b[i + 1] == '\n') i++;
                    i++;
                    line++;
                }
            } else if (end < 0) {
                end = n;
                if (inQuotes) problem = "quoted field not closed before end of file";
            }
            if (tooLarge != null) {
                out.add(new Span(start, end, startLine, true, tooLarge, true));
            } else {
                out.add(new Span(start, end, startLine, problem != null, problem, false));
            }
        }
        return out;
    }

    /** Fields of a decoded record. Call only for records that are not malformed. */
    public static List<String> fields(String rec) {
        List<String> f = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int i = 0, n = rec.length();
        boolean quoted = false;
        while (i <= n) {
            if (i == n) { f.add(cur.toString()); break; }
            char c = rec.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && rec.charAt(i + 1) == '"') { cur.append('"'); i += 2; continue; }
                    quoted = false;
                    i++;
                    continue;
                }
                cur.append(c);
                i++;
                continue;
            }
            if (c == ',') { f.add(cur.toString()); cur.setLength(0); i++; continue; }
            if (c == '"' && cur.length() == 0) { quoted = true; i++; continue; }
            cur.append(c);
            i++;
        }
        return f;
    }

    /** Lenient split for masking a malformed record: commas outside quotes, quotes kept. */
    public static List<String> lenientFields(String rec) {
        List<String> f = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean q = false;
        for (int i = 0; i < rec.length(); i++) {
            char c = rec.charAt(i);
            if (c == '"') q = !q;
            if (c == ',' && !q) { f.add(cur.toString()); cur.setLength(0); } else cur.append(c);
        }
        f.add(cur.toString());
        return f;
    }

    /** RFC 4180 line for re-serialising (masked) fields. */
    public static String join(List<String> fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) b.append(',');
            String v = fields.get(i) == null ? "" : fields.get(i);
            if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                b.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                b.append(v);
            }
        }
        return b.toString();
    }
}
