package org.govind.generate;

import java.time.LocalDate;
import java.util.List;
import java.util.SplittableRandom;

/** Deterministic randomness: every stream is derived from (seed, district, date, purpose), never from iteration order. */
final class Rng {
    private Rng() {}

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** 64-bit FNV-1a over the UTF-16 chars: stable across JVMs. */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    static SplittableRandom of(long seed, String... parts) {
        long h = mix(seed ^ 0x6A09E667F3BCC909L);
        for (String p : parts) h = mix(h ^ hash(p) ^ 0x9E3779B97F4A7C15L);
        return new SplittableRandom(h);
    }

    static SplittableRandom of(long seed, String district, LocalDate date, String purpose) {
        return of(seed, district, date.toString(), purpose);
    }

    static boolean chance(SplittableRandom r, double p) {
        return r.nextDouble() < p;
    }

    static double normal(SplittableRandom r) {
        double u1 = 1.0 - r.nextDouble();
        double u2 = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    static int poisson(SplittableRandom r, double mean) {
        if (mean <= 0) return 0;
        if (mean < 40) {
            double l = Math.exp(-mean);
            int k = 0;
            double p = 1.0;
            do {
                k++;
                p *= r.nextDouble();
            } while (p > l);
            return k - 1;
        }
        return Math.max(0, (int) Math.round(mean + Math.sqrt(mean) * normal(r)));
    }

    /** A value around {@code base}, varied by ±{@code spread} (fraction). */
    static int jitter(SplittableRandom r, double base, double spread) {
        return (int) Math.round(base * (1.0 + spread * (2 * r.nextDouble() - 1)));
    }

    static <T> T pick(SplittableRandom r, List<T> l) {
        return l.get(r.nextInt(l.size()));
    }

    static String pick(SplittableRandom r, String[] a) {
        return a[r.nextInt(a.length)];
    }

    /** Index by (non-cumulative) weights. */
    static int weighted(SplittableRandom r, double[] w) {
        double total = 0;
        for (double x : w) total += x;
        double u = r.nextDouble() * total;
        for (int i = 0; i < w.length; i++) {
            u -= w[i];
            if (u < 0) return i;
        }
        return w.length - 1;
    }

    /** Index by cumulative weights (last element = total). */
    static int cumulative(SplittableRandom r, double[] cum) {
        double u = r.nextDouble() * cum[cum.length - 1];
        int lo = 0, hi = cum.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cum[mid] > u) hi = mid; else lo = mid + 1;
        }
        return lo;
    }
}
