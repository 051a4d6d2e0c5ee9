package org.govind.rating;

import org.govind.store.Publications;
import org.govind.core.ExitCode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.spark.sql.SparkSession;
import org.govind.cli.Main;
import org.govind.publish.PublishJob;
import org.govind.rules.Rules;
import org.govind.spark.Warehouse;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code objection add} racing {@code publish --final} on the same month: both run under the
 * warehouse's writer lock, so one of them runs first and the other sees its result. Either the final
 * went first (the objection is refused: the month is final) or the objection did (the final is
 * refused: an objection is pending). A final with a pending objection can never come out.
 */
@Tag("slow")  // left out by mvn -Pfast (pom.xml profile "fast")
class WorkflowRaceTest {
    static final YearMonth MARCH = YearMonth.of(2026, 3);
    @TempDir Path dir;

    @Test
    void anObjectionRacingTheFinalNeverLeavesAFinalWithAPendingObjection() throws Exception {
        SparkSession spark = TestSpark.get();
        Rules rules = Rules.load(null);
        String w = dir.resolve("wh").toString();
        Warehouse wh = RatingFixture.write(spark, w);
        RatingJob.rate(spark, w, MARCH, rules);
        RatingJob.lists(spark, w, MARCH, rules);
        // drafted on 2026-04-03: its publicity ended long before the commands below run (system clock)
        PublishJob.draft(spark, w, MARCH, rules, Clock.fixed(Instant.parse("2026-04-03T02:00:00Z"), ZoneOffset.UTC));
        String company = wh.read("gold.red_black_list").where("period = '2026-03' AND list = 'black'").head().getAs("company_id");

        CompletableFuture<Integer> fin = CompletableFuture.supplyAsync(() -> Main.execute("publish", "--period", "2026-03", "--final",
                "--warehouse", w, "--out", dir.resolve("reports").toString()));
        CompletableFuture<Integer> objection = CompletableFuture.supplyAsync(() -> Main.execute("objection", "add", "--period", "2026-03",
                "--company", company, "--reason", "赛跑中的异议", "--warehouse", w));
        int f = fin.get(), o = objection.get();

        boolean finalExists = Publications.latest(wh, MARCH, "final") != null;
        long pending = Publications.objections(wh).where("period = '2026-03' AND status = 'pending'").count();
        assertFalse(finalExists && pending > 0, "a final with a pending objection (final exit " + f + ", objection exit " + o + ")");
        // exactly one of the two orders happened, and the loser was refused with its code
        if (finalExists) {
            assertEquals(List.of(0, ExitCode.ALREADY_FINAL.code()), List.of(f, o));
            assertEquals(0, pending);
        } else {
            assertEquals(List.of(ExitCode.PENDING_OBJECTION.code(), 0), List.of(f, o));
            assertEquals(1, pending);
        }
        assertTrue(org.govind.publish.Audit.run(spark, w, MARCH).problems().isEmpty(), "the trail is consistent either way");
    }
}
