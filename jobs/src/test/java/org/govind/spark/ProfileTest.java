package org.govind.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.govind.core.Lang;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.Test;

/** The profile charges every instant once, and reports what a real session did. */
class ProfileTest {
    @Test
    void nestedSpansAreChargedOnceToTheInnermostKind() {
        // 0..100 ms: a write 10..90 that plans 20..60, during which a snapshot job runs 30..40; a job 70..80
        List<long[]> spans = List.of(new long[] {10, 90, Profile.WRITE}, new long[] {20, 60, Profile.PLANNING},
                new long[] {30, 40, Profile.SNAPSHOT}, new long[] {70, 80, Profile.JOB});
        long[] ms = Profile.attribute(spans, 0, 100);
        // snapshot 10; job 10; planning 20..30 + 40..60 = 30; write 10..20 + 60..70 + 80..90 = 30; other 0..10 + 90..100 = 20
        assertArrayEquals(new long[] {10, 10, 30, 30, 20}, ms);
        // spans outside the run are clipped to it
        assertArrayEquals(new long[] {0, 5, 0, 0, 5}, Profile.attribute(List.of(new long[] {-50, 5, Profile.JOB}), 0, 10));
    }

    @Test
    void aProfiledSessionReportsItsJobsAndPlanning() {
        Lang.init(new String[] {"--lang", "en"}, () -> "en");
        try {
            Profile.start(TestSpark.get(), 1234, 5_000_000);
            assertTrue(Profile.active());
            TestSpark.get().range(0, 1000).selectExpr("sum(id)").collectAsList();
            // a job without a description of its own is labelled by govind's step
            Profile.step("compute 2026-03 gold.case_indicators");
            TestSpark.get().range(0, 10).selectExpr("max(id)").collectAsList();
            Profile.step(null);
            String r = Profile.finish();
            assertTrue(r.contains("[compute #-# gold.case_indicators]"), r);
            assertTrue(!Profile.active());
            assertNotNull(r);
            assertTrue(r.contains("JVM start to session request") && r.contains("1.23 s"), r);
            assertTrue(r.matches("(?s).*other Spark jobs\\s+\\d+\\.\\d\\d s\\s+[1-9]\\d* jobs.*"), r);
            assertTrue(r.matches("(?s).*planning \\(outside jobs\\).*[1-9]\\d* queries.*optimization.*"), r);
            assertNull(Profile.finish(), "stopped");
        } finally {
            Lang.init(new String[0], () -> "zh");
        }
    }
}
