package io.streamprop.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamprop.eval.ClassifierEvaluation;
import io.streamprop.eval.CorruptStateException;
import io.streamprop.eval.DriftEvent;
import io.streamprop.eval.EvaluationSettings;
import io.streamprop.eval.PageHinkley;
import io.streamprop.eval.RegressionEvaluation;
import io.streamprop.nn.Activation;
import io.streamprop.nn.Loss;
import io.streamprop.nn.NetworkSpec;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The prequential evaluation of one model as the learner keeps it: the scores of its predictions
 * beside its baselines' ({@link ClassifierEvaluation} or {@link RegressionEvaluation}), and a
 * Page-Hinkley test on its loss run under the model's {@link DriftSpec}.
 *
 * <p>How outputs are read depends on the network: a softmax network is a classifier whose class
 * is the most probable output and whose true class is the target's largest entry; a single
 * sigmoid output with binary cross-entropy is a binary classifier (class 1 at p &gt;= 0.5, true
 * class 1 for a target &gt;= 0.5); anything else is scored as regression, averaged over the outputs.
 * A prediction whose loss or outputs are not finite is counted as unscored and skipped.
 *
 * <p>Binary layout of the state, big-endian: magic "SPME", format version (2 bytes, 1), task
 * (1 byte), unscored count (8), the drift settings as JSON (length-prefixed UTF-8), the scores'
 * state and the detector's state (each length-prefixed, in their own framed format), CRC-32C.
 */
final class ModelEvaluation {
    /** How a network's outputs are scored. */
    enum Task {
        MULTICLASS, BINARY, REGRESSION;

        static Task of(NetworkSpec spec) {
            if (spec.outputActivation() == Activation.SOFTMAX) {
                return MULTICLASS;
            }
            if (spec.outputs() == 1 && spec.outputActivation() == Activation.SIGMOID
                    && spec.loss() == Loss.BINARY_CROSS_ENTROPY) {
                return BINARY;
            }
            return REGRESSION;
        }

        boolean isClassifier() {
            return this != REGRESSION;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] MAGIC = {'S', 'P', 'M', 'E'};
    private static final int FORMAT_VERSION = 1;

    private final Task task;
    private final ClassifierEvaluation classifier;
    private final RegressionEvaluation regression;
    private DriftSpec drift;
    private PageHinkley detector;
    private long unscored;

    private ModelEvaluation(Task task, ClassifierEvaluation classifier, RegressionEvaluation regression,
                            DriftSpec drift, PageHinkley detector) {
        this.task = task;
        this.classifier = classifier;
        this.regression = regression;
        this.drift = drift;
        this.detector = detector;
    }

    /** A new evaluation of a model under {@code spec}. */
    static ModelEvaluation start(NetworkSpec spec, DriftSpec drift, EvaluationSettings settings) {
        Task task = Task.of(spec);
        return new ModelEvaluation(task,
                task.isClassifier() ? new ClassifierEvaluation(settings, task == Task.BINARY ? 2 : spec.outputs())
                        : null,
                task.isClassifier() ? null : new RegressionEvaluation(settings, spec.outputs()),
                drift, new PageHinkley(drift.detector()));
    }

    /**
     * Scores one prediction, made before the model learned from the example, and feeds its loss
     * to the drift detector.
     *
     * @return the alarm this loss raised, or null
     */
    DriftEvent record(double[] output, double[] target, double loss) {
        if (!Double.isFinite(loss) || !allFinite(output)) {
            unscored++;
            return null;
        }
        switch (task) {
            case MULTICLASS:
                classifier.record(output, argMax(target));
                break;
            case BINARY:
                classifier.recordBinary(output[0], target[0] >= 0.5 ? 1 : 0);
                break;
            case REGRESSION:
                regression.record(output, target);
                break;
            default:
                throw new AssertionError(task);
        }
        return detector.add(loss).orElse(null);
    }

    /**
     * This evaluation carried over to a new spec of the same model: the same one with the new
     * drift settings (a new detector if its parameters changed), or a new evaluation when the
     * network's outputs are now read another way.
     */
    ModelEvaluation adopt(NetworkSpec spec, DriftSpec newDrift, EvaluationSettings settings) {
        if (Task.of(spec) != task || (regression != null && regression.outputs() != spec.outputs())) {
            return start(spec, newDrift, settings);
        }
        if (!newDrift.detector().equals(drift.detector())) {
            detector = new PageHinkley(newDrift.detector());
        }
        drift = newDrift;
        return this;
    }

