package org.govind.publish;

import org.govind.store.Publications;
import org.govind.core.ExitCode;
import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.govind.reports.Bulletin;
import org.govind.rating.ListReasons;
import org.govind.reports.Texts;
import org.govind.schema.ColumnDef;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;
import org.govind.spark.Warehouse;
import org.govind.core.Lang;
import org.govind.util.Json;
import org.govind.util.Refusal;

/**
 * Reads what a publication shows from the warehouse into a plain {@link Bulletin} for the
 * renderers, every table at a version the publication recorded (Delta time travel), so rendering a
 * publication again gives the same bytes whatever was computed since: the lists, stars and ratings
 * at the published versions (the frozen final list once final), the month's indicators at the
 * versions its ratings read, and the leaderboard, quality findings and 12-month trends at the
 * versions recorded under {@code bulletin} ({@link #TABLES}). A publication from before those were
 * recorded reads them as they stand.
 */
public final class BulletinReader {
    /** Leaderboard rows per district in the bulletin. */
    public static final int LEADERS = 10;


    /**
     * The tables the bulletin reads besides the rating inputs and the published gold tables, whose
     * versions a publication records under {@code bulletin}: the leaderboard, the quality findings, and
     * the trend sources (indicators of the 11 months before, the lists of earlier months).
     */
    public static final List<String> TABLES = List.of("gold.case_indicators", "gold.points_leaderboard", "ops.quality_checks",
            "gold.red_black_list", "gold.red_black_list_final");

    private BulletinReader() {}

