package org.govind.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashMap;
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

    public byte[] read(LandingFile f) throws IOException {
        try (InputStream in = fs.open(new Path(f.absolutePath()))) {
            return in.readAllBytes();
        }
    }

    /** Manifest entries of one district-night: file name → (rows, sha256), plus the declared encoding. */
    public record Manifest(String encoding, Map<String, Long> rows, Map<String, String> sha256, String error) {
        static final Manifest NONE = new Manifest(null, Map.of(), Map.of(), null);
    }

    public Manifest manifest(LandingFile f) {
        Path p = new Path(new Path(f.absolutePath()).getParent(), "manifest.json");
        try {
            if (!fs.exists(p)) return Manifest.NONE;
            JsonNode j;
            try (InputStream in = fs.open(p)) {
                j = new ObjectMapper().readTree(in);
            }
            Map<String, Long> rows = new HashMap<>();
            Map<String, String> sha = new HashMap<>();
            JsonNode files = j.path("files");
            files.fieldNames().forEachRemaining(name -> {
                JsonNode e = files.get(name);
                if (e.has("rows")) rows.put(name, e.get("rows").asLong());
                if (e.has("sha256")) sha.put(name, e.get("sha256").asText());
            });
            return new Manifest(j.hasNonNull("encoding") ? j.get("encoding").asText() : null, rows, sha, null);
        } catch (IOException | RuntimeException e) {
            return new Manifest(null, Map.of(), Map.of(), "manifest.json unreadable (" + e.getMessage() + "); file checked without it");
        }
    }

    private static FileStatus[] sorted(FileStatus[] s) {
        java.util.Arrays.sort(s, java.util.Comparator.comparing(x -> x.getPath().getName()));
        return s;
    }
}
