package io.streamprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DeterminismTest {

    @Test
    void shouldGiveBitIdenticalWeightsForTheSameSpecSeedAndData() {
        byte[] first = ModelCodec.encode(TestModels.trainedAdam(50));
        byte[] second = ModelCodec.encode(TestModels.trainedAdam(50));

        assertArrayEquals(first, second);
    }

    @Test
    void shouldDrawOtherWeightsFromAnotherSeed() {
        NetworkSpec spec = NetworkSpec.builder(4, 8, 2).build();
        Model a = Model.create(spec);
        Model b = Model.create(spec.toBuilder().seed(spec.seed() + 1).build());

        assertFalse(Arrays.equals(a.layer(0).weights.data, b.layer(0).weights.data));
    }
}
