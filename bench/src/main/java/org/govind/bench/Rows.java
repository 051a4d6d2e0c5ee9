package org.govind.bench;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.govind.analyst.QueryResult;

/** Values of two engines made comparable: integers as long, instants as Instant, dates as LocalDate. */
public final class Rows {
    private Rows() {}

    public static List<List<Object>> normal(QueryResult r) {
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> row : r.rows()) {
            List<Object> n = new ArrayList<>();
            for (Object v : row) n.add(normal(v));
            out.add(n);
        }
        return out;
    }

    static Object normal(Object v) {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte || v instanceof BigInteger) return ((Number) v).longValue();
        if (v instanceof BigDecimal d) return d.stripTrailingZeros();
        if (v instanceof Float f) return f.doubleValue();
        if (v instanceof java.sql.Timestamp t) return t.toInstant();
        if (v instanceof OffsetDateTime o) return o.toInstant();
        if (v instanceof ZonedDateTime z) return z.toInstant();
        if (v instanceof LocalDateTime l) throw new IllegalStateException("a timestamp without a zone (" + l + "): export instants as TIMESTAMPTZ");
        if (v instanceof java.sql.Date d) return d.toLocalDate();
        if (v instanceof LocalDate) return v;
        return v;
    }
}
