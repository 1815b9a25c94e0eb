package io.streamprop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Follows one classifier's committed predictions: scores those of labelled examples
 * (prequentially: each was predicted before it was learned from), keeps the predicted class of
 * each query by id, and the highest model version seen.
 */
final class PredictionMonitor implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CommittedReader reader;
    private final String model;
    private final PrequentialScore score;
    private final Map<String, Integer> queryClasses = new HashMap<>();
    private long version;

    PredictionMonitor(String bootstrapServers, String predictionsTopic, String model, int window, Duration timeout) {
        this.reader = new CommittedReader(bootstrapServers, predictionsTopic, timeout);
        this.model = model;
        this.score = new PrequentialScore(window);
    }

    /** Takes in the predictions that arrived, waiting at most {@code timeout} for some. */
    void poll(Duration timeout) {
        for (ConsumerRecord<String, String> record : reader.poll(timeout)) {
            if (model.equals(record.key())) {
                take(record.value());
            }
        }
    }

    private void take(String value) {
        JsonNode prediction;
        try {
            prediction = JSON.readTree(value);
        } catch (IOException e) {
            throw new IllegalStateException("the learner wrote a prediction that is not JSON: " + value, e);
        }
        version = Math.max(version, prediction.path("version").asLong());
        int predicted = prediction.path("class").asInt(-1);
        if (prediction.has("label")) {
            score.add(predicted == prediction.get("label").asInt(), prediction.path("loss").asDouble());
        } else {
            queryClasses.put(prediction.path("id").asText(), predicted);
        }
    }

    PrequentialScore score() {
        return score;
    }

    /** Predicted classes of the queries seen so far, by query id. */
    Map<String, Integer> queryClasses() {
        return queryClasses;
    }

    /** The highest model version among the predictions: the updates applied before the latest. */
    long version() {
        return version;
    }

    @Override
    public void close() {
        reader.close();
    }
}
