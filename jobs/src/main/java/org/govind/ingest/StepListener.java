package org.govind.ingest;

/**
 * Told after each write step of an ingest batch ({@link IngestJob#STEPS}, in that order), once the
 * step's commit is done. Ingestion itself does nothing with it; a caller may report progress, and the
 * crash-resume tests use it to stop a batch between two commits.
 */
@FunctionalInterface
public interface StepListener {
    StepListener NONE = step -> { };

    void after(String step);
}
