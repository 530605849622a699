package org.brainstate4j.io;

import java.nio.file.Path;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Main class the tests run in a separate JVM:
 * <ul>
 *   <li>{@code predict MODEL IN.npy OUT.npy}: loads a model file (no updater state), runs {@code out}
 *       on the input and writes the result;</li>
 *   <li>{@code save-loop MODEL FLOATS}: builds the (untrained) test model plus a variable {@code big} of
 *       FLOATS floats and saves it over MODEL again and again, {@code big} filled with the iteration number i
 *       and metadata {@code iteration=i}, printing {@code saved i} after each complete save, until killed.</li>
 * </ul>
 */
public final class ModelFileChild {
    private ModelFileChild() {}

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "predict" -> {
                ModelFile.Loaded loaded = ModelFile.load(Path.of(args[1]), false);
                INDArray x = Npz.readNpy(Path.of(args[2]));
                INDArray y = loaded.sameDiff().output(Map.of("x", x), "out").get("out");
                Npz.writeNpy(Path.of(args[3]), y);
                System.out.println("done " + loaded.metadata());
            }
            case "save-loop" -> {
                TestModels.Model m = TestModels.build(DataType.FLOAT, 5);
                SameDiff sd = m.sd();
                INDArray big = Nd4j.zeros(DataType.FLOAT, Long.parseLong(args[2]));
                sd.var("big", big);
                Path file = Path.of(args[1]);
                System.out.println("ready");
                for (int i = 0; ; i++) {
                    long start = System.nanoTime();
                    big.assign(i);
                    ModelFile.save(sd, file, false, Map.of("iteration", Integer.toString(i)));
                    System.out.println("saved " + i + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
                }
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }
}
