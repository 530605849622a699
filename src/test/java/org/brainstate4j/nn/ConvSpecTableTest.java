package org.brainstate4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ConvSpec}'s size and padding rules as one table: for each rank, direction and padding form,
 * the {@code (lo, hi)} padding the layer applies per spatial axis and the output size per axis.
 *
 * <p>The expected columns are not ConvSpec's output: they were worked by hand from the formulas of
 * BrainState's convolution semantics (below), and {@code tools/golden/check_convspec_table.py} reads
 * this table and checks every row with JAX itself ({@code lax.padtype_to_pads},
 * {@code lax.conv_transpose}'s padding, and the output shapes of {@code lax.conv_general_dilated} /
 * {@code lax.conv_transpose}).
 *
 * <pre>
 * per axis: ek = (k - 1) * rhs + 1
 * forward, SAME       out = ceil(in / s); total = max((out - 1) * s + ek - in, 0); lo = total / 2, hi = total - lo
 * forward, VALID      lo = hi = 0
 * forward, explicit   out = floor(((in - 1) * lhs + 1 + lo + hi - ek) / s) + 1   (negative lo/hi crop)
 * transposed, SAME    L = ek + s - 2;                  lo = s > ek - 1 ? ek - 1 : ceil(L / 2); hi = L - lo
 * transposed, VALID   L = ek + s - 2 + max(ek - s, 0); lo = ek - 1;                            hi = L - lo
 * transposed, any     out = (in - 1) * s + 1 + lo + hi - ek + 1   (the pads apply to the stride-dilated input)
 * </pre>
 *
 * <p>Columns: sizes are one value per spatial axis or one value for all of them. Padding forms:
 * {@code SAME}, {@code VALID}, {@code int p} ({@link Padding#of(int)}), {@code perAxis a b}
 * ({@link Padding#perAxis}), {@code pairs lo:hi ...} ({@link Padding#pairs}). Expected pads are
 * {@code lo:hi} per axis.
 */
class ConvSpecTableTest {

    @ParameterizedTest(name = "[{index}] {0}-d {1}, padding {2}: in {3}, k {4}, s {5}, lhs {6}, rhs {7} -> pads {8}, out {9}")
    @CsvSource(delimiter = '|', textBlock = """
            # rank | direction  | padding           | in       | kernel | stride | lhs | rhs | pads (lo:hi per axis) | out
            # ---- forward, SAME: out = ceil(in / s), the odd pixel on the high side
              1    | forward    | SAME              | 100      | 5      | 1      | 1   | 1   | 2:2                   | 100
              1    | forward    | SAME              | 100      | 5      | 2      | 1   | 1   | 1:2                   | 50
              2    | forward    | SAME              | 28       | 3      | 2      | 1   | 1   | 0:1 0:1               | 14 14
              2    | forward    | SAME              | 28 10    | 3 1    | 2 1    | 1   | 1   | 0:1 0:0               | 14 10
              2    | forward    | SAME              | 28       | 1      | 2      | 1   | 1   | 0:0 0:0               | 14 14
              2    | forward    | SAME              | 32       | 3      | 1      | 1   | 2   | 2:2 2:2               | 32 32
              2    | forward    | SAME              | 7        | 4      | 3      | 1   | 1   | 1:2 1:2               | 3 3
              3    | forward    | SAME              | 16 64 64 | 3      | 1      | 1   | 1   | 1:1 1:1 1:1           | 16 64 64
            # ---- forward, VALID: out = ceil((in - ek + 1) / s)
              2    | forward    | VALID             | 32       | 5      | 1      | 1   | 1   | 0:0 0:0               | 28 28
              2    | forward    | VALID             | 28       | 3      | 2      | 1   | 1   | 0:0 0:0               | 13 13
              2    | forward    | VALID             | 32       | 3      | 1      | 1   | 4   | 0:0 0:0               | 24 24
              1    | forward    | VALID             | 10       | 3      | 4      | 1   | 1   | 0:0                   | 2
            # ---- forward, explicit: out = floor(((in - 1) * lhs + 1 + lo + hi - ek) / s) + 1
              2    | forward    | int 2             | 32       | 5      | 1      | 1   | 1   | 2:2 2:2               | 32 32
              2    | forward    | int 1             | 7        | 3      | 2      | 1   | 1   | 1:1 1:1               | 4 4
              3    | forward    | int 0             | 5 6 7    | 3      | 1      | 1   | 1   | 0:0 0:0 0:0           | 3 4 5
              2    | forward    | perAxis 1 2       | 32       | 3      | 1      | 1   | 1   | 1:1 2:2               | 32 34
              1    | forward    | perAxis 1 2       | 10       | 3      | 1      | 1   | 1   | 1:2                   | 11
              3    | forward    | perAxis 0 1 2     | 8        | 3      | 1      | 1   | 1   | 0:0 1:1 2:2           | 6 8 10
              2    | forward    | pairs 1:2 0:1     | 10       | 3      | 1      | 1   | 1   | 1:2 0:1               | 11 9
              3    | forward    | pairs 1:0         | 8        | 3      | 1      | 1   | 1   | 1:0 1:0 1:0           | 7 7 7
              2    | forward    | pairs 2:1 0:3     | 9        | 3      | 2      | 1   | 1   | 2:1 0:3               | 5 5
            # ---- forward, negative padding crops
              2    | forward    | pairs -1:-2       | 10       | 3      | 1      | 1   | 1   | -1:-2 -1:-2           | 5 5
              1    | forward    | pairs -2:3        | 10       | 3      | 1      | 1   | 1   | -2:3                  | 9
              2    | forward    | int -1            | 8        | 2      | 2      | 1   | 1   | -1:-1 -1:-1           | 3 3
            # ---- forward, input dilation (needs explicit padding): (in - 1) * lhs + 1 elements
              1    | forward    | pairs 1:1         | 5        | 3      | 1      | 2   | 1   | 1:1                   | 9
              1    | forward    | pairs -1:2        | 6        | 3      | 2      | 3   | 1   | -1:2                  | 8
              2    | forward    | pairs 2:2 1:1     | 4        | 3      | 1      | 2 3 | 2   | 2:2 1:1               | 7 8
            # ---- transposed, SAME: out = in * s
              1    | transposed | SAME              | 50       | 4      | 2      | 1   | 1   | 2:2                   | 100
              2    | transposed | SAME              | 16       | 4      | 2      | 1   | 1   | 2:2 2:2               | 32 32
              2    | transposed | SAME              | 16       | 3      | 2      | 1   | 1   | 2:1 2:1               | 32 32
              2    | transposed | SAME              | 16       | 4      | 3      | 1   | 1   | 3:2 3:2               | 48 48
              2    | transposed | SAME              | 16       | 4      | 4      | 1   | 1   | 3:3 3:3               | 64 64
              1    | transposed | SAME              | 16       | 1      | 2      | 1   | 1   | 0:1                   | 32
              1    | transposed | SAME              | 16       | 2      | 4      | 1   | 1   | 1:3                   | 64
              1    | transposed | SAME              | 10       | 3      | 1      | 1   | 2   | 2:2                   | 10
              3    | transposed | SAME              | 8 16 16  | 3      | 2      | 1   | 1   | 2:1 2:1 2:1           | 16 32 32
            # ---- transposed, VALID: out = in * s + max(ek - s, 0)
              2    | transposed | VALID             | 16       | 4      | 2      | 1   | 1   | 3:3 3:3               | 34 34
              1    | transposed | VALID             | 16       | 1      | 2      | 1   | 1   | 0:1                   | 32
              1    | transposed | VALID             | 10       | 3      | 1      | 1   | 2   | 4:4                   | 14
              1    | transposed | VALID             | 5        | 2      | 3      | 1   | 1   | 1:2                   | 15
            # ---- transposed, explicit pairs on the stride-dilated input: out = (in - 1) * s + 1 + lo + hi - ek + 1
              2    | transposed | pairs 1:1         | 16       | 4      | 2      | 1   | 1   | 1:1 1:1               | 30 30
              1    | transposed | int 0             | 4        | 3      | 2      | 1   | 1   | 0:0                   | 5
              2    | transposed | perAxis 3 2       | 4        | 4      | 2      | 1   | 1   | 3:3 2:2               | 10 8
              1    | transposed | perAxis 3 2       | 4        | 4      | 2      | 1   | 1   | 3:2                   | 9
              1    | transposed | pairs -1:0        | 5        | 3      | 2      | 1   | 1   | -1:0                  | 6
              3    | transposed | pairs 2:1 0:0 1:2 | 3        | 2      | 1 2 3  | 1   | 1   | 2:1 0:0 1:2           | 5 4 9
            """)
    void paddingAndOutputSize(int rank, String direction, String padding, String in, String kernel, String stride,
                              String lhs, String rhs, String expectedPads, String expectedOut) {
        boolean transposed = switch (direction) {
            case "forward" -> false;
            case "transposed" -> true;
            default -> throw new IllegalArgumentException("direction (='" + direction + "') must be forward or transposed");
        };
        ConvSpec.Builder b = ConvSpec.builder(transposed ? "ConvTranspose" + rank + "d" : "Conv" + rank + "d", rank, transposed);
        long[] spatial = Arrays.stream(perAxis(in, rank)).asLongStream().toArray();
        b.inSize = Arrays.copyOf(spatial, rank + 1);
        b.inSize[rank] = 2;
        b.outChannels = 4;
        b.kernelSize = perAxis(kernel, rank);
        b.stride = perAxis(stride, rank);
        b.lhsDilation = perAxis(lhs, rank);
        b.rhsDilation = perAxis(rhs, rank);
        b.padding = padding(padding);
        ConvSpec spec = b.build();

        String[] pads = expectedPads.trim().split("\\s+");
        int[] out = ints(expectedOut);
        assertEquals(rank, pads.length, "the row must give one (lo:hi) per axis");
        assertEquals(rank, out.length, "the row must give one output size per axis");
        for (int axis = 0; axis < rank; axis++) {
            String[] loHi = pads[axis].split(":");
            assertArrayEquals(new int[] {Integer.parseInt(loHi[0]), Integer.parseInt(loHi[1])}, spec.pads(axis),
                    spec + ": (lo, hi) padding along spatial axis " + axis);
            assertEquals(out[axis], spec.spatialOut(axis), spec + ": output size along spatial axis " + axis);
        }
        long[] outSize = Arrays.copyOf(Arrays.stream(out).asLongStream().toArray(), rank + 1);
        outSize[rank] = 4;
        assertArrayEquals(outSize, spec.outSize(), spec + ": per-sample output shape");
    }

    /** One value for every axis, or one per axis. */
    private static int[] perAxis(String column, int rank) {
        int[] values = ints(column);
        if (values.length == 1) {
            int[] out = new int[rank];
            Arrays.fill(out, values[0]);
            return out;
        }
        assertEquals(rank, values.length, "column '" + column + "' must hold 1 or " + rank + " values");
        return values;
    }

    private static int[] ints(String column) {
        return Arrays.stream(column.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }

    private static Padding padding(String column) {
        String[] words = column.trim().split("\\s+");
        String[] args = Arrays.copyOfRange(words, 1, words.length);
        return switch (words[0]) {
            case "SAME" -> Padding.SAME;
            case "VALID" -> Padding.VALID;
            case "int" -> Padding.of(Integer.parseInt(args[0]));
            case "perAxis" -> Padding.perAxis(Arrays.stream(args).mapToInt(Integer::parseInt).toArray());
            case "pairs" -> Padding.pairs(Arrays.stream(args)
                    .map(p -> Arrays.stream(p.split(":")).mapToInt(Integer::parseInt).toArray())
                    .toArray(int[][]::new));
            default -> throw new IllegalArgumentException("padding column (='" + column + "') has an unknown form");
        };
    }
}
