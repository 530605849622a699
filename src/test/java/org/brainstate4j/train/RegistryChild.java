package org.brainstate4j.train;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Run by {@link ManifestConsistencyKillTest} in a child JVM: {@code DIR FLOATS} saves a model
 * (a variable {@code big} of FLOATS floats, all equal to i) through {@link ModelRegistry#save} as
 * {@code DIR/m.bs4j} again and again, as the trainer saves, with seed i, metric value i and
 * metadata {@code iteration=i}, printing {@code saved i in N ms} after each, until killed.
 */
public final class RegistryChild {
    private RegistryChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        SameDiff sd = SameDiff.create();
        INDArray big = Nd4j.zeros(DataType.FLOAT, Long.parseLong(args[1]));
        sd.var("big", big);
        ModelRegistry registry = new ModelRegistry(dir);
        System.out.println("ready");
        for (int i = 0; ; i++) {
            long start = System.nanoTime();
            big.assign(i);
            registry.save(sd, false, Map.of("iteration", Integer.toString(i)), entry(i));
            System.out.println("saved " + i + " in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
    }

    static JsonObject entry(int i) {
        JsonObject e = new JsonObject();
        e.addProperty("name", "m");
        e.addProperty("file", "m.bs4j");
        e.addProperty("seed", i);
        JsonObject metric = new JsonObject();
        metric.addProperty("name", "accuracy");
        metric.addProperty("value", i / 1000.0);
        e.add("metric", metric);
        return e;
    }
}
