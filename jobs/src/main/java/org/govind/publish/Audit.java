package org.govind.publish;

import org.govind.store.Publications;
import static org.apache.spark.sql.functions.col;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.govind.core.Periods;
import org.govind.core.Lang;
import org.govind.spark.Warehouse;
import org.govind.util.Json;

/**
 * {@code govind audit --period M}: re-checks a month's publication trail from the tables alone and
 * names every inconsistency. It reads, never writes. What it checks:
 * <ol>
 *   <li>each objection names a draft of the month and was filed after it (and before the final);</li>
 *   <li>each decision names an objection, is the only one for it, and falls after the objection and
 *       before the final;</li>
 *   <li>at most one final; it finalises the month's latest draft, after the publicity end or recorded
 *       as forced, with no objection pending at that time;</li>
 *   <li>the final list equals the draft's list (at its recorded version) minus the entries whose
 *       objection was upheld, positions renumbered, both as recorded and as the table stands now;</li>
 *   <li>every table version a publication recorded can still be read (time travel);</li>
 *   <li>the workflow tables (ops.publications, ops.objections, ops.objection_decisions,
 *       gold.red_black_list_final) only ever grew: a commit that updated or deleted rows, or restored
 *       or truncated the table, was not govind's.</li>
 * </ol>
 */
public final class Audit {
    static final List<String> APPEND_ONLY = List.of("ops.publications", "ops.objections", "ops.objection_decisions",
            "gold.red_black_list_final");

    private Audit() {}

    /** The inconsistencies of month m's trail (empty when it holds), and what was checked. */
    public record Report(List<String> problems, List<String> checked) {}

    public static Report run(SparkSession spark, String warehouse, YearMonth m) {
        Warehouse wh = Warehouse.open(spark, warehouse);
        List<String> problems = new ArrayList<>(), checked = new ArrayList<>();
        for (String t : APPEND_ONLY) {
            if (!wh.exists(t)) continue;
            problems.addAll(appendOnly(wh, t));
            checked.add(Lang.t(t + "：只追加", t + ": append-only"));
        }
        if (!wh.exists("ops.publications")) return new Report(problems, checked);
        String p = "period = '" + m + "'";
        List<Row> pubs = wh.read("ops.publications").where(p).orderBy("created_at", "publication_id").collectAsList();
        List<Row> objections = wh.exists("ops.objections") ? wh.read("ops.objections").where(p).collectAsList() : List.of();
        List<Row> decisions = wh.exists("ops.objection_decisions") ? wh.read("ops.objection_decisions").collectAsList() : List.of();
        Map<String, Row> drafts = new HashMap<>();
        List<Row> finals = new ArrayList<>();
        for (Row r : pubs) {
            if ("draft".equals(r.getAs("status"))) drafts.put(r.getAs("publication_id"), r); else finals.add(r);
        }
        Row fin = finals.isEmpty() ? null : finals.get(0);
        Instant finalAt = fin == null ? null : fin.getAs("created_at");
        if (finals.size() > 1) problems.add(Lang.t(m + " 有 " + finals.size() + " 条正式发布记录", m + " has " + finals.size() + " final publications"));

        Map<String, Row> byId = new HashMap<>();
        for (Row o : objections) {
            String id = o.getAs("objection_id");
            byId.put(id, o);
            Row d = drafts.get(o.<String>getAs("draft_id"));
            Instant filed = o.getAs("filed_at");
            if (d == null) problems.add(Lang.t("异议 " + id + " 指向不存在的公示稿 " + o.getAs("draft_id"), "objection " + id + " names no draft of " + m + ": " + o.getAs("draft_id")));
            else if (filed.isBefore(d.getAs("created_at"))) problems.add(Lang.t("异议 " + id + " 早于其公示稿", "objection " + id + " was filed before its draft"));
            if (finalAt != null && filed.isAfter(finalAt)) problems.add(Lang.t("异议 " + id + " 晚于正式发布", "objection " + id + " was filed after the final"));
        }
        checked.add(Lang.t("异议 " + objections.size() + " 项", objections.size() + " objections"));
        Map<String, Row> decided = new HashMap<>();
        for (Row d : decisions) {
            String id = d.getAs("objection_id");
            if (!m.toString().equals(d.getAs("period"))) continue;
            Row o = byId.get(id);
            if (o == null) { problems.add(Lang.t("裁决指向不存在的异议 " + id, "a decision names no objection: " + id)); continue; }
            if (decided.put(id, d) != null) problems.add(Lang.t("异议 " + id + " 有多条裁决", "objection " + id + " has more than one decision"));
            Instant at = d.getAs("decided_at");
            if (at.isBefore(o.getAs("filed_at"))) problems.add(Lang.t("异议 " + id + " 的裁决早于异议本身", "objection " + id + " was decided before it was filed"));
            if (finalAt != null && at.isAfter(finalAt)) problems.add(Lang.t("异议 " + id + " 在正式发布之后才裁决", "objection " + id + " was decided after the final"));
        }
        checked.add(Lang.t("裁决 " + decided.size() + " 项", decided.size() + " decisions"));

        if (fin != null) {
            problems.addAll(checkFinal(spark, wh, m, fin, drafts, objections, decided));
            checked.add(Lang.t("正式发布 " + fin.getAs("publication_id"), "final " + fin.getAs("publication_id")));
        }
        for (Row pub : pubs) problems.addAll(readable(spark, wh, pub));
        checked.add(Lang.t("发布记录的表版本 " + pubs.size() + " 条", "recorded versions of " + pubs.size() + " publications"));
        return new Report(problems, checked);
    }

