package org.brainstate4j.nn.init;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Where layers get their random generators when no seed is given: one global sequence, so a
 * program that builds the same layers in the same order gets the same weights on every run.
 * Call {@link #setGlobalSeed(long)} to choose the sequence (like {@code torch.manual_seed}).
 */
public final class Seeds {
    private static SplittableRandom global = new SplittableRandom(0);

    private Seeds() {}

    /** Restarts the global sequence from {@code seed}. */
    public static synchronized void setGlobalSeed(long seed) {
        global = new SplittableRandom(seed);
    }

    /** A generator for one layer: from {@code seed} when given, else the next one in the global sequence. */
    public static synchronized RandomGenerator generator(Long seed) {
        return seed != null ? new SplittableRandom(seed) : global.split();
    }
}
