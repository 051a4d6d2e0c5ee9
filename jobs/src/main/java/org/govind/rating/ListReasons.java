package org.govind.rating;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.govind.schema.ListRules;

/**
 * The structured reasons of a list entry ({@code gold.red_black_list.reason_details}) as
 * {@link ListRules.Reason}s, and their text from the list rules' definition. The SQL decides which
 * conditions held; the words come only from {@code schemas/lists/list_rules.yaml}.
 */
public final class ListReasons {
    private ListReasons() {}

    /** Renders reason_details in Chinese: what {@code gold.red_black_list.reasons} stores. */
    private static final UserDefinedFunction ZH = functions.udf(
            (UDF1<Object, String>) details -> details == null ? null : ListRules.get().render(of(details), "zh"),
            DataTypes.StringType);

    /** The {@code reasons} text column for a reason_details column. */
    public static Column zh(Column details) { return ZH.apply(details); }

    /** Structured reasons as compact text for a worksheet cell: {@code B1 0.6 / 0.7; B4 1 / 1}. */
    public static String text(List<ListRules.Reason> reasons) {
        StringBuilder b = new StringBuilder();
        for (ListRules.Reason r : reasons) {
            if (b.length() > 0) b.append("; ");
            b.append(r.code()).append(' ').append(plain(r.value())).append(" / ").append(plain(r.threshold()));
        }
        return b.toString();
    }

    private static String plain(Double d) {
        if (d == null) return "—";
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(d.longValue()) : Double.toString(d);
    }

    /** A reason_details value as read from Spark (a Scala Seq or Java List of structs; null → empty). */
    public static List<ListRules.Reason> of(Object details) {
        List<ListRules.Reason> out = new ArrayList<>();
        if (details == null) return out;
        Iterable<?> items = details instanceof scala.collection.Seq<?> seq
                ? scala.jdk.javaapi.CollectionConverters.asJava(seq) : (List<?>) details;
        for (Object o : items) {
            Row r = (Row) o;
            out.add(new ListRules.Reason(r.getString(0), r.isNullAt(1) ? null : r.getDouble(1), r.isNullAt(2) ? null : r.getDouble(2)));
        }
        return out;
    }
}
