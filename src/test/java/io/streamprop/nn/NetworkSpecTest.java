package io.streamprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworkSpecTest {

    @Test
    void shouldRoundTripThroughJson() {
        NetworkSpec spec = NetworkSpec.builder(784, 256, 10).hiddenActivation(Activation.LEAKY_RELU)
                .multiClassifier().optimizer(OptimizerSpec.momentum(0.03, 0.8)).batchSize(64)
                .l2(1e-4).clipNorm(2.5).init(Initialization.HE_UNIFORM).seed(-9).standardize(true)
                .leakySlope(0.2).build();

        assertEquals(spec, NetworkSpec.fromJson(spec.toJson()));
    }

    @Test
    void shouldFillDefaultsForAbsentFields() {
        NetworkSpec spec = NetworkSpec.fromJson("{\"layers\": [3, 2, 1]}");

        assertEquals(List.of(3, 2, 1), spec.layers());
        assertEquals(Activation.RELU, spec.hiddenActivation());
        assertEquals(Loss.MSE, spec.loss());
        assertEquals(OptimizerType.ADAM, spec.optimizer().type());
        assertEquals(32, spec.batchSize());
        assertEquals(11, spec.parameterCount());
    }

    @Test
    void shouldReadTheTutorialSpec() {
        NetworkSpec spec = NetworkSpec.fromJson("{\"layers\": [3, 2, 1], \"hiddenActivation\": \"sigmoid\","
                + " \"outputActivation\": \"sigmoid\", \"loss\": \"mse\", \"batchSize\": 4,"
                + " \"optimizer\": {\"type\": \"sgd\", \"learningRate\": 1.0}}");

        assertEquals(OptimizerType.SGD, spec.optimizer().type());
        assertEquals(1.0, spec.optimizer().learningRate());
        assertEquals(11, spec.parameterCount());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"layers\": [3, 0, 1]}|layers[1]|between 1 and",
        "{\"layers\": [3]}|layers|at least two",
        "{\"layers\": \"3-2-1\"}|layers|expected an array",
        "{\"layers\": [3, 2.5, 1]}|layers[1]|expected an integer",
        "{\"batchSize\": 4}|layers|required",
        "{\"layers\": [3, 2, 1], \"batchSize\": 0}|batchSize|>= 1",
        "{\"layers\": [3, 2, 3], \"outputActivation\": \"softmax\"}|loss|mse cannot train a softmax",
        "{\"layers\": [3, 2, 1], \"optimizer\": {\"type\": \"sgd\", \"learningRate\": -0.1}}|optimizer.learningRate|> 0",
        "{\"layers\": [3, 2, 1], \"optimizer\": {\"type\": \"adam\", \"beta1\": 1.0}}|optimizer.beta1|[0, 1)",
        "{\"layers\": [3, 2, 1], \"optimizer\": {\"type\": \"rmsprop\"}}|optimizer.type|sgd, momentum, adam",
        "{\"layers\": [3, 2, 1], \"optimizer\": {\"learningRate\": 0.1}}|optimizer.type|required",
        "{\"layers\": [3, 2, 1], \"optimizer\": {\"type\": \"sgd\", \"lr\": 0.1}}|optimizer.lr|unknown field",
        "{\"layers\": [3, 2, 1], \"learningRate\": 0.1}|learningRate|unknown field",
        "{\"layers\": [3, 2, 1], \"hiddenActivation\": \"softmax\"}|hiddenActivation|expected one of",
        "{\"layers\": [3, 2, 1], \"hiddenActivation\": \"swish\"}|hiddenActivation|unknown value",
        "{\"layers\": [3, 2, 1], \"loss\": \"binary_cross_entropy\"}|outputActivation|expects sigmoid",
        "{\"layers\": [3, 2, 1], \"loss\": \"categorical_cross_entropy\", \"outputActivation\": \"softmax\"}|layers|at least 2 output units",
        "{\"layers\": [3, 2, 1], \"l2\": -1}|l2|>= 0",
        "{\"layers\": [3, 2, 1], \"clipNorm\": \"big\"}|clipNorm|expected a number",
        "{\"layers\": [3, 2, 1], \"standardize\": 1}|standardize|true or false",
        "{\"layers\": [3, 2, 1], \"leakySlope\": 1.5}|leakySlope|(0, 1)",
        "{\"layers\": [3, 2, 1], \"seed\": 1e3}|seed|expected an integer",
        "{\"layers\": [3, 2, 1], \"layers\": [3, 2, 1]}|(document)|Duplicate field",
        "{\"layers\": [3, 2, 1]} {}|(document)|not valid JSON",
        "[3, 2, 1]|(document)|expected a JSON object",
    })
    void shouldRefuseAnInvalidSpecNamingTheField(String json, String field, String expected) {
        InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> NetworkSpec.fromJson(json));

        assertEquals(field, e.field());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void shouldRefuseAnInvalidSpecFromTheBuilder() {
        InvalidSpecException e = assertThrows(InvalidSpecException.class,
                () -> NetworkSpec.builder(3, 2, 1).optimizer(OptimizerSpec.sgd(Double.NaN)).build());

        assertEquals("optimizer.learningRate", e.field());
    }
}