    Task task() {
        return task;
    }

    /** The classifier scores; null for a regression model. */
    ClassifierEvaluation classifier() {
        return classifier;
    }

    /** The regression scores; null for a classifier. */
    RegressionEvaluation regression() {
        return regression;
    }

    DriftSpec drift() {
        return drift;
    }

    PageHinkley detector() {
        return detector;
    }

    /** Predictions scored. */
    long examples() {
        return classifier != null ? classifier.examples() : regression.examples();
    }

    /** Predictions skipped because their loss or outputs were not finite. */
    long unscored() {
        return unscored;
    }

    byte[] toBytes() {
        ObjectNode driftJson = JSON.createObjectNode();
        drift.writeTo(driftJson);
        byte[] driftBytes = driftJson.toString().getBytes(StandardCharsets.UTF_8);
        byte[] scores = classifier != null ? classifier.toBytes() : regression.toBytes();
        byte[] test = detector.toBytes();
        ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 2 + 1 + 8 + 3 * 4 + driftBytes.length + scores.length
                + test.length + 4);
        buf.put(MAGIC).putShort((short) FORMAT_VERSION).put((byte) task.ordinal()).putLong(unscored);
        buf.putInt(driftBytes.length).put(driftBytes);
        buf.putInt(scores.length).put(scores);
        buf.putInt(test.length).put(test);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
        return buf.array();
    }

    /**
     * Decodes bytes made by {@link #toBytes}.
     *
     * @throws CorruptStateException when they are truncated, corrupted or of another format
     */
    static ModelEvaluation fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length < MAGIC.length + 2 + 1 + 8 + 3 * 4 + 4) {
            throw new CorruptStateException("model evaluation state is truncated: "
                    + (bytes == null ? "no" : bytes.length) + " bytes");
        }
        int end = bytes.length - 4;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, end);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        if (!Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw new CorruptStateException("not a Streamprop model evaluation state (bad magic bytes)");
        }
        if ((int) crc.getValue() != buf.getInt(end)) {
            throw new CorruptStateException("model evaluation state checksum mismatch (" + bytes.length + " bytes)");
        }
        buf.position(MAGIC.length).limit(end);
        try {
            int version = buf.getShort();
            if (version != FORMAT_VERSION) {
                throw new CorruptStateException("model evaluation state format version " + version
                        + " is not supported; this build reads version " + FORMAT_VERSION);
            }
            int taskIndex = buf.get();
            if (taskIndex < 0 || taskIndex >= Task.values().length) {
                throw new CorruptStateException("model evaluation state has an unknown task " + taskIndex);
            }
            Task task = Task.values()[taskIndex];
            long unscored = buf.getLong();
            JsonNode driftJson = JSON.readTree(new String(chunk(buf), StandardCharsets.UTF_8));
            DriftSpec drift = DriftSpec.fromJson(driftJson.get(DriftSpec.REACTION_FIELD),
                    driftJson.get(DriftSpec.SETTINGS_FIELD));
            byte[] scores = chunk(buf);
            PageHinkley detector = PageHinkley.fromBytes(chunk(buf));
            if (buf.hasRemaining()) {
                throw new CorruptStateException("model evaluation state has " + buf.remaining() + " trailing bytes");
            }
            ModelEvaluation evaluation = task.isClassifier()
                    ? new ModelEvaluation(task, ClassifierEvaluation.fromBytes(scores), null, drift, detector)
                    : new ModelEvaluation(task, null, RegressionEvaluation.fromBytes(scores), drift, detector);
            evaluation.unscored = unscored;
            return evaluation;
        } catch (BufferUnderflowException | IllegalArgumentException | IOException e) {
            throw new CorruptStateException("model evaluation state is malformed: " + e.getMessage(), e);
        }
    }

    private static byte[] chunk(ByteBuffer buf) {
        int length = buf.getInt();
        if (length < 0 || length > buf.remaining()) {
            throw new CorruptStateException("model evaluation state claims a part of " + length + " bytes");
        }
        byte[] part = new byte[length];
        buf.get(part);
        return part;
    }

    private static boolean allFinite(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** The index of the largest value, the lowest among ties. */
    static int argMax(double[] values) {
        int best = 0;
        for (int k = 1; k < values.length; k++) {
            if (values[k] > values[best]) {
                best = k;
            }
        }
        return best;
    }
}