    public static Map<String, String> districtNames() {
        Properties p = new Properties();
        try (InputStream in = BulletinReader.class.getClassLoader().getResourceAsStream("govind/districts.properties")) {
            if (in != null) p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> m = new TreeMap<>();
        for (String k : p.stringPropertyNames()) m.put(k, p.getProperty(k));
        return m;
    }

    /** Renders with {@code issuer} given explicitly (see {@link #render(SparkSession, String, YearMonth, String, String, boolean, java.nio.file.Path)}). */
    public static org.govind.reports.Publisher.Result render(SparkSession spark, String warehouse, YearMonth m, String lang,
                                                             String issuer, java.nio.file.Path out) {
        return render(spark, warehouse, m, lang, issuer, true, out);
    }

    /**
     * Renders the month's current publication (the final, else the latest draft) to {@code out/<period>/}
     * ({@code out/<period>-<lang>/} for a language other than Chinese). The bulletin shows the issuer the
     * publication recorded: an {@code issuer} given explicitly ({@code issuerGiven}, i.e. --issuer) that differs
     * is refused, since a publication never changes (a new draft may name another issuer); otherwise
     * {@code issuer} is only used for a publication from before issuers were recorded.
     */
    public static org.govind.reports.Publisher.Result render(SparkSession spark, String warehouse, YearMonth m, String lang,
                                                             String issuer, boolean issuerGiven, java.nio.file.Path out) {
        org.govind.reports.Fonts.get();   // no CJK font: stop before reading anything
        checkOut(out, m, lang);
        Warehouse wh = Warehouse.open(spark, warehouse);
        Row pub = Publications.latest(wh, m, "final");
        if (pub == null) pub = Publications.latest(wh, m, "draft");
        if (pub == null) throw new Refusal(ExitCode.FAILED, new Texts(lang).t(m + " 没有发布记录", m + " has no publication"));
        String recorded = Publications.text(pub, "issuer"), id = pub.getAs("publication_id");
        if (recorded != null && issuerGiven && issuer != null && !issuer.equals(recorded)) {
            boolean fin = "final".equals(pub.getAs("status"));
            throw new Refusal(fin ? ExitCode.ALREADY_FINAL : ExitCode.FAILED, Lang.t(
                    id + " 记录的发文单位是“" + recorded + "”，与 --issuer “" + issuer + "”不同："
                            + (fin ? "正式发布不可变更，去掉 --issuer 即按记录的发文单位重新生成" : "要换发文单位，请重新发布公示稿（publish --period " + m + " --issuer …）"),
                    id + " was issued by \"" + recorded + "\", not --issuer \"" + issuer + "\": "
                            + (fin ? "a final publication never changes; leave out --issuer to render it again with the recorded issuer"
                                   : "to change the issuer, publish a new draft (publish --period " + m + " --issuer …)")));
        }
        try {
            return org.govind.reports.Publisher.publish(read(spark, wh, m, pub, lang, recorded != null ? recorded : issuer), out);
        } catch (org.govind.reports.Publisher.ForeignFolderException e) {
            throw foreign(e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the reports to " + out + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses (exit {@value #ExitCode.FOREIGN_FOLDER.code()}) when the month's report folder under {@code out} exists and
     * was not written by govind; call it before publishing, so a refusal leaves nothing recorded.
     */
    public static void checkOut(java.nio.file.Path out, YearMonth m, String lang) {
        try {
            org.govind.reports.Publisher.checkTarget(out, m.toString(), lang);
        } catch (org.govind.reports.Publisher.ForeignFolderException e) {
            throw foreign(e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the report folder " + out + ": " + e.getMessage(), e);
        }
    }

    private static Refusal foreign(org.govind.reports.Publisher.ForeignFolderException e) {
        String f = e.folder().toAbsolutePath().normalize().toString();
        String what = e.foreign() == null ? null : e.folder().relativize(e.foreign()).toString();
        return new Refusal(ExitCode.FOREIGN_FOLDER, what == null
                ? Lang.t(f + " 已存在，但不是 govind 生成的报告文件夹（没有 " + org.govind.reports.Publisher.MARKER + "）：不会覆盖或删除。请换一个 --out，或自行移走该文件夹",
                        f + " exists and is not a report folder written by govind (no " + org.govind.reports.Publisher.MARKER
                                + "): it is never replaced or deleted. Choose another --out, or move the folder away yourself")
                : Lang.t(f + " 中有 govind 未生成的内容（" + what + "）：不会覆盖或删除。请先移走它，或换一个 --out",
                        f + " holds " + what + ", which govind did not write: the folder is never replaced or deleted. Move it away first, or choose another --out"));
    }

    public static Bulletin read(SparkSession spark, Warehouse wh, YearMonth m, Row publication, String lang, String issuer) {
        Texts t = new Texts(lang);
        String period = m.toString();
        Map<String, Object> versions = Json.object(publication.getAs("table_versions"));
        Map<String, Long> rate = Json.versions(versions, "rate"), published = Json.versions(versions, "published");
        boolean isFinal = "final".equals(publication.getAs("status"));
        Map<String, Long> shown = new TreeMap<>();
        rate.forEach((k, v) -> { if (!k.equals("gold.compound_stars") && !k.equals("gold.company_ratings")) shown.put(k, v); });
        shown.putAll(published);
        if (isFinal) shown.put("gold.red_black_list_final", Json.versions(versions, "final").get("gold.red_black_list_final"));
        // the rest at the versions the publication recorded; a publication from before they were recorded: as they stand
        Map<String, Long> bulletin = versions.get("bulletin") instanceof Map ? Json.versions(versions, "bulletin")
                : Publications.currentVersions(wh, TABLES);
        shown.put("gold.points_leaderboard", bulletin.get("gold.points_leaderboard"));
        shown.put("ops.quality_checks", bulletin.get("ops.quality_checks"));
        for (String tr : List.of("gold.case_indicators", "gold.red_black_list", "gold.red_black_list_final")) {
            shown.put("trends: " + tr, bulletin.get(tr));
        }

        Dataset<Row> caseInd = at(spark, wh, "gold.case_indicators", rate.get("gold.case_indicators"), period);
        Dataset<Row> coverage = at(spark, wh, "gold.coverage_indicators", rate.get("gold.coverage_indicators"), period);
        Dataset<Row> stars = at(spark, wh, "gold.compound_stars", published.get("gold.compound_stars"), period);
        Dataset<Row> ratings = at(spark, wh, "gold.company_ratings", published.get("gold.company_ratings"), period);
        String listTable = isFinal ? "gold.red_black_list_final" : "gold.red_black_list";
        Dataset<Row> list = at(spark, wh, listTable, shown.get(listTable), period);
        Dataset<Row> leaders = at(spark, wh, "gold.points_leaderboard", shown.get("gold.points_leaderboard"), period);

        Map<String, String> names = districtNames();
        Row all = one(caseInd.where("level = 'all'")), allCov = one(coverage.where("level = 'all'"));
        List<Bulletin.Figure> figures = List.of(
                new Bulletin.Figure("received", t.t("受理诉求（件）", "Cases received"), num(all, "received"), "count"),
                new Bulletin.Figure("on_time_rate", t.t("按期办结率", "On-time rate"), num(all, "on_time_rate"), "percent"),
                new Bulletin.Figure("satisfaction_rate", t.t("满意率", "Satisfaction rate"), num(all, "satisfaction_rate"), "percent"),
                new Bulletin.Figure("branch_coverage", t.t("小区党组织覆盖率", "Compound party branch coverage"), num(allCov, "branch_coverage"), "percent"),
                new Bulletin.Figure("property_coverage", t.t("物业服务覆盖率", "Property service coverage"), num(allCov, "property_coverage"), "percent"),
                new Bulletin.Figure("visit_coverage", t.t("入户走访覆盖率", "Household visit coverage"), num(allCov, "visit_coverage"), "percent"),
                new Bulletin.Figure("black", t.t("黑榜企业（家）", "Companies on the black list"), (double) list.where("list = 'black'").count(), "count"),
                new Bulletin.Figure("red", t.t("红榜企业（家）", "Companies on the red list"), (double) list.where("list = 'red'").count(), "count"));

        Map<String, Row> covByDistrict = byKey(coverage.where("level = 'district'").collectAsList(), "unit_id");
        TreeSet<String> districts = new TreeSet<>(covByDistrict.keySet());
        for (Row r : ratings.select("district_code").distinct().collectAsList()) districts.add(r.getString(0));
        Map<String, List<Bulletin.Entry>> entries = new TreeMap<>();
        for (Row r : list.orderBy(col("district_code"), col("list"), col("position").asc_nulls_last(), col("company_id")).collectAsList()) {
            entries.computeIfAbsent(r.getAs("district_code") + "|" + r.getAs("list"), k -> new ArrayList<>())
                    .add(new Bulletin.Entry(r.getAs("list"), r.getAs("position"), r.getAs("company_id"), r.getAs("company_name"),
                            r.getAs("star"), r.getAs("score"), r.getAs("reasons"), ListReasons.of(field(r, "reason_details"))));
        }
        Map<String, long[]> starCounts = new TreeMap<>();
        for (Row r : stars.groupBy("district_code", "star").count().collectAsList()) {
            starCounts.computeIfAbsent(r.getString(0), k -> new long[5])[r.getInt(1) - 1] = r.getLong(2);
        }
        Map<String, List<Bulletin.Leader>> board = new TreeMap<>();
        for (Row r : leaders.where("scope_level = 'district' AND rank <= " + LEADERS).orderBy("scope_id", "rank", "holder_key").collectAsList()) {
            board.computeIfAbsent(r.getAs("scope_id"), k -> new ArrayList<>()).add(new Bulletin.Leader(r.<Integer>getAs("rank"),
                    r.getAs("display_name"), r.getAs("holder_type"), r.<BigDecimal>getAs("net_points")));
        }
        List<Bulletin.District> ds = new ArrayList<>();
        for (String d : districts) {
            Row c = covByDistrict.get(d);
            long[] sc = starCounts.getOrDefault(d, new long[5]);
            ds.add(new Bulletin.District(d, names.getOrDefault(d, d), entries.getOrDefault(d + "|red", List.of()),
                    entries.getOrDefault(d + "|black", List.of()), entries.getOrDefault(d + "|not_rated", List.of()),
                    List.of(sc[0], sc[1], sc[2], sc[3], sc[4]), num(c, "branch_coverage"), num(c, "property_coverage"),
                    num(c, "committee_rate"), board.getOrDefault(d, List.of())));
        }

        List<Bulletin.QualityNote> quality = new ArrayList<>();
        if (wh.exists("ops.quality_checks")) {
            for (Row r : at(spark, wh, "ops.quality_checks", shown.get("ops.quality_checks"), period)
                    .groupBy("district", "check", "level").agg(org.apache.spark.sql.functions.count("*").as("n"),
                            org.apache.spark.sql.functions.min("message").as("message"))
                    .orderBy(col("level"), col("district"), col("check")).collectAsList()) {
                long n = r.getAs("n");
                quality.add(new Bulletin.QualityNote(r.getAs("district"), r.getAs("check"), r.getAs("level"),
                        (n > 1 ? t.t(n + " 项，例如：", n + " findings, e.g. ") : "") + r.<String>getAs("message")));
            }
        }

        List<Bulletin.Trend> trends = trends(spark, wh, m, bulletin, districts, names, caseInd, list);
        List<Bulletin.Unit> units = units(caseInd, coverage, stars, names);
        List<Bulletin.Sheet> sheets = new ArrayList<>();
        Map<String, Dataset<Row>> sheetData = new LinkedHashMap<>();
        sheetData.put("gold.case_indicators", caseInd.orderBy("level", "unit_id"));
        sheetData.put("gold.coverage_indicators", coverage.orderBy("level", "unit_id"));
        sheetData.put("gold.points_leaderboard", leaders.orderBy("scope_level", "scope_id", "rank", "holder_key"));
        sheetData.put("gold.compound_stars", stars.orderBy("unit_id"));
        sheetData.put("gold.company_ratings", ratings.orderBy("company_id"));
        sheetData.put(listTable, list.orderBy(col("district_code"), col("list"), col("position").asc_nulls_last(), col("company_id")));
        for (Map.Entry<String, Dataset<Row>> e : sheetData.entrySet()) sheets.add(sheet(Schemas.get().table(e.getKey()), e.getValue(), t));

        Bulletin.Meta meta = new Bulletin.Meta(period, publication.getAs("status"), publication.getAs("publication_id"),
                publication.getAs("publicity_end"), issuer, publication.getAs("rules_sha256"), shown, lang);
        return new Bulletin(meta, figures, ds, quality, trends, units, sheets);
    }

    /**
     * 12 months up to m: the earlier months' indicators and lists at the recorded {@code versions}, month m
     * from this bulletin's own indicators and list (the same figures as the rest of the bulletin).
     */
    private static List<Bulletin.Trend> trends(SparkSession spark, Warehouse wh, YearMonth m, Map<String, Long> versions, TreeSet<String> districts,
                                               Map<String, String> names, Dataset<Row> caseInd, Dataset<Row> thisMonth) {
        YearMonth first = m.minusMonths(11);
        Map<String, Row> rates = new TreeMap<>();
        Dataset<Row> before = asOf(spark, wh, "gold.case_indicators", versions.get("gold.case_indicators"))
                .where(col("period").between(first.toString(), m.minusMonths(1).toString()));
        for (Row r : before.unionByName(caseInd).where(col("level").equalTo("district"))
                .select("period", "unit_id", "on_time_rate", "satisfaction_rate").collectAsList()) {
            rates.put(r.getString(0) + "|" + r.getString(1), r);
        }
        // black-list counts as published: the final list of a final month, this bulletin's own list for
        // month m, else the month's computed list (a month never listed has no point)
        Map<String, Long> black = new TreeMap<>();
        TreeSet<String> listed = new TreeSet<>();
        TreeSet<String> finals = new TreeSet<>();
        for (Row r : asOf(spark, wh, "gold.red_black_list_final", versions.get("gold.red_black_list_final"))
                .where(col("period").between(first.toString(), m.minusMonths(1).toString()))
                .groupBy("period", "district_code").agg(org.apache.spark.sql.functions.count_if(col("list").equalTo("black"))).collectAsList()) {
            black.put(r.getString(0) + "|" + r.getString(1), r.getLong(2));
            finals.add(r.getString(0));
        }
        for (Row r : asOf(spark, wh, "gold.red_black_list", versions.get("gold.red_black_list"))
                .where(col("period").between(first.toString(), m.minusMonths(1).toString()))
                .groupBy("period", "district_code").agg(org.apache.spark.sql.functions.count_if(col("list").equalTo("black"))).collectAsList()) {
            if (!finals.contains(r.getString(0))) black.put(r.getString(0) + "|" + r.getString(1), r.getLong(2));
        }
        for (Row r : thisMonth.groupBy("district_code").agg(org.apache.spark.sql.functions.count_if(col("list").equalTo("black"))).collectAsList()) {
            black.put(m + "|" + r.getString(0), r.getLong(1));
        }
        for (String k : black.keySet()) listed.add(k.substring(0, k.indexOf('|')));
        listed.add(m.toString());
        List<Bulletin.Trend> out = new ArrayList<>();
        for (String d : districts) {
            List<Bulletin.TrendPoint> pts = new ArrayList<>();
            for (YearMonth p = first; !p.isAfter(m); p = p.plusMonths(1)) {
                Row r = rates.get(p + "|" + d);
                Long b = listed.contains(p.toString()) ? black.getOrDefault(p + "|" + d, 0L) : null;
                pts.add(new Bulletin.TrendPoint(p.toString(), r == null ? null : (Double) r.getAs("on_time_rate"),
                        r == null ? null : (Double) r.getAs("satisfaction_rate"), b));
            }
            out.add(new Bulletin.Trend(d, names.getOrDefault(d, d), pts));
        }
        return out;
    }

    private static List<Bulletin.Unit> units(Dataset<Row> caseInd, Dataset<Row> coverage, Dataset<Row> stars, Map<String, String> names) {
        Map<String, Row> cov = byKey(coverage.collectAsList(), "unit_id");
        Map<String, Row> st = byKey(stars.collectAsList(), "unit_id");
        List<Bulletin.Unit> out = new ArrayList<>();
        for (Row r : caseInd.where("level <> 'all'").orderBy("district_code", "level", "unit_id").collectAsList()) {
            String level = r.getAs("level"), id = r.getAs("unit_id"), d = r.getAs("district_code");
            Row c = cov.get(id);
            String parent = switch (level) {
                case "community" -> d;
                case "compound" -> c == null ? d : d + ":" + c.<String>getAs("community_code");
                default -> null;
            };
            String name = switch (level) {
                case "district" -> names.getOrDefault(d, d);
                case "community" -> r.getAs("community_code");
                default -> r.getAs("compound_id");
            };
            Row s = st.get(id);
            out.add(new Bulletin.Unit(level, id, parent, name, r.getAs("received"), r.getAs("on_time_rate"), r.getAs("satisfaction_rate"),
                    c == null ? null : (Double) c.getAs("branch_coverage"), c == null ? null : (Double) c.getAs("visit_coverage"),
                    s == null ? null : (Integer) s.getAs("star")));
        }
        return out;
    }

    /**
     * A gold table as a sheet: Chinese headers from the schema, kinds from the column types. Columns
     * the schema flags as personal data (pii, e.g. the leaderboard's holder_key, a keyed hash of a
     * person) are left out: a publication is public, and rank plus masked name is enough.
     */
    static Bulletin.Sheet sheet(TableDef t, Dataset<Row> rows) { return sheet(t, rows, new Texts("zh")); }

    /**
     * As {@link #sheet(TableDef, Dataset)}, in a language: a list's {@code reasons} are rendered from its
     * {@code reason_details} with the list rules' texts (English for an English report), and the structured
     * reasons are shown as {@code code value / threshold}. A column the row's table version does not
     * have yet (read by time travel) is empty.
     */
    static Bulletin.Sheet sheet(TableDef t, Dataset<Row> rows, Texts tx) {
        List<ColumnDef> shown = publicColumns(t);
        List<Bulletin.Column> cols = new ArrayList<>();
        for (ColumnDef c : shown) cols.add(new Bulletin.Column(c.name(), c.alias() == null ? c.name() : c.alias(), kind(c)));
        List<List<Object>> data = new ArrayList<>();
        for (Row r : rows.collectAsList()) {
            List<Object> v = new ArrayList<>(cols.size());
            for (ColumnDef c : shown) {
                Object x = field(r, c.name());
                if (c.type() == org.govind.schema.ColumnType.REASONS) x = x == null ? null : ListReasons.text(ListReasons.of(x));
                else if (c.name().equals("reasons") && t.column("reason_details").isPresent()) {
                    x = tx.reasons(new Bulletin.Entry(null, null, null, null, null, null, (String) x, ListReasons.of(field(r, "reason_details"))));
                }
                if (x instanceof Integer i) x = i.longValue();
                if (x != null && !(x instanceof String || x instanceof Long || x instanceof Double || x instanceof BigDecimal || x instanceof Boolean)) x = x.toString();
                v.add(x);
            }
            data.add(v);
        }
        return new Bulletin.Sheet(t.name(), t.title(), cols, data);
    }

    /** The columns of a gold table that may appear in a public output: all but those flagged pii. */
    static List<ColumnDef> publicColumns(TableDef t) {
        return t.columns().stream().filter(c -> c.pii() == org.govind.schema.Pii.NONE).toList();
    }

    /** A column of a row, or null when the row's table version does not have it. */
    private static Object field(Row r, String name) {
        return java.util.Arrays.asList(r.schema().fieldNames()).contains(name) ? r.getAs(name) : null;
    }

    static String kind(ColumnDef c) {
        String n = c.name();
        return switch (c.type()) {
            case INT, LONG -> "integer";
            case DOUBLE -> n.endsWith("_rate") || n.endsWith("_coverage") || n.endsWith("_share") || n.endsWith("_participation")
                    || n.endsWith("_p0") || n.endsWith("_shrunk") || n.startsWith("comp_") ? "percent" : "number";
            case DECIMAL -> "number";
            default -> "text";
        };
    }

    private static Dataset<Row> at(SparkSession spark, Warehouse wh, String table, long version, String period) {
        return asOf(spark, wh, table, version).where(col("period").equalTo(period));
    }

    private static Dataset<Row> asOf(SparkSession spark, Warehouse wh, String table, long version) {
        return spark.read().format("delta").option("versionAsOf", version).load(wh.path(table));
    }

    private static Row one(Dataset<Row> d) {
        List<Row> r = d.collectAsList();
        return r.isEmpty() ? null : r.get(0);
    }

    private static Double num(Row r, String c) {
        if (r == null) return null;
        Object v = r.getAs(c);
        return v == null ? null : ((Number) v).doubleValue();
    }

    private static Map<String, Row> byKey(List<Row> rows, String key) {
        Map<String, Row> m = new TreeMap<>();
        for (Row r : rows) m.put(r.getAs(key), r);
        return m;
    }
}
