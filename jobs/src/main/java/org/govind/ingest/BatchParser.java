package org.govind.ingest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.govind.schema.ReasonCode;
import org.govind.schema.Schemas;

/**
 * Phase 2 of a batch: which landing files it loads (not yet audited, not a duplicate of a loaded
 * delivery), their bytes and sha256, then files → {@link ParsedFile} in parallel (pure Java, CPU bound).
 * Nothing here touches a table.
 */
final class BatchParser {
    private final FileParser parser;
    private final IngestLimits limits;
    private final Schemas schemas = Schemas.get();

    BatchParser(FileParser parser, IngestLimits limits) {
        this.parser = parser;
        this.limits = limits;
    }

    /**
     * Reads the files of a batch (a file over the size limit only streamed for its sha256) and sorts them
     * into fresh, duplicate and already audited. {@code pinned}: the path → sha256 of an interrupted batch,
     * whose files must not have changed since (null for a new batch).
     */
    Batch select(Landing landing, List<LandingFile> files, Map<String, String> pinned, IngestAudit audit) {
        Batch b = new Batch(files);
        Set<String> batchDeliveries = new HashSet<>();
        for (LandingFile f : files) {
            byte[] bytes = null;
            long size = -1;
            String sha;
            try {
                size = landing.size(f);
                if (size > limits.maxFileBytes()) {
                    sha = landing.sha256(f); // streamed: the file is never held in memory
                } else {
                    bytes = landing.read(f, limits.maxFileBytes());
                    sha = Landing.sha256(bytes);
                }
            } catch (IOException e) {
                bytes = null;
                sha = null;
            }
            boolean readable = sha != null;
            if (sha == null) sha = Landing.sha256(("unreadable:" + f.sourceFile()).getBytes(StandardCharsets.UTF_8));
            if (pinned != null && !sha.equals(pinned.get(f.sourceFile()))) {
                throw new IllegalStateException("landing file " + f.sourceFile() + " changed since the interrupted batch; restore it and re-run");
            }
            if (audit.audited(f, sha)) { b.skipped++; continue; }
            FileResult r = new FileResult(f, sha);
            String delivery = IngestAudit.deliveryKey(f.entity(), f.exportDate(), sha);
            if (readable && (audit.loaded(delivery) || !batchDeliveries.add(delivery))) {
                r.status = "duplicate_file";
                r.message = "same sha256 as a file already loaded; skipped whole";
                b.duplicates.add(r);
                continue;
            }
            b.fresh.add(r);
            if (readable && bytes == null) {
                r.parsed = FileParser.tooLarge(ctx(f, sha, Landing.Manifest.NONE), size, limits.maxFileBytes());
            } else if (bytes == null) {
                r.parsed = new ParsedFile(ctx(f, sha, Landing.Manifest.NONE), null, null, List.of(), List.of(), 0,
                        ReasonCode.unreadable_file, "cannot read file");
            } else {
                b.unparsed.put(r, bytes);
            }
        }
        return b;
    }

    /** Parses the read files in parallel; a parser failure rejects its file whole (unreadable_file). */
    void parse(Landing landing, Batch b) {
        b.unparsed.entrySet().parallelStream().forEach(e -> {
            FileResult r = e.getKey();
            FileContext c = ctx(r.file, r.sha, landing.manifest(r.file));
            try {
                r.parsed = parser.parse(schemas.isEntity(r.file.entity()) ? schemas.landing(r.file.entity()) : null, e.getValue(), c);
            } catch (RuntimeException ex) {
                r.parsed = new ParsedFile(c, null, null, List.of(), List.of(), 0, ReasonCode.unreadable_file,
                        "unexpected error reading file: " + ex);
            }
        });
        b.parsed();
    }

    private static FileContext ctx(LandingFile f, String sha, Landing.Manifest m) {
        String name = FileParser.fileName(f.sourceFile());
        return new FileContext(f.district(), f.exportDate(), f.entity(), f.sourceFile(), sha, m.encoding(),
                m.rows().get(name), m.sha256().get(name), m.error());
    }
}
