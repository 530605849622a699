package org.brainstate4j.train;

import org.bytedeco.javacpp.Pointer;

/**
 * Memory in use after a garbage collection: the JVM heap (used and committed) and the process's
 * resident set. ND4J's CPU buffers are not counted by JavaCPP ({@code Pointer.totalBytes()} stays 0,
 * and {@code org.bytedeco.javacpp.maxbytes} is not enforced for them), so off-heap memory is taken as
 * the resident set less the committed heap: native arrays plus the JVM's own native memory.
 */
record MemoryProbe(long heapUsedBytes, long heapCommittedBytes, long residentBytes) {

    /** Collects garbage (so freed arrays release their native memory), then measures. */
    static MemoryProbe measure() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 2; i++) {
            System.gc();
            try {
                Thread.sleep(50); // lets ND4J's deallocator thread release what the GC found
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new MemoryProbe(rt.totalMemory() - rt.freeMemory(), rt.totalMemory(), Pointer.physicalBytes());
    }

    /** Resident set less the committed heap. */
    public long offHeapBytes() {
        return Math.max(0, residentBytes - heapCommittedBytes);
    }

    static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /** The limits this JVM runs with, for the report. */
    static String settings() {
        return String.format("heap max %.0f MiB (-Xmx); process resident memory capped at %.0f MiB "
                        + "(org.bytedeco.javacpp.maxphysicalbytes: JavaCPP refuses native allocations past it)",
                mib(Runtime.getRuntime().maxMemory()), mib(Pointer.maxPhysicalBytes()));
    }
}
