package org.govind.publish;

import org.govind.store.Publications;
import org.govind.core.ExitCode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.govind.core.Lang;
import org.govind.rating.RatingJob;
import org.govind.rules.Rules;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;
import org.govind.spark.Warehouse;
import org.govind.util.Json;
import org.govind.util.Refusal;

/**
 * {@code govind reproduce}: recomputes a month's ratings and lists from the table versions and the
 * rules file its publication recorded (Delta time travel), with the same code as rate and lists,
 * and compares them row by row, value by value (doubles bit for bit) with what was published.
 */
public final class Reproduce {
    /** Per table: rows compared and the differences found (at most a few kept as text). */
    public record TableCheck(String table, int published, int recomputed, int differing, List<String> examples) {
        public boolean equal() { return differing == 0 && published == recomputed; }
    }

    public record Report(String publicationId, String rulesSha256, List<TableCheck> tables) {
        public boolean equal() { return tables.stream().allMatch(TableCheck::equal); }
    }

    private Reproduce() {}

    public static Report run(SparkSession spark, String warehouse, YearMonth m) {
        Warehouse wh = Warehouse.open(spark, warehouse);
        for (String layer : List.of("gold", "ops")) wh.ensureAll(layer);
        Row pub = Publications.latest(wh, m, "final");
        if (pub == null) pub = Publications.latest(wh, m, "draft");
        if (pub == null) throw new Refusal(ExitCode.FAILED, Lang.t(m + " 没有发布记录（ops.publications），无可复现", m + " has no publication in ops.publications: nothing to reproduce"));
        String id = pub.getAs("publication_id");
        Rules rules = Rules.parse(pub.getAs("rules_text"), "ops.publications " + id);
        if (!rules.sha256().equals(pub.getAs("rules_sha256"))) {
            throw new Refusal(ExitCode.FAILED, Lang.t(id + " 记录的规则文件内容与其哈希不符", "the rules text recorded with " + id + " does not match its sha256"));
        }
        Map<String, Object> versions = Json.object(pub.getAs("table_versions"));
        Map<String, Long> rateIn = Json.versions(versions, "rate");
        Map<String, Long> published = Json.versions(versions, "published");

        RatingJob.Rated again = RatingJob.ratings(spark, wh, m, rules, rateIn);
        again.companies().createOrReplaceTempView("reproduced_company_ratings");
        Dataset<Row> lists = RatingJob.lists(spark, m, rules, "reproduced_company_ratings");

        List<TableCheck> checks = new ArrayList<>();
        checks.add(compare("gold.compound_stars", Publications.at(spark, wh, "gold.compound_stars", published.get("gold.compound_stars"), m), again.stars()));
        checks.add(compare("gold.company_ratings", Publications.at(spark, wh, "gold.company_ratings", published.get("gold.company_ratings"), m), again.companies()));
        List<Row> listRows = lists.collectAsList();
        checks.add(compare("gold.red_black_list", Publications.at(spark, wh, "gold.red_black_list", published.get("gold.red_black_list"), m).collectAsList(),
                listRows, Schemas.get().table("gold.red_black_list")));
        if ("final".equals(pub.getAs("status"))) {
            Set<String> removed = new HashSet<>();
            for (Object o : (List<?>) Json.object("{\"r\":" + pub.getAs("removed") + "}").get("r")) {
                removed.add((String) ((Map<?, ?>) o).get("company_id"));
            }
            long v = Json.versions(versions, "final").get("gold.red_black_list_final");
            checks.add(compare("gold.red_black_list_final", Publications.at(spark, wh, "gold.red_black_list_final", v, m).collectAsList(),
                    PublishJob.finalRows(listRows, removed, id), Schemas.get().table("gold.red_black_list_final")));
        }
        spark.catalog().dropTempView("reproduced_company_ratings");
        return new Report(id, rules.sha256(), checks);
    }

    public static TableCheck compare(String table, Dataset<Row> published, Dataset<Row> recomputed) {
        return compare(table, published.collectAsList(), recomputed.collectAsList(), Schemas.get().table(table));
    }

    /** Row by row on the table's key; every column compared with equals (Double.equals: bit for bit). Rows are in the table's column order. */
    public static TableCheck compare(String table, List<Row> published, List<Row> recomputed, TableDef def) {
        Map<String, Row> a = byKey(published, def), b = byKey(recomputed, def);
        Set<String> keys = new java.util.TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        int differing = 0;
        List<String> examples = new ArrayList<>();
        for (String k : keys) {
            Row x = a.get(k), y = b.get(k);
            String diff = null;
            if (x == null) diff = Lang.t("已发布中没有此行", "not in the published rows");
            else if (y == null) diff = Lang.t("重算结果中没有此行", "not in the recomputed rows");
            else {
                List<String> cols = new ArrayList<>();
                for (var c : def.columns()) {
                    Object u = x.get(def.indexOf(c.name())), w = y.get(def.indexOf(c.name()));
                    if (!Objects.equals(u, w)) cols.add(c.name() + ": " + u + " ≠ " + w);
                }
                if (!cols.isEmpty()) diff = String.join("; ", cols);
            }
            if (diff != null) {
                differing++;
                if (examples.size() < 5) examples.add(k + " — " + diff);
            }
        }
        return new TableCheck(table, published.size(), recomputed.size(), differing, examples);
    }

    private static Map<String, Row> byKey(List<Row> rows, TableDef def) {
        Map<String, Row> m = new TreeMap<>();
        for (Row r : rows) {
            StringBuilder k = new StringBuilder();
            for (String c : def.key()) k.append(k.length() == 0 ? "" : "|").append(r.get(def.indexOf(c)));
            m.put(k.toString(), r);
        }
        return m;
    }
}
