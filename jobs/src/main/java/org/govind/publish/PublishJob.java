package org.govind.publish;

import org.govind.store.Publications;
import org.govind.core.Periods;
import org.govind.core.ExitCode;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.govind.core.Lang;
import org.govind.rating.RatingJob;
import org.govind.rules.Rules;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;
import org.govind.spark.SparkSchemas;
import org.govind.spark.Warehouse;
import org.govind.util.Actor;
import org.govind.util.Json;
import org.govind.util.Refusal;

/**
 * The monthly publication workflow of the red/black lists, recorded in {@code ops.publications}
 * and {@code ops.objections}: a draft opens the publicity period (publicity.days working days);
 * objections are filed against draft entries and decided; the final publication, once no objection
 * is pending and the period is over (or --force, logged), removes the entries whose objection was
 * upheld and freezes the list in {@code gold.red_black_list_final}. A final publication is never
 * changed. Time comes from the given clock (Asia/Shanghai dates), so tests can move it.
 */
public final class PublishJob {

    /** What a publish step did, for the CLI to print. */
    public record Outcome(String publicationId, String status, LocalDate publicityEnd, Map<String, Long> entries,
                          List<String> lines, boolean changed) {}

    private PublishJob() {}

    /** The issuer printed on a bulletin when neither --issuer, GOVIND_ISSUER nor the conf key issuer names one. */
    public static final String DEFAULT_ISSUER = "中共市委组织部";

    static LocalDate today(Clock clock) { return LocalDate.ofInstant(clock.instant(), Periods.ZONE); }

    /** A draft issued by {@link #DEFAULT_ISSUER} in Chinese. */
    public static Outcome draft(SparkSession spark, String warehouse, YearMonth m, Rules rules, Clock clock) {
        return draft(spark, warehouse, m, rules, clock, DEFAULT_ISSUER, "zh");
    }

