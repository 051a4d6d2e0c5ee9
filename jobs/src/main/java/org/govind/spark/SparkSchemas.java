package org.govind.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.govind.schema.ColumnDef;
import org.govind.schema.TableDef;

/** Spark schemas from the table definitions in schemas/. */
public final class SparkSchemas {
    private SparkSchemas() {}

    /**
     * {@code gold.red_black_list.reason_details}: the conditions that held (see org.govind.schema.ListRules.Reason).
     * Nullable throughout: Delta refuses NOT NULL constraints nested in arrays.
     */
    public static final DataType REASONS = DataTypes.createArrayType(DataTypes.createStructType(List.of(
            DataTypes.createStructField("code", DataTypes.StringType, true),
            DataTypes.createStructField("value", DataTypes.DoubleType, true),
            DataTypes.createStructField("threshold", DataTypes.DoubleType, true))), true);

    public static DataType type(ColumnDef c) {
        return switch (c.type()) {
            case STRING, ENUM -> DataTypes.StringType;
            case TIMESTAMP -> DataTypes.TimestampType;
            case DATE -> DataTypes.DateType;
            case BOOLEAN -> DataTypes.BooleanType;
            case INT -> DataTypes.IntegerType;
            case LONG -> DataTypes.LongType;
            case DOUBLE -> DataTypes.DoubleType;
            case DECIMAL -> DataTypes.createDecimalType(c.precision(), c.scale());
            case LIST -> DataTypes.createArrayType(DataTypes.StringType, false);
            case REASONS -> REASONS;
        };
    }

    public static StructField field(ColumnDef c) {
        MetadataBuilder m = new MetadataBuilder();
        String comment = (c.alias() == null ? "" : c.alias()) + (c.doc() == null ? "" : (c.alias() == null ? "" : " — ") + c.doc());
        if (!comment.isEmpty()) m.putString("comment", comment);
        return DataTypes.createStructField(c.name(), type(c), true, m.build());
    }

    /** All columns nullable in storage; required-ness is enforced by ingestion, not by Parquet. */
    public static StructType of(TableDef t) {
        List<StructField> f = new ArrayList<>();
        for (ColumnDef c : t.columns()) f.add(field(c));
        return DataTypes.createStructType(f);
    }
}
