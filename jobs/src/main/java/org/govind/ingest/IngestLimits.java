package org.govind.ingest;

/**
 * Size limits that keep one hostile landing file from exhausting the heap or stopping the night.
 * A file over {@code maxFileBytes} is not read at all (rejected whole, {@code file_too_large}); a record
 * longer than {@code maxRecordBytes} or with more than {@code maxFields} fields is cut there and
 * quarantined ({@code record_too_large}), and reading resumes at the next line break, so an unclosed
 * quote cannot swallow the rest of the file into one unbounded record.
 *
 * <p>Defaults: a city-scale nightly file is tens of MB and a record a few hundred bytes, with at most
 * a few dozen columns; 512 MiB, 1 MiB and 1,000 leave wide room and still bound what one file costs.
 *
 * @param maxFileBytes   largest file read (bytes); at most {@link #FILE_CEILING}, since a file is held as one byte array
 * @param maxRecordBytes longest record (bytes, without its line terminator)
 * @param maxFields      most fields in one record (the header included)
 */
public record IngestLimits(long maxFileBytes, int maxRecordBytes, int maxFields) {
    public static final long MIB = 1L << 20;
    /** A Java byte array holds at most about 2 GiB. */
    public static final long FILE_CEILING = 2047 * MIB;
    public static final IngestLimits DEFAULT = new IngestLimits(512 * MIB, 1 << 20, 1000);

    public IngestLimits {
        if (maxFileBytes <= 0 || maxFileBytes > FILE_CEILING) {
            throw new IllegalArgumentException("file size limit must be between 1 byte and 2047 MiB, not " + maxFileBytes + " bytes");
        }
        if (maxRecordBytes <= 0) throw new IllegalArgumentException("record size limit must be positive, not " + maxRecordBytes);
        if (maxFields <= 0) throw new IllegalArgumentException("field limit must be positive, not " + maxFields);
    }

    /** From the command-line units: MiB per file, KiB per record. */
    public static IngestLimits of(long maxFileMb, long maxRecordKb, int maxFields) {
        if (maxFileMb <= 0 || maxFileMb > 2047) throw new IllegalArgumentException("--max-file-mb must be between 1 and 2047, not " + maxFileMb);
        if (maxRecordKb <= 0 || maxRecordKb > 1024 * 1024) throw new IllegalArgumentException("--max-record-kb must be between 1 and 1048576, not " + maxRecordKb);
        if (maxFields <= 0) throw new IllegalArgumentException("--max-fields must be positive, not " + maxFields);
        return new IngestLimits(maxFileMb * MIB, (int) (maxRecordKb * 1024), maxFields);
    }
}
