package org.govind.generate;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One CSV file: RFC 4180 quoting, the district's encoding and line end, SHA-256 and record count
 * computed while writing. A cell may contain {@link #BAD} where raw invalid bytes are to be written.
 */
final class CsvOut implements Closeable {
    /** Placeholder for the district's undecodable byte sequence. */
    static final char BAD = '\uE000';

    private final DistrictProfile p;
    private final int[] order;
    private final MessageDigest md;
    private final OutputStream out;
    private final StringBuilder sb = new StringBuilder(512);
    private long rows;
    private String sha;

    private CsvOut(OutputStream target, DistrictProfile p, int[] order) throws IOException {
        this.p = p;
        this.order = order;
        try {
            this.md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.out = new BufferedOutputStream(new DigestOutputStream(target, md), 1 << 16);
        if (p.bom) out.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    }

    static CsvOut open(Path file, DistrictProfile p, int[] order) throws IOException {
        return new CsvOut(Files.newOutputStream(file), p, order);
    }

    /** A sink that counts and hashes but writes nothing (for a file that is replaced by garbage). */
    static CsvOut discard(DistrictProfile p, int[] order) throws IOException {
        return new CsvOut(OutputStream.nullOutputStream(), p, order);
    }

    int columns() {
        return order.length;
    }

    void header(String[] canonical) throws IOException {
        emit(join(toOutput(canonical), -1));
    }

    void record(String[] canonical) throws IOException {
        line(join(toOutput(canonical), -1));
    }

    /** Writes an already joined record (one record, possibly malformed). */
    void line(String line) throws IOException {
        rows++;
        emit(line);
    }

    String[] toOutput(String[] canonical) {
        String[] o = new String[order.length];
        for (int i = 0; i < order.length; i++) o[i] = canonical[order[i]];
        return o;
    }

    /** Output position of a canonical column. */
    int outputIndex(int canonical) {
        for (int i = 0; i < order.length; i++) if (order[i] == canonical) return i;
        return -1;
    }

    /** Joins output-order cells; the cell at {@code rawIdx} is written without quoting. */
    String join(String[] cells, int rawIdx) {
        sb.setLength(0);
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) sb.append(',');
            String c = cells[i] == null ? "" : cells[i];
            if (i != rawIdx && needsQuote(c)) {
                sb.append('"');
                for (int k = 0; k < c.length(); k++) {
                    char ch = c.charAt(k);
                    if (ch == '"') sb.append('"');
                    sb.append(ch);
                }
                sb.append('"');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static boolean needsQuote(String c) {
        for (int k = 0; k < c.length(); k++) {
            char ch = c.charAt(k);
            if (ch == ',' || ch == '"' || ch == '\n' || ch == '\r') return true;
        }
        return false;
    }

    private void emit(String line) throws IOException {
        String s = line + p.eol;
        if (s.indexOf(BAD) < 0) {
            out.write(s.getBytes(p.charset));
            return;
        }
        int from = 0;
        for (int i = s.indexOf(BAD); i >= 0; i = s.indexOf(BAD, from)) {
            out.write(s.substring(from, i).getBytes(p.charset));
            out.write(p.badBytes());
            from = i + 1;
        }
        out.write(s.substring(from).getBytes(p.charset));
    }

    long rows() {
        return rows;
    }

    String sha256() {
        if (sha == null) throw new IllegalStateException("not closed");
        return sha;
    }

    @Override
    public void close() throws IOException {
        if (sha != null) return;
        out.close();
        sha = HexFormat.of().formatHex(md.digest());
    }
}
