package org.govind.testing;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.govind.schema.ColumnDef;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;
import org.govind.spark.SparkSchemas;
import org.govind.spark.Warehouse;

/**
 * Hand-built warehouse contents for the gold tests: rows written straight into bronze.cases, the
 * silver tables and ops.ingest_audit (as ingestion would leave them), so each test states exactly
 * the rows the indicators are computed from. Values are strings parsed by column type
 * (timestamps "yyyy-MM-dd HH:mm:ss" in Asia/Shanghai, lists ';'-separated, "" or null = null).
 * Ids are opaque synthetic strings standing for the keyed hashes ingestion would store.
 */
public final class SilverFixture {
    public static final String D1 = LandingFixture.D1;
    public static final String D2 = LandingFixture.D2;
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private final Map<String, List<Map<String, String>>> rows = new LinkedHashMap<>();
    private int line = 1;

    /** Adds a row to a table (bronze.cases, silver.visits, silver.points, silver.<snapshot>, ops.ingest_audit). */
    public SilverFixture add(String table, String... kv) {
        Map<String, String> m = new LinkedHashMap<>(defaults(table));
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        rows.computeIfAbsent(table, k -> new ArrayList<>()).add(m);
        return this;
    }

    public SilverFixture cases(String... kv) { return add("bronze.cases", kv); }
    public SilverFixture visit(String... kv) { return add("silver.visits", kv); }
    public SilverFixture points(String... kv) { return add("silver.points", kv); }
    public SilverFixture compound(String... kv) { return add("silver.compounds", kv); }
    public SilverFixture member(String... kv) { return add("silver.members", kv); }
    public SilverFixture branch(String... kv) { return add("silver.branches", kv); }
    public SilverFixture company(String... kv) { return add("silver.property_companies", kv); }
    public SilverFixture audit(String... kv) { return add("ops.ingest_audit", kv); }

    /** Creates every bronze/silver/ops table in the warehouse and replaces the fixture's tables with its rows. */
    public Warehouse write(SparkSession spark, String warehouse) {
        Warehouse wh = Warehouse.open(spark, warehouse);
        for (String layer : List.of("bronze", "silver", "ops")) wh.ensureAll(layer);
        for (Map.Entry<String, List<Map<String, String>>> e : rows.entrySet()) {
            TableDef t = Schemas.get().table(e.getKey());
            List<Row> out = new ArrayList<>();
            for (Map<String, String> m : e.getValue()) {
                for (String k : m.keySet()) t.require(k);
                Object[] v = new Object[t.columns().size()];
                for (int i = 0; i < v.length; i++) v[i] = value(t.columns().get(i), m.get(t.columns().get(i).name()));
                out.add(RowFactory.create(v));
            }
            spark.createDataFrame(out, SparkSchemas.of(t)).write().format("delta").mode("overwrite").save(wh.path(e.getKey()));
        }
        return wh;
    }

    private static Object value(ColumnDef c, String s) {
        if (s == null || s.isEmpty()) return null;
        return switch (c.type()) {
            case STRING, ENUM -> s;
            case TIMESTAMP -> LocalDateTime.parse(s.replace(' ', 'T')).atZone(ZONE).toInstant();
            case DATE -> LocalDate.parse(s);
            case BOOLEAN -> Boolean.parseBoolean(s);
            case INT -> Integer.parseInt(s);
            case LONG -> Long.parseLong(s);
            case DOUBLE -> Double.parseDouble(s);
            case DECIMAL -> new BigDecimal(s);
            case LIST -> scala.jdk.javaapi.CollectionConverters.asScala(Arrays.asList(s.split(";"))).toSeq();
            case REASONS -> throw new IllegalArgumentException(c.name() + ": structured reasons are not written by fixtures");
        };
    }

    private Map<String, String> defaults(String table) {
        Map<String, String> m = new LinkedHashMap<>();
        String layer = table.substring(0, table.indexOf('.'));
        String entity = table.substring(table.indexOf('.') + 1);
        if (layer.equals("ops")) {
            m.put("batch", "1"); m.put("district", D1); m.put("export_date", "2026-03-01"); m.put("entity", "cases");
            m.put("source_file", "fixture.csv"); m.put("file_sha256", "0"); m.put("rows_read", "0"); m.put("rows_loaded", "0");
            m.put("rows_quarantined", "0"); m.put("rows_unchanged", "0"); m.put("status", "loaded");
            return m;
        }
        for (Map.Entry<String, String> d : LandingFixture.defaults(entity).entrySet()) {
            if (Schemas.get().landing(entity).column(d.getKey()).map(c -> c.pii() == org.govind.schema.Pii.NONE).orElse(false)) {
                m.put(d.getKey(), d.getValue());
            }
        }
        // personal-data columns as ingestion stores them: ids as opaque keys, names masked
        switch (entity) {
            case "cases" -> { m.put("reporter_name", "样*乙"); m.put("reporter_phone", "138****0001"); }
            case "points" -> { m.put("holder_id", "M1"); m.put("holder_name", "样*乙"); m.put("approver_id", "A1"); }
            case "visits" -> { m.put("household_id", "H1"); m.put("visitor_id", "M1"); }
            case "members" -> { m.put("member_id", "M1"); m.put("name", "样*乙"); m.put("id_number", "h-000"); m.put("roles", ""); }
            default -> { }
        }
        if (table.equals("bronze.cases") || layer.equals("silver") && !Schemas.get().landing(entity).kind().equals("snapshot")) {
            m.put("_district", m.get("district_code"));
            m.put("_export_date", "2026-03-01");
            m.put("_source_file", "fixture.csv");
            m.put("_file_sha256", "0");
            m.put("_line", String.valueOf(++line));
        } else {
            m.put("valid_from", "2026-01-01");
            m.put("is_current", "true");
            m.put("_row_hash", "0");
            m.put("_export_date", "2026-01-01");
            m.put("_source_file", "fixture.csv");
        }
        return m;
    }
}
