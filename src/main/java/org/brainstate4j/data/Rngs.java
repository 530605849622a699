package org.brainstate4j.data;

import java.util.SplittableRandom;

/** Deterministic seeding: independent generators from a base seed and a few integers. */
final class Rngs {
    private Rngs() {}

    /** SplitMix64's finaliser: a bijective mix of all 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A generator determined by {@code seed} and {@code keys}, independent of other key tuples. */
    static SplittableRandom of(long seed, long... keys) {
        long h = mix(seed + 0x9e3779b97f4a7c15L);
        for (long k : keys) h = mix(h ^ mix(k + 0x632be59bd9b4e019L));
        return new SplittableRandom(h);
    }

    /** A seeded permutation of {@code 0 .. n-1} (Fisher-Yates). */
    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
