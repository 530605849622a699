package org.brainstate4j.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** An exported model loaded into ONNX Runtime (CPU), run on ND4J arrays. */
public final class OnnxRuntimeRunner implements AutoCloseable {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    public OnnxRuntimeRunner(byte[] model) throws OrtException {
        this(model, 0);
    }

    /** {@code threads} intra-op threads (0: ONNX Runtime's default). */
    public OnnxRuntimeRunner(byte[] model, int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        if (threads > 0) options.setIntraOpNumThreads(threads);
        this.session = ENV.createSession(model, options);
    }

    public OrtSession session() {
        return session;
    }

    /** The output for one float32 input (both named as the export names them). */
    public INDArray run(INDArray input) throws OrtException {
        float[] data = input.castTo(DataType.FLOAT).dup('c').data().asFloat();
        try (OnnxTensor x = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(data), input.shape());
             OrtSession.Result result = session.run(Map.of(org.brainstate4j.io.OnnxExport.INPUT, x))) {
            OnnxTensor y = (OnnxTensor) result.get(org.brainstate4j.io.OnnxExport.OUTPUT).orElseThrow();
            FloatBuffer buffer = y.getFloatBuffer();
            float[] out = new float[buffer.remaining()];
            buffer.get(out);
            return Nd4j.create(out, y.getInfo().getShape(), 'c');
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
