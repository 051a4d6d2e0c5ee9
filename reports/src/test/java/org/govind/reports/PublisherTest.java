package org.govind.reports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** The whole publication folder: the files the issue names, a manifest that matches them, byte-identical when repeated. */
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
        assertFalse(Files.exists(dir.resolve("a/.2026-03.partial")), "no partial folder left");

        Thread.sleep(1100);   // a timestamp anywhere would now differ
        Publisher.Result second = Publisher.publish(b, dir.resolve("b"));
        assertEquals(names, files(second.dir()));
        for (String n : names) {
            assertArrayEquals(Files.readAllBytes(first.dir().resolve(n)), Files.readAllBytes(second.dir().resolve(n)), n + " is byte-identical");
        }
        // publishing again into the same folder replaces the month's files
        Publisher.publish(SampleBulletin.of("en"), dir.resolve("a"));
        assertTrue(Files.readString(dir.resolve("a/2026-03/index.html")).contains("lang=\"en\""));
    }
}
