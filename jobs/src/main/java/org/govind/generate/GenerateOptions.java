package org.govind.generate;

import java.nio.file.Path;
import java.time.LocalDate;

/**
 * Options of one generator run.
 *
 * @param out       landing root; files go to {@code out/<district_code>/<YYYY-MM-DD>/}
 * @param start     first export date
 * @param days      number of nights (≥ 1)
 * @param districts how many districts, in contract order (1..6; a province 1..100, see DistrictProfile.of)
 * @param scale     SMALL (per district), CITY (city totals split over the districts) or PROVINCE (ten cities)
 * @param seed      everything is derived from it: same seed, same bytes
 * @param badRows   fraction of rows replaced by bad variants, in [0, 1); 0 = clean data
 */
public record GenerateOptions(Path out, LocalDate start, int days, int districts, Scale scale, long seed,
                              double badRows) {}
