package org.govind.ingest;

import org.govind.core.ExitCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.SparkSession;
import org.govind.cli.Main;
import org.govind.cli.WriterOptions;
import org.govind.spark.WarehouseLock;
import org.govind.testing.Tables;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer at a time: the warehouse lock, its stale-lock takeover, and writers through the CLI. */
@Tag("slow")  // left out by mvn -Pfast (pom.xml profile "fast")
class WriterLockTest {
    @TempDir Path tmp;
    final List<String> said = new ArrayList<>();

    WarehouseLock take(Path wh, String command) {
        return WarehouseLock.acquire(wh.toString(), command, "tester", false, Duration.ofMinutes(2), said::add);
    }

    @Test
    void aSecondWriterIsRefusedUntilTheFirstReleases() {
        Path wh = tmp.resolve("wh");
        try (WarehouseLock a = take(wh, "govind ingest")) {
            WarehouseLock.Held held = assertThrows(WarehouseLock.Held.class, () -> take(wh, "govind compute"));
            assertEquals("govind ingest", held.holder().command());
            assertEquals(ProcessHandle.current().pid(), held.holder().pid());
            assertEquals(a.me(), WarehouseLock.holder(wh.toString()));
        }
        assertNull(WarehouseLock.holder(wh.toString()), "released: the lock file is gone");
        try (WarehouseLock b = take(wh, "govind compute")) {
            assertEquals("govind compute", WarehouseLock.holder(wh.toString()).command());
        }
    }

    @Test
    void aLockLeftByADeadProcessIsTakenOver() throws Exception {
        Path wh = tmp.resolve("wh");
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        String host = java.net.InetAddress.getLocalHost().getHostName();
        writeLock(wh, "govind ingest", p.pid(), host, "t-dead");
        try (WarehouseLock l = take(wh, "govind compute")) {
            assertEquals("govind compute", WarehouseLock.holder(wh.toString()).command());
            assertTrue(said.stream().anyMatch(s -> s.contains("pid " + p.pid())), said.toString());
        }
        // this process's own pid with a token it does not hold (a leftover of an earlier process with the same pid)
        writeLock(wh, "govind rate", ProcessHandle.current().pid(), host, "t-not-mine");
        try (WarehouseLock l = take(wh, "govind lists")) {
            assertEquals("govind lists", l.me().command());
        }
    }

    @Test
    void anotherHostsLockIsStaleOnlyWhenItsHeartbeatStopped() throws Exception {
        Path wh = tmp.resolve("wh");
        Path file = writeLock(wh, "govind ingest", 4242, "some-other-host", "t-remote");
        assertThrows(WarehouseLock.Held.class, () -> take(wh, "govind compute"), "a fresh heartbeat from another host is respected");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
        try (WarehouseLock l = take(wh, "govind compute")) {
            assertEquals("govind compute", WarehouseLock.holder(wh.toString()).command());
        }
    }

    @Test
    void noWaitExitsWithItsCodeNamingTheHolderAndReadersDoNotBlock() {
        Path wh = tmp.resolve("wh");
        try (WarehouseLock a = take(wh, "govind publish")) {
            Captured c = run("compute", "--period", "2026-03", "--warehouse", wh.toString(), "--no-wait");
            assertEquals(ExitCode.LOCKED.code(), c.exit, c.err);
            assertTrue(c.err.contains("govind publish") && c.err.contains("pid " + ProcessHandle.current().pid()), c.err);
            Captured r = run("sql", "SELECT 1 AS one", "--warehouse", wh.toString());
            assertEquals(0, r.exit, r.err);
            assertEquals(a.me(), WarehouseLock.holder(wh.toString()), "the holder keeps its lock");
        }
    }

    @Test
    void twoIngestsStartedTogetherEqualASequentialRun() throws Exception {
        SparkSession spark = TestSpark.get();
        Path landing = tmp.resolve("landing");
        IngestJobTest.threeNights(landing);
        Path seq = tmp.resolve("sequential"), both = tmp.resolve("together");
        assertEquals(0, Main.execute("ingest", "--demo-key", "--date", "2026-03-01", "--landing", landing.toString(), "--warehouse", seq.toString()));
        assertEquals(0, Main.execute("ingest", "--demo-key", "--date", "2026-03-15", "--landing", landing.toString(), "--warehouse", seq.toString()));

        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() ->
                Main.execute("ingest", "--demo-key", "--date", "2026-03-01", "--landing", landing.toString(), "--warehouse", both.toString()));
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (WarehouseLock.holder(both.toString()) == null && !first.isDone() && System.nanoTime() < deadline) Thread.sleep(20);
        assertNotNull(WarehouseLock.holder(both.toString()), "the first ingest holds the lock while it writes");
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() ->
                Main.execute("ingest", "--demo-key", "--date", "2026-03-15", "--landing", landing.toString(), "--warehouse", both.toString()));
        assertEquals(0, first.get());
        assertEquals(0, second.get());
        assertNull(WarehouseLock.holder(both.toString()));
        assertEquals(Tables.snapshot(spark, seq.toString()), Tables.snapshot(spark, both.toString()));
    }

    static Path writeLock(Path wh, String command, long pid, String host, String token) throws Exception {
        Path file = wh.resolve(WarehouseLock.FILE);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"command\":\"" + command + "\",\"user\":\"x\",\"pid\":" + pid + ",\"host\":\"" + host
                + "\",\"since\":\"2026-04-01T00:00:00Z\",\"token\":\"" + token + "\"}", StandardCharsets.UTF_8);
        return file;
    }

    record Captured(int exit, String out, String err) {}

    static Captured run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.execute(args);
            return new Captured(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
