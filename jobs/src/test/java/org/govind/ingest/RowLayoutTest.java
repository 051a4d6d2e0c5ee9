package org.govind.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.govind.schema.ColumnDef;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;
import org.govind.spark.SparkSchemas;
import org.junit.jupiter.api.Test;

/** Rows staged by column name: a table whose columns come in another order still gets each value in its column. */
class RowLayoutTest {

    @Test
    void valuesGoToTheirColumnsWhateverTheTablesColumnOrder() {
        TableDef landing = Schemas.get().landing("members");
        StructType silver = SparkSchemas.of(Schemas.get().table("silver.members"));
        // the same columns, reversed: what a reordered yaml would give
        StructType reversed = new StructType();
        for (int i = silver.size() - 1; i >= 0; i--) reversed = reversed.add(silver.fields()[i]);
        Object[] values = new Object[landing.columns().size()];
        for (int i = 0; i < values.length; i++) values[i] = "v:" + landing.columns().get(i).name();
        for (StructType schema : List.of(silver, reversed)) {
            RowLayout layout = new RowLayout(schema);
            Row r = layout.values().put(layout.at(landing), values)
                    .set("valid_from", LocalDate.parse("2026-03-01")).set("is_current", true).row();
            for (ColumnDef c : landing.columns()) assertEquals("v:" + c.name(), r.get(schema.fieldIndex(c.name())), c.name());
            assertEquals(LocalDate.parse("2026-03-01"), r.get(schema.fieldIndex("valid_from")));
            assertEquals(true, r.get(schema.fieldIndex("is_current")));
            assertEquals(null, r.get(schema.fieldIndex("valid_to")));
        }
    }

    @Test
    void aColumnTheTableLacksFailsAtOnce() {
        RowLayout layout = new RowLayout(new StructType().add("a", DataTypes.StringType).add("b", DataTypes.IntegerType));
        var e = assertThrows(IllegalStateException.class, () -> layout.values().set("c", 1));
        assertEquals(true, e.getMessage().contains("no column 'c'"), e.getMessage());
        assertArrayEquals(new int[] {1, 0}, new int[] {layout.at("b"), layout.at("a")});
    }

    @Test
    void bronzeRowsCarryLineageByName() {
        BronzeRows rows = new BronzeRows("points");
        TableDef landing = Schemas.get().landing("points");
        Object[] values = new Object[landing.columns().size()];
        for (int i = 0; i < values.length; i++) values[i] = "v" + i;
        LandingFile f = new LandingFile("370829", LocalDate.parse("2026-03-02"), "points", "370829/2026-03-02/points.csv", "/x");
        FileResult r = new FileResult(f, "abc");
        Row row = rows.row(r, new ParsedFile.Good(7, values, "k", "raw"));
        StructType s = rows.schema();
        assertEquals("370829", row.get(s.fieldIndex("_district")));
        assertEquals(LocalDate.parse("2026-03-02"), row.get(s.fieldIndex("_export_date")));
        assertEquals("370829/2026-03-02/points.csv", row.get(s.fieldIndex("_source_file")));
        assertEquals("abc", row.get(s.fieldIndex("_file_sha256")));
        assertEquals(7, row.get(s.fieldIndex("_line")));
        for (int i = 0; i < values.length; i++) assertEquals("v" + i, row.get(s.fieldIndex(landing.columns().get(i).name())));
    }
}
