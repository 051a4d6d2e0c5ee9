package org.govind.gold;

/**
 * The levels of the indicator tables' one roll-up, each with the {@code grouping_id} Spark gives its
 * rows. Both gold/case_indicators.sql and gold/coverage_indicators.sql group by
 * {@code GROUPING SETS ((district_code, compound_id), (district_code, community_code), (district_code), ())}
 * and compute {@code grouping_id(district_code, compound_id, community_code)}: one bit per column in
 * that order, most significant first, a set bit = the column is not grouped. So compound = 0b001,
 * community = 0b010, district = 0b011, all = 0b111. The SQL files name these numbers only as the
 * parameters {@code :gid_compound}, {@code :gid_community}, {@code :gid_district}, {@code :gid_all}
 * (bound by {@link SharedViews#params}); the level strings are the enum's names.
 */
public enum UnitLevel {
    compound(0b001), community(0b010), district(0b011), all(0b111);

    /** The value of {@code grouping_id(district_code, compound_id, community_code)} for this level's rows. */
    public final int gid;

    UnitLevel(int gid) { this.gid = gid; }

    /** The SQL parameter naming this level's grouping id, e.g. {@code gid_compound}. */
    public String param() { return "gid_" + name(); }
}
