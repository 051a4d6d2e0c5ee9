package org.govind.cli;

import org.govind.core.ExitCode;
import static org.govind.testing.LandingFixture.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.govind.ingest.WarehouseKey;
import org.govind.pii.PiiKey;
import org.govind.testing.LandingFixture;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ingest and the personal-data key, end to end through the CLI. The "environment" is the test's
 * ({@link Main#execute(UnaryOperator, String...)}); the keys are long random strings made here.
 */
class PersonalDataKeyTest {
    @TempDir Path tmp;

    static String randomKey() {
        byte[] b = new byte[36];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);   // 48 characters
    }

    private static CliTest.Run ingest(String key, Path landing, Path wh, String... more) {
        UnaryOperator<String> env = n -> PiiKey.ENV.equals(n) ? key : null;
        List<String> args = new ArrayList<>(List.of("ingest", "--landing", landing.toString(), "--warehouse", wh.toString()));
        args.addAll(List.of(more));
        return CliTest.run(env, args.toArray(String[]::new));
    }

    private Path landing() {
        LandingFixture f = new LandingFixture(tmp.resolve("landing"));
        f.write(LandingFixture.D1, "2026-03-01", "cases", row("cases"));
        f.write(LandingFixture.D1, "2026-03-01", "members", row("members"));   // has an id number: hashed with the key
        return f.root;
    }

    /** Every file under dir with its size and modification time: what "nothing was written" compares. */
    private static Map<String, String> files(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                out.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir" : Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return out;
    }

    @Test
    void withoutAUsableKeyIngestRefusesAndWritesNothing() {
        Path landing = landing(), wh = tmp.resolve("wh");
        CliTest.Run none = ingest(null, landing, wh);
        assertEquals(ExitCode.NO_PII_KEY.code(), none.code(), none.err());
        assertEquals(1, none.err().strip().lines().count(), none.err());
        assertTrue(none.err().contains("未设置 GOVIND_PII_KEY") && none.err().contains("GOVIND_PII_KEY (the personal-data key) is not set"), none.err());
        assertFalse(Files.exists(wh), "no warehouse folder");
        String shortKey = randomKey().substring(0, PiiKey.MIN_LENGTH - 1);
        CliTest.Run tooShort = ingest(shortKey, landing, wh);
        assertEquals(ExitCode.NO_PII_KEY.code(), tooShort.code(), tooShort.err());
        assertTrue(tooShort.err().contains("shorter than 32"), tooShort.err());
        assertFalse(tooShort.err().contains(shortKey));
        assertFalse(Files.exists(wh));
    }

    @Test
    void theKeyIsNowhereAfterAnIngestAndAnotherKeyIsRefused() throws Exception {
        Path landing = landing(), wh = tmp.resolve("wh");
        String key = randomKey();
        List<CliTest.Run> runs = new ArrayList<>();
        CliTest.Run first = ingest(key, landing, wh);
        runs.add(first);
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("入库 2"), first.out());

        // the warehouse records the key's fingerprint, not the key
        Path fp = wh.resolve("_govind").resolve("pii-key.fingerprint");
        String recorded = Files.readString(fp, StandardCharsets.UTF_8);
        assertTrue(recorded.contains("fingerprint=" + PiiKey.of(key).fingerprint() + "\n"), recorded);
        assertTrue(recorded.contains("demo=false"), recorded);
        // and the ids were hashed with this key (HMAC-SHA-256 of the fixture's synthetic id number under it)
        SparkSession spark = TestSpark.get();
        String idHash = new org.govind.pii.PiiProtector(PiiKey.of(key)).hash("000000199001010011");
        assertEquals(List.of(idHash), spark.read().format("delta").load(wh.resolve("silver/members").toString())
                .select("id_number").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());

        // the same key again: fine (nothing new to load)
        CliTest.Run again = ingest(key, landing, wh);
        runs.add(again);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("跳过（已接入）2"), again.out());

        // another key, or the demo key: refused before anything is written
        Map<String, String> before = files(wh);
        CliTest.Run other = ingest(randomKey(), landing, wh);
        runs.add(other);
        assertEquals(ExitCode.KEY_MISMATCH.code(), other.code(), other.err());
        assertEquals(1, other.err().strip().lines().count(), other.err());
        assertTrue(other.err().contains("was ingested with another key (fingerprint " + PiiKey.of(key).fingerprint().substring(0, 12)), other.err());
        CliTest.Run demo = ingest(key, landing, wh, "--demo-key");
        runs.add(demo);
        assertEquals(ExitCode.KEY_MISMATCH.code(), demo.code(), demo.err());
        assertTrue(demo.err().contains("this run has the demo key"), demo.err());
        assertEquals(before, files(wh), "nothing written by the refused runs");

        // the key string is in no Spark or Hadoop setting, no system property, no file of the warehouse, no output
        List<String> leaks = new ArrayList<>();
        spark.conf().getAll().foreach(kv -> { if (kv._1().contains(key) || kv._2().contains(key)) leaks.add("spark.conf " + kv._1()); return null; });
        for (scala.Tuple2<String, String> kv : spark.sparkContext().getConf().getAll()) if (kv._2().contains(key)) leaks.add("SparkConf " + kv._1());
        for (Map.Entry<String, String> kv : spark.sparkContext().hadoopConfiguration()) if (kv.getValue().contains(key)) leaks.add("hadoop " + kv.getKey());
        System.getProperties().forEach((k, v) -> { if (String.valueOf(v).contains(key)) leaks.add("system property " + k); });
        long scanned = 0;
        int withFingerprint = 0;   // the scan's positive control: the fingerprint is found where it was written
        try (Stream<Path> s = Files.walk(wh)) {
            for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                byte[] b = Files.readAllBytes(f);
                scanned += b.length;
                String text = new String(b, StandardCharsets.ISO_8859_1);   // the key is ASCII
                if (text.contains(key)) leaks.add(wh.relativize(f).toString());
                if (text.contains(PiiKey.of(key).fingerprint())) withFingerprint++;
            }
        }
        assertTrue(scanned > 10_000, "scanned only " + scanned + " bytes");
        assertEquals(1, withFingerprint);
        for (CliTest.Run r : runs) if (r.out().contains(key) || r.err().contains(key)) leaks.add("command output");
        assertEquals(List.of(), leaks);

        // a warehouse with tables but no fingerprint (made before fingerprints) cannot be continued with any key
        Files.delete(fp);
        CliTest.Run legacy = ingest(key, landing, wh);
        assertEquals(ExitCode.KEY_MISMATCH.code(), legacy.code(), legacy.err());
        assertTrue(legacy.err().contains("no personal-data key fingerprint"), legacy.err());
        assertFalse(Files.exists(fp), "not adopted");
    }

    @Test
    void theDemoKeySaysWhatItMeansAndItsWarehouseNeverTakesARealKey() throws Exception {
        Path landing = landing(), wh = tmp.resolve("demo-wh");
        CliTest.Run demo = ingest(null, landing, wh, "--demo-key");
        assertEquals(0, demo.code(), demo.err());
        assertTrue(demo.err().contains("演示密钥") && demo.err().contains("公开") && demo.err().contains("任何人都能还原")
                && demo.err().contains("It is public") && demo.err().contains("anyone can reverse the hashes")
                && demo.err().contains("sample data only"), demo.err());
        assertTrue(Files.readString(wh.resolve("_govind/pii-key.fingerprint")).contains("fingerprint=" + PiiKey.demo().fingerprint() + "\n"));
        Map<String, String> before = files(wh);
        CliTest.Run real = ingest(randomKey(), landing, wh);
        assertEquals(ExitCode.KEY_MISMATCH.code(), real.code(), real.err());
        assertTrue(real.err().contains("was ingested with the public demo key"), real.err());
        assertEquals(before, files(wh));
        // the demo text itself in GOVIND_PII_KEY is no way around the flag
        CliTest.Run sneaky = ingest("govind-demo-key-not-for-production", landing, wh);
        assertEquals(ExitCode.NO_PII_KEY.code(), sneaky.code(), sneaky.err());
    }
}
