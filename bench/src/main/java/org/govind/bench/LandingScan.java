package org.govind.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.govind.ingest.CsvRecords;
import org.govind.ingest.Encodings;
import org.govind.schema.ColumnDef;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;

/**
 * The JVM side of the DuckDB peer ({@link DuckRecompute}): finds the landing files
 * ({@code <landing>/<district>/<YYYY-MM-DD>/<entity>.csv}), decides each file's encoding as ingestion
 * does (the manifest's declaration, then a UTF-8 BOM, then detection by records, {@link Encodings#detect}),
 * rewrites the GBK/GB18030 ones as UTF-8 under a work folder (DuckDB reads UTF-8 only), and maps each
 * file's header (English names in any case and spacing, or the yaml's Chinese aliases) to the landing
 * columns, so that DuckDB's {@code read_csv} gets explicit columns in the file's order.
 * <p>Which files: every night of the versioned and immutable entities (a case's late versions, a late
 * visit or a reversal of any date can change the month); of a snapshot entity only the district's latest
 * file dated on or before the month's last day, which is its state at T (silver's SCD2 version valid at T
 * is that snapshot's row, since every row of a clean snapshot is loaded). Files are decoded and
 * transcoded in parallel (the JVM's common pool: one thread per core).
 */
final class LandingScan {
    /** One file to read: its entity, export date, where DuckDB reads it (UTF-8), and its header as landing column names (null = unknown column). */
    record Source(String entity, String district, LocalDate date, Path utf8, List<String> columns, boolean transcoded) {
        /** The group key: files with the same column layout are read by one read_csv. */
        String layout() { return entity + "|" + String.join(",", columns.stream().map(c -> c == null ? "?" : c).toList()); }
    }

    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern ENCODING = Pattern.compile("\"encoding\"\\s*:\\s*\"([^\"]*)\"");
    /** Enough of a file to detect its encoding by records (a district writes every file in one encoding). */
    static final int SAMPLE_BYTES = 256 * 1024;

    private LandingScan() {}

    /**
     * The sources for month m's recompute (snapshot entities: latest file on or before {@code tDate});
     * GBK files are transcoded to {@code work/<district>/<date>/<file>}.
     */
    static List<Source> scan(Path landing, LocalDate tDate, Path work) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> districts = Files.list(landing)) {
            for (Path d : districts.sorted().toList()) {
                if (!Files.isDirectory(d)) continue;
                try (Stream<Path> nights = Files.list(d)) {
                    for (Path n : nights.sorted().toList()) {
                        if (!Files.isDirectory(n) || !DATE.matcher(n.getFileName().toString()).matches()) continue;
                        try (Stream<Path> fs = Files.list(n)) {
                            files.addAll(fs.sorted().toList());
                        }
                    }
                }
            }
        }
        // first which files (a snapshot entity: the district's latest file dated on or before T), then open them in parallel
        Map<String, Path> latestSnapshot = new HashMap<>();
        List<Path> chosen = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (!name.endsWith(".csv") || name.startsWith(".")) continue;
            String entity = name.substring(0, name.length() - 4);
            if (!Schemas.ENTITIES.contains(entity)) continue;   // govind quarantines an unknown entity whole
            Path night = f.getParent();
            if (!Schemas.SNAPSHOTS.contains(entity)) chosen.add(f);
            else if (!LocalDate.parse(night.getFileName().toString()).isAfter(tDate)) {
                latestSnapshot.put(night.getParent().getFileName() + "/" + entity, f);   // files are in date order
            }
        }
        chosen.addAll(latestSnapshot.values());
        Map<Path, String> declared = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            return chosen.parallelStream().map(f -> {
                Path night = f.getParent();
                String name = f.getFileName().toString();
                try {
                    return open(name.substring(0, name.length() - 4), night.getParent().getFileName().toString(),
                            LocalDate.parse(night.getFileName().toString()), f,
                            declared.computeIfAbsent(night, LandingScan::manifestEncoding), work);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).filter(java.util.Objects::nonNull).toList();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The encoding the night's manifest.json declares, or "" (no manifest, no declaration). */
    static String manifestEncoding(Path night) {
        Path m = night.resolve("manifest.json");
        if (!Files.isRegularFile(m)) return "";
        try {
            Matcher x = ENCODING.matcher(Files.readString(m, StandardCharsets.UTF_8));
            return x.find() ? x.group(1) : "";
        } catch (IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    private static Source open(String entity, String district, LocalDate date, Path f, String declared, Path work) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(f)) {
            head = in.readNBytes(SAMPLE_BYTES);
        }
        if (head.length == 0) return null;   // an empty file: an audit row, nothing loaded
        // a file that is not text (a zip, binary bytes): govind rejects it whole (unreadable_file); so does the peer
        if (org.govind.ingest.FileParser.looksBinary(head)) return null;
        Encodings.Detected enc = Encodings.detect(head, declared.isEmpty() ? null : declared);
        boolean utf8 = enc.charset().equals(StandardCharsets.UTF_8);
        Path target = f;
        String text = null;
        if (!utf8) {
            text = new String(Files.readAllBytes(f), enc.charset());
            target = work.resolve(district).resolve(date.toString()).resolve(f.getFileName().toString());
            Files.createDirectories(target.getParent());
            Files.writeString(target, text, StandardCharsets.UTF_8);
        }
        String headerLine = headerLine(text != null ? text : new String(head, StandardCharsets.UTF_8));
        List<String> columns = map(Schemas.get().landing(entity), CsvRecords.fields(headerLine));
        return new Source(entity, district, date, target.toAbsolutePath(), columns, !utf8);
    }

    private static String headerLine(String text) {
        int nl = text.indexOf('\n');
        String h = nl < 0 ? text : text.substring(0, nl);
        if (h.endsWith("\r")) h = h.substring(0, h.length() - 1);
        return h.replace("\uFEFF", "");
    }

    /** Header cells → landing column names, as ingestion maps them: the name in any case and spacing, or the Chinese alias. */
    static List<String> map(TableDef t, List<String> cells) {
        List<String> out = new ArrayList<>();
        for (String raw : cells) {
            String cell = raw.strip().replace("\uFEFF", "");
            String lower = cell.toLowerCase(Locale.ROOT);
            String found = null;
            for (ColumnDef c : t.columns()) {
                if (c.name().equals(lower) || (c.alias() != null && c.alias().equals(cell))) { found = c.name(); break; }
            }
            out.add(found);
        }
        return out;
    }
}
