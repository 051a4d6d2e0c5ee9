package org.govind.reports;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.govind.schema.ListRules;

/**
 * Everything one monthly bulletin (通报) shows, as plain values: jobs/ reads the gold and ops
 * tables and fills this; the renderers (PDF, HTML, XLSX, charts) only format it. Lists are in
 * display order; rates are ratios in [0, 1] (null = no denominator, shown as "—").
 *
 * @param meta        period, status, publication, versions and rules hash, language
 * @param figures     the month's headline figures (city level)
 * @param districts   per district, in code order: name, lists, star distribution, coverage, leaderboard
 * @param quality     data-quality findings worth a reader's attention (errors and warnings)
 * @param trends      per district, the last 12 months up to the period (oldest first)
 * @param units       every unit of the month for drill-down (district → community → compound)
 * @param sheets      one sheet per gold table for the XLSX workbook
 */
public record Bulletin(Meta meta, List<Figure> figures, List<District> districts, List<QualityNote> quality,
                       List<Trend> trends, List<Unit> units, List<Sheet> sheets) {

    /**
     * @param status        draft | final
     * @param tableVersions table → Delta version the publication rests on (flattened, sorted)
     * @param lang          zh | en
     */
    public record Meta(String period, String status, String publicationId, LocalDate publicityEnd, String issuer,
                       String rulesSha256, Map<String, Long> tableVersions, String lang) {}

    /** A headline figure; kind = percent | count | number. */
    public record Figure(String key, String label, Double value, String kind) {}

    /**
     * One list entry; list = red | black | not_rated (no position, star or score may be null).
     *
     * @param reasons       the reasons as stored (Chinese)
     * @param reasonDetails the structured reasons (code, value, threshold) the text is rendered from in the
     *                      report's language; empty for entries listed before they were stored
     */
    public record Entry(String list, Integer position, String companyId, String companyName, Integer star, Double score,
                        String reasons, List<ListRules.Reason> reasonDetails) {
        public Entry {
            reasonDetails = reasonDetails == null ? List.of() : List.copyOf(reasonDetails);
        }

        /** An entry with its reasons as text only. */
        public Entry(String list, Integer position, String companyId, String companyName, Integer star, Double score, String reasons) {
            this(list, position, companyId, companyName, star, score, reasons, List.of());
        }
    }

    /** One leaderboard row (display name masked, never a clear name). */
    public record Leader(int rank, String displayName, String holderType, BigDecimal netPoints) {}

    /**
     * @param starCounts compounds per star, index 0 = ★1 … 4 = ★5
     */
    public record District(String code, String name, List<Entry> red, List<Entry> black, List<Entry> notRated,
                           List<Long> starCounts, Double branchCoverage, Double propertyCoverage, Double committeeRate,
                           List<Leader> leaders) {}

    /** level = error | warning; check as in ops.quality_checks; message in Chinese from the checks. */
    public record QualityNote(String district, String check, String level, String message) {}

    public record TrendPoint(String period, Double onTimeRate, Double satisfactionRate, Long blackCount) {}

    public record Trend(String districtCode, String districtName, List<TrendPoint> points) {}

    /** A unit for drill-down; parentId = the district of a community, the community of a compound, null for a district. */
    public record Unit(String level, String unitId, String parentId, String name, Long received, Double onTimeRate,
                       Double satisfactionRate, Double branchCoverage, Double visitCoverage, Integer star) {}

    /** kind = text | integer | number | percent. */
    public record Column(String name, String header, String kind) {}

    /** A gold table as a worksheet: rows hold String, Long, Double, BigDecimal, Boolean or null, in column order. */
    public record Sheet(String name, String title, List<Column> columns, List<List<Object>> rows) {}
}
