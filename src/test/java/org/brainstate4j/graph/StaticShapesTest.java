package org.brainstate4j.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.PadMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Compares {@link StaticShapes#of} with the shapes of arrays obtained by really executing the graph.
 * Everything is real DL4J/ND4J; nothing is mocked.
 */
class StaticShapesTest {

    private static final int BATCH = 3;

    // ------------------------------------------------------------------------------------------------
    // helpers

    /** Executes the graph and returns the actual shapes of the given variables. */
    private static Map<String, long[]> execute(SameDiff sd, Map<String, INDArray> feed, SDVariable... vars) {
        String[] names = Arrays.stream(vars).map(SDVariable::name).toArray(String[]::new);
        Map<String, INDArray> out = sd.output(feed, names);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (String n : names) {
            shapes.put(n, out.get(n).shape());
        }
        return shapes;
    }

    /**
     * Infers every variable statically (before executing), executes, and compares: per-sample dims exactly;
     * the batch dim is -1 when the placeholder batch is unknown, exact otherwise.
     */
    private static void assertStaticMatchesExecution(SameDiff sd, Map<String, INDArray> feed, boolean batchUnknown,
                                                     SDVariable... vars) {
        Map<String, long[]> inferred = new LinkedHashMap<>();
        for (SDVariable v : vars) {
            Optional<long[]> s = StaticShapes.of(v);
            assertTrue(s.isPresent(), "no static shape for " + v.name());
            inferred.put(v.name(), s.get());
        }
        Map<String, long[]> actual = execute(sd, feed, vars);
        for (SDVariable v : vars) {
            long[] st = inferred.get(v.name());
            long[] ac = actual.get(v.name());
            String msg = v.name() + ": static " + Arrays.toString(st) + " vs executed " + Arrays.toString(ac);
            assertEquals(ac.length, st.length, msg);
            if (batchUnknown) {
                assertEquals(-1, st[0], msg);
                assertArrayEquals(Arrays.copyOfRange(ac, 1, ac.length), Arrays.copyOfRange(st, 1, st.length), msg);
            } else {
                assertArrayEquals(ac, st, msg);
            }
            // a second look-up is served from the cache and gives the same answer
            assertArrayEquals(st, StaticShapes.of(v).orElseThrow(), msg);
        }
    }

    private static Conv2DConfig conv(long k, long s, PaddingMode mode) {
        return Conv2DConfig.builder().kH(k).kW(k).sH(s).sW(s).paddingMode(mode).dataFormat("NHWC").build();
    }

    // ------------------------------------------------------------------------------------------------
    // graphs compared with execution

    static Stream<Arguments> dtypesAndBatch() {
        return Stream.of(
                Arguments.of(DataType.FLOAT, true),
                Arguments.of(DataType.DOUBLE, true),
                Arguments.of(DataType.FLOAT, false),
                Arguments.of(DataType.DOUBLE, false));
    }

    @ParameterizedTest(name = "{0}, batch unknown: {1}")
    @MethodSource("dtypesAndBatch")
    void convReluPoolReshapeMmul(DataType dt, boolean batchUnknown) {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", dt, batchUnknown ? -1 : BATCH, 32, 32, 3);
        SDVariable w = sd.var("w", Nd4j.rand(dt, 3, 3, 3, 8));
        SDVariable b = sd.var("b", Nd4j.rand(dt, 8));
        SDVariable c = sd.cnn().conv2d(in, w, b, conv(3, 2, PaddingMode.SAME));          // [-1,16,16,8]
        SDVariable r = sd.nn().relu(c, 0);
        SDVariable p = sd.cnn().maxPooling2d(r, Pooling2DConfig.builder()
                .kH(2).kW(2).sH(2).sW(2).isNHWC(true).build());                          // [-1,8,8,8]
        SDVariable flat = sd.reshape(p, -1, 8 * 8 * 8);                                   // [-1,512]
        SDVariable logits = flat.mmul(sd.var("w2", Nd4j.rand(dt, 512, 10)));              // [-1,10]
        SDVariable prob = sd.nn().softmax(logits, 1);

        Map<String, INDArray> feed = Map.of("in", Nd4j.rand(dt, BATCH, 32, 32, 3));
        assertStaticMatchesExecution(sd, feed, batchUnknown, in, c, r, p, flat, logits, prob);
        assertArrayEquals(new long[] {batchUnknown ? -1 : BATCH, 8, 8, 8}, StaticShapes.of(p).orElseThrow());
        assertArrayEquals(new long[] {batchUnknown ? -1 : BATCH, 10}, StaticShapes.of(logits).orElseThrow());
    }

    @ParameterizedTest(name = "{0}, batch unknown: {1}")
    @MethodSource("dtypesAndBatch")
    void concatPadPermuteExpandSqueezeSplit(DataType dt, boolean batchUnknown) {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", dt, batchUnknown ? -1 : BATCH, 16, 16, 4);
        SDVariable a = sd.nn().relu(sd.cnn().conv2d(in, sd.var("wa", Nd4j.rand(dt, 1, 1, 4, 6)),
                conv(1, 1, PaddingMode.SAME)), 0);                                        // [-1,16,16,6]
        SDVariable b = sd.math().tanh(sd.cnn().conv2d(in, sd.var("wb", Nd4j.rand(dt, 3, 3, 4, 2)),
                conv(3, 1, PaddingMode.SAME)));                                           // [-1,16,16,2]
        SDVariable cat = sd.concat(3, a, b);                                              // [-1,16,16,8]
        SDVariable padded = sd.nn().pad(cat, sd.constant(Nd4j.createFromArray(
                new int[][] {{0, 0}, {1, 2}, {3, 0}, {0, 0}})), PadMode.CONSTANT, 0.0);   // [-1,19,19,8]
        SDVariable nchw = sd.permute(padded, 0, 3, 1, 2);                                 // [-1,8,19,19]
        SDVariable expanded = sd.expandDims(nchw, 1);                                     // [-1,1,8,19,19]
        SDVariable squeezed = sd.squeeze(expanded, 1);                                    // [-1,8,19,19]
        SDVariable[] parts = sd.split(squeezed, 4, 1);                                    // 4 x [-1,2,19,19]
        SDVariable summed = squeezed.sum(2, 3);                                           // [-1,8]
        SDVariable viaConstShape = sd.reshape(summed,
                sd.constant(Nd4j.createFromArray(-1L, 4L, 2L)));                          // [-1,4,2]
        SDVariable bcast = a.add(sd.constant(Nd4j.rand(dt, 6)));                          // [-1,16,16,6]
        SDVariable both = a.mul(a);                                                       // two ARRAY inputs

        Map<String, INDArray> feed = Map.of("in", Nd4j.rand(dt, BATCH, 16, 16, 4));
        assertStaticMatchesExecution(sd, feed, batchUnknown, a, b, cat, padded, nchw, expanded, squeezed,
                parts[0], parts[1], parts[2], parts[3], summed, viaConstShape, bcast, both);
        assertArrayEquals(new long[] {batchUnknown ? -1 : BATCH, 2, 19, 19}, StaticShapes.of(parts[3]).orElseThrow());
    }

    @Test
    void flattenAllAndMultiOutputMoments() {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.FLOAT, -1, 5, 7);
        SDVariable flatAll = sd.reshape(in, -1);                                          // [-1] (batch*35)
        SDVariable[] mv = sd.math().moments(in, new int[] {2}, false);                    // 2 x [-1,5]
        SDVariable t = sd.transpose(mv[1]);                                               // [5,-1]
        Map<String, INDArray> feed = Map.of("in", Nd4j.rand(DataType.FLOAT, BATCH, 5, 7));

        assertArrayEquals(new long[] {-1}, StaticShapes.of(flatAll).orElseThrow());
        assertArrayEquals(new long[] {-1, 5}, StaticShapes.of(mv[0]).orElseThrow());
        assertArrayEquals(new long[] {-1, 5}, StaticShapes.of(mv[1]).orElseThrow());
        assertArrayEquals(new long[] {5, -1}, StaticShapes.of(t).orElseThrow());
        Map<String, long[]> actual = execute(sd, feed, flatAll, mv[0], mv[1], t);
        assertArrayEquals(new long[] {BATCH * 35}, actual.get(flatAll.name()));
        assertArrayEquals(new long[] {BATCH, 5}, actual.get(mv[1].name()));
        assertArrayEquals(new long[] {5, BATCH}, actual.get(t.name()));
    }

    @Test
    void unknownSpatialDimsThroughValidConvolution() {
        // Stand-in size 2 is too small for a 5x5 VALID kernel: the larger stand-ins must take over.
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.FLOAT, -1, -1, -1, 3);
        SDVariable c = sd.cnn().conv2d(in, sd.var("w", Nd4j.rand(DataType.FLOAT, 5, 5, 3, 8)),
                conv(5, 1, PaddingMode.VALID));
        assertArrayEquals(new long[] {-1, -1, -1, 8}, StaticShapes.of(c).orElseThrow());
        long[] actual = execute(sd, Map.of("in", Nd4j.rand(DataType.FLOAT, BATCH, 20, 24, 3)), c).get(c.name());
        assertArrayEquals(new long[] {BATCH, 16, 20, 8}, actual);
    }

    @Test
    void chainOf300AddsIsInferredWithoutRecursionAndCached() {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.FLOAT, -1, 8, 8, 4);
        SDVariable bias = sd.constant("bias", Nd4j.rand(DataType.FLOAT, 4));
        SDVariable x = in;
        SDVariable middle = null;
        for (int i = 0; i < 300; i++) {
            x = x.add(bias);
            if (i == 150) {
                middle = x;
            }
        }
        long t0 = System.nanoTime();
        Optional<long[]> first = StaticShapes.of(x);
        long firstMs = (System.nanoTime() - t0) / 1_000_000;
        assertArrayEquals(new long[] {-1, 8, 8, 4}, first.orElseThrow());
        assertTrue(firstMs < 10_000, "300-op chain took " + firstMs + " ms");

        // everything upstream is cached now: further look-ups do not re-walk the chain
        t0 = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            StaticShapes.of(x);
            StaticShapes.of(middle);
        }
        long cachedMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(cachedMs < 500, "2000 cached look-ups took " + cachedMs + " ms");
        assertArrayEquals(new long[] {-1, 8, 8, 4}, StaticShapes.of(middle).orElseThrow());

        long[] actual = execute(sd, Map.of("in", Nd4j.rand(DataType.FLOAT, BATCH, 8, 8, 4)), x).get(x.name());
        assertArrayEquals(new long[] {BATCH, 8, 8, 4}, actual);
    }

    // ------------------------------------------------------------------------------------------------
    // leaves, record(), caching

    @Test
    void leavesAreAnsweredDirectlyAndCopiesAreReturned() {
        SameDiff sd = SameDiff.create();
        SDVariable ph = sd.placeHolder("ph", DataType.FLOAT, -1, 28, 28, 1);
        SDVariable v = sd.var("v", Nd4j.rand(DataType.FLOAT, 3, 3, 1, 16));
        SDVariable c = sd.constant("c", Nd4j.rand(DataType.DOUBLE, 7));
        SDVariable scalar = sd.constant("s", Nd4j.scalar(1.5f));

        assertArrayEquals(new long[] {-1, 28, 28, 1}, StaticShapes.of(ph).orElseThrow());
        assertArrayEquals(new long[] {3, 3, 1, 16}, StaticShapes.of(v).orElseThrow());
        assertArrayEquals(new long[] {7}, StaticShapes.of(c).orElseThrow());
        assertArrayEquals(new long[0], StaticShapes.of(scalar).orElseThrow());

        StaticShapes.of(ph).orElseThrow()[1] = 999;   // callers get copies
        assertArrayEquals(new long[] {-1, 28, 28, 1}, StaticShapes.of(ph).orElseThrow());
        assertArrayEquals(new long[] {-1, 28, 28, 1}, ph.getShape());
    }

    @Test
    void recordOverridesAndFeedsDownstreamInference() {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.FLOAT, -1, 10);
        SDVariable h = sd.nn().relu(in, 0);
        SDVariable out = h.mmul(sd.var("w", Nd4j.rand(DataType.FLOAT, 10, 4)));

        StaticShapes.record(h, new long[] {-1, 10});
        assertArrayEquals(new long[] {-1, 10}, StaticShapes.of(h).orElseThrow());
        assertArrayEquals(new long[] {-1, 4}, StaticShapes.of(out).orElseThrow());

        // recording a different shape overrides the answer and drops results derived from the old one
        StaticShapes.record(h, new long[] {6, 10});
        assertArrayEquals(new long[] {6, 10}, StaticShapes.of(h).orElseThrow());
        assertArrayEquals(new long[] {6, 4}, StaticShapes.of(out).orElseThrow());

        // a leaf can be recorded too; downstream follows it
        SameDiff sd2 = SameDiff.create();
        SDVariable ph = sd2.placeHolder("ph", DataType.FLOAT, -1, -1);
        SDVariable y = sd2.math().exp(ph);
        assertArrayEquals(new long[] {-1, -1}, StaticShapes.of(y).orElseThrow());
        StaticShapes.record(ph, new long[] {-1, 12});
        assertArrayEquals(new long[] {-1, 12}, StaticShapes.of(ph).orElseThrow());
        assertArrayEquals(new long[] {-1, 12}, StaticShapes.of(y).orElseThrow());


        assertThrows(IllegalArgumentException.class, () -> StaticShapes.record(h, new long[] {-2, 10}));
        assertThrows(IllegalArgumentException.class, () -> StaticShapes.record(h, null));
        assertThrows(IllegalArgumentException.class, () -> StaticShapes.record(null, new long[] {1}));
    }

    @Test
    void graphsAreCachedSeparately() {
        SameDiff sd1 = SameDiff.create();
        SameDiff sd2 = SameDiff.create();
        SDVariable a = sd1.nn().relu(sd1.placeHolder("in", DataType.FLOAT, -1, 3), 0);
        SDVariable b = sd2.nn().relu(sd2.placeHolder("in", DataType.FLOAT, -1, 5), 0);
        assertEquals(a.name(), b.name());
        assertArrayEquals(new long[] {-1, 3}, StaticShapes.of(a).orElseThrow());
        assertArrayEquals(new long[] {-1, 5}, StaticShapes.of(b).orElseThrow());
        // adding variables changes SameDiff.hashCode(); the cache is identity-based so it still hits
        sd1.var("extra", Nd4j.rand(DataType.FLOAT, 2));
        assertArrayEquals(new long[] {-1, 3}, StaticShapes.of(a).orElseThrow());
    }

    @Test
    void inferenceWritesNothingToJavaStreams() {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.FLOAT, -1, 32, 32, 3);
        SDVariable x = sd.cnn().maxPooling2d(sd.nn().relu(sd.cnn().conv2d(in,
                sd.var("w", Nd4j.rand(DataType.FLOAT, 3, 3, 3, 8)), conv(3, 2, PaddingMode.SAME)), 0),
                Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).isNHWC(true).build());
        SDVariable where = sd.where(sd.gt(in, 0.5));
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
        try {
            System.setOut(capture);
            System.setErr(capture);
            assertTrue(StaticShapes.of(x).isPresent());
            assertFalse(StaticShapes.of(where).isPresent());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertEquals("", buf.toString(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------------------------------------
    // failures: empty, never an exception

    @Test
    void dataDependentShapesAreEmpty() {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.FLOAT, -1, 4);
        // where(condition): one row per true element -> only known at run time
        SDVariable where = sd.where(sd.gt(in, 0.5));
        // reshape with a shape tensor computed at run time (works when executed, not inferable statically)
        SDVariable reshaped = sd.reshape(sd.math().exp(in), sd.shape(in));
        // tile with computed repeats
        SDVariable tiled = sd.tile(in, sd.shape(in).castTo(DataType.INT));

        assertFalse(StaticShapes.of(where).isPresent());
        assertFalse(StaticShapes.of(reshaped).isPresent());
        assertFalse(StaticShapes.of(tiled).isPresent());
        // whatever is upstream of them is still fine
        assertArrayEquals(new long[] {2}, StaticShapes.of(sd.shape(in)).orElseThrow());

        INDArray x = Nd4j.createFromArray(new float[][] {{0, 1, 0, 1}, {1, 1, 1, 0}, {0, 0, 0, 0}});
        Map<String, long[]> actual = execute(sd, Map.of("in", x), where, reshaped);
        assertArrayEquals(new long[] {5, 2}, actual.get(where.name()));
        assertArrayEquals(new long[] {3, 4}, actual.get(reshaped.name()));
    }

    @Test
    void controlFlowIsEmpty() {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.FLOAT, -1, 4);
        SDVariable ifOut = sd.ifCond(s -> s.constant(Nd4j.scalar(true)), s -> in.add(1.0), s -> in.sub(1.0));
        SDVariable after = sd.nn().relu(ifOut, 0);
        SDVariable[] loop = sd.whileLoop(new SDVariable[] {sd.constant(Nd4j.scalar(0)), in},
                (s, vars) -> vars[0].lt(3),
                (s, vars) -> new SDVariable[] {vars[0].add(1), vars[1].mul(2.0)});

        assertFalse(StaticShapes.of(ifOut).isPresent());
        assertFalse(StaticShapes.of(after).isPresent());
        assertFalse(StaticShapes.of(loop[1]).isPresent());
        long[] actual = execute(sd, Map.of("in", Nd4j.rand(DataType.FLOAT, BATCH, 4)), after).get(after.name());
        assertArrayEquals(new long[] {BATCH, 4}, actual);
    }

    @Test
    void invalidGraphIsEmptyNotAnException() {
        // libnd4j's matmul shape function rejects this (and prints its reason on the native stdout)
        SameDiff sd = SameDiff.create();
        SDVariable a = sd.placeHolder("a", DataType.FLOAT, -1, 7);
        SDVariable bad = a.mmul(sd.var("w", Nd4j.rand(DataType.FLOAT, 5, 3)));
        SDVariable downstream = sd.nn().relu(bad, 0);
        assertFalse(StaticShapes.of(bad).isPresent());
        assertFalse(StaticShapes.of(downstream).isPresent());
        assertFalse(StaticShapes.of(null).isPresent());
        assertThrows(RuntimeException.class,
                () -> sd.output(Map.of("a", Nd4j.rand(DataType.FLOAT, BATCH, 7)), downstream.name()));
    }

    @Test
    void staleEntriesAreNotReusedAfterRename() {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.FLOAT, -1, 4);
        SDVariable r1 = sd.nn().relu("x1", in, 0);
        assertArrayEquals(new long[] {-1, 4}, StaticShapes.of(r1).orElseThrow());
        sd.renameVariable("x1", "first");
        // the name is free again and now belongs to another op with another shape
        SDVariable r2 = sd.nn().relu("x1", sd.reshape(in, -1), 0);
        assertEquals("x1", r2.name());
        assertArrayEquals(new long[] {-1}, StaticShapes.of(r2).orElseThrow());
        assertArrayEquals(new long[] {-1, 4}, StaticShapes.of(sd.getVariable("first")).orElseThrow());
        Map<String, INDArray> feed = new HashMap<>();
        feed.put("in", Nd4j.rand(DataType.FLOAT, BATCH, 4));
        assertArrayEquals(new long[] {BATCH * 4}, execute(sd, feed, r2).get("x1"));
    }
}
