package org.govind.rules;

/** {@code points.reversals}: which reversals cancel their target when month m is computed. */
public enum PointsReversals {
    /**
     * Only reversals with {@code occurred_at <= end of m} (an explicit choice, not the catalogue's reading):
     * a month recomputed later keeps an award reversed after its end.
     */
    KNOWN_AT_PERIOD_END("known_at_period_end"),
    /**
     * Every reversal loaded so far, whenever it occurred or arrived (the default, the catalogue's reading):
     * a reversal corrects the ledger, so a March award reversed in April is out of March when March is recomputed.
     */
    ANY_TIME("any_time");

    private final String yamlName;

    PointsReversals(String yamlName) { this.yamlName = yamlName; }

    /** The spelling used in the rules file. */
    public String yamlName() { return yamlName; }

    static PointsReversals fromYaml(String s) {
        for (PointsReversals r : values()) if (r.yamlName.equals(s)) return r;
        return null;
    }
}
