package io.streamprop.topology;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.streamprop.nn.Activation;
import io.streamprop.nn.Model;
import io.streamprop.nn.ModelJson;
import io.streamprop.nn.NetworkSpec;
import io.streamprop.serde.ParsedExample;
import io.streamprop.serde.Rejection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/** Writes the JSON values of the output topics: predictions, dead letters and snapshots. */
final class OutputRecords {
    /** Shortest round-trip decimal form of doubles, by the faster Schubfach writer. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private OutputRecords() {
    }

    /** Where an input record came from. */
    record Origin(String topic, int partition, long offset, long timestamp) {
        String topicPartition() {
            return topic + "-" + partition;
        }
    }

    /**
     * {"model", "id", "version", "output", "class" (classifiers), "className" (classifiers
     * whose classes have names), "label" and "loss" (labelled examples), "topic", "partition",
     * "offset"}.
     *
     * A label that came after its example gives a second record for that example: the earlier
     * prediction with the label and loss, {@code "delayed": true}, the example's origin as above
     * and the label's under "labelTopic", "labelPartition", "labelOffset".
     *
     * @param classes the model's class names, or null when its labels are not names
     * @param labelOrigin where a label that came later came from, or null
     */
    static byte[] prediction(String modelId, ParsedExample example, long version, double[] output,
                             NetworkSpec spec, ClassNames classes, double loss, Origin origin, Origin labelOrigin) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 24 * output.length);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("model", modelId);
            if (example.id() != null) {
                g.writeStringField("id", example.id());
            }
            g.writeNumberField("version", version);
            g.writeFieldName("output");
            g.writeArray(output, 0, output.length);
            int predicted = predictedClass(spec, output);
            if (predicted >= 0) {
                g.writeNumberField("class", predicted);
                String name = classes == null ? null : classes.nameOf(predicted);
                if (name != null) {
                    g.writeStringField("className", name);
                }
            }
            ParsedExample.Label label = example.label();
            if (label != null) {
                if (label.isName()) {
                    g.writeStringField("label", label.name());
                } else if (label.isArray()) {
                    g.writeFieldName("label");
                    g.writeArray(label.values(), 0, label.values().length);
                } else {
                    g.writeNumberField("label", label.scalar());
                }
                if (Double.isNaN(loss)) {
                    g.writeNullField("loss");
                } else {
                    g.writeNumberField("loss", loss);
                }
            }
            writeOrigin(g, origin);
            if (labelOrigin != null) {
                g.writeBooleanField("delayed", true);
                g.writeStringField("labelTopic", labelOrigin.topic());
                g.writeNumberField("labelPartition", labelOrigin.partition());
                g.writeNumberField("labelOffset", labelOrigin.offset());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * {"reason", "message", "topic", "partition", "offset", "timestamp", "key", and "payload"
     * (the original value as text) or "payloadBase64" (when it is not UTF-8)}.
     */
    static byte[] deadLetter(Rejection reason, String message, Origin origin, byte[] key, byte[] payload) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + (payload == null ? 0 : payload.length));
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("reason", reason.code());
            g.writeStringField("message", message);
            writeOrigin(g, origin);
            g.writeNumberField("timestamp", origin.timestamp());
            writeBytes(g, "key", key);
            writeBytes(g, "payload", payload);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A snapshot: provenance fields, then the readable model state under "state":
     * {"model", "version", "examplesSeen", "inputOffsets", "time", "softwareVersion", "learner", "state"}.
     * "learner" holds what travels with the model beside its state: "snapshotEvery", the drift
     * settings "onDrift" and "drift" unless they are the defaults, and "classNames" if any.
     */
    static byte[] snapshot(String modelId, Model model, ModelSpec spec, ClassNames classes,
                           Map<String, Long> offsets, long timestamp, String softwareVersion) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024 + 60 * (int) Math.min(
                Integer.MAX_VALUE / 120, model.parameterCount()));
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("model", modelId);
            g.writeNumberField("version", model.updatesApplied());
            g.writeNumberField("examplesSeen", model.examplesSeen());
            g.writeObjectFieldStart("inputOffsets");
            for (Map.Entry<String, Long> e : offsets.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeStringField("time", Instant.ofEpochMilli(timestamp).toString());
            g.writeStringField("softwareVersion", softwareVersion);
            g.writeObjectFieldStart("learner");
            g.writeNumberField("snapshotEvery", spec.snapshotEvery());
            if (!spec.drift().equals(DriftSpec.DEFAULTS)) {
                g.writeStringField(DriftSpec.REACTION_FIELD, spec.drift().reaction().jsonName());
                g.writeFieldName(DriftSpec.SETTINGS_FIELD);
                g.writeRawValue(spec.drift().settingsJson().toString());
            }
            if (classes != null) {
                g.writeArrayFieldStart("classNames");
                for (String name : classes.names()) {
                    g.writeString(name);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeFieldName("state");
            ModelJson.writeFields(model, g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The predicted class of a softmax or single-sigmoid classifier; -1 for other models. */
    static int predictedClass(NetworkSpec spec, double[] output) {
        if (spec.outputActivation() == Activation.SOFTMAX) {
            int best = 0;
            for (int k = 1; k < output.length; k++) {
                if (output[k] > output[best]) {
                    best = k;
                }
            }
            return best;
        }
        if (spec.outputActivation() == Activation.SIGMOID && output.length == 1) {
            return output[0] >= 0.5 ? 1 : 0;
        }
        return -1;
    }

    private static void writeOrigin(JsonGenerator g, Origin origin) throws IOException {
        g.writeStringField("topic", origin.topic());
        g.writeNumberField("partition", origin.partition());
        g.writeNumberField("offset", origin.offset());
    }

    private static void writeBytes(JsonGenerator g, String field, byte[] value) throws IOException {
        if (value == null) {
            g.writeNullField(field);
            return;
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value)).toString();
            g.writeStringField(field, text);
        } catch (CharacterCodingException e) {
            g.writeStringField(field + "Base64", Base64.getEncoder().encodeToString(value));
        }
    }
}