    /**
     * {@code govind publish --period m}: a new draft from the month's current ratings and lists, recording
     * its issuer and language, and the versions of every table its bulletin reads.
     */
    public static Outcome draft(SparkSession spark, String warehouse, YearMonth m, Rules rules, Clock clock, String issuer, String lang) {
        Warehouse wh = open(spark, warehouse);
        Row fin = Publications.latest(wh, m, "final");
        if (fin != null) {
            throw new Refusal(ExitCode.ALREADY_FINAL, Lang.t(m + " 已正式发布（" + fin.getAs("publication_id") + "），不能再发布公示稿",
                    m + " is already published as final (" + fin.getAs("publication_id") + "): no new draft"));
        }
        List<Row> computed = wh.read("ops.compute_runs").where(col("period").equalTo(m.toString())).collectAsList();
        if (computed.isEmpty()) {
            throw new Refusal(ExitCode.FAILED, Lang.t(m + " 尚未计算指标：请依次运行 compute、rate、lists",
                    m + " is not computed: run compute, rate and lists first"));
        }
        Row c = computed.get(0);
        if ("failed_checks".equals(c.getAs("status"))) {
            throw new Refusal(ExitCode.FAILED_CHECKS, Lang.t(m + " 的数据质量检查未通过（错误 " + c.getAs("errors")
                    + " 项，见 ops.quality_checks）：不能发布。核实后可用 compute --allow-failed-checks 放行，再重新 rate、lists",
                    m + " failed its quality checks (" + c.getAs("errors") + " errors, see ops.quality_checks): not published. "
                            + "After checking, accept it with compute --allow-failed-checks, then run rate and lists again"));
        }
        Row rate = RatingJob.run(wh, m, "rate"), lists = RatingJob.run(wh, m, "lists");
        if (rate == null || lists == null) {
            throw new Refusal(ExitCode.FAILED, Lang.t(m + " 尚未" + (rate == null ? "评级：请先运行 rate 和 lists" : "生成榜单：请先运行 lists"),
                    m + (rate == null ? " is not rated: run rate and lists first" : " has no lists: run lists first")));
        }
        Instant computedAt = c.getAs("computed_at"), ratedAt = rate.getAs("ran_at");
        if (computedAt.isAfter(ratedAt)) {
            throw new Refusal(ExitCode.FAILED, Lang.t(m + " 的指标在评级之后重新计算过：请重新运行 rate 和 lists",
                    m + " was recomputed after it was rated: run rate and lists again"));
        }
        String computedFrom = c.getAs("input_versions");
        if (computedFrom != null) {
            Map<String, Long> inputs = Json.versions(computedFrom), rated = Json.versions(rate.getAs("input_versions"));
            for (String t : List.of("bronze.cases", "silver.compounds", "silver.property_companies")) {
                if (inputs.containsKey(t) && rated.containsKey(t) && !inputs.get(t).equals(rated.get(t))) {
                    throw new Refusal(ExitCode.FAILED, Lang.t("计算指标之后又接入了新的导出（" + t + " 版本 " + inputs.get(t) + " → " + rated.get(t)
                                    + "）：指标与企业评级的数据不一致，请依次重新运行 compute、rate、lists",
                            "exports were ingested after " + m + " was computed (" + t + " version " + inputs.get(t) + " → " + rated.get(t)
                                    + "): indicators and company ratings rest on different data; run compute, rate and lists again"));
                }
            }
        }
        Map<String, Long> rateOut = Json.versions(rate.getAs("output_versions"));
        Map<String, Long> listsIn = Json.versions(lists.getAs("input_versions"));
        if (!rateOut.get("gold.company_ratings").equals(listsIn.get("gold.company_ratings"))) {
            throw new Refusal(ExitCode.FAILED, Lang.t(m + " 的榜单基于旧的评级结果：请重新运行 lists",
                    "the lists of " + m + " were made from older ratings: run lists again"));
        }
        if (!rules.sha256().equals(rate.getAs("rules_sha256")) || !rules.sha256().equals(lists.getAs("rules_sha256"))) {
            throw new Refusal(ExitCode.FAILED, Lang.t("规则文件 " + rules.source() + " 与评级、榜单所用的不同：请用当前规则重新运行 rate 和 lists",
                    "the rules file " + rules.source() + " is not the one the ratings and lists used: run rate and lists again"));
        }
        Map<String, Object> versions = new LinkedHashMap<>();
        versions.put("rate", Json.versions(rate.getAs("input_versions")));
        versions.put("lists", listsIn);
        Map<String, Long> published = new TreeMap<>(rateOut);
        published.putAll(Json.versions(lists.getAs("output_versions")));
        versions.put("published", published);
        versions.put("read", Publications.currentVersions(wh, List.of("ops.compute_runs", "ops.rating_runs")));
        // the rest of what the bulletin shows (leaderboard, quality box, trends): re-rendering reads these versions
        versions.put("bulletin", Publications.currentVersions(wh, BulletinReader.TABLES));

        Dataset<Row> list = Publications.at(spark, wh, "gold.red_black_list", published.get("gold.red_black_list"), m);
        Map<String, Long> entries = countByList(list);
        int n = (int) wh.read("ops.publications").where(col("period").equalTo(m.toString())).count();
        String id = m + "-draft-" + (n + 1);
        LocalDate end = rules.publicityEnd(today(clock));
        insert(spark, wh, RowFactory.create(id, m.toString(), "draft", clock.instant(), end, rules.sha256(), rules.text(),
                Json.write(versions), total(entries), false, null, null, null, issuer, lang, Actor.by()));
        List<String> lines = new ArrayList<>();
        if (n > 0) lines.add(Lang.t("（取代此前的公示稿，公示期重新起算）", "(replaces the earlier draft; the publicity period starts again)"));
        return new Outcome(id, "draft", end, entries, lines, true);
    }

