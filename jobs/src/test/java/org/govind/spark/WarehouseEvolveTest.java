package org.govind.spark;

import org.govind.store.Publications;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.govind.publish.PublishJob;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;
import org.govind.testing.TestSpark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warehouse made by an older govind: its ops.publications has no issuer, lang and published_by columns
 * ({@link Warehouse#ensure} never changes an existing table). {@link Warehouse#addMissingColumns} adds
 * them; the old row reads them as null, and {@link PublishJob#text} reads a row of the old schema.
 */
class WarehouseEvolveTest {
    @TempDir Path dir;

    @Test
    void addsTheNewNullableColumnsToAnOldTable() {
        SparkSession spark = TestSpark.get();
        Warehouse wh = Warehouse.open(spark, dir.resolve("wh").toString());
        TableDef def = Schemas.get().table("ops.publications");
        StructType now = SparkSchemas.of(def);
        // the table as an older govind created it: every column but the last three (issuer, lang, published_by)
        StructType old = new StructType(Arrays.copyOf(now.fields(), now.fields().length - 3));
        assertEquals(List.of("issuer", "lang", "published_by"), Arrays.stream(now.fields()).skip(old.fields().length).map(StructField::name).toList());
        wh.ensure("ops.publications", old, List.of(), null);
        Object[] v = new Object[old.fields().length];
        v[def.indexOf("publication_id")] = "2026-01-final";
        v[def.indexOf("period")] = "2026-01";
        spark.createDataFrame(List.of(org.apache.spark.sql.RowFactory.create(v)), old).write().format("delta").mode("append")
                .save(wh.path("ops.publications"));
        Row before = wh.read("ops.publications").collectAsList().get(0);
        assertNull(Publications.text(before, "issuer"), "a row of the old schema has no issuer: null, no exception");
        long version = wh.version("ops.publications");

        assertEquals(List.of("issuer", "lang", "published_by"), wh.addMissingColumns(def));
        assertEquals(version + 1, wh.version("ops.publications"), "one commit");
        Row after = wh.read("ops.publications").collectAsList().get(0);
        assertEquals(Arrays.asList(now.fieldNames()), Arrays.asList(after.schema().fieldNames()));
        assertEquals("2026-01-final", after.getAs("publication_id"));
        assertNull(after.getAs("issuer"));
        assertTrue(after.schema().apply("issuer").getComment().get().contains("发文单位"), "comment from the yaml");
        assertEquals(List.of(), wh.addMissingColumns(def), "nothing more to add");
        assertEquals(version + 1, wh.version("ops.publications"));
    }

    /**
     * reason_details came later: an older gold.red_black_list_final gains it at the end (after publication_id,
     * where the yaml puts it), and a draft row of the old list schema becomes a final row with it null.
     */
    @Test
    void anOldListTableGainsTheStructuredReasons() {
        SparkSession spark = TestSpark.get();
        Warehouse wh = Warehouse.open(spark, dir.resolve("wh2").toString());
        TableDef fin = Schemas.get().table("gold.red_black_list_final");
        StructType now = SparkSchemas.of(fin);
        StructType old = new StructType(Arrays.copyOf(now.fields(), now.fields().length - 1));
        assertEquals("reason_details", now.fields()[now.fields().length - 1].name());
        wh.ensure("gold.red_black_list_final", old, List.of("period"), null);
        long version = wh.version("gold.red_black_list_final");
        assertEquals(List.of("reason_details"), wh.addMissingColumns(fin));
        assertEquals(version + 1, wh.version("gold.red_black_list_final"), "one commit");
        assertEquals(Arrays.asList(now.fieldNames()), Arrays.asList(wh.read("gold.red_black_list_final").schema().fieldNames()));

        // a draft row as an older govind listed it: no reason_details
        TableDef list = Schemas.get().table("gold.red_black_list");
        StructType oldList = new StructType(Arrays.stream(SparkSchemas.of(list).fields()).filter(f -> !f.name().equals("reason_details"))
                .toArray(StructField[]::new));
        Object[] v = new Object[oldList.fields().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (oldList.fields()[i].name()) {
                case "period" -> "2026-01";
                case "district_code" -> "370829";
                case "list" -> "black";
                case "position" -> 2;
                case "company_id" -> "370829:W1";
                case "reasons" -> "B3 超期未结 13 件 ≥ 10 件";
                case "rules_fired" -> "B3";
                default -> null;
            };
        }
        Row draft = new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(v, oldList);
        Row row = PublishJob.finalRows(List.of(draft), java.util.Set.of(), "2026-01-final").get(0);
        assertEquals(Arrays.asList(now.fieldNames()), Arrays.asList(row.schema().fieldNames()));
        assertEquals(1, (int) row.<Integer>getAs("position"), "renumbered");
        assertEquals("2026-01-final", row.getAs("publication_id"));
        assertEquals("B3 超期未结 13 件 ≥ 10 件", row.getAs("reasons"));
        assertNull(row.getAs("reason_details"));
        spark.createDataFrame(List.of(row), now).write().format("delta").mode("append").save(wh.path("gold.red_black_list_final"));
        assertEquals(1, wh.read("gold.red_black_list_final").count());
    }
}
