package org.govind.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The crash-resume plan of a batch: its number and its files (path → sha256), written to
 * {@code <warehouse>/_ingest/pending.json} before the batch's first write and deleted after its audit
 * commit. A run that finds it re-processes exactly these files first, so a crash can never let a
 * batch change its file list between its commits.
 *
 * @param attempts how many runs have resumed the batch so far
 */
record IngestPlan(long batch, Map<String, String> files, int attempts) {

    static IngestPlan of(long batch, List<FileResult> fresh, List<FileResult> duplicates) {
        Map<String, String> files = new LinkedHashMap<>();
        for (FileResult r : fresh) files.put(r.file.sourceFile(), r.sha);
        for (FileResult r : duplicates) files.put(r.file.sourceFile(), r.sha);
        return new IngestPlan(batch, files, 0);
    }

    IngestPlan resumedOnceMore() { return new IngestPlan(batch, files, attempts + 1); }

    /** The pending file of one warehouse. */
    static final class PendingFile {
        private final Path path;
        private final FileSystem fs;

        PendingFile(String warehouseRoot, Configuration conf) {
            this.path = new Path(new Path(warehouseRoot, "_ingest"), "pending.json");
            try {
                this.fs = path.getFileSystem(conf);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        Path path() { return path; }

        void write(IngestPlan p) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode root = m.createObjectNode().put("batch", p.batch()).put("attempts", p.attempts());
            ArrayNode arr = root.putArray("files");
            p.files().forEach((file, sha) -> arr.addObject().put("path", file).put("sha256", sha));
            try (OutputStream out = fs.create(path, true)) {
                m.writerWithDefaultPrettyPrinter().writeValue(out, root);
            } catch (IOException e) {
                throw new IllegalStateException("cannot write " + path + ": " + e.getMessage(), e);
            }
        }

        /** The pending plan, or null when the last batch finished. */
        IngestPlan read() {
            try {
                if (!fs.exists(path)) return null;
                try (InputStream in = fs.open(path)) {
                    var j = new ObjectMapper().readTree(in);
                    Map<String, String> files = new LinkedHashMap<>();
                    j.get("files").forEach(f -> files.put(f.get("path").asText(), f.get("sha256").asText()));
                    return new IngestPlan(j.get("batch").asLong(), files, j.path("attempts").asInt(0));
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
            }
        }

        void delete() {
            try {
                fs.delete(path, false);
            } catch (IOException e) {
                throw new IllegalStateException("cannot delete " + path + ": " + e.getMessage(), e);
            }
        }
    }
}
