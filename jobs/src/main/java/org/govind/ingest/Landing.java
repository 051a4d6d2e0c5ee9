package org.govind.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The landing folder {@code <root>/<district_code>/<export_date>/<entity>.csv}, read through Hadoop's FileSystem. */
public final class Landing {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);
    private final FileSystem fs;
    private final Path root;
    private final List<String> warnings = new ArrayList<>();

    public Landing(String root, Configuration conf) throws IOException {
        Path p = new Path(root);
        this.fs = p.getFileSystem(conf);
        if (!fs.exists(p)) throw new IOException("landing folder " + root + " does not exist");
        this.root = fs.makeQualified(p);
    }

    /** Folder names that were not a district/date and were therefore not read. */
    public List<String> warnings() { return warnings; }

    /** Every landing file, grouped by export date (ascending); manifest.json files are not listed. */
    public TreeMap<LocalDate, List<LandingFile>> nights() throws IOException {
        TreeMap<LocalDate, List<LandingFile>> out = new TreeMap<>();
        for (FileStatus d : sorted(fs.listStatus(root))) {
            if (!d.isDirectory()) continue;
            String district = d.getPath().getName();
            if (district.startsWith(".") || district.startsWith("_")) continue;
            for (FileStatus n : sorted(fs.listStatus(d.getPath()))) {
                if (!n.isDirectory()) continue;
                LocalDate date;
                try {
                    date = LocalDate.parse(n.getPath().getName(), DATE);
                } catch (DateTimeParseException e) {
                    warnings.add(district + "/" + n.getPath().getName() + " is not a YYYY-MM-DD folder: not read");
                    continue;
                }
                for (FileStatus f : sorted(fs.listStatus(n.getPath()))) {
                    String name = f.getPath().getName();
                    if (!f.isFile() || name.equals("manifest.json") || name.startsWith(".")) continue;
                    String entity = name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
                    out.computeIfAbsent(date, k -> new ArrayList<>()).add(new LandingFile(district, date, entity,
                            district + "/" + n.getPath().getName() + "/" + name, f.getPath().toString()));
                }
            }
        }
        return out;
    }

    /** Size in bytes, from the file system (the file is not opened). */
    public long size(LandingFile f) throws IOException {
        return fs.getFileStatus(new Path(f.absolutePath())).getLen();
    }

    /**
     * The file's bytes, or an IOException when it holds more than {@code maxBytes} (it grew after
     * {@link #size} was taken): never more than maxBytes + 1 bytes are buffered.
     */
    public byte[] read(LandingFile f, long maxBytes) throws IOException {
        try (InputStream in = fs.open(new Path(f.absolutePath()))) {
            byte[] b = in.readNBytes((int) Math.min(maxBytes + 1, IngestLimits.FILE_CEILING + 1));
            if (b.length > maxBytes) throw new IOException("file grew past the size limit of " + maxBytes + " bytes while read");
            return b;
        }
    }

    /** Hex sha256 of bytes held in memory (a file read whole, or a text). */
    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hex sha256 of a file streamed in 1 MiB chunks (for a file too large to read into memory). */
    public String sha256(LandingFile f) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(fs.open(new Path(f.absolutePath())), md)) {
            byte[] buf = new byte[1 << 20];
            while (in.read(buf) >= 0) { /* digesting */ }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** A manifest larger than this is invalid: a real one lists a few files in a few hundred bytes. */
    static final long MAX_MANIFEST_BYTES = 1 << 20;

    /**
     * Manifest entries of one district-night: file name → (rows, sha256), plus the declared encoding.
     * {@code error} is set when manifest.json exists but cannot be read or is not a valid manifest; the
     * folder's files are then rejected ({@code manifest_invalid}): the checks it declares fail closed.
     */
    public record Manifest(String encoding, Map<String, Long> rows, Map<String, String> sha256, String error) {
        static final Manifest NONE = new Manifest(null, Map.of(), Map.of(), null);
    }

    public Manifest manifest(LandingFile f) {
        Path p = new Path(new Path(f.absolutePath()).getParent(), "manifest.json");
        try {
            if (!fs.exists(p)) return Manifest.NONE;
            long len = fs.getFileStatus(p).getLen();
            if (len > MAX_MANIFEST_BYTES) return invalid("manifest.json is " + len + " bytes, over the " + MAX_MANIFEST_BYTES + "-byte limit");
            JsonNode j;
            try (InputStream in = fs.open(p)) {
                j = new ObjectMapper().readTree(in);
            }
            if (j == null || !j.isObject()) return invalid("manifest.json is not a JSON object");
            JsonNode enc = j.get("encoding");
            if (enc != null && !enc.isNull() && !enc.isTextual()) return invalid("manifest.json: \"encoding\" is not a string");
            Map<String, Long> rows = new HashMap<>();
            Map<String, String> sha = new HashMap<>();
            JsonNode files = j.get("files");
            if (files != null && !files.isObject()) return invalid("manifest.json: \"files\" is not an object of file name → {rows, sha256}");
            if (files != null) {
                for (var it = files.fields(); it.hasNext(); ) {
                    var e = it.next();
                    String name = e.getKey();
                    JsonNode v = e.getValue();
                    if (!v.isObject()) return invalid("manifest.json: the entry of " + name + " is not an object");
                    JsonNode r = v.get("rows");
                    if (r != null && !r.isNull()) {
                        if (!r.canConvertToExactIntegral() || !r.canConvertToLong() || r.asLong() < 0) {
                            return invalid("manifest.json: rows of " + name + " is not a whole number ≥ 0: " + r);
                        }
                        rows.put(name, r.asLong());
                    }
                    JsonNode h = v.get("sha256");
                    if (h != null && !h.isNull()) {
                        if (!h.isTextual() || !h.asText().matches("[0-9A-Fa-f]{64}")) {
                            return invalid("manifest.json: sha256 of " + name + " is not 64 hex digits");
                        }
                        sha.put(name, h.asText());
                    }
                }
            }
            return new Manifest(enc != null && !enc.isNull() ? enc.asText() : null, rows, sha, null);
        } catch (IOException | RuntimeException e) {
            return invalid("manifest.json unreadable (" + e.getMessage() + ")");
        }
    }

    private static Manifest invalid(String why) {
        return new Manifest(null, Map.of(), Map.of(), why);
    }

    private static FileStatus[] sorted(FileStatus[] s) {
        java.util.Arrays.sort(s, java.util.Comparator.comparing(x -> x.getPath().getName()));
        return s;
    }
}
