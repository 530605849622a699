package org.brainstate4j.nn.init;

/** Glorot normal: scale 1, fan average, truncated normal. The default kernel initializer of the conv layers. */
public final class XavierNormal extends VarianceScaling {
    public XavierNormal() {
        super(1.0, Mode.FAN_AVG, Distribution.TRUNCATED_NORMAL);
    }
}
