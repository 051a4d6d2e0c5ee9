package org.govind.cli;

import org.govind.core.ExitCode;
import org.govind.core.Lang;
import org.govind.ingest.IngestLimits;
import org.govind.util.Refusal;
import picocli.CommandLine.Option;

/** The options of every command that ingests landing files: {@code ingest} and {@code nightly}. */
public final class IngestOptions {
    @Option(names = "--landing", defaultValue = "./landing", descriptionKey = "landing", paramLabel = "DIR")
    String landing;

    @Option(names = "--batch-nights", defaultValue = "31", descriptionKey = "batchNights", paramLabel = "N")
    int batchNights;

    /** A guard (see {@link Settings#GUARDS}): only ever from the command line. */
    @Option(names = "--demo-key", descriptionKey = "demoKey")
    boolean demoKey;

    @Option(names = "--max-file-mb", defaultValue = "512", descriptionKey = "maxFileMb", paramLabel = "MB")
    long maxFileMb;

    @Option(names = "--max-record-kb", defaultValue = "1024", descriptionKey = "maxRecordKb", paramLabel = "KB")
    long maxRecordKb;

    @Option(names = "--max-fields", defaultValue = "1000", descriptionKey = "maxFields", paramLabel = "N")
    int maxFields;

    /** The limits, or a usage refusal naming the bad one. */
    IngestLimits limits() {
        try {
            return IngestLimits.of(maxFileMb, maxRecordKb, maxFields);
        } catch (IllegalArgumentException e) {
            throw new Refusal(ExitCode.USAGE, Lang.t("上限设置无效：", "invalid limit: ") + e.getMessage());
        }
    }
}
