package org.govind.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BadRowsTest {
    static final List<String> ROW_CLASSES = List.of("unknown_enum", "bad_timestamp", "wrong_district",
            "missing_required", "duplicate_key_in_file", "closed_before_reported", "negative_households",
            "malformed_csv", "undecodable_bytes", "conflicting_redelivery");
    static final List<String> FILE_CLASSES = List.of("unknown_entity", "manifest_mismatch", "unreadable_file");

    @TempDir
    Path tmp;

    @Test
    void everyClassAppearsWithTwoNightsOfOneDistrict() throws IOException {
        GenerateSummary s = Generator.run(new GenerateOptions(tmp, LocalDate.of(2026, 3, 1), 2, 1, Scale.SMALL, 3L,
                0.001), x -> { });
        LandingScan scan = LandingScan.scan(tmp);
        for (String c : ROW_CLASSES) assertTrue(scan.count(c) > 0, c + " missing: " + scan.reasons);
        for (String c : FILE_CLASSES) assertTrue(scan.count(c) > 0, c + " missing: " + scan.reasons);
        assertTrue(scan.identicalRedeliveries > 0, "identical re-delivery");
        assertEquals(1, scan.count("manifest_mismatch"));
        assertTrue(s.badRowsInjected() >= ROW_CLASSES.size());
        assertTrue(scan.problems.isEmpty(), scan.problems.toString());
    }

    @Test
    void fractionOfRowsIsBadAcrossDistricts() throws IOException {
        // six nights: cases are the scarcest entity at small scale, and each of their nine classes must show twice
        GenerateSummary s = Generator.run(new GenerateOptions(tmp, LocalDate.of(2026, 3, 1), 6, 6, Scale.SMALL, 5L,
                0.05), x -> { });
        LandingScan scan = LandingScan.scan(tmp);
        for (String c : ROW_CLASSES) assertTrue(scan.count(c) > 1, c + ": " + scan.reasons);
        double share = (double) s.badRowsInjected() / s.rows();
        assertTrue(share > 0.03 && share < 0.08, "share " + share);
        assertTrue(scan.problems.isEmpty(), scan.problems.toString());
        // no accidental problems outside the injected classes
        for (String reason : scan.reasons.keySet()) {
            assertTrue(ROW_CLASSES.contains(reason) || FILE_CLASSES.contains(reason), reason + ": " + scan.reasons);
        }
    }
}
