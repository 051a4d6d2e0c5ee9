package org.govind.generate;

/**
 * Size of the generated world: a small test world per district, a whole city split over its (up to six)
 * districts, or a province ten times the city (about 30,000 compounds) split over up to 100 districts:
 * the contract's six and {@link DistrictProfile#of derived ones}.
 */
public enum Scale {
    SMALL(6, 6), CITY(6, 6), PROVINCE(100, 100);

    private final int defaultDistricts, maxDistricts;

    Scale(int defaultDistricts, int maxDistricts) {
        this.defaultDistricts = defaultDistricts;
        this.maxDistricts = maxDistricts;
    }

    /** Districts when --districts is not given. */
    public int defaultDistricts() { return defaultDistricts; }

    /** Most districts this scale generates. */
    public int maxDistricts() { return maxDistricts; }

    /** How many cities' worth of totals this scale splits over its districts (0: sizes are per district). */
    double cities() {
        return switch (this) {
            case SMALL -> 0;
            case CITY -> 1;
            case PROVINCE -> 10;
        };
    }
}
