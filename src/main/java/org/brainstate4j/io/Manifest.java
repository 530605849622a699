package org.brainstate4j.io;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} of a {@link ModelFile}: what the file holds, checked on load.
 *
 * @param format              always {@value ModelFile#FORMAT}
 * @param formatVersion       the container format version ({@value ModelFile#FORMAT_VERSION} here)
 * @param brainstate4jVersion version of the library that wrote the file ({@code development} when not
 *                            run from a packaged jar)
 * @param createdAt           when the file was written (UTC)
 * @param updaterState        whether {@code graph.fb} includes the updater state (Adam moments etc.)
 * @param updater             the training configuration's updater (e.g. {@code Adam}), or null when the
 *                            graph has no training configuration
 * @param dataType            the data type of the trainable variables ({@code FLOAT}, {@code DOUBLE}, ...;
 *                            {@code MIXED} if they differ, {@code NONE} if there are none)
 * @param trainableVariables  the graph's trainable variables, sorted by name
 * @param graphBytes          size of {@code graph.fb}
 * @param graphSha256         SHA-256 of {@code graph.fb}, lowercase hex
 * @param metadata            the caller's free-form metadata (model type, hyper-parameters, ...)
 */
public record Manifest(String format, int formatVersion, String brainstate4jVersion, Instant createdAt,
                       boolean updaterState, String updater, String dataType, List<Variable> trainableVariables,
                       long graphBytes, String graphSha256, Map<String, String> metadata) {

    public Manifest {
        trainableVariables = List.copyOf(trainableVariables);
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
    }

    /** One trainable variable: its graph name (e.g. {@code enc1/weight}), shape and data type. */
    public record Variable(String name, long[] shape, String dataType) {
        public Variable {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Variable v && v.name.equals(name) && Arrays.equals(v.shape, shape) && v.dataType.equals(dataType);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(shape);
        }

        @Override
        public String toString() {
            return name + Arrays.toString(shape) + ":" + dataType;
        }
    }
}
