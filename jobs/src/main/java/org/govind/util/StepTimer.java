package org.govind.util;

import java.util.LinkedHashMap;
import java.util.Map;

/** Wall time per named step, summed over a run; printed by jobs when GOVIND_TIMING=1 and used by bench. */
public final class StepTimer {
    private final Map<String, Long> nanos = new LinkedHashMap<>();
    private long last = System.nanoTime();

    /** Charges the time since the previous mark to {@code step}. */
    public void mark(String step) {
        long now = System.nanoTime();
        nanos.merge(step, now - last, Long::sum);
        last = now;
    }

    public Map<String, Long> nanos() { return nanos; }

    public String summary() {
        StringBuilder b = new StringBuilder();
        nanos.forEach((k, v) -> b.append(String.format("  %-28s %8.2f s%n", k, v / 1e9)));
        return b.toString();
    }
}
