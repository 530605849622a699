package org.brainstate4j.nn;

import static org.brainstate4j.Checks.checkArgument;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A module made of child modules, written the way Keras users subclass {@code Model}: register
 * children with {@link #add(Module)} in the constructor and call them in
 * {@link #forward(org.nd4j.autodiff.samediff.SameDiff, org.nd4j.autodiff.samediff.SDVariable)}.
 * Each child runs in its own name scope nested in this network's, so parameters get paths such as
 * {@code unet/enc1/weight}; {@link #parameters()} lists them relative to the network
 * ({@code enc1/weight}).
 */
public abstract class Network extends Module {
    private final List<Module> children = new ArrayList<>();

    protected Network(String name) {
        super(name);
    }

    /** Registers {@code child} (names must be unique within the network) and returns it. */
    protected final <M extends Module> M add(M child) {
        checkArgument(child != null, "%s '%s': child must not be null", typeName(), name());
        for (Module existing : children) {
            checkArgument(!existing.name().equals(child.name()),
                    "%s '%s': a child named '%s' already exists; children need distinct names",
                    typeName(), name(), child.name());
        }
        children.add(child);
        return child;
    }

    @Override
    public final List<Module> children() {
        return Collections.unmodifiableList(children);
    }
}
