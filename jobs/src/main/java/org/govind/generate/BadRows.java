package org.govind.generate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.govind.schema.ColumnType;
import org.govind.schema.Schemas;
import org.govind.schema.TableDef;

/**
 * Per-district state of the bad-row injection: which class comes next for each entity, the rows
 * forced on the first nights, and recently delivered visits/points rows for re-delivery.
 */
final class BadRows {
    /** Row-level bad classes (each maps to one ingestion reason code). */
    enum Kind {
        UNKNOWN_ENUM, BAD_TIMESTAMP, WRONG_DISTRICT, MISSING_REQUIRED, DUPLICATE_KEY, CLOSED_BEFORE_REPORTED,
        NEGATIVE_HOUSEHOLDS, MALFORMED_FIELD_COUNT, MALFORMED_STRAY_QUOTE, UNDECODABLE_BYTES, CONFLICTING_REDELIVERY
    }

    /** File-level faults of one district-night. */
    static final class FileFaults {
        boolean unknownEntity;
        String mismatchFile;
        /** 0 = rows off by one, 1 = sha256 altered */
        int mismatchMode;
        String unreadableFile;
        /** 0 = zero bytes, 1 = binary garbage */
        int unreadableMode;
    }

    /** A bounded sample of delivered rows (formatted cells), for re-delivery. */
    static final class Ring {
        final List<String[]> items = new ArrayList<>();
        final int cap;

        Ring(int cap) {
            this.cap = cap;
        }

        void add(String[] cells, SplittableRandom r) {
            if (items.size() < cap) items.add(cells);
            else items.set(r.nextInt(cap), cells);
        }

        String[] pick(SplittableRandom r, Set<String> exclude, int keyIdx) {
            if (items.isEmpty()) return null;
            for (int attempt = 0; attempt < 8; attempt++) {
                String[] c = items.get(r.nextInt(items.size()));
                if (!exclude.contains(c[keyIdx])) return c;
            }
            return null;
        }
    }

    /**
     * The classes an entity can receive, read from its landing schema: an unknown label needs an enum
     * column, a bad timestamp a timestamp column, and a conflicting re-delivery an immutable entity
     * (whose re-delivered keys are compared with what was loaded).
     */
    static List<Kind> kinds(String entity) {
        List<Kind> k = new ArrayList<>();
        TableDef landing = Schemas.get().landing(entity);
        boolean events = "immutable".equals(landing.kind());
        if (has(landing, ColumnType.ENUM)) k.add(Kind.UNKNOWN_ENUM);
        if (has(landing, ColumnType.TIMESTAMP)) k.add(Kind.BAD_TIMESTAMP);
        k.add(Kind.WRONG_DISTRICT);
        k.add(Kind.MISSING_REQUIRED);
        k.add(Kind.DUPLICATE_KEY);
        if (entity.equals("cases")) k.add(Kind.CLOSED_BEFORE_REPORTED);
        if (entity.equals("compounds")) k.add(Kind.NEGATIVE_HOUSEHOLDS);
        k.add(Kind.MALFORMED_FIELD_COUNT);
        k.add(Kind.MALFORMED_STRAY_QUOTE);
        k.add(Kind.UNDECODABLE_BYTES);
        if (events) k.add(Kind.CONFLICTING_REDELIVERY);
        return k;
    }

    private static boolean has(TableDef t, ColumnType type) {
        return t.columns().stream().anyMatch(c -> c.type() == type);
    }

    final double fraction;
    final String wrongCode;
    private final Map<String, Integer> cycle = new HashMap<>();
    private final Map<String, List<Kind>> kinds = new HashMap<>();
    final Map<String, Ring> rings = new HashMap<>();
    /** forced classes for the current night, by entity */
    final Map<String, Deque<Kind>> forced = new HashMap<>();
    /** forced identical re-deliveries for the current night, by entity */
    final Map<String, Integer> forcedIdentical = new HashMap<>();
    final Map<Kind, Long> counts = new EnumMap<>(Kind.class);
    long badRecords;

    BadRows(double fraction, String wrongCode) {
        this.fraction = fraction;
        this.wrongCode = wrongCode;
        for (String e : Schemas.ENTITIES) {
            kinds.put(e, kinds(e));
            if ("immutable".equals(Schemas.get().kind(e))) rings.put(e, new Ring(2000));   // re-delivered from here
        }
    }

    boolean enabled() {
        return fraction > 0;
    }

    /** The next class for the entity in its cycle, starting at the cycle position (caller skips inapplicable ones). */
    List<Kind> cycleFrom(String entity) {
        List<Kind> ks = kinds.get(entity);
        int start = cycle.getOrDefault(entity, 0);
        List<Kind> out = new ArrayList<>(ks.size());
        for (int i = 0; i < ks.size(); i++) out.add(ks.get((start + i) % ks.size()));
        return out;
    }

    void advanceCycle(String entity, Kind used) {
        List<Kind> ks = kinds.get(entity);
        cycle.put(entity, (ks.indexOf(used) + 1) % ks.size());
    }

    /** Sets the classes forced on the first two nights of the first district. */
    void force(int dayIndex) {
        forced.clear();
        forcedIdentical.clear();
        if (dayIndex == 0) {
            forced.put("cases", new ArrayDeque<>(List.of(Kind.UNKNOWN_ENUM, Kind.DUPLICATE_KEY,
                    Kind.CLOSED_BEFORE_REPORTED, Kind.BAD_TIMESTAMP)));
            forced.put("visits", new ArrayDeque<>(List.of(Kind.BAD_TIMESTAMP, Kind.WRONG_DISTRICT,
                    Kind.MISSING_REQUIRED)));
            forced.put("members", new ArrayDeque<>(List.of(Kind.UNDECODABLE_BYTES, Kind.MALFORMED_FIELD_COUNT,
                    Kind.MISSING_REQUIRED)));
            forced.put("compounds", new ArrayDeque<>(List.of(Kind.NEGATIVE_HOUSEHOLDS)));
            forced.put("branches", new ArrayDeque<>(List.of(Kind.MALFORMED_STRAY_QUOTE, Kind.WRONG_DISTRICT)));
            forced.put("property_companies", new ArrayDeque<>(List.of(Kind.MISSING_REQUIRED)));
        } else if (dayIndex == 1) {
            forced.put("visits", new ArrayDeque<>(List.of(Kind.CONFLICTING_REDELIVERY)));
            forced.put("points", new ArrayDeque<>(List.of(Kind.UNKNOWN_ENUM)));
            forcedIdentical.put("visits", 1);
        }
    }

    void count(Kind k, int records) {
        counts.merge(k, 1L, Long::sum);
        badRecords += records;
    }
}
