package org.govind.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly bench runs each measurement on a copy of a history warehouse whose data files are hard
 * links: writing to the copy (a commit, a checkpoint) must leave the original exactly as it was, or
 * the next history's measurement would start from a different warehouse.
 */
class NightlyBenchTest {
    @TempDir Path tmp;

    @Test
    void aWarehouseCopyCanBeWrittenWithoutTouchingTheOriginal() throws Exception {
        SparkSession spark = TestSpark.get();
        Path orig = tmp.resolve("orig/silver/t"), copy = tmp.resolve("copy");
        // 12 commits of one row each: Delta writes a checkpoint at version 10 and rewrites _last_checkpoint in place
        for (int i = 0; i < 12; i++) spark.range(i, i + 1).write().format("delta").mode("append").save(orig.toString());
        List<Long> before = ids(spark, orig);
        NightlyBench.copyWarehouse(tmp.resolve("orig"), copy);
        Path copied = copy.resolve("silver/t");
        assertEquals(before, ids(spark, copied));
        // the copy moves on: 10 more commits (a second checkpoint at 20) and an overwrite
        for (int i = 12; i < 22; i++) spark.range(i, i + 1).write().format("delta").mode("append").save(copied.toString());
        spark.range(100, 103).write().format("delta").mode("overwrite").save(copied.toString());
        assertEquals(List.of(100L, 101L, 102L), ids(spark, copied));
        assertEquals(before, ids(spark, orig), "the original is unchanged");
        assertEquals(12, before.size());
        assertTrue(Files.readString(orig.resolve("_delta_log/_last_checkpoint")).contains("\"version\":10"),
                "the original's checkpoint pointer still names version 10");
    }

    @Test
    void linkNightsTakesTheNightsInTheRangeOnly() throws Exception {
        Path from = tmp.resolve("landing"), to = tmp.resolve("h1");
        for (String night : List.of("2026-02-28", "2026-03-01", "2026-03-02")) {
            Path f = from.resolve("370829").resolve(night).resolve("cases.csv");
            Files.createDirectories(f.getParent());
            Files.writeString(f, "case_id\n" + night + "\n");
        }
        Files.writeString(from.resolve("done"), "ok");
        NightlyBench.linkNights(from, to, LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-01"));
        assertTrue(Files.exists(to.resolve("370829/2026-03-01/cases.csv")));
        assertFalse(Files.exists(to.resolve("370829/2026-02-28")));
        assertFalse(Files.exists(to.resolve("370829/2026-03-02")));
        assertFalse(Files.exists(to.resolve("done")));
    }

    private static List<Long> ids(SparkSession spark, Path p) {
        return spark.read().format("delta").load(p.toString()).orderBy("id").as(org.apache.spark.sql.Encoders.LONG()).collectAsList();
    }
}
