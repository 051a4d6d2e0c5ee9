package org.govind.generate;

import java.util.SplittableRandom;

/** Target sizes of one district. */
record Sizing(int compounds, int companies, int members, double casesPerDay, double visitsPerDay,
              double pointsPerDay, int streets, int communities) {

    static Sizing of(Scale scale, int districts, SplittableRandom r) {
        if (scale == Scale.SMALL) {
            int streets = 2;
            int communities = streets * 3 + r.nextInt(-1, 2);
            return new Sizing(Rng.jitter(r, 25, 0.12), Math.max(3, Rng.jitter(r, 6, 0.15)),
                    Rng.jitter(r, 400, 0.1), 15 * f(r), 60 * f(r), 80 * f(r), streets, communities);
        }
        double k = districts / scale.cities();   // a province is ten cities' totals over its districts
        int compounds = Math.max(10, Rng.jitter(r, 3000 / k, 0.08));
        int communities = Math.max(2, (int) Math.round(compounds / 6.0));
        int streets = Math.max(2, (int) Math.round(communities / 7.0));
        return new Sizing(compounds, Math.max(3, Rng.jitter(r, 150 / k, 0.1)), Rng.jitter(r, 50000 / k, 0.08),
                4000 / k * f(r), 8000 / k * f(r), 10000 / k * f(r), streets, communities);
    }

    private static double f(SplittableRandom r) {
        return 0.9 + 0.2 * r.nextDouble();
    }
}
