package io.streamprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OptimizerRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldTrainAfterARestartExactlyAsANewOptimizerOnTheSameWeights() throws Exception {
        Model restarted = TestModels.trainedAdam(10);
        Model reference = withFreshOptimizer(restarted);

        restarted.restartOptimizer(1.0, 0);

        assertEquals(0, restarted.optimizerSteps());
        assertEquals(10, restarted.updatesApplied());
        TestModels.train(restarted, 6, 5);
        TestModels.train(reference, 6, 5);
        assertSameParameters(reference, restarted);
        assertEquals(6, restarted.optimizerSteps());
        assertEquals(16, restarted.updatesApplied());
    }

    @Test
    void shouldMultiplyTheLearningRateForTheBoostedStepsOnly() {
        NetworkSpec spec = NetworkSpec.builder(3, 4, 1).binaryClassifier().optimizer(OptimizerSpec.sgd(0.125))
                .batchSize(4).seed(3).build();
        Model boosted = TestModels.train(Model.create(spec), 3, 1);
        Model reference = ModelCodec.decode(ModelCodec.encode(boosted));
        List<MiniBatch> batches = batches(spec, 5, 2);

        boosted.restartOptimizer(4.0, 2);
        assertEquals(4.0, boosted.learningRateFactor());
        batches.forEach(boosted::step);

        // the same five batches: two at 4 x 0.125 (exactly 0.5), then three at 0.125
        reference = reference.withSpec(NetworkSpec.builder(3, 4, 1).binaryClassifier()
                .optimizer(OptimizerSpec.sgd(0.5)).batchSize(4).seed(3).build());
        batches.subList(0, 2).forEach(reference::step);
        reference = reference.withSpec(spec);
        batches.subList(2, 5).forEach(reference::step);
        assertSameParameters(reference, boosted);
        assertEquals(1.0, boosted.learningRateFactor());
        assertEquals(0, boosted.boostedStepsLeft());
    }

    @Test
    void shouldCountBoostedStepsAmongAppliedUpdatesOnly() {
        Model model = TestModels.trainedAdam(2);
        model.restartOptimizer(2.0, 3);
        MiniBatch bad = MiniBatch.forSpec(model.spec());
        bad.addClass(new double[] {Double.NaN, 0, 0, 0}, 1);

        model.step(bad);

        assertEquals(3, model.boostedStepsLeft());
        assertEquals(2.0, model.learningRateFactor());
        assertEquals(0, model.optimizerSteps());
    }

    @Test
    void shouldCarryTheScheduleThroughASpecChangeAndTheEncodings() {
        Model model = TestModels.trainedAdam(4);
        model.restartOptimizer(3.0, 10);
        TestModels.train(model, 2, 8);

        Model changed = model.withSpec(NetworkSpec.builder(4, 6, 3).hiddenActivation(Activation.TANH)
                .multiClassifier().optimizer(OptimizerSpec.adam(0.02)).batchSize(5)
                .standardize(true).l2(1e-3).clipNorm(5).seed(7).build());
        Model decoded = ModelCodec.decode(ModelCodec.encode(model));
        Model fromJson = ModelJson.read(ModelJson.write(model));

        for (Model m : new Model[] {changed, decoded, fromJson}) {
            assertEquals(2, m.optimizerSteps());
            assertEquals(3.0, m.learningRateFactor());
            assertEquals(8, m.boostedStepsLeft());
            assertEquals(6, m.updatesApplied());
        }
        assertArrayEquals(ModelCodec.encode(model), ModelCodec.encode(decoded));
        assertArrayEquals(ModelCodec.encode(model), ModelCodec.encode(fromJson));
    }

    @Test
    void shouldCarryTheScheduleThroughAGrownOutputLayer() {
        Model model = TestModels.trainedAdam(4);
        model.restartOptimizer(3.0, 10);
        TestModels.train(model, 2, 8);

        Model grown = model.withOutputs(model.spec().outputs() + 1);

        assertEquals(2, grown.optimizerSteps());
        assertEquals(3.0, grown.learningRateFactor());
        assertEquals(8, grown.boostedStepsLeft());
        assertEquals(6, grown.updatesApplied());
    }

    @Test
    void shouldWriteFormatOneUntilTheOptimizerIsRestarted() throws Exception {
        Model model = TestModels.trainedAdam(3);
        assertEquals(1, ModelCodec.encode(model)[5]);
        assertEquals(1, JSON.readTree(ModelJson.write(model)).get("format").asInt());

        model.restartOptimizer(1.0, 0);

        assertEquals(2, ModelCodec.encode(model)[5]);
        JsonNode json = JSON.readTree(ModelJson.write(model));
        assertEquals(2, json.get("format").asInt());
        assertEquals(0, json.get("optimizerSchedule").get("steps").asLong());
    }

    @Test
    void shouldRefuseAnImpossibleSchedule() {
        Model model = TestModels.trainedAdam(3);
        model.restartOptimizer(2.0, 5);
        String json = ModelJson.write(model);

        CorruptModelException e = assertThrows(CorruptModelException.class,
                () -> ModelJson.read(json.replace("\"steps\":0", "\"steps\":4")));
        assertEquals(true, e.getMessage().contains("optimizer schedule is impossible"), e.getMessage());
        assertThrows(CorruptModelException.class,
                () -> ModelJson.read(json.replace("\"learningRateFactor\":2.0", "\"learningRateFactor\":-1")));
        assertThrows(IllegalArgumentException.class, () -> model.restartOptimizer(0.0, 1));
        assertThrows(IllegalArgumentException.class, () -> model.restartOptimizer(2.0, -1));
    }

    @Test
    void shouldReinitializeToTheCreatedWeightsCountingTheResetAsAnUpdate() {
        Model trained = TestModels.trainedAdam(7);

        Model fresh = trained.reinitialized();

        assertSameParameters(Model.create(trained.spec()), fresh);
        assertEquals(8, fresh.updatesApplied(), "the fresh weights' version is not the trained ones'");
        assertEquals(35, fresh.examplesSeen());
        assertEquals(0, fresh.optimizerSteps());
        assertEquals(0, fresh.scaler().count());
        assertEquals(7, trained.optimizerSteps(), "the original is left as it was");
    }

    /** A copy of {@code model} with its moments zeroed and its counters at 0: a new optimizer. */
    private static Model withFreshOptimizer(Model model) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(ModelJson.write(model));
        root.put("updatesApplied", 0);
        for (JsonNode layer : root.get("layers")) {
            for (JsonNode moment : layer.get("optimizerState")) {
                zero((ArrayNode) moment.get("bias"));
                for (JsonNode row : moment.get("weights")) {
                    zero((ArrayNode) row);
                }
            }
        }
        return ModelJson.read(root);
    }

    private static void zero(ArrayNode values) {
        for (int i = 0; i < values.size(); i++) {
            values.set(i, JSON.getNodeFactory().numberNode(0.0));
        }
    }

    /** {@code n} full batches of seeded random binary examples. */
    private static List<MiniBatch> batches(NetworkSpec spec, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<MiniBatch> out = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            MiniBatch batch = MiniBatch.forSpec(spec);
            while (!batch.isFull()) {
                double[] x = {random.nextDouble(-2, 2), random.nextDouble(-2, 2), random.nextDouble(-2, 2)};
                batch.add(x, new double[] {x[0] * x[1] > 0 ? 1 : 0});
            }
            out.add(batch);
        }
        return out;
    }

    static void assertSameParameters(Model expected, Model actual) {
        for (int l = 0; l < expected.depth(); l++) {
            assertArrayEquals(expected.layer(l).weights.data, actual.layer(l).weights.data, "weights " + l);
            assertArrayEquals(expected.layer(l).bias.data, actual.layer(l).bias.data, "bias " + l);
        }
    }
}
