package example;

import org.brainstate4j.nn.GroupNorm;
import org.brainstate4j.nn.Linear;
import org.brainstate4j.nn.Network;
import org.brainstate4j.nn.ScaledWSConv2d;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

// README:begin composition
final class Classifier extends Network {
    private final ScaledWSConv2d conv;
    private final GroupNorm norm;
    private final Linear head;

    Classifier() {
        super("classifier");
        conv = add(ScaledWSConv2d.builder().inSize(28, 28, 1).outChannels(16).kernelSize(3).padding("SAME").name("conv").build());
        norm = add(GroupNorm.builder().inSize(28, 28, 16).numGroups(4).name("norm").build());
        head = add(Linear.builder().inSize(14 * 14 * 16).outSize(10).name("fc").build());
    }

    @Override
    protected SDVariable forward(SameDiff sd, SDVariable x) {
        SDVariable h = sd.nn().relu(norm.apply(sd, conv.apply(sd, x)), 0);
        h = sd.cnn().maxPooling2d(h, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).isNHWC(true).build());
        return head.apply(sd, sd.reshape(h, -1, 14 * 14 * 16));
    }
}
// README:end
