package org.brainstate4j.graph;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * A value per SameDiff graph, found by identity and held weakly. A {@code WeakHashMap<SameDiff, V>}
 * does not work: {@code SameDiff.hashCode()} hashes the graph's variables, so it changes as the
 * graph grows and entries get lost. A module is applied to few graphs, so a list is enough.
 */
public final class PerGraph<V> {
    private final List<Entry<V>> entries = new ArrayList<>();

    private record Entry<V>(WeakReference<SameDiff> graph, V value) {}

    /** The value for {@code sd}, or null. */
    public synchronized V get(SameDiff sd) {
        Iterator<Entry<V>> it = entries.iterator();
        while (it.hasNext()) {
            Entry<V> e = it.next();
            SameDiff g = e.graph().get();
            if (g == null) {
                it.remove();
            } else if (g == sd) {
                return e.value();
            }
        }
        return null;
    }

    /** The value for {@code sd}, created on first use. */
    public synchronized V computeIfAbsent(SameDiff sd, Supplier<V> create) {
        V value = get(sd);
        if (value == null) {
            value = create.get();
            entries.add(new Entry<>(new WeakReference<>(sd), value));
        }
        return value;
    }
}
