package io.streamprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ModelCodecTest {
    private static final String GOLDEN = "/golden/model-v1.bin";
    private static final String GOLDEN_V2 = "/golden/model-v2.bin";

    @Test
    void shouldRoundTripEveryOptimizerBitExactly() {
        for (OptimizerSpec optimizer : new OptimizerSpec[] {OptimizerSpec.sgd(0.1),
            OptimizerSpec.momentum(0.05, 0.9), OptimizerSpec.adam(0.01)}) {
            NetworkSpec spec = NetworkSpec.builder(3, 5, 4, 2).binaryClassifier().optimizer(optimizer)
                    .batchSize(4).standardize(optimizer.type() != OptimizerType.SGD).seed(3).build();
            Model model = TestModels.train(Model.create(spec), 7, 1);
            byte[] bytes = ModelCodec.encode(model);

            Model decoded = ModelCodec.decode(bytes);

            assertSameState(model, decoded);
            assertArrayEquals(bytes, ModelCodec.encode(decoded));
        }
    }

    @Test
    void shouldTrainOnIdenticallyAfterDecoding() {
        Model original = TestModels.trainedAdam(10);
        Model decoded = ModelCodec.decode(ModelCodec.encode(original));

        TestModels.train(original, 5, 123);
        TestModels.train(decoded, 5, 123);

        assertArrayEquals(ModelCodec.encode(original), ModelCodec.encode(decoded));
    }

    @Test
    void shouldRefuseEveryTruncation() {
        byte[] bytes = ModelCodec.encode(TestModels.trainedAdam(2));
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThrows(CorruptModelException.class, () -> ModelCodec.decode(cut), "length " + length);
        }
    }

    @Test
    void shouldRefuseAnyFlippedByte() {
        byte[] bytes = ModelCodec.encode(TestModels.trainedAdam(2));
        for (int i = 0; i < bytes.length; i++) {
            byte[] bad = bytes.clone();
            bad[i] ^= 0x20;
            CorruptModelException e = assertThrows(CorruptModelException.class,
                    () -> ModelCodec.decode(bad), "byte " + i);
            assertTrue(e.getMessage().startsWith("not a Streamprop")
                    || e.getMessage().contains("format version")
                    || e.getMessage().contains("checksum"), e.getMessage());
        }
    }

    @Test
    void shouldRefuseForeignBytes() {
        byte[] text = "{\"layers\":[3,2,1]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        CorruptModelException e = assertThrows(CorruptModelException.class, () -> ModelCodec.decode(text));
        assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
        assertThrows(CorruptModelException.class, () -> ModelCodec.decode(null));
    }

    /**
     * Pins format version 1. The golden model uses only operations that IEEE 754 defines
     * exactly (ReLU, identity, MSE, momentum, square roots), so the same bytes come out on any
     * JVM. If this fails after a deliberate format change, raise FORMAT_VERSION, keep a decoder
     * for version 1, and write a new golden file by running this test with
     * -Dstreamprop.writeGolden=DIR. A deliberate change in what a training step computes also
     * changes the golden model's numbers, not its layout: then the file decodes and encodes back
     * to the same bytes, and is only written again.
     */
    @Test
    void shouldMatchTheGoldenFile() throws IOException {
        Model model = goldenModel();
        byte[] encoded = ModelCodec.encode(model);
        String target = System.getProperty("streamprop.writeGolden");
        if (target != null) {
            Files.write(Path.of(target, "model-v1.bin"), encoded);
        }
        byte[] golden;
        try (InputStream in = ModelCodecTest.class.getResourceAsStream(GOLDEN)) {
            assertTrue(in != null, "missing test resource " + GOLDEN);
            golden = in.readAllBytes();
        }

        assertArrayEquals(golden, ModelCodec.encode(ModelCodec.decode(golden)), "decoding and encoding changed the bytes");
        assertArrayEquals(golden, encoded, "the binary model format changed");
        Model decoded = ModelCodec.decode(golden);
        assertSameState(model, decoded);
        assertEquals(12, decoded.updatesApplied());
        assertEquals(36, decoded.examplesSeen());
        assertEquals(model.spec(), decoded.spec());
    }

    /**
     * Pins format version 2: the golden model after an optimizer restart with a boost, and three
     * more steps. Regenerate it as the version 1 file above.
     */
    @Test
    void shouldMatchTheGoldenFileOfVersion2() throws IOException {
        Model model = goldenModel();
        model.restartOptimizer(4.0, 5);
        TestModels.train(model, 3, 78);
        byte[] encoded = ModelCodec.encode(model);
        String target = System.getProperty("streamprop.writeGolden");
        if (target != null) {
            Files.write(Path.of(target, "model-v2.bin"), encoded);
        }
        byte[] golden;
        try (InputStream in = ModelCodecTest.class.getResourceAsStream(GOLDEN_V2)) {
            assertTrue(in != null, "missing test resource " + GOLDEN_V2);
            golden = in.readAllBytes();
        }

        assertArrayEquals(golden, ModelCodec.encode(ModelCodec.decode(golden)), "decoding and encoding changed the bytes");
        assertArrayEquals(golden, encoded, "the binary model format changed");
        Model decoded = ModelCodec.decode(golden);
        assertSameState(model, decoded);
        assertEquals(15, decoded.updatesApplied());
        assertEquals(3, decoded.optimizerSteps());
        assertEquals(4.0, decoded.learningRateFactor());
        assertEquals(2, decoded.boostedStepsLeft());
    }

    static Model goldenModel() {
        NetworkSpec spec = NetworkSpec.builder(3, 4, 2).hiddenActivation(Activation.RELU)
                .outputActivation(Activation.IDENTITY).loss(Loss.MSE)
                .optimizer(OptimizerSpec.momentum(0.0625, 0.875)).batchSize(3).l2(0.0078125)
                .clipNorm(4).standardize(true).seed(2024).build();
        return TestModels.train(Model.create(spec), 12, 77);
    }

    static void assertSameState(Model expected, Model actual) {
        assertEquals(expected.spec(), actual.spec());
        assertEquals(expected.examplesSeen(), actual.examplesSeen());
        assertEquals(expected.updatesApplied(), actual.updatesApplied());
        assertEquals(expected.stepsRejected(), actual.stepsRejected());
        assertEquals(expected.optimizerSteps(), actual.optimizerSteps());
        assertEquals(expected.learningRateFactor(), actual.learningRateFactor());
        assertEquals(expected.boostedStepsLeft(), actual.boostedStepsLeft());
        assertEquals(expected.depth(), actual.depth());
        for (int l = 0; l < expected.depth(); l++) {
            DenseLayer e = expected.layer(l);
            DenseLayer a = actual.layer(l);
            assertArrayEquals(e.weights.data, a.weights.data, "weights of layer " + l);
            assertArrayEquals(e.bias.data, a.bias.data, "bias of layer " + l);
            for (int k = 0; k < e.weightMoments.length; k++) {
                assertArrayEquals(e.weightMoments[k].data, a.weightMoments[k].data, "moment " + k);
                assertArrayEquals(e.biasMoments[k].data, a.biasMoments[k].data, "bias moment " + k);
            }
        }
        if (expected.scaler() != null) {
            assertEquals(expected.scaler().count(), actual.scaler().count());
            assertArrayEquals(expected.scaler().mean(), actual.scaler().mean());
            assertArrayEquals(expected.scaler().m2(), actual.scaler().m2());
        } else {
            assertEquals(null, actual.scaler());
        }
    }
}
