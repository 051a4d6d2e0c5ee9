package org.govind.reports;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a month's publication to {@code <out>/<period>/}: {@code 通报-<period>.pdf}, {@code index.html},
 * {@code indicators-<period>.xlsx}, {@code charts/*.png|svg} and {@code manifest.json} (every file with
 * its sha256, the period, status, table versions and rules hash). The files are written to a
 * sibling folder first and then put in place, so a failure never leaves half a publication; the
 * same Bulletin gives byte-identical files.
 */
public final class Publisher {
    /** One written file, relative to the month's folder. */
    public record Written(String path, long bytes, String sha256) {}

    public record Result(Path dir, List<Written> files) {
        public Path file(String name) { return dir.resolve(name); }
    }

    private Publisher() {}

    public static String pdfName(String period) { return "通报-" + period + ".pdf"; }

    public static String xlsxName(String period) { return "indicators-" + period + ".xlsx"; }

    public static Result publish(Bulletin b, Path out) throws IOException {
        Fonts.get();   // fails first, clearly, without a CJK font
        String period = b.meta().period();
        Files.createDirectories(out);
        Path target = out.resolve(period), tmp = out.resolve("." + period + ".partial");
        deleteTree(tmp);
        Files.createDirectories(tmp.resolve("charts"));

        List<Charts.Rendered> charts = Charts.render(b);
        LinkedHashMap<String, String> svgs = new LinkedHashMap<>();
        LinkedHashMap<String, byte[]> pngs = new LinkedHashMap<>();
        Map<String, String> titles = new LinkedHashMap<>();
        for (Charts.Rendered c : charts) {
            Files.write(tmp.resolve("charts/" + c.name() + ".png"), c.png());
            Files.writeString(tmp.resolve("charts/" + c.name() + ".svg"), c.svg(), StandardCharsets.UTF_8);
            svgs.put(c.name(), c.svg());
            pngs.put(c.name(), c.png());
            titles.put(c.name(), c.title());
        }
        Files.write(tmp.resolve(pdfName(period)), Pdf.render(b, pngs, titles));
        Files.writeString(tmp.resolve("index.html"), Html.render(b, svgs), StandardCharsets.UTF_8);
        try (OutputStream os = Files.newOutputStream(tmp.resolve(xlsxName(period)))) {
            Workbooks.write(b, os);
        }
        List<Written> files = list(tmp);
        Files.writeString(tmp.resolve("manifest.json"), manifest(b, files), StandardCharsets.UTF_8);
        files = list(tmp);

        // swap: the previous folder is moved aside first, so a crash leaves either the old or the new one whole
        Path old = out.resolve("." + period + ".previous");
        deleteTree(old);
        if (Files.exists(target)) Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        deleteTree(old);
        return new Result(target, files);
    }

    static String manifest(Bulletin b, List<Written> files) {
        StringBuilder s = new StringBuilder("{\n");
        s.append("  \"period\": ").append(q(b.meta().period())).append(",\n");
        s.append("  \"status\": ").append(q(b.meta().status())).append(",\n");
        s.append("  \"publication_id\": ").append(q(b.meta().publicationId())).append(",\n");
        s.append("  \"publicity_end\": ").append(q(String.valueOf(b.meta().publicityEnd()))).append(",\n");
        s.append("  \"lang\": ").append(q(b.meta().lang())).append(",\n");
        s.append("  \"rules_sha256\": ").append(q(b.meta().rulesSha256())).append(",\n");
        s.append("  \"table_versions\": {");
        int i = 0;
        for (Map.Entry<String, Long> v : b.meta().tableVersions().entrySet()) {
            s.append(i++ == 0 ? "\n" : ",\n").append("    ").append(q(v.getKey())).append(": ").append(v.getValue());
        }
        s.append("\n  },\n  \"files\": [");
        i = 0;
        for (Written w : files) {
            if (w.path().equals("manifest.json")) continue;
            s.append(i++ == 0 ? "\n" : ",\n").append("    {\"path\": ").append(q(w.path())).append(", \"bytes\": ").append(w.bytes())
                    .append(", \"sha256\": ").append(q(w.sha256())).append('}');
        }
        return s.append("\n  ]\n}\n").toString();
    }

    private static List<Written> list(Path dir) throws IOException {
        List<Written> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                byte[] bytes = Files.readAllBytes(p);
                out.add(new Written(dir.relativize(p).toString().replace('\\', '/'), bytes.length, sha256(bytes)));
            }
        }
        out.sort(Comparator.comparing(Written::path));
        return out;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> { if (c < 0x20) b.append(String.format("\\u%04x", (int) c)); else b.append(c); }
            }
        }
        return b.append('"').toString();
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }
}
