package org.govind.generate;

import java.io.IOException;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.govind.schema.Schemas;

/**
 * Writes realistic nightly district exports ({@code out/<district_code>/<YYYY-MM-DD>/<entity>.csv} plus
 * {@code manifest.json}) following the landing contract. Pure Java; night by night, district by district,
 * rows streamed straight to disk. Same options and seed → byte-identical tree.
 */
public final class Generator {
    private Generator() {}

    /** progress gets one line per night, e.g. "2026-03-01  6 个区县  41,233 行". */
    public static GenerateSummary run(GenerateOptions o, Consumer<String> progress) throws IOException {
        validate(o);
        Consumer<String> log = progress == null ? s -> { } : progress;
        Map<String, Tbl> tables = new LinkedHashMap<>();
        Schemas schemas = Schemas.get();
        for (String e : Schemas.ENTITIES) tables.put(e, new Tbl(schemas.landing(e)));
        Files.createDirectories(o.out());

        List<DistrictSim> sims = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < o.districts(); i++) {
            DistrictProfile p = DistrictProfile.of(i);
            codes.add(p.code);
            sims.add(new DistrictSim(o.seed(), p, o.out(), tables, o.badRows(), o.scale(), o.districts(), o.start()));
        }
        int files = 0;
        long rows = 0;
        for (int day = 0; day < o.days(); day++) {
            LocalDate d = o.start().plusDays(day);
            int exported = 0;
            long nightRows = 0;
            List<String> missed = new ArrayList<>();
            for (DistrictSim sim : sims) {
                DistrictSim.Night n = sim.night(d, day);
                if (n.missed()) {
                    missed.add(sim.p.code);
                    continue;
                }
                exported++;
                files += n.files();
                nightRows += n.rows();
            }
            rows += nightRows;
            log.accept(String.format(Locale.ROOT, "%s  %d 个区县  %,d 行%s", d, exported, nightRows,
                    missed.isEmpty() ? "" : "  (缺报: " + String.join(", ", missed) + ")"));
        }
        long bad = 0;
        for (DistrictSim sim : sims) bad += sim.bad.badRecords;
        return new GenerateSummary(files, rows, bad, List.copyOf(codes));
    }

    private static void validate(GenerateOptions o) {
        if (o == null) throw new IllegalArgumentException("options are required");
        if (o.out() == null) throw new IllegalArgumentException("--out is required");
        if (o.start() == null) throw new IllegalArgumentException("--start is required");
        if (o.scale() == null) throw new IllegalArgumentException("--scale is required (small or city)");
        if (o.days() < 1) throw new IllegalArgumentException("--days must be at least 1, got " + o.days());
        if (o.districts() < 1 || o.districts() > o.scale().maxDistricts()) {
            throw new IllegalArgumentException("--districts must be between 1 and " + o.scale().maxDistricts()
                    + ", got " + o.districts());
        }
        if (!(o.badRows() >= 0 && o.badRows() < 1)) {
            throw new IllegalArgumentException("--bad-rows must be a fraction in [0, 1), got " + o.badRows());
        }
    }
}