    /** The final with the draft's issuer, in Chinese. */
    public static Outcome finalise(SparkSession spark, String warehouse, YearMonth m, Clock clock, boolean force) {
        return finalise(spark, warehouse, m, clock, force, DEFAULT_ISSUER, false, "zh");
    }

    /**
     * {@code govind publish --period m --final [--force]}. The final records its issuer: {@code issuer} when
     * {@code issuerGiven} (--issuer on the command line), else the draft's (else {@code issuer}, for a draft
     * from before issuers were recorded); its language; and the draft's bulletin versions, so the final
     * bulletin shows what the draft showed, with the final list.
     */
    public static Outcome finalise(SparkSession spark, String warehouse, YearMonth m, Clock clock, boolean force,
                                   String issuer, boolean issuerGiven, String lang) {
        Warehouse wh = open(spark, warehouse);
        Row fin = Publications.latest(wh, m, "final");
        if (fin != null) {
            Instant at = fin.getAs("created_at");
            return new Outcome(fin.getAs("publication_id"), "final", fin.getAs("publicity_end"), Map.of(),
                    List.of(Lang.t(m + " 已于 " + at.atZone(Periods.ZONE).toLocalDateTime().withNano(0) + " 正式发布（"
                                    + fin.getAs("publication_id") + "）；正式发布不可变更，本次未做任何改动",
                            m + " was published as final at " + at + " (" + fin.getAs("publication_id")
                                    + "); a final publication never changes: nothing was done")), false);
        }
        Row draft = Publications.latest(wh, m, "draft");
        if (draft == null) {
            throw new Refusal(ExitCode.FAILED, Lang.t(m + " 没有公示稿：请先运行 publish --period " + m,
                    m + " has no draft: run publish --period " + m + " first"));
        }
        List<Row> objections = Publications.objections(wh).where(col("period").equalTo(m.toString())).orderBy("objection_id").collectAsList();
        List<String> pending = new ArrayList<>();
        for (Row o : objections) if ("pending".equals(o.getAs("status"))) pending.add(o.getAs("objection_id") + " (" + o.getAs("company_id") + ")");
        if (!pending.isEmpty()) {
            throw new Refusal(ExitCode.PENDING_OBJECTION, Lang.t("有 " + pending.size() + " 项异议尚未裁决，不能正式发布（--force 也不行）：" + String.join("，", pending),
                    pending.size() + " objection(s) are not decided; no final publication (not even with --force): " + String.join(", ", pending)));
        }
        LocalDate end = draft.getAs("publicity_end");
        LocalDate today = today(clock);
        boolean early = publicityOpen(draft, today);
        if (early && !force) {
            throw new Refusal(ExitCode.PUBLICITY_RUNNING, Lang.t("公示期至 " + end + " 结束，" + end.plusDays(1) + " 起方可正式发布（--force 可提前，将记录在案）",
                    "the publicity period runs until " + end + "; final publication from " + end.plusDays(1)
                            + " (--force publishes early and is recorded)"));
        }
        Map<String, Object> versions = Json.object(draft.getAs("table_versions"));
        Map<String, Long> published = Json.versions(versions, "published");
        Row rate = RatingJob.run(wh, m, "rate"), lists = RatingJob.run(wh, m, "lists");
        Map<String, Long> current = new TreeMap<>();
        if (rate != null) current.putAll(Json.versions(rate.getAs("output_versions")));
        if (lists != null) current.putAll(Json.versions(lists.getAs("output_versions")));
        if (!current.equals(new TreeMap<>(published))) {
            // the next month's adjustment reads this month's stars: they must be the published ones
            throw new Refusal(ExitCode.FAILED, Lang.t("公示稿 " + draft.getAs("publication_id") + " 之后又重新评级或生成了榜单：请重新发布公示稿（publish --period " + m + "）",
                    m + " was rated or listed again after draft " + draft.getAs("publication_id") + ": publish a new draft (publish --period " + m + ")"));
        }
        long listVersion = published.get("gold.red_black_list");
        List<Row> draftRows = Publications.at(spark, wh, "gold.red_black_list", listVersion, m).collectAsList();
        // an upheld objection removes the entry it was filed against: the same company on the same list
        Map<String, String> upheld = new TreeMap<>();
        for (Row o : objections) {
            if ("upheld".equals(o.getAs("status"))) upheld.put(o.getAs("company_id") + "|" + o.getAs("list"), o.getAs("objection_id"));
        }
        String id = m + "-final";
        List<Map<String, String>> removed = new ArrayList<>();
        java.util.Set<String> removedCompanies = new java.util.TreeSet<>();
        for (Row r : draftRows) {
            String company = r.getAs("company_id"), objection = upheld.get(company + "|" + r.getAs("list"));
            if (objection != null) {
                removed.add(Map.of("company_id", company, "objection_id", objection, "list", r.getAs("list")));
                removedCompanies.add(company);
            }
        }
        List<Row> finalRows = finalRows(draftRows, removedCompanies, id);
        TableDef finalTable = Schemas.get().table("gold.red_black_list_final");
        spark.createDataFrame(finalRows, SparkSchemas.of(finalTable)).write().format("delta").mode("overwrite")
                .option("replaceWhere", "period = '" + m + "'").option("userMetadata", Actor.meta("govind-publish " + id))
                .save(wh.path(finalTable.qualifiedName()));
        Map<String, Object> fv = new LinkedHashMap<>(versions);
        Map<String, Long> read = new TreeMap<>(Publications.currentVersions(wh, List.of("ops.objections", "ops.objection_decisions", "ops.publications")));
        read.put("gold.red_black_list_final", wh.version("gold.red_black_list_final"));
        fv.put("final", read);
        fv.putIfAbsent("bulletin", Publications.currentVersions(wh, BulletinReader.TABLES));   // a draft from before they were recorded
        String draftIssuer = Publications.text(draft, "issuer");
        String finalIssuer = issuerGiven || draftIssuer == null ? issuer : draftIssuer;
        String note = early ? Lang.t("公示期（至 " + end + "）未满，使用 --force 提前发布", "published with --force before the publicity period ended (" + end + ")") : null;
        insert(spark, wh, RowFactory.create(id, m.toString(), "final", clock.instant(), end, draft.getAs("rules_sha256"),
                draft.getAs("rules_text"), Json.write(fv), finalRows.size(), early, Json.write(removed), draft.getAs("publication_id"), note,
                finalIssuer, lang, Actor.by()));
        List<String> lines = new ArrayList<>();
        if (early) lines.add(Lang.t("⚠ 公示期未满（至 " + end + "），按 --force 提前发布，已记录在 ops.publications", "⚠ publicity period not over (until " + end + "): published early with --force, recorded in ops.publications"));
        for (Map<String, String> r : removed) {
            lines.add(Lang.t("移除 " + r.get("company_id") + "（" + listLabel(r.get("list")) + "）：异议 " + r.get("objection_id") + " 成立",
                    "removed " + r.get("company_id") + " (" + r.get("list") + "): objection " + r.get("objection_id") + " upheld"));
        }
        Map<String, Long> entries = new TreeMap<>();
        for (Row r : finalRows) entries.merge(r.getAs("list"), 1L, Long::sum);
        return new Outcome(id, "final", end, entries, lines, true);
    }

