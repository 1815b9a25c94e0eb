package io.streamprop.nn;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import org.ejml.data.DMatrixRMaj;

/**
 * The readable JSON form of a model's whole training state, used for snapshots. It holds the
 * same information as {@link ModelCodec}'s bytes, and decodes back to the identical state:
 * <pre>
 * {"format": 1, "spec": {...}, "examplesSeen": 0, "updatesApplied": 0, "stepsRejected": 0,
 *  "scaler": {"count": 0, "mean": [...], "m2": [...]} or null,
 *  "layers": [{"inputs": 3, "outputs": 2, "activation": "sigmoid",
 *              "weights": [[...], ...], "bias": [...],
 *              "optimizerState": {"firstMoment": {"weights": [[...]], "bias": [...]}, ...}}]}
 * </pre>
 * Weights are written one array per input row. Numbers use the shortest decimal form that reads
 * back to the same double. As in {@link ModelCodec}, a model whose optimizer was restarted
 * ({@link Model#restartOptimizer}) is written as format 2, which adds after "stepsRejected":
 * <pre>
 *  "optimizerSchedule": {"steps": 40, "learningRateFactor": 5.0, "boostedStepsLeft": 60}
 * </pre>
 */
public final class ModelJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private ModelJson() {
    }

    public static String write(Model model) {
        StringWriter out = new StringWriter();
        write(model, out);
        return out.toString();
    }

    /** Streams the JSON form to {@code out}, without building a tree, for large models. */
    public static void write(Model model, Writer out) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            writeFields(model, g);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write model JSON", e);
        }
    }

    /**
     * Writes the state's fields into an object that the caller has started, so that a
     * snapshot can put provenance fields beside them.
     */
    public static void writeFields(Model model, JsonGenerator g) throws IOException {
        NetworkSpec spec = model.spec();
        g.writeStartObject();
        int format = ModelCodec.formatVersionOf(model);
        g.writeNumberField("format", format);
        g.writeFieldName("spec");
        MAPPER.writeTree(g, SpecJson.toTree(spec));
        g.writeNumberField("examplesSeen", model.examplesSeen());
        g.writeNumberField("updatesApplied", model.updatesApplied());
        g.writeNumberField("stepsRejected", model.stepsRejected());
        if (format >= 2) {
            g.writeObjectFieldStart("optimizerSchedule");
            g.writeNumberField("steps", model.optimizerSteps());
            g.writeNumberField("learningRateFactor", model.learningRateFactor());
            g.writeNumberField("boostedStepsLeft", model.boostedStepsLeft());
            g.writeEndObject();
        }
        FeatureScaler scaler = model.scaler();
        if (scaler == null) {
            g.writeNullField("scaler");
        } else {
            g.writeObjectFieldStart("scaler");
            g.writeNumberField("count", scaler.count());
            writeArray(g, "mean", scaler.mean(), 0, scaler.width());
            writeArray(g, "m2", scaler.m2(), 0, scaler.width());
            g.writeEndObject();
        }
        String[] momentNames = momentNames(spec.optimizer().type());
        g.writeArrayFieldStart("layers");
        for (int l = 0; l < model.depth(); l++) {
            DenseLayer layer = model.layer(l);
            g.writeStartObject();
            g.writeNumberField("inputs", layer.inputs);
            g.writeNumberField("outputs", layer.outputs);
            g.writeStringField("activation", layer.activation.jsonName());
            writeParameters(g, layer.weights, layer.bias);
            g.writeObjectFieldStart("optimizerState");
            for (int k = 0; k < momentNames.length; k++) {
                g.writeObjectFieldStart(momentNames[k]);
                writeParameters(g, layer.weightMoments[k], layer.biasMoments[k]);
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * Reads the JSON form back.
     *
     * @throws CorruptModelException when a field is missing, mis-shaped or of the wrong type
     */
    public static Model read(String json) {
        try {
            return read(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new CorruptModelException("model JSON is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads the state from a parsed tree, such as the state part of a snapshot. */
    public static Model read(JsonNode root) {
        try {
            int format = require(root, "format").asInt();
            if (format < 1 || format > ModelCodec.FORMAT_VERSION) {
                throw new CorruptModelException("model JSON format " + format + " is not supported");
            }
            NetworkSpec spec = SpecJson.fromTree(require(root, "spec"));
            Model model = Model.blank(spec);
            model.restoreCounters(requireCount(root, "examplesSeen"), requireCount(root, "updatesApplied"),
                    requireCount(root, "stepsRejected"));
            if (format >= 2) {
                JsonNode schedule = require(root, "optimizerSchedule");
                JsonNode factor = require(schedule, "learningRateFactor");
                if (!factor.isNumber()) {
                    throw new CorruptModelException("model JSON optimizerSchedule.learningRateFactor is not a number");
                }
                ModelCodec.restoreOptimizerSchedule(model, requireCount(schedule, "steps"), factor.doubleValue(),
                        requireCount(schedule, "boostedStepsLeft"));
            }
            JsonNode scaler = require(root, "scaler");
            if (scaler.isNull() != (model.scaler() == null)) {
                throw new CorruptModelException("model JSON scaler disagrees with spec.standardize");
            }
            if (!scaler.isNull()) {
                double[] mean = new double[spec.inputs()];
                double[] m2 = new double[spec.inputs()];
                readArray(require(scaler, "mean"), mean, 0, mean.length, "scaler.mean");
                readArray(require(scaler, "m2"), m2, 0, m2.length, "scaler.m2");
                for (int j = 0; j < m2.length; j++) {
                    if (m2[j] < 0) {
                        throw new CorruptModelException("scaler.m2[" + j + "]: expected a sum of squares >= 0, got "
                                + m2[j]);
                    }
                }
                model.scaler().restoreFrom(requireCount(scaler, "count"), mean, m2);
            }
            JsonNode layers = require(root, "layers");
            if (!layers.isArray() || layers.size() != model.depth()) {
                throw new CorruptModelException("model JSON has " + layers.size()
                        + " layers, its spec " + model.depth());
            }
            String[] momentNames = momentNames(spec.optimizer().type());
            for (int l = 0; l < model.depth(); l++) {
                DenseLayer layer = model.layer(l);
                JsonNode node = layers.get(l);
                String where = "layers[" + l + "]";
                readParameters(node, layer.weights, layer.bias, where);
                JsonNode state = require(node, "optimizerState");
                for (int k = 0; k < momentNames.length; k++) {
                    readParameters(require(state, momentNames[k]), layer.weightMoments[k],
                            layer.biasMoments[k], where + ".optimizerState." + momentNames[k]);
                }
            }
            return model;
        } catch (InvalidSpecException e) {
            throw new CorruptModelException("model JSON has an invalid spec: " + e.getMessage(), e);
        }
    }

    private static String[] momentNames(OptimizerType type) {
        switch (type) {
            case SGD:
                return new String[0];
            case MOMENTUM:
                return new String[] {"velocity"};
            case ADAM:
                return new String[] {"firstMoment", "secondMoment"};
            default:
                throw new AssertionError(type);
        }
    }

    private static void writeParameters(JsonGenerator g, DMatrixRMaj weights, DMatrixRMaj bias)
            throws IOException {
        g.writeArrayFieldStart("weights");
        for (int r = 0; r < weights.numRows; r++) {
            g.writeArray(weights.data, r * weights.numCols, weights.numCols);
        }
        g.writeEndArray();
        writeArray(g, "bias", bias.data, 0, bias.numCols);
    }

    private static void writeArray(JsonGenerator g, String field, double[] values, int offset, int n)
            throws IOException {
        g.writeFieldName(field);
        g.writeArray(values, offset, n);
    }

    private static void readParameters(JsonNode node, DMatrixRMaj weights, DMatrixRMaj bias,
                                       String where) {
        JsonNode rows = require(node, "weights");
        if (!rows.isArray() || rows.size() != weights.numRows) {
            throw new CorruptModelException(where + ".weights: expected " + weights.numRows + " rows");
        }
        for (int r = 0; r < weights.numRows; r++) {
            readArray(rows.get(r), weights.data, r * weights.numCols, weights.numCols,
                    where + ".weights[" + r + "]");
        }
        readArray(require(node, "bias"), bias.data, 0, bias.numCols, where + ".bias");
    }

    private static void readArray(JsonNode node, double[] dst, int offset, int n, String where) {
        if (!node.isArray() || node.size() != n) {
            throw new CorruptModelException(where + ": expected an array of " + n + " numbers");
        }
        for (int i = 0; i < n; i++) {
            JsonNode v = node.get(i);
            if (!v.isNumber()) {
                throw new CorruptModelException(where + "[" + i + "]: expected a number, got " + v);
            }
            double value = v.doubleValue();
            if (!Double.isFinite(value)) {
                throw new CorruptModelException(where + "[" + i + "]: expected a finite number, got one"
                        + " beyond the range of a double");
            }
            dst[offset + i] = value;
        }
    }

    private static JsonNode require(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null) {
            throw new CorruptModelException("model JSON lacks the field " + field);
        }
        return value;
    }

    private static long requireCount(JsonNode node, String field) {
        JsonNode value = require(node, field);
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw new CorruptModelException("model JSON field " + field + " is not an integer >= 0: " + value);
        }
        return value.longValue();
    }
}
