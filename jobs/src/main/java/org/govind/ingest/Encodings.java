package org.govind.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** Encoding of a landing file: declared in the manifest, a UTF-8 BOM, or detected record by record. */
public final class Encodings {
    public static final Charset GB18030 = Charset.forName("GB18030");
    private Encodings() {}

    /** Result: charset, label for the audit, offset of the first byte after a BOM. */
    public record Detected(Charset charset, String label, int offset) {}

    public static Detected detect(byte[] b, String declared) {
        return detect(b, declared, IngestLimits.DEFAULT);
    }

    /** As {@link #detect(byte[], String)}, splitting records within the limits (a cut record is not sampled). */
    public static Detected detect(byte[] b, String declared, IngestLimits limits) {
        int bom = (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) ? 3 : 0;
        if (declared != null && !declared.isBlank()) {
            String d = declared.trim().toUpperCase(Locale.ROOT).replace("_", "-");
            if (d.startsWith("GB")) return new Detected(GB18030, "GB18030 (declared " + declared.trim() + ")", 0);
            if (d.equals("UTF-8") || d.equals("UTF8")) return new Detected(StandardCharsets.UTF_8, bom > 0 ? "UTF-8-BOM" : "UTF-8", bom);
            throw new IllegalArgumentException("manifest declares unsupported encoding '" + declared + "'");
        }
        if (bom > 0) return new Detected(StandardCharsets.UTF_8, "UTF-8-BOM", 3);
        // Decide by records: most non-ASCII records decode as UTF-8 → UTF-8 (a few bad bytes are
        // then rejected per row); otherwise GBK/GB18030. Chinese GBK text is almost never valid UTF-8.
        List<CsvRecords.Span> spans = CsvRecords.split(b, 0, limits.maxRecordBytes(), Integer.MAX_VALUE);
        int nonAscii = 0, validUtf8 = 0;
        for (CsvRecords.Span s : spans) {
            if (s.tooLarge() || !hasHighBit(b, s.start(), s.end())) continue;
            nonAscii++;
            if (decodes(StandardCharsets.UTF_8, b, s.start(), s.end())) validUtf8++;
            if (nonAscii >= 2000) break;
        }
        if (nonAscii == 0 || validUtf8 * 2 >= nonAscii) return new Detected(StandardCharsets.UTF_8, "UTF-8", 0);
        return new Detected(GB18030, "GB18030 (detected)", 0);
    }

    static boolean hasHighBit(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] < 0) return true;
        return false;
    }

    static boolean decodes(Charset cs, byte[] b, int from, int to) {
        try {
            strict(cs).decode(ByteBuffer.wrap(b, from, to - from));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    public static CharsetDecoder strict(Charset cs) {
        return cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** Decoded text, or null when the bytes are invalid in the charset. */
    public static String decodeStrict(Charset cs, byte[] b, int from, int to) {
        try {
            return strict(cs).decode(ByteBuffer.wrap(b, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    public static String decodeLenient(Charset cs, byte[] b, int from, int to) {
        return new String(b, from, to - from, cs);
    }
}
