package io.streamprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ModelJsonTest {

    @Test
    void shouldRoundTripTheReadableFormBitExactly() {
        for (Model model : new Model[] {TestModels.trainedAdam(9), ModelCodecTest.goldenModel()}) {
            String json = ModelJson.write(model);

            Model decoded = ModelJson.read(json);

            ModelCodecTest.assertSameState(model, decoded);
            assertArrayEquals(ModelCodec.encode(model), ModelCodec.encode(decoded));
            assertEquals(json, ModelJson.write(decoded));
        }
    }

    @Test
    void shouldWriteWeightsOneRowPerInput() throws Exception {
        Model model = TestModels.trainedAdam(1);
        JsonNode root = new ObjectMapper().readTree(ModelJson.write(model));

        JsonNode first = root.get("layers").get(0);
        assertEquals(4, first.get("weights").size());
        assertEquals(6, first.get("weights").get(0).size());
        assertEquals(model.layer(0).weights.get(1, 2), first.get("weights").get(1).get(2).doubleValue());
        assertEquals("tanh", first.get("activation").asText());
        assertEquals(1, root.get("updatesApplied").asLong());
        assertTrue(first.get("optimizerState").has("secondMoment"));
        assertEquals(model.spec(), NetworkSpec.fromJson(root.get("spec").toString()));
    }

    @Test
    void shouldRefuseMisshapedJson() {
        String json = ModelJson.write(TestModels.trainedAdam(1));
        String shortRow = json.replaceFirst("\"bias\":\\[[^\\]]*\\]", "\"bias\":[1.0]");

        CorruptModelException e = assertThrows(CorruptModelException.class, () -> ModelJson.read(shortRow));
        assertTrue(e.getMessage().contains("layers[0].bias"), e.getMessage());
        assertThrows(CorruptModelException.class, () -> ModelJson.read("{\"format\": 1}"));
        assertThrows(CorruptModelException.class, () -> ModelJson.read("not json"));
    }

    @Test
    void shouldRefuseNumbersThatCannotBeAModelsState() {
        String json = ModelJson.write(TestModels.trainedAdam(1));
        String overflow = json.replaceFirst("\"bias\":\\[[^,\\]]*", "\"bias\":[1e999");
        String negativeCount = json.replaceFirst("\"updatesApplied\":\\d+", "\"updatesApplied\":-3");

        CorruptModelException tooLarge = assertThrows(CorruptModelException.class, () -> ModelJson.read(overflow));
        assertTrue(tooLarge.getMessage().startsWith("layers[0].bias[0]: expected a finite number"),
                tooLarge.getMessage());
        CorruptModelException negative = assertThrows(CorruptModelException.class,
                () -> ModelJson.read(negativeCount));
        assertEquals("model JSON field updatesApplied is not an integer >= 0: -3", negative.getMessage());
    }
}
