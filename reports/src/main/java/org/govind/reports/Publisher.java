package org.govind.reports;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes a month's publication to {@code <out>/<period>/} ({@code <out>/<period>-<lang>/} for a language
 * other than Chinese, so a translation never overwrites the Chinese bulletin): {@code 通报-<period>.pdf},
 * {@code index.html}, {@code indicators-<period>.xlsx}, {@code charts/*.png|svg}, the marker
 * {@value #MARKER} and {@code manifest.json} (every file with its sha256, the period, status, issuer,
 * table versions and rules hash). The same Bulletin gives byte-identical files.
 *
 * <p>The publisher only ever replaces or deletes folders it made itself: the month's folder is replaced
 * only when it carries the marker for the same period and language and holds nothing but the files its
 * manifest lists (a folder from before the marker is recognised by its manifest alone), so {@code --out ~}
 * or {@code --out /} can never remove a user's files. The files are written to a temporary folder of a
 * unique name beside the target and moved into place (rename), so a failure never leaves half a
 * publication and two publishes at once never share a folder: the last one to move in wins, whole.
 */
public final class Publisher {
    /** One written file, relative to the month's folder. */
    public record Written(String path, long bytes, String sha256) {}

    public record Result(Path dir, List<Written> files) {
        public Path file(String name) { return dir.resolve(name); }
    }

    /** The file in every folder the publisher creates; its text names the period and the language. */
    public static final String MARKER = ".govind-publication";

    /** How often a publish retries moving its folder in when another publish moved its own in at the same moment. */
    static final int SWAP_ATTEMPTS = 200;

    /**
     * The existing folder is not one the publisher made (or holds files it did not write): it is never
     * replaced. {@code foreign} is the first offending path inside it, or null when the folder has no marker.
     */
    public static final class ForeignFolderException extends IOException {
        private final transient Path folder, foreign;
        private final String why;

        ForeignFolderException(Path folder, Path foreign, String why) {
            super(folder + ": " + why);
            this.folder = folder;
            this.foreign = foreign;
            this.why = why;
        }

        public Path folder() { return folder; }

        public Path foreign() { return foreign; }
    }

    private Publisher() {}

    public static String pdfName(String period) { return "通报-" + period + ".pdf"; }

    public static String xlsxName(String period) { return "indicators-" + period + ".xlsx"; }

    /** The month's folder name: the period for Chinese, {@code <period>-<lang>} for another language. */
    public static String folderName(String period, String lang) {
        return lang == null || lang.equals("zh") ? period : period + "-" + lang;
    }

    static String markerText(String period, String lang) {
        return "govind publication: this folder was written by govind publish and is replaced by it\nperiod=" + period
                + "\nlang=" + (lang == null ? "zh" : lang) + "\n";
    }

    /**
     * Throws when {@code <out>/<folderName>} exists and is not the publisher's own folder for this period and
     * language (see the class comment); does nothing when it is, or does not exist. Call it before
     * publishing anything, so a refusal leaves no trace.
     */
    public static void checkTarget(Path out, String period, String lang) throws IOException {
        Path target = out.resolve(folderName(period, lang));
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) checkOwn(target, period, lang);
    }

    public static Result publish(Bulletin b, Path out) throws IOException {
        Fonts.get();   // fails first, clearly, without a CJK font
        String period = b.meta().period(), lang = b.meta().lang(), name = folderName(period, lang);
        Files.createDirectories(out);
        Path target = out.resolve(name);
        checkTarget(out, period, lang);   // before rendering: a foreign folder is refused at once
        // a unique name (createDirectory fails rather than reuse one); not createTempDirectory, whose mode 700 the
        // published folder would keep
        Path tmp = Files.createDirectory(out.resolve("." + name + ".partial-" + UUID.randomUUID()));
        try {
            Files.writeString(tmp.resolve(MARKER), markerText(period, lang), StandardCharsets.UTF_8);
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
            swap(tmp, target, period, lang);
            return new Result(target, files);
        } finally {
            deleteTree(tmp);   // its unique name is ours; gone already when the swap succeeded
        }
    }

    /**
     * Moves {@code tmp} to {@code target}. An existing target is first renamed aside to a unique name and
     * checked there (where no other publish can move it), so a crash leaves either the old or the new
     * folder whole; a folder that is not ours is renamed back at once and the publish refused. When
     * another publish moves its folder in between our two renames, the rename fails (the target is not
     * empty) and we try again: the last publish wins and every folder moved aside is deleted.
     */
    static void swap(Path tmp, Path target, String period, String lang) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Path old = null;
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                old = target.resolveSibling("." + target.getFileName() + ".previous-" + UUID.randomUUID());
                try {
                    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                } catch (NoSuchFileException gone) {
                    if (attempt < SWAP_ATTEMPTS) { backOff(); continue; }   // another publish moved it aside first
                    throw gone;
                }
                try {
                    checkOwn(old, period, lang);
                } catch (ForeignFolderException e) {
                    ForeignFolderException refused = new ForeignFolderException(target,
                            e.foreign() == null ? null : target.resolve(old.relativize(e.foreign())), e.why);
                    try {
                        Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException back) {
                        refused.addSuppressed(new IOException("it is now at " + old + " (could not be moved back: " + back.getMessage() + ")", back));
                    }
                    throw refused;
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.FileSystemException e) {
                // another publish moved its folder in (or aside) between our renames: its folder supersedes the
                // previous version we moved aside; try again while attempts are left
                boolean taken = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
                if (old != null && taken) deleteTree(old);
                else if (old != null) {
                    try {
                        Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);   // put the previous version back
                    } catch (IOException back) {
                        deleteTree(old);                                        // a newer folder is in place
                    }
                }
                if (attempt < SWAP_ATTEMPTS) { backOff(); continue; }
                throw e;
            }
            if (old != null) deleteTree(old);
            return;
        }
    }

    /** A short random pause before another attempt, so that colliding publishes do not keep colliding in step. */
    private static void backOff() throws IOException {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while publishing");
        }
    }

    /**
     * Whether {@code dir} is the publisher's folder for this period and language: not a link, the marker with
     * this period and language (or, for a folder written before the marker existed, no marker and a
     * manifest.json of this period), and nothing in it but the files its manifest lists and their folders.
     */
    static void checkOwn(Path dir, String period, String lang) throws IOException {
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new ForeignFolderException(dir, null, "not a folder written by govind publish (no " + MARKER + ")");
        }
        Path marker = dir.resolve(MARKER), manifest = dir.resolve("manifest.json");
        boolean marked = Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS);
        if (marked && !Files.readString(marker, StandardCharsets.UTF_8).equals(markerText(period, lang))) {
            throw new ForeignFolderException(dir, marker, MARKER + " names another period or language");
        }
        if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
            throw new ForeignFolderException(dir, marked ? manifest : null, "not a folder written by govind publish (no " + MARKER + ")");
        }
        String m = Files.readString(manifest, StandardCharsets.UTF_8);
        if (!marked && !m.contains("\"period\": " + q(period) + ",")) {
            throw new ForeignFolderException(dir, null, "not a folder written by govind publish (no " + MARKER + ")");
        }
        Set<String> files = new HashSet<>(Set.of("manifest.json")), folders = new HashSet<>(Set.of(""));
        java.util.regex.Matcher x = java.util.regex.Pattern.compile("\\{\"path\": \"([^\"\\\\]+)\"").matcher(m);
        while (x.find()) {
            files.add(x.group(1));
            for (String p = x.group(1); p.contains("/"); ) folders.add(p = p.substring(0, p.lastIndexOf('/')));
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted().toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                boolean known = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? folders.contains(rel)
                        : Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && files.contains(rel);
                if (!known) throw new ForeignFolderException(dir, p, "holds " + rel + ", which govind did not write");
            }
        }
    }

    static String manifest(Bulletin b, List<Written> files) {
        StringBuilder s = new StringBuilder("{\n");
        s.append("  \"period\": ").append(q(b.meta().period())).append(",\n");
        s.append("  \"status\": ").append(q(b.meta().status())).append(",\n");
        s.append("  \"publication_id\": ").append(q(b.meta().publicationId())).append(",\n");
        s.append("  \"publicity_end\": ").append(q(String.valueOf(b.meta().publicityEnd()))).append(",\n");
        s.append("  \"lang\": ").append(q(b.meta().lang())).append(",\n");
        if (b.meta().issuer() != null) s.append("  \"issuer\": ").append(q(b.meta().issuer())).append(",\n");
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

    /** Deletes a folder the publisher made (a unique temporary name, or a folder checked to be its own); links are not followed. */
    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }
}
