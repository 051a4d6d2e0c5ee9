package org.govind.reports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole publication folder: the files the issue names, a manifest that matches them, byte-identical when repeated;
 * the publisher replaces only its own folders, and concurrent publishes never share a temporary folder.
 */
class PublisherTest {
    @TempDir Path dir;

    static Set<String> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            TreeSet<String> out = new TreeSet<>();
            s.filter(Files::isRegularFile).forEach(p -> out.add(root.relativize(p).toString()));
            return out;
        }
    }

    @Test
    void writesEveryFileWithAManifestAndRepeatsByteForByte() throws Exception {
        Bulletin b = SampleBulletin.of("zh");
        Publisher.Result first = Publisher.publish(b, dir.resolve("a"));
        assertEquals(dir.resolve("a/2026-03"), first.dir());
        Set<String> names = files(first.dir());
        for (String n : List.of("通报-2026-03.pdf", "index.html", "indicators-2026-03.xlsx", "manifest.json",
                "charts/trend-on-time.png", "charts/trend-on-time.svg", "charts/trend-satisfaction.svg", "charts/coverage.svg",
                "charts/stars.svg", "charts/black-trend.svg", "charts/black-trend.png")) {
            assertTrue(names.contains(n), n + " in " + names);
        }
        String manifest = Files.readString(first.file("manifest.json"), StandardCharsets.UTF_8);
        assertTrue(manifest.contains("\"period\": \"2026-03\"") && manifest.contains("\"status\": \"draft\""), manifest);
        assertTrue(manifest.contains(b.meta().rulesSha256()) && manifest.contains("\"gold.red_black_list\": 4"), manifest);
        for (String n : names) {
            if (n.equals("manifest.json")) continue;
            String sha = Publisher.sha256(Files.readAllBytes(first.dir().resolve(n)));
            assertTrue(manifest.contains("{\"path\": \"" + n + "\", \"bytes\": " + Files.size(first.dir().resolve(n)) + ", \"sha256\": \"" + sha + "\"}"),
                    n + " with its sha256 in the manifest");
        }
        assertEquals(Set.of("2026-03"), entries(dir.resolve("a")), "no partial folder left");
        // the folder gets the usual permissions of a new folder (not the 700 of a temporary one)
        Path plain = Files.createDirectory(dir.resolve("plain"));
        if (Files.getFileStore(plain).supportsFileAttributeView("posix")) {
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(first.dir()));
        }
        assertTrue(names.contains(Publisher.MARKER), "the marker is written and listed in the manifest");
        assertTrue(Files.readString(first.file(Publisher.MARKER)).contains("period=2026-03\nlang=zh\n"));

        Thread.sleep(1100);   // a timestamp anywhere would now differ
        Publisher.Result second = Publisher.publish(b, dir.resolve("b"));
        assertEquals(names, files(second.dir()));
        for (String n : names) {
            assertArrayEquals(Files.readAllBytes(first.dir().resolve(n)), Files.readAllBytes(second.dir().resolve(n)), n + " is byte-identical");
        }
        // publishing again into the same folder replaces the month's own files
        Publisher.publish(b, dir.resolve("a"));
        assertEquals(names, files(first.dir()));
        // another language goes to its own folder; the Chinese one is unchanged
        Publisher.Result en = Publisher.publish(SampleBulletin.of("en"), dir.resolve("a"));
        assertEquals(dir.resolve("a/2026-03-en"), en.dir());
        assertTrue(Files.readString(dir.resolve("a/2026-03-en/index.html")).contains("lang=\"en\""));
        for (String n : names) {
            assertArrayEquals(Files.readAllBytes(second.dir().resolve(n)), Files.readAllBytes(first.dir().resolve(n)), n + " unchanged by --lang en");
        }
        assertEquals(Set.of("2026-03", "2026-03-en"), entries(dir.resolve("a")));
    }

    /** Names directly in a folder (hidden ones too: a temporary folder left behind would show). */
    static Set<String> entries(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            TreeSet<String> out = new TreeSet<>();
            s.forEach(p -> out.add(p.getFileName().toString()));
            return out;
        }
    }

    /** Every file under a folder with its bytes' sha256, to show nothing was touched. */
    static java.util.Map<String, String> snapshot(Path root) throws Exception {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        for (String f : files(root)) out.put(f, Publisher.sha256(Files.readAllBytes(root.resolve(f))));
        return out;
    }

    @Test
    void neverReplacesAFolderItDidNotWrite() throws Exception {
        // --out ~: a user's home with a file of their own and their own "2026-03" folder (no marker)
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve("2026-03/photos"));
        Files.writeString(home.resolve("notes.txt"), "my notes");
        Files.writeString(home.resolve("2026-03/budget.xlsx"), "not a govind file");
        Files.writeString(home.resolve("2026-03/photos/a.png"), "png");
        var before = snapshot(home);
        Publisher.ForeignFolderException refused = assertThrows(Publisher.ForeignFolderException.class,
                () -> Publisher.publish(SampleBulletin.of("zh"), home));
        assertEquals(home.resolve("2026-03"), refused.folder());
        assertEquals(before, snapshot(home), "the user's files are intact");
        assertEquals(Set.of("2026-03", "notes.txt"), entries(home), "no temporary folder left");
        assertThrows(Publisher.ForeignFolderException.class, () -> Publisher.checkTarget(home, "2026-03", "zh"));

        // a govind folder into which the user put a file of their own: refused too, the file stays
        Path out = dir.resolve("out");
        Publisher.Result r = Publisher.publish(SampleBulletin.of("zh"), out);
        Files.writeString(r.file("charts/my-edit.svg"), "<svg/>");
        Publisher.ForeignFolderException added = assertThrows(Publisher.ForeignFolderException.class,
                () -> Publisher.publish(SampleBulletin.of("zh"), out));
        assertEquals(r.file("charts/my-edit.svg"), added.foreign());
        assertEquals("<svg/>", Files.readString(r.file("charts/my-edit.svg")));
        Files.delete(r.file("charts/my-edit.svg"));

        // a marker naming another period (a folder renamed by hand) is not this month's folder
        Path other = dir.resolve("other");
        Publisher.Result feb = Publisher.publish(SampleBulletin.of("zh"), other);
        Files.writeString(feb.file(Publisher.MARKER), Publisher.markerText("2026-02", "zh"));
        assertThrows(Publisher.ForeignFolderException.class, () -> Publisher.publish(SampleBulletin.of("zh"), other));

        // a file where the folder would go is not replaced either
        Path file = dir.resolve("file");
        Files.createDirectories(file);
        Files.writeString(file.resolve("2026-03"), "a file");
        assertThrows(Publisher.ForeignFolderException.class, () -> Publisher.publish(SampleBulletin.of("zh"), file));
        assertEquals("a file", Files.readString(file.resolve("2026-03")));
    }

    @Test
    void replacesAFolderWrittenBeforeTheMarker() throws Exception {
        // a month's folder written by an older govind: no marker, a manifest of the period listing every file
        Path out = dir.resolve("old");
        Publisher.Result r = Publisher.publish(SampleBulletin.of("zh"), out);
        Files.delete(r.file(Publisher.MARKER));
        String manifest = Files.readString(r.file("manifest.json"));
        Files.writeString(r.file("manifest.json"), manifest.replaceAll("\\n    \\{\"path\": \"\\.govind-publication\"[^}]*\\},", ""));
        assertFalse(Files.readString(r.file("manifest.json")).contains(Publisher.MARKER));
        Publisher.publish(SampleBulletin.of("zh"), out);
        assertTrue(Files.exists(r.file(Publisher.MARKER)), "replaced, now with the marker");
        assertEquals(manifest, Files.readString(r.file("manifest.json")));
    }

    @Test
    void concurrentPublishesEachUseTheirOwnTemporaryFolder() throws Exception {
        Bulletin b = SampleBulletin.of("zh");
        Path reference = Publisher.publish(b, dir.resolve("ref")).dir();
        Path out = dir.resolve("shared");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "my notes");
        int n = 3;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Publisher.Result>> runs = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < n; i++) runs.add(pool.submit(() -> { go.await(); return Publisher.publish(b, out); }));
            go.countDown();
            for (var f : runs) assertEquals(out.resolve("2026-03"), f.get().dir(), "every publish completes");
        } finally {
            pool.shutdownNow();
        }
        // one complete, consistent folder (the same bytes as a publish alone), the user's file, nothing else
        assertEquals(Set.of("2026-03", "notes.txt"), entries(out));
        assertEquals(snapshot(reference), snapshot(out.resolve("2026-03")));
        assertEquals("my notes", Files.readString(out.resolve("notes.txt")));

        // the swap itself under contention (rendering takes seconds, so the moves above rarely collide):
        // 4 threads × 25 finished copies moved into the same target at once; each swap completes
        List<Path> copies = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Path c = Files.createTempDirectory(out, ".2026-03.partial-");
            try (Stream<Path> s = Files.walk(reference)) {
                for (Path p : s.sorted().toList()) {
                    Path t = c.resolve(reference.relativize(p).toString());
                    if (Files.isDirectory(p)) Files.createDirectories(t); else Files.copy(p, t);
                }
            }
            copies.add(c);
        }
        java.util.concurrent.ExecutorService swappers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> swaps = new java.util.ArrayList<>();
            for (int t = 0; t < 4; t++) {
                List<Path> mine = copies.subList(t * 25, t * 25 + 25);
                swaps.add(swappers.submit(() -> { for (Path c : mine) Publisher.swap(c, out.resolve("2026-03"), "2026-03", "zh"); return null; }));
            }
            for (var f : swaps) f.get();
        } finally {
            swappers.shutdownNow();
        }
        assertEquals(Set.of("2026-03", "notes.txt"), entries(out), "every copy moved in or deleted, nothing left aside");
        assertEquals(snapshot(reference), snapshot(out.resolve("2026-03")));
    }
}
