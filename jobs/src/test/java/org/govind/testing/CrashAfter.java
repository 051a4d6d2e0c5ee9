package org.govind.testing;

import java.util.Set;
import org.govind.ingest.StepListener;

/**
 * A step listener that stops an ingest batch right after the named write steps, as a crash between two
 * commits would ({@link org.govind.ingest.IngestJob#STEPS}). Test code only: ingestion knows nothing of crashes.
 */
public final class CrashAfter implements StepListener {

    /** The "crash". */
    public static final class InjectedCrash extends RuntimeException {
        public InjectedCrash(String step) { super("injected crash after " + step); }
    }

    private final Set<String> steps;

    private CrashAfter(Set<String> steps) { this.steps = Set.copyOf(steps); }

    /** A listener crashing after these steps; null (no listener) for none. */
    public static StepListener of(Set<String> steps) {
        return steps == null || steps.isEmpty() ? null : new CrashAfter(steps);
    }

    @Override
    public void after(String step) {
        if (steps.contains(step)) throw new InjectedCrash(step);
    }
}
