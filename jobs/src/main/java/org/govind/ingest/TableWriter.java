package org.govind.ingest;

/**
 * The silver write of one entity, chosen by the kind its landing yaml declares ({@code kind:} in
 * {@code schemas/tables/landing/<entity>.yaml}). Each write is one idempotent commit of the batch.
 */
interface TableWriter {
    void write(String entity, Batch b, long seq);

    static TableWriter forKind(String kind, IngestTables t) {
        return switch (kind) {
            case "snapshot" -> new SnapshotWriter(t);
            case "versioned" -> new VersionedWriter(t);
            case "immutable" -> new ImmutableWriter(t);
            default -> throw new IllegalStateException("no silver writer for landing kind '" + kind + "'");
        };
    }
}
