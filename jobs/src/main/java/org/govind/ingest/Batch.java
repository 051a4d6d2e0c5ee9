package org.govind.ingest;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The files of one batch (one or more nights) as they pass the phases: chosen and read
 * ({@link BatchParser#select}), parsed, checked against the tables ({@link TableChecks}), written, audited.
 */
final class Batch {
    final LocalDate from;
    final LocalDate to;
    /** Files to load (some may be rejected whole), in delivery order once parsed. */
    final List<FileResult> fresh = new ArrayList<>();
    /** Files whose bytes were already loaded: audited as duplicate_file, never parsed. */
    final List<FileResult> duplicates = new ArrayList<>();
    /** Files already audited with this path and sha256: left alone. */
    int skipped;
    /** The bytes of fresh files still to parse; emptied by parsing. */
    final Map<FileResult, byte[]> unparsed = new LinkedHashMap<>();
    /** Fresh files by entity, in delivery order (set by parsing). */
    Map<String, List<FileResult>> byEntity = Map.of();
    /**
     * Per snapshot entity, the snapshot applied for each (night, district): the last good file by path
     * (set by {@link TableChecks}; earlier ones of the same night are superseded).
     */
    final Map<String, TreeMap<LocalDate, TreeMap<String, FileResult>>> snapshots = new HashMap<>();

    Batch(List<LandingFile> files) {
        this.from = files.stream().map(LandingFile::exportDate).min(Comparator.naturalOrder()).orElseThrow();
        this.to = files.stream().map(LandingFile::exportDate).max(Comparator.naturalOrder()).orElseThrow();
    }

    boolean isEmpty() { return fresh.isEmpty() && duplicates.isEmpty(); }

    List<FileResult> files(String entity) { return byEntity.getOrDefault(entity, List.of()); }

    /** Orders the parsed files and groups them by entity. */
    void parsed() {
        unparsed.clear();
        fresh.sort(FileResult.DELIVERY_ORDER);
        Map<String, List<FileResult>> m = new TreeMap<>();
        for (FileResult r : fresh) m.computeIfAbsent(r.file.entity(), k -> new ArrayList<>()).add(r);
        byEntity = m;
    }

    /** The export dates of the fresh files, as a SQL list (replaceWhere of bronze and quarantine). */
    String dateList() {
        return fresh.stream().map(r -> "DATE'" + r.file.exportDate() + "'").distinct().collect(Collectors.joining(","));
    }

    /** The files' sha256 values, as a SQL list. */
    static String shaList(List<FileResult> rs) {
        return rs.stream().map(r -> "'" + r.sha + "'").collect(Collectors.joining(","));
    }
}