    private static List<String> checkFinal(SparkSession spark, Warehouse wh, YearMonth m, Row fin, Map<String, Row> drafts,
                                           List<Row> objections, Map<String, Row> decided) {
        List<String> out = new ArrayList<>();
        Instant at = fin.getAs("created_at");
        Row draft = drafts.get(fin.<String>getAs("draft_id"));
        if (draft == null) {
            out.add(Lang.t("正式发布指向不存在的公示稿 " + fin.getAs("draft_id"), "the final names no draft: " + fin.getAs("draft_id")));
            return out;
        }
        for (Row d : drafts.values()) {
            Instant c = d.getAs("created_at");
            if (c.isAfter(draft.getAs("created_at")) && c.isBefore(at)) {
                out.add(Lang.t("正式发布依据的不是最新公示稿（" + d.getAs("publication_id") + " 更新）",
                        "the final does not finalise the latest draft (" + d.getAs("publication_id") + " is newer)"));
            }
        }
        LocalDate day = LocalDate.ofInstant(at, Periods.ZONE);
        if (!Boolean.TRUE.equals(fin.getAs("forced")) && PublishJob.publicityOpen(draft, day)) {
            out.add(Lang.t("正式发布（" + day + "）早于公示期结束（" + draft.getAs("publicity_end") + "），且未记录为提前发布",
                    "the final (" + day + ") came before the publicity end (" + draft.getAs("publicity_end") + ") and is not recorded as forced"));
        }
        Set<String> upheld = new TreeSet<>();
        Map<String, String> upheldEntries = new HashMap<>();
        for (Row o : objections) {
            Row d = decided.get(o.<String>getAs("objection_id"));
            boolean before = ((Instant) o.getAs("filed_at")).isBefore(at);
            if (before && (d == null || ((Instant) d.getAs("decided_at")).isAfter(at))) {
                out.add(Lang.t("正式发布时异议 " + o.getAs("objection_id") + " 尚未裁决", "objection " + o.getAs("objection_id") + " was pending at the final"));
            }
            if (d != null && "upheld".equals(d.getAs("status"))) upheldEntries.put(o.getAs("company_id") + "|" + o.getAs("list"), o.getAs("objection_id"));
        }
        Map<String, Long> published = Json.versions(Json.object(draft.getAs("table_versions")), "published");
        List<Row> draftRows = Publications.at(spark, wh, "gold.red_black_list", published.get("gold.red_black_list"), m).collectAsList();
        for (Row r : draftRows) if (upheldEntries.containsKey(r.getAs("company_id") + "|" + r.getAs("list"))) upheld.add(r.getAs("company_id"));
        List<String> want = sorted(PublishJob.finalRows(draftRows, upheld, fin.getAs("publication_id")));
        Map<String, Long> finalVersions = Json.versions(Json.object(fin.getAs("table_versions")), "final");
        Long recorded = finalVersions.get("gold.red_black_list_final");
        if (recorded != null && !want.equals(sorted(Publications.at(spark, wh, "gold.red_black_list_final", recorded, m).collectAsList()))) {
            out.add(Lang.t("正式名单（记录的版本 " + recorded + "）不等于公示稿减去异议成立的条目", "the final list at its recorded version " + recorded
                    + " is not the draft minus the upheld entries"));
        }
        if (!want.equals(sorted(wh.read("gold.red_black_list_final").where(col("period").equalTo(m.toString())).collectAsList()))) {
            out.add(Lang.t("gold.red_black_list_final 中 " + m + " 的现有行与正式发布不一致", "the rows of " + m + " in gold.red_black_list_final differ from the final publication"));
        }
        return out;
    }

