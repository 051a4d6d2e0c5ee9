package org.govind.analyst;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.govind.spark.ReadOnlyPolicy;
import scala.jdk.javaapi.CollectionConverters;

/** Statements run in this JVM's Spark session, through the warehouse's {@link ReadOnlyPolicy}. */
public final class EmbeddedRunner implements SqlRunner {
    private final ReadOnlyPolicy policy;

    public EmbeddedRunner(ReadOnlyPolicy policy) {
        this.policy = policy;
    }

    @Override
    public QueryResult run(String sql, Map<String, Object> args, int limit) throws Exception {
        return collect(policy.dataset(sql, args), limit);
    }

    /** Collects at most {@code limit} rows (0 = all) of a checked Dataset. */
    public static QueryResult collect(Dataset<Row> df, int limit) {
        if (df.columns().length == 0) return QueryResult.empty();
        List<Row> rows = (limit > 0 ? df.limit(limit + 1) : df).collectAsList();
        boolean truncated = limit > 0 && rows.size() > limit;
        if (truncated) rows = rows.subList(0, limit);
        List<String> types = new ArrayList<>();
        for (StructField f : df.schema().fields()) types.add(f.dataType().simpleString());
        List<List<Object>> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            List<Object> vals = new ArrayList<>(r.length());
            for (int i = 0; i < r.length(); i++) vals.add(plain(r.get(i)));
            out.add(vals);
        }
        return new QueryResult(Arrays.asList(df.columns()), types, out, truncated);
    }

    static Object plain(Object v) {
        if (v instanceof scala.collection.Seq<?> seq) {
            List<Object> l = new ArrayList<>();
            for (Object o : CollectionConverters.asJava(seq)) l.add(plain(o));
            return l;
        }
        return v;
    }

    @Override
    public String where() {
        return "embedded";
    }
}
