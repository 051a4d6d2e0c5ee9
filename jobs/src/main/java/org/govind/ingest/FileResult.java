package org.govind.ingest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.govind.schema.ReasonCode;

/** One landing file of a batch and what became of it, row by row: the bookkeeping behind its audit row. */
final class FileResult {
    /** Files are applied in delivery order: export date, then path. */
    static final Comparator<FileResult> DELIVERY_ORDER =
            Comparator.comparing((FileResult r) -> r.file.exportDate()).thenComparing(r -> r.file.sourceFile());

    final LandingFile file;
    final String sha;
    ParsedFile parsed;
    String status;
    String message;
    int unchanged;
    /** Rows accepted by the parser that a table check moved to quarantine afterwards. */
    final List<ParsedFile.Bad> extraBad = new ArrayList<>();
    final Set<Integer> movedLines = new HashSet<>();

    FileResult(LandingFile file, String sha) { this.file = file; this.sha = sha; }

    int loaded() { return parsed == null ? 0 : parsed.rows().size() - movedLines.size(); }

    int quarantined() { return parsed == null ? 0 : parsed.quarantined().size() + extraBad.size(); }

    void note(String m) { message = message == null ? m : message + "; " + m; }

    boolean moved(ParsedFile.Good g) { return movedLines.contains(g.line()); }

    /** A row the parser accepted goes to quarantine after all (a table check refused it). */
    void moveToQuarantine(ParsedFile.Good g, ReasonCode reason, String message) {
        movedLines.add(g.line());
        extraBad.add(new ParsedFile.Bad(g.line(), g.key(), g.rawText(), List.of(reason.name()), message));
    }
}