    /** Whether the draft's publicity period is still running on {@code today}: until its last day; none when publicity.days was 0. */
    static boolean publicityOpen(Row draft, LocalDate today) {
        LocalDate end = draft.getAs("publicity_end");
        LocalDate drafted = ((Instant) draft.getAs("created_at")).atZone(Periods.ZONE).toLocalDate();
        return end.isAfter(drafted) && !today.isAfter(end);
    }

    /** The draft rows minus the removed companies, positions renumbered within (district, list), with the publication id. */
    public static List<Row> finalRows(List<Row> draftRows, java.util.Set<String> removedCompanies, String publicationId) {
        List<Row> kept = new ArrayList<>();
        for (Row r : draftRows) if (!removedCompanies.contains(r.<String>getAs("company_id"))) kept.add(r);
        kept.sort(Comparator.comparing((Row r) -> r.<String>getAs("district_code")).thenComparing(r -> r.<String>getAs("list"))
                .thenComparing(r -> r.getAs("position") == null ? Integer.MAX_VALUE : r.<Integer>getAs("position"))
                .thenComparing(r -> r.<String>getAs("company_id")));
        List<Row> out = new ArrayList<>();
        Map<String, Integer> next = new TreeMap<>();
        // by column name: the final table is the list's columns plus publication_id, in its own order
        TableDef fin = Schemas.get().table("gold.red_black_list_final");
        org.apache.spark.sql.types.StructType schema = SparkSchemas.of(fin);
        int iPos = fin.indexOf("position");
        for (Row r : kept) {
            Object[] v = new Object[fin.columns().size()];
            for (int i = 0; i < v.length; i++) {
                String name = fin.columns().get(i).name();
                // a draft listed before reason_details existed has no such column: null
                v[i] = name.equals("publication_id") ? publicationId
                        : java.util.Arrays.asList(r.schema().fieldNames()).contains(name) ? r.getAs(name) : null;
            }
            if (v[iPos] != null) v[iPos] = next.merge(r.getAs("district_code") + "|" + r.getAs("list"), 1, Integer::sum);
            out.add(new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(v, schema));
        }
        return out;
    }

