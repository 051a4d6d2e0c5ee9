package org.govind.generate;

import java.io.Closeable;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.govind.generate.BadRows.Kind;
import org.govind.schema.ColumnDef;
import org.govind.schema.ColumnType;
import org.govind.schema.Pii;

/** Writes one entity file of one district-night, replacing some rows by bad variants. */
final class EntityOut implements Closeable {
    private static final String[] BAD_TIMESTAMPS = {
        "2026-04-31 10:00:00", "2026/13/45", "2026-02-29 09:30:00", "2026-03-10 25:10:00", "2026-06-31T08:00:00"};
    private static final String[] BAD_ENUMS = {"pending", "待核实", "unknown", "其它类别", "n/a", "处理中"};

    final Tbl t;
    final CsvOut csv;
    private final DistrictProfile p;
    private final BadRows bad;
    private final SplittableRandom badRng;
    private final SplittableRandom tzRng;
    private final BadRows.Ring ring;
    private final List<String[]> ringCandidates = new ArrayList<>();
    private final Set<String> resent = new HashSet<>();
    private final int keyIdx;
    private final int districtIdx;

    EntityOut(Tbl t, CsvOut csv, DistrictProfile p, BadRows bad, SplittableRandom badRng, SplittableRandom tzRng) {
        this.t = t;
        this.csv = csv;
        this.p = p;
        this.bad = bad;
        this.badRng = badRng;
        this.tzRng = tzRng;
        this.ring = bad.rings.get(t.entity);
        List<String> key = t.def.key();
        this.keyIdx = t.index(key.get(key.size() - 1));
        this.districtIdx = t.index("district_code");
    }

    void header() throws IOException {
        csv.header(p.header(t.def));
    }

    long rows() {
        return csv.rows();
    }

    /** Writes one row (typed values, canonical order), possibly as a bad variant. */
    void write(Object[] v) throws IOException {
        boolean offset = p.offsetShare > 0 && tzRng.nextDouble() < p.offsetShare;
        String[] cells = p.format(t.def, v, offset);
        if (!bad.enabled()) {
            csv.record(cells);
            return;
        }
        Kind k = null;
        Deque<Kind> f = bad.forced.get(t.entity);
        if (f != null && !f.isEmpty() && applicable(f.peek(), cells)) {
            k = f.poll();
        } else if (badRng.nextDouble() < bad.fraction) {
            for (Kind c : bad.cycleFrom(t.entity)) {
                if (applicable(c, cells)) {
                    k = c;
                    break;
                }
            }
            if (k != null) bad.advanceCycle(t.entity, k);
        }
        if (k == null) {
            good(cells);
        } else if (k == Kind.CONFLICTING_REDELIVERY) {
            good(cells);
            String[] picked = ring.pick(badRng, resent, keyIdx);
            if (picked != null) {
                String[] old = picked.clone();
                resent.add(old[keyIdx]);
                conflict(old);
                csv.record(old);
                bad.count(k, 1);
            }
        } else {
            bad.count(k, apply(k, cells, v, offset));
        }
    }

    private void good(String[] cells) throws IOException {
        csv.record(cells);
        if (ring == null) return;
        if (badRng.nextDouble() < 0.25) ringCandidates.add(cells);
        Integer forced = bad.forcedIdentical.get(t.entity);
        boolean identical = forced != null && forced > 0 || badRng.nextDouble() < bad.fraction / 2;
        if (identical) {
            String[] old = ring.pick(badRng, resent, keyIdx);
            if (old != null) {
                resent.add(old[keyIdx]);
                csv.record(old);
                if (forced != null && forced > 0) bad.forcedIdentical.put(t.entity, forced - 1);
            }
        }
    }

    /** After the file was written: its good rows become candidates for later re-delivery. */
    void commitRing(SplittableRandom r) {
        if (ring == null) return;
        for (String[] c : ringCandidates) ring.add(c, r);
    }

    private boolean applicable(Kind k, String[] cells) {
        return switch (k) {
            case UNKNOWN_ENUM -> !enumColumns().isEmpty();
            case BAD_TIMESTAMP -> !timestampColumns().isEmpty();
            case WRONG_DISTRICT -> districtIdx >= 0;
            case MISSING_REQUIRED -> !missingCandidates().isEmpty();
            case DUPLICATE_KEY -> true;
            case CLOSED_BEFORE_REPORTED -> t.entity.equals("cases") && t.index("closed_at") >= 0;
            case NEGATIVE_HOUSEHOLDS -> t.index("households") >= 0;
            case MALFORMED_FIELD_COUNT -> true;
            case MALFORMED_STRAY_QUOTE -> strayQuoteColumn(cells) >= 0;
            case UNDECODABLE_BYTES -> undecodableColumn(cells) >= 0;
            case CONFLICTING_REDELIVERY -> ring != null && ring.items.size() > resent.size();
        };
    }

