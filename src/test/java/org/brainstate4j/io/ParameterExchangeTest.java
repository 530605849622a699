package org.brainstate4j.io;

import static org.brainstate4j.io.TestModels.assertBitIdentical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link ParameterExchange}: exact round trips, all-or-nothing refusal with precise messages. */
class ParameterExchangeTest {
    @TempDir
    Path dir;

    private static Map<String, INDArray> snapshot(TestModels.Encoder e) {
        Map<String, INDArray> copy = new LinkedHashMap<>();
        e.parameters().forEach((k, v) -> copy.put(k, v.dup()));
        return copy;
    }

    private static void assertParameters(Map<String, INDArray> expected, TestModels.Encoder e) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(e.parameters().keySet()));
        expected.forEach((k, v) -> assertBitIdentical(v, e.parameters().get(k), k));
    }

    @Test
    void roundTripIsExactAndUpdatesGraphsAlreadyBuilt() throws Exception {
        TestModels.Model trained = TestModels.build(DataType.FLOAT, 61);
        trained.fit(2); // the module's live arrays are the graph's variables: trained values
        Path npz = dir.resolve("encoder.npz");
        ParameterExchange.save(trained.encoder(), npz);
        assertEquals(List.of("enc1/weight", "enc2/weight", "enc2/bias", "enc2/gain"), List.copyOf(Npz.read(npz).keySet()));

        TestModels.Encoder other = new TestModels.Encoder("net", DataType.FLOAT, 99);
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, TestModels.H, TestModels.W, TestModels.C);
        SDVariable y = other.apply(sd, x);
        ParameterExchange.load(other, npz);

        assertParameters(snapshot(trained.encoder()), other);
        // The graph built before loading sees the loaded values (they were assigned into its arrays):
        // it computes what the trained encoder computes.
        SameDiff reference = SameDiff.create();
        SDVariable rx = reference.placeHolder("x", DataType.FLOAT, -1, TestModels.H, TestModels.W, TestModels.C);
        SDVariable ry = trained.encoder().apply(reference, rx);
        INDArray expected = reference.output(Map.of("x", trained.x()), ry.name()).get(ry.name());
        INDArray actual = sd.output(Map.of("x", trained.x()), y.name()).get(y.name());
        assertBitIdentical(expected, actual, "encoder output after load");
    }

    @Test
    void missingAndUnexpectedNamesAreRefusedAndNothingIsAssigned() throws Exception {
        TestModels.Encoder source = new TestModels.Encoder("net", DataType.FLOAT, 1);
        Map<String, INDArray> values = new LinkedHashMap<>(source.parameters());
        values.remove("enc2/gain");
        values.put("enc3/weight", Nd4j.ones(DataType.FLOAT, 3));
        Path npz = dir.resolve("wrong-names.npz");
        Npz.write(npz, values);

        TestModels.Encoder target = new TestModels.Encoder("net", DataType.FLOAT, 2);
        Map<String, INDArray> before = snapshot(target);
        ParameterMismatchException e = assertThrows(ParameterMismatchException.class, () -> ParameterExchange.load(target, npz));
        assertEquals("cannot load the parameters of Encoder 'net' from " + npz + "; nothing was assigned:\n"
                + "  missing from the source: [enc2/gain]\n"
                + "  unexpected (the module has no such parameter): [enc3/weight]", e.getMessage());
        assertEquals(List.of("enc2/gain"), e.missing());
        assertEquals(List.of("enc3/weight"), e.unexpected());
        assertParameters(before, target);
    }

    @Test
    void wrongShapesAreRefusedWithPathAndBothShapesAndNothingIsAssigned() throws Exception {
        TestModels.Encoder source = new TestModels.Encoder("net", DataType.FLOAT, 1);
        Map<String, INDArray> values = new LinkedHashMap<>(source.parameters());
        values.put("enc1/weight", Nd4j.ones(DataType.FLOAT, 3, 3, 3, 8));
        Path npz = dir.resolve("wrong-shape.npz");
        Npz.write(npz, values);

        TestModels.Encoder target = new TestModels.Encoder("net", DataType.FLOAT, 2);
        Map<String, INDArray> before = snapshot(target);
        ParameterMismatchException e = assertThrows(ParameterMismatchException.class, () -> ParameterExchange.load(target, npz));
        assertEquals("cannot load the parameters of Encoder 'net' from " + npz + "; nothing was assigned:\n"
                + "  enc1/weight: " + npz + " has shape [3, 3, 3, 8], the module has [3, 3, 3, 6]", e.getMessage());
        assertEquals(List.of(), e.missing());
        // The other three parameters matched, yet none was assigned.
        assertParameters(before, target);
        assertFalse(before.get("enc2/weight").equals(source.parameters().get("enc2/weight")));
    }

    @Test
    void float64ValuesAreCastIntoFloat32Parameters() throws Exception {
        TestModels.Encoder source = new TestModels.Encoder("net", DataType.DOUBLE, 5);
        Path npz = dir.resolve("double.npz");
        ParameterExchange.save(source, npz);
        assertEquals(DataType.DOUBLE, Npz.read(npz).get("enc1/weight").dataType());

        TestModels.Encoder target = new TestModels.Encoder("net", DataType.FLOAT, 6);
        ParameterExchange.load(target, npz);
        source.parameters().forEach((k, v) -> assertBitIdentical(v.castTo(DataType.FLOAT), target.parameters().get(k), k));

        TestModels.Encoder back = new TestModels.Encoder("net", DataType.DOUBLE, 7);
        Path f32 = dir.resolve("float.npz");
        ParameterExchange.save(target, f32);
        ParameterExchange.load(back, f32);
        target.parameters().forEach((k, v) -> assertBitIdentical(v.castTo(DataType.DOUBLE), back.parameters().get(k), k));
    }
}