    /** {@code govind objection add}: a pending objection against an entry of the month's current draft; returns its id. */
    public static String addObjection(SparkSession spark, String warehouse, YearMonth m, String companyId, String reason, Clock clock) {
        return addObjection(spark, warehouse, m, companyId, reason, "other", clock);
    }

    /** {@code govind objection add --channel}: as above, recording how the objection was received and who recorded it. */
    public static String addObjection(SparkSession spark, String warehouse, YearMonth m, String companyId, String reason,
                                      String channel, Clock clock) {
        Warehouse wh = open(spark, warehouse);
        if (reason == null || reason.isBlank()) throw new Refusal(ExitCode.FAILED, Lang.t("异议理由不能为空", "the reason must not be empty"));
        Row fin = Publications.latest(wh, m, "final");
        if (fin != null) {
            throw new Refusal(ExitCode.ALREADY_FINAL, Lang.t(m + " 已正式发布，不再受理异议", m + " is published as final: no more objections"));
        }
        Row draft = Publications.latest(wh, m, "draft");
        if (draft == null) {
            throw new Refusal(ExitCode.FAILED, Lang.t(m + " 没有公示稿，无可异议的名单", m + " has no draft list to object to"));
        }
        long listVersion = Json.versions(Json.object(draft.getAs("table_versions")), "published").get("gold.red_black_list");
        List<Row> entry = Publications.at(spark, wh, "gold.red_black_list", listVersion, m).where(col("company_id").equalTo(companyId)).collectAsList();
        if (entry.isEmpty()) {
            throw new Refusal(ExitCode.FAILED, Lang.t("企业 " + companyId + " 不在 " + m + " 的公示名单（" + draft.getAs("publication_id")
                            + "）中；企业编号形如 <区县代码>:<企业编号>",
                    "company " + companyId + " is not on the draft list of " + m + " (" + draft.getAs("publication_id")
                            + "); company ids look like <district_code>:<company_id>"));
        }
        long n = wh.read("ops.objections").where(col("period").equalTo(m.toString())).count();
        String id = String.format("YI-%s-%03d", m, n + 1);
        Row e = entry.get(0);
        Row row = RowFactory.create(id, m.toString(), e.getAs("district_code"), companyId, e.getAs("list"),
                draft.getAs("publication_id"), reason, clock.instant(), Actor.by(), channel);
        append(spark, wh, "ops.objections", "objection_id", row);
        return id;
    }