    static List<String> sorted(List<Row> rows) {
        List<String> s = new ArrayList<>();
        for (Row r : rows) s.add(r.toString());
        s.sort(null);
        return s;
    }

    /** Every table version a publication recorded (any nesting of table → version in its JSON) can still be read. */
    @SuppressWarnings("unchecked")
    private static List<String> readable(SparkSession spark, Warehouse wh, Row pub) {
        List<String> out = new ArrayList<>();
        Map<String, Long> all = new java.util.TreeMap<>();
        for (Object v : Json.object(pub.getAs("table_versions")).values()) {
            if (v instanceof Map<?, ?> inner) {
                for (Map.Entry<String, Object> e : ((Map<String, Object>) inner).entrySet()) {
                    if (e.getValue() instanceof Number n) all.merge(e.getKey(), n.longValue(), Math::max);
                }
            }
        }
        for (Map.Entry<String, Long> e : all.entrySet()) {
            try {
                spark.read().format("delta").option("versionAsOf", e.getValue()).load(wh.path(e.getKey())).schema();
            } catch (RuntimeException ex) {
                out.add(Lang.t(pub.getAs("publication_id") + " 记录的 " + e.getKey() + " 版本 " + e.getValue() + " 已无法读取",
                        pub.getAs("publication_id") + " recorded " + e.getKey() + " version " + e.getValue() + ", which can no longer be read"));
            }
        }
        return out;
    }

    /** Commits of an append-only table that removed or changed rows. */
    private static List<String> appendOnly(Warehouse wh, String table) {
        List<String> out = new ArrayList<>();
        for (Row h : wh.delta(table).history().collectAsList()) {
            long version = h.getAs("version");
            String op = h.getAs("operation");
            Map<String, String> metrics = h.getAs("operationMetrics") == null ? Map.of()
                    : scala.jdk.javaapi.CollectionConverters.asJava(h.<scala.collection.Map<String, String>>getAs("operationMetrics"));
            Map<String, String> params = h.getAs("operationParameters") == null ? Map.of()
                    : scala.jdk.javaapi.CollectionConverters.asJava(h.<scala.collection.Map<String, String>>getAs("operationParameters"));
            boolean ok = switch (op) {
                // ADD COLUMNS: Warehouse.addMissingColumns appends nullable columns, no row changes
                case "CREATE TABLE", "SET TBLPROPERTIES", "ADD COLUMNS" -> true;
                case "WRITE" -> table.startsWith("gold.") ? replacesOnlyAnEmptyPeriod(metrics) : !params.getOrDefault("mode", "").contains("Overwrite") || version == 0;
                case "MERGE" -> zero(metrics, "numTargetRowsUpdated") && zero(metrics, "numTargetRowsDeleted")
                        && zero(metrics, "numTargetRowsMatchedUpdated") && zero(metrics, "numTargetRowsMatchedDeleted");
                default -> false;
            };
            if (!ok) {
                out.add(Lang.t(table + " 第 " + version + " 版（" + op + "，" + h.getAs("userMetadata") + "）修改或删除了已有记录：不是 govind 的写入",
                        table + " version " + version + " (" + op + ", " + h.getAs("userMetadata") + ") changed or removed rows: not a govind write"));
            }
        }
        return out;
    }

    /** A final list write: replaceWhere on a period that had no rows yet (so nothing was removed). */
    private static boolean replacesOnlyAnEmptyPeriod(Map<String, String> metrics) {
        return zero(metrics, "numRemovedFiles") && zero(metrics, "numDeletedRows");
    }

    private static boolean zero(Map<String, String> metrics, String key) {
        String v = metrics.get(key);
        return v == null || v.equals("0");
    }
}
