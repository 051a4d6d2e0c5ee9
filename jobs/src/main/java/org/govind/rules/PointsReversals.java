package org.govind.rules;

/** {@code points.reversals}: which reversals cancel their target when month m is computed. */
public enum PointsReversals {
    /** Only reversals with {@code occurred_at <= end of m}: a month recomputed later equals its first computation. */
    KNOWN_AT_PERIOD_END("known_at_period_end"),
    /** Any reversal ever loaded. */
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