    /** Writes the bad variant; returns the number of records written that must be quarantined. */
    private int apply(Kind k, String[] cells, Object[] v, boolean offset) throws IOException {
        switch (k) {
            case UNKNOWN_ENUM -> {
                int i = pick(enumColumns());
                cells[i] = invalidEnum(t.col(i));
            }
            case BAD_TIMESTAMP -> cells[pick(timestampColumns())] = Rng.pick(badRng, BAD_TIMESTAMPS);
            case WRONG_DISTRICT -> cells[districtIdx] = bad.wrongCode;
            case MISSING_REQUIRED -> cells[pick(missingCandidates())] = "";
            case DUPLICATE_KEY -> {
                csv.record(cells);
                csv.record(cells);
                return 2;
            }
            case CLOSED_BEFORE_REPORTED -> {
                LocalDateTime reported = (LocalDateTime) v[t.index("reported_at")];
                cells[t.index("closed_at")] = p.ts(reported.minusMinutes(30 + badRng.nextInt(4320)), offset);
                int s = t.index("status");
                if (!cells[s].equals("closed") && !cells[s].equals("revisited")) cells[s] = "closed";
            }
            case NEGATIVE_HOUSEHOLDS -> cells[t.index("households")] =
                    badRng.nextBoolean() ? "0" : Integer.toString(-1 - badRng.nextInt(30));
            case MALFORMED_FIELD_COUNT -> {
                String[] out = csv.toOutput(cells);
                String[] changed;
                if (badRng.nextBoolean()) {
                    changed = Arrays.copyOf(out, out.length - 1);
                } else {
                    changed = Arrays.copyOf(out, out.length + 1);
                    changed[out.length] = "备注";
                }
                csv.line(csv.join(changed, -1));
                return 1;
            }
            case MALFORMED_STRAY_QUOTE -> {
                int i = strayQuoteColumn(cells);
                String s = cells[i];
                int m = 1 + badRng.nextInt(s.length() - 1);
                String[] out = csv.toOutput(cells);
                int oi = csv.outputIndex(i);
                out[oi] = s.substring(0, m) + '"' + s.substring(m);
                csv.line(csv.join(out, oi));
                return 1;
            }
            case UNDECODABLE_BYTES -> {
                int i = undecodableColumn(cells);
                String s = cells[i];
                int m = s.length() < 2 ? s.length() : 1 + badRng.nextInt(s.length() - 1);
                cells[i] = s.substring(0, m) + CsvOut.BAD + s.substring(m);
            }
            default -> throw new IllegalStateException(k.name());
        }
        csv.record(cells);
        return 1;
    }

    /** Changes a re-delivered row so its parsed values differ from the delivered one. */
    private void conflict(String[] old) {
        int i = t.index("needs_recorded");
        if (i >= 0) {
            old[i] = Integer.toString((Integer.parseInt(old[i]) + 1 + badRng.nextInt(3)) % 4);
            return;
        }
        i = t.index("points");
        BigDecimal d = new BigDecimal(old[i]);
        old[i] = (d.signum() >= 0 ? d.add(BigDecimal.ONE) : d.subtract(BigDecimal.ONE)).toPlainString();
    }

    private int pick(List<Integer> l) {
        return l.get(badRng.nextInt(l.size()));
    }

    private String invalidEnum(ColumnDef c) {
        int start = badRng.nextInt(BAD_ENUMS.length);
        for (int i = 0; i < BAD_ENUMS.length; i++) {
            String s = BAD_ENUMS[(start + i) % BAD_ENUMS.length];
            if (c.enumCode(s) == null) return s;
        }
        return "invalid_value_x";
    }

    private List<Integer> enumColumns() {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < t.n; i++) if (t.col(i).type() == ColumnType.ENUM && t.col(i).required()) l.add(i);
        return l;
    }

    private List<Integer> timestampColumns() {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < t.n; i++) if (t.col(i).type() == ColumnType.TIMESTAMP && t.col(i).required()) l.add(i);
        return l;
    }

    /** Required, non-key, non-personal columns (a bad row keeps its personal data). */
    private List<Integer> missingCandidates() {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < t.n; i++) {
            ColumnDef c = t.col(i);
            if (c.required() && !t.def.key().contains(c.name()) && c.pii() == Pii.NONE) l.add(i);
        }
        return l;
    }

    private int strayQuoteColumn(String[] cells) {
        for (String name : new String[] {"community_code", "credit_code", "compound_id"}) {
            int i = t.index(name);
            if (i >= 0 && cells[i].length() >= 2 && !CsvOut.needsQuote(cells[i])) return i;
        }
        return -1;
    }

    private int undecodableColumn(String[] cells) {
        String name = switch (t.entity) {
            case "cases" -> "reporter_name";
            case "points" -> "holder_name";
            case "visits" -> "compound_id";
            default -> "name";
        };
        int i = t.index(name);
        return i >= 0 && !cells[i].isEmpty() ? i : -1;
    }

    @Override
    public void close() throws IOException {
        csv.close();
    }
}