    /** {@code govind objection decide}: records the decision of a pending objection, once. */
    public static Row decideObjection(SparkSession spark, String warehouse, String objectionId, boolean upheld, String note, Clock clock) {
        Warehouse wh = open(spark, warehouse);
        if (note == null || note.isBlank()) throw new Refusal(ExitCode.FAILED, Lang.t("裁决说明（--note）不能为空", "--note must not be empty"));
        List<Row> rows = Publications.objections(wh).where(col("objection_id").equalTo(objectionId)).collectAsList();
        if (rows.isEmpty()) throw new Refusal(ExitCode.FAILED, Lang.t("没有编号为 " + objectionId + " 的异议", "no objection " + objectionId));
        Row o = rows.get(0);
        YearMonth m = YearMonth.parse(o.getAs("period"));
        if (Publications.latest(wh, m, "final") != null) {
            throw new Refusal(ExitCode.ALREADY_FINAL, Lang.t(m + " 已正式发布，不再裁决异议", m + " is published as final: no more decisions"));
        }
        if (!"pending".equals(o.getAs("status"))) {
            throw new Refusal(ExitCode.FAILED, Lang.t("异议 " + objectionId + " 已于 " + o.getAs("decided_at") + " 裁决为“" + statusLabel(o.getAs("status")) + "”，裁决不可更改",
                    "objection " + objectionId + " was already decided (" + o.getAs("status") + " at " + o.getAs("decided_at") + "); a decision is not changed"));
        }
        Row decision = RowFactory.create(objectionId, m.toString(), upheld ? "upheld" : "rejected", clock.instant(), Actor.by(), note);
        append(spark, wh, "ops.objection_decisions", "objection_id", decision);
        return Publications.objections(wh).where(col("objection_id").equalTo(objectionId)).collectAsList().get(0);
    }


    /** Appends one row to an append-only ops table (insert-only MERGE on its key: a retried write adds nothing). */
    private static void append(SparkSession spark, Warehouse wh, String table, String key, Row row) {
        Dataset<Row> src = spark.createDataFrame(List.of(row), SparkSchemas.of(Schemas.get().table(table)));
        DeltaTable.forPath(spark, wh.path(table)).as("t").merge(src.as("s"), "t." + key + " = s." + key)
                .whenNotMatched().insertAll().execute();
    }




    static String listLabel(String list) {
        return switch (list) {
            case "red" -> Lang.t("红榜", "red list");
            case "black" -> Lang.t("黑榜", "black list");
            default -> Lang.t("本月不参评", "not rated");
        };
    }

    static String statusLabel(String s) {
        return switch (s) {
            case "pending" -> Lang.t("待裁决", "pending");
            case "upheld" -> Lang.t("成立", "upheld");
            case "rejected" -> Lang.t("不成立", "rejected");
            default -> s;
        };
    }

    private static Warehouse open(SparkSession spark, String warehouse) {
        Warehouse wh = Warehouse.open(spark, warehouse);
        for (String layer : List.of("gold", "ops")) wh.ensureAll(layer);
        // issuer and lang came later: an older warehouse's ops.publications gains them (its old rows read null)
        wh.addMissingColumns(Schemas.get().table("ops.publications"));
        // reason_details came later: an older final list gains it (its old rows read null)
        wh.addMissingColumns(Schemas.get().table("gold.red_black_list_final"));
        return wh;
    }

    private static Map<String, Long> countByList(Dataset<Row> list) {
        Map<String, Long> out = new TreeMap<>();
        for (Row r : list.groupBy("list").count().collectAsList()) out.put(r.getString(0), r.getLong(1));
        return out;
    }

    private static int total(Map<String, Long> entries) {
        return (int) entries.values().stream().mapToLong(Long::longValue).sum();
    }

    private static void insert(SparkSession spark, Warehouse wh, Row row) {
        append(spark, wh, "ops.publications", "publication_id", row);
    }
}
