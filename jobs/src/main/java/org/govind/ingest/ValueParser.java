package org.govind.ingest;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.govind.schema.ColumnDef;
import org.govind.schema.ReasonCode;

/** Strict conversion of one landing cell to its typed value; failures carry their reason code. */
public final class ValueParser {
    public static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter SPACED = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);

    private ValueParser() {}

    /** A cell that cannot be converted. */
    public static final class Invalid extends Exception {
        public final ReasonCode reason;
        Invalid(ReasonCode reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    /** Typed value of a non-empty, trimmed cell. */
    public static Object parse(ColumnDef c, String cell) throws Invalid {
        switch (c.type()) {
            case STRING -> {
                if (c.pattern() != null && !c.pattern().matcher(cell).matches()) {
                    throw new Invalid(ReasonCode.bad_format, c.name() + " does not match " + c.pattern().pattern());
                }
                return cell;
            }
            case ENUM -> {
                String code = c.enumCode(cell);
                if (code == null) throw new Invalid(ReasonCode.unknown_enum, c.name() + " '" + cell + "' is not a known value");
                return code;
            }
            case LIST -> {
                List<String> out = new ArrayList<>();
                for (String part : cell.split(";", -1)) {
                    String p = part.trim();
                    if (p.isEmpty()) continue;
                    if (!c.values().isEmpty() && !c.values().containsKey(p)) {
                        throw new Invalid(ReasonCode.unknown_enum, c.name() + " '" + p + "' is not a known code");
                    }
                    out.add(p);
                }
                return out;
            }
            case TIMESTAMP -> { return timestamp(cell, c.name()); }
            case DATE -> {
                try {
                    return LocalDate.parse(cell, DATE);
                } catch (DateTimeParseException e) {
                    throw new Invalid(ReasonCode.bad_date, c.name() + " '" + cell + "' is not a valid YYYY-MM-DD date");
                }
            }
            case BOOLEAN -> {
                return switch (cell.toLowerCase(Locale.ROOT)) {
                    case "true", "是", "1", "t", "y", "yes" -> Boolean.TRUE;
                    case "false", "否", "0", "f", "n", "no" -> Boolean.FALSE;
                    default -> throw new Invalid(ReasonCode.bad_boolean, c.name() + " '" + cell + "' is not a boolean");
                };
            }
            case INT, LONG -> {
                long v;
                try {
                    v = Long.parseLong(cell);
                } catch (NumberFormatException e) {
                    throw new Invalid(ReasonCode.bad_number, c.name() + " '" + cell + "' is not an integer");
                }
                if (c.min() != null && v < c.min()) {
                    ReasonCode r = c.minReason() != null ? ReasonCode.valueOf(c.minReason()) : ReasonCode.out_of_range;
                    throw new Invalid(r, c.name() + " " + v + " < " + c.min());
                }
                if (c.type() == org.govind.schema.ColumnType.INT) {
                    if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) throw new Invalid(ReasonCode.bad_number, c.name() + " out of int range");
                    return (int) v;
                }
                return v;
            }
            case DECIMAL -> {
                BigDecimal d;
                try {
                    d = new BigDecimal(cell);
                    d = d.setScale(c.scale(), RoundingMode.UNNECESSARY);
                } catch (NumberFormatException | ArithmeticException e) {
                    throw new Invalid(ReasonCode.bad_number, c.name() + " '" + cell + "' is not a decimal with ≤ " + c.scale() + " places");
                }
                if (d.precision() > c.precision()) throw new Invalid(ReasonCode.bad_number, c.name() + " '" + cell + "' too large");
                return d;
            }
            case DOUBLE -> {
                try {
                    return Double.parseDouble(cell);
                } catch (NumberFormatException e) {
                    throw new Invalid(ReasonCode.bad_number, c.name() + " '" + cell + "' is not a number");
                }
            }
            default -> throw new IllegalStateException("unhandled type " + c.type());
        }
    }

    /** `YYYY-MM-DD HH:mm:ss` or ISO-8601; without an offset the time is Asia/Shanghai. */
    public static Instant timestamp(String cell, String column) throws Invalid {
        try {
            if (cell.length() == 19 && cell.charAt(10) == ' ') {
                return LocalDateTime.parse(cell, SPACED).atZone(SHANGHAI).toInstant();
            }
            String iso = cell.length() > 10 && cell.charAt(10) == ' ' ? cell.substring(0, 10) + 'T' + cell.substring(11) : cell;
            boolean hasOffset = iso.endsWith("Z") || iso.lastIndexOf('+') > 10 || iso.lastIndexOf('-') > 10;
            if (hasOffset) return OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            return LocalDateTime.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE_TIME).atZone(SHANGHAI).toInstant();
        } catch (DateTimeParseException e) {
            throw new Invalid(ReasonCode.bad_timestamp, column + " '" + cell + "' is not a valid timestamp");
        }
    }
}
