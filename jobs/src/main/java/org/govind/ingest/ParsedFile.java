package org.govind.ingest;

import java.util.List;
import org.govind.schema.ReasonCode;

/**
 * The outcome of reading one landing file: accepted rows (typed, personal data already masked or
 * hashed, in the landing table's column order) and quarantined records. rowsRead = rows + quarantined.
 */
public record ParsedFile(FileContext ctx, String encoding, String headerLanguage, List<Good> rows,
                         List<Bad> quarantined, int rowsRead, ReasonCode fileReason, String fileMessage) {

    /** An accepted row with its 1-based start line. */
    public record Good(int line, Object[] values, String key, String rawText) {}

    /** A rejected record: masked raw text, reasons, and its key when it could be read. */
    public record Bad(int line, String key, String rawText, List<String> reasons, String message) {}

    public boolean rejectedWhole() { return fileReason != null; }
}
