package org.govind.core;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The calendar of govind's months: every month is judged in one time zone (the city's), "in month m"
 * is [start, end) of its instants and "at T" is the month's last day. Compute, rating, publication
 * and the SQL parameters all take their instants and dates from here, so they cannot disagree.
 * (When a month's case books close depends on the rules file: {@code Rules.booksClose(m)}.)
 */
public final class Periods {
    /** The city's time zone: months, publicity days and publication dates are counted in it. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private Periods() {}

    /** The first instant of month m. */
    public static Instant start(YearMonth m) { return m.atDay(1).atStartOfDay(ZONE).toInstant(); }

    /** The first instant of the month after m ("&lt;= T" is "&lt; end"). */
    public static Instant end(YearMonth m) { return start(m.plusMonths(1)); }

    /** The month's last day (T's day). */
    public static LocalDate tDate(YearMonth m) { return m.atEndOfMonth(); }

    /** The day of an instant in the city's zone. */
    public static LocalDate day(Instant at) { return LocalDate.ofInstant(at, ZONE); }

    /** Every month from {@code from} to {@code to}, both included. */
    public static List<YearMonth> between(YearMonth from, YearMonth to) {
        if (to.isBefore(from)) throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        List<YearMonth> out = new ArrayList<>();
        for (YearMonth m = from; !m.isAfter(to); m = m.plusMonths(1)) out.add(m);
        return out;
    }
}
