package org.brainstate4j.nn.init;

/** He normal: scale 2, fan in, truncated normal. The default weight initializer of {@code Linear}. */
public final class KaimingNormal extends VarianceScaling {
    public KaimingNormal() {
        super(2.0, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL);
    }
}
