package org.brainstate4j.dl4j;

import org.deeplearning4j.nn.conf.graph.MergeVertex;

/**
 * DL4J's {@link MergeVertex} whose copies keep the merge axis. {@code MergeVertex} concatenates on
 * axis 1 and, in 1.0.0-M2.1, switches itself to axis 3 when its inputs are NHWC
 * ({@code MergeVertex.getOutputType}); but its {@code clone()} returns {@code new MergeVertex()},
 * dropping that axis, and a cloned network ({@code ComputationGraph.clone()}, which DL4J's
 * {@code InMemoryModelSaver}, early stopping and {@code ParallelWrapper} use) then concatenates
 * NHWC activations along the height and fails in the next layer. This vertex is MergeVertex with a
 * clone that copies the axis; nothing else differs.
 */
public class CloneSafeMergeVertex extends MergeVertex {

    public CloneSafeMergeVertex() {}

    @Override
    public CloneSafeMergeVertex clone() {
        CloneSafeMergeVertex copy = new CloneSafeMergeVertex();
        copy.setMergeAxis(getMergeAxis());
        copy.setModified(isModified());
        return copy;
    }
}
