package org.govind.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.govind.spark.Warehouse;

/** Table contents as sorted strings, for comparing whole warehouses. */
public final class Tables {
    private Tables() {}

    public static List<String> rows(SparkSession spark, String path) {
        List<String> out = new ArrayList<>();
        for (Row r : spark.read().format("delta").load(path).collectAsList()) out.add(r.toString());
        out.sort(null);
        return out;
    }

    /** Every table of a warehouse → its sorted rows. */
    public static Map<String, List<String>> snapshot(SparkSession spark, String warehouse) {
        Warehouse w = Warehouse.open(spark, warehouse);
        Map<String, List<String>> m = new TreeMap<>();
        for (String t : w.tables()) m.put(t, rows(spark, w.path(t)));
        return m;
    }

    public static Map<String, Long> versions(SparkSession spark, String warehouse) {
        Warehouse w = Warehouse.open(spark, warehouse);
        Map<String, Long> m = new TreeMap<>();
        for (String t : w.tables()) m.put(t, w.version(t));
        return m;
    }
}
