/**
 * ONNX export of brainstate4j networks (entry point: {@link org.brainstate4j.io.OnnxExport}). The
 * protobuf classes are the {@code onnx.Onnx} ones that DL4J's {@code nd4j-api} artifact ships
 * (generated from the official {@code onnx.proto}); layers are written from their configuration,
 * the ops between them from the traced SameDiff inference graph.
 */
package org.brainstate4j.onnx;
