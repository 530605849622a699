package org.brainstate4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The repository's Fashion-MNIST files, loaded once per test JVM. */
final class Shipped {
    private static LabelledImages train;
    private static LabelledImages test;

    private Shipped() {}

    static synchronized LabelledImages train() {
        if (train == null) train = load(FashionMnist.Split.TRAIN);
        return train;
    }

    static synchronized LabelledImages test() {
        if (test == null) test = load(FashionMnist.Split.TEST);
        return test;
    }

    private static LabelledImages load(FashionMnist.Split split) {
        try {
            return FashionMnist.load(FashionMnist.DEFAULT_DIR, split);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
