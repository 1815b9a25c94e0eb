package io.streamprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamprop.testkit.KafkaExitGuard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code streamprop eval} on its own embedded broker, with a short stream. */
@ExtendWith(KafkaExitGuard.class)
class EvalCommandTest {
    private static final Pattern CURVE_LINE = Pattern.compile(
            "(?m)^\\s+([0-9,]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)$");
    private static final Pattern TABLE_ROW = Pattern.compile(
            "(?m)^(network|logistic regression|majority class|no-change)\\s+([0-9.]+)\\s+(-?[0-9.]+)\\s+([0-9.]+)");
    private static final Pattern TEST_ROW = Pattern.compile(
            "(?m)^(network|logistic regression|majority class|no-change)\\s+([0-9.]+)(  \\(class ([0-9]+) .*)?$");

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void shouldPrintTheCurveAndFinalTableWithTheNetworkAboveTheMajorityClass() {
        int code = run("eval", "--stream", "sea", "--examples", "3000", "--every", "500", "--seed", "3");

        assertEquals(0, code, err() + out());
        assertEquals(List.of(500L, 1000L, 1500L, 2000L, 2500L, 3000L), curvePoints(out()), out());
        Map<String, double[]> table = table(out());
        assertEquals(4, table.size(), out());
        double network = table.get("network")[0];
        double majority = table.get("majority class")[0];
        assertTrue(network > majority + 0.1, "network " + network + " vs majority class " + majority + "\n" + out());
        assertTrue(table.get("network")[1] > 0.5, "the network's kappa\n" + out());
        assertTrue(out().contains("Over all 3,000 examples"), out());
        assertTrue(out().contains("Network vs logistic regression: "), out());
        assertTrue(!out().contains("Test set"), "the synthetic streams have no test set\n" + out());
    }

    /**
     * Fashion-MNIST's path on small IDX files of the same layout ({@link SyntheticIdx}): the
     * training images through both models, then the test images as queries, scored against
     * their labels beside what the baselines, as the training stream left them, would score.
     */
    @Test
    void shouldStreamTheTrainingImagesThenScoreTheTestImagesAsQueries() throws IOException {
        int[] training = SyntheticIdx.write(dir, "train", 3000, 11);
        int[] test = SyntheticIdx.write(dir, "t10k", 300, 12);

        // the default logistic regression's learning rate suits 784 inputs; 16 need a larger one
        int code = run("eval", "--stream", "fashion-mnist", "--data-dir", dir.toString(), "--every", "500",
                "--logistic", "{\"layers\": [16, 10], \"outputActivation\": \"softmax\", \"loss\":"
                        + " \"categorical_cross_entropy\", \"standardize\": true, \"batchSize\": 4,"
                        + " \"optimizer\": {\"type\": \"adam\", \"learningRate\": 0.01}}");

        assertEquals(0, code, err() + out());
        assertTrue(out().contains("Evaluating on Fashion-MNIST from " + dir + " (3,000 training images of 16 pixels,"
                + " 10 classes, in file order; 300 test images sent as queries afterwards): 3,000 examples"), out());
        assertTrue(out().contains("\"layers\":[16,256,10]"), "the default network for 16 inputs\n" + out());
        assertEquals(List.of(500L, 1000L, 1500L, 2000L, 2500L, 3000L), curvePoints(out()), out());
        String[] parts = out().split("Test set: ");
        assertEquals(2, parts.length, out());
        Map<String, double[]> table = table(parts[0]);
        assertEquals(4, table.size(), out());
        assertTrue(table.get("network")[0] > table.get("majority class")[0] + 0.5, out());
        assertTrue(parts[1].startsWith("300 examples sent as queries to both models after the stream"), out());
        Map<String, String[]> scores = new HashMap<>();
        Matcher row = TEST_ROW.matcher(parts[1]);
        while (row.find()) {
            scores.put(row.group(1), new String[] {row.group(2), row.group(4)});
        }
        assertEquals(4, scores.size(), parts[1]);
        assertTrue(Double.parseDouble(scores.get("network")[0]) > 0.9, out());
        assertTrue(Double.parseDouble(scores.get("logistic regression")[0]) > 0.9, out());
        int majority = majority(training);
        assertEquals(String.valueOf(majority), scores.get("majority class")[1]);
        assertEquals(String.format("%.4f", share(test, majority)), scores.get("majority class")[0]);
        int last = training[training.length - 1];
        assertEquals(String.valueOf(last), scores.get("no-change")[1]);
        assertEquals(String.format("%.4f", share(test, last)), scores.get("no-change")[0]);
        assertTrue(parts[1].contains("Network on the test set vs logistic regression: "), parts[1]);
    }

    @Test
    void shouldRefuseAnUnknownStreamAndASpecThatDoesNotFit() {
        assertEquals(2, run("eval", "--stream", "waves"));
        assertTrue(err().contains("--stream must be one of sea, hyperplane, rbf, fashion-mnist; got 'waves'"), err());

        assertEquals(2, run("eval", "--network", "{\"layers\": [2, 1], \"outputActivation\": \"sigmoid\","
                + " \"loss\": \"binary_cross_entropy\"}"));
        assertTrue(err().contains("--network: the spec has 2 inputs, sea has 3 features"), err());

        assertEquals(2, run("eval", "--stream", "rbf", "--logistic", "{\"layers\": [10, 1]}"));
        assertTrue(err().contains("--logistic: the labels are classes 0 and 1"), err());

        assertEquals(2, run("eval", "--logistic", "{\"layers\": [3, 1], \"optimizer\": {\"type\": \"adam\", \"learningRate\": -1}}"));
        assertTrue(err().contains("--logistic: invalid spec: optimizer.learningRate"), err());
    }

    @Test
    void shouldRefuseFashionMnistOptionsThatDoNotFit() throws IOException {
        assertEquals(2, run("eval", "--data-dir", dir.toString()));
        assertTrue(err().contains("--data-dir goes with --stream fashion-mnist"), err());

        assertEquals(1, run("eval", "--stream", "fashion-mnist", "--data-dir", dir.toString()));
        assertTrue(err().contains("streamprop eval: no train-images-idx3-ubyte[.gz] in " + dir + "; install Debian's"
                + " dataset-fashion-mnist package"), err());

        SyntheticIdx.write(dir, "train", 50, 1);
        SyntheticIdx.write(dir, "t10k", 10, 2);
        assertEquals(2, run("eval", "--stream", "fashion-mnist", "--data-dir", dir.toString(), "--examples", "51"));
        assertTrue(err().contains("--examples 51 is more than the 50 examples of fashion-mnist"), err());

        assertEquals(2, run("eval", "--stream", "fashion-mnist", "--data-dir", dir.toString(), "--network",
                "{\"layers\": [16, 1], \"outputActivation\": \"sigmoid\", \"loss\": \"binary_cross_entropy\"}"));
        assertTrue(err().contains("--network: the labels are classes 0 to 9; expected 10 softmax outputs with"
                + " categorical_cross_entropy"), err());
        assertEquals(2, run("eval", "--stream", "fashion-mnist", "--data-dir", dir.toString(), "--logistic",
                "{\"layers\": [784, 10], \"outputActivation\": \"softmax\", \"loss\": \"categorical_cross_entropy\"}"));
        assertTrue(err().contains("--logistic: the spec has 784 inputs, fashion-mnist has 16 features"), err());
        assertTrue(out().isEmpty(), "nothing runs: " + out());
    }

    private static List<Long> curvePoints(String text) {
        List<Long> points = new ArrayList<>();
        Matcher line = CURVE_LINE.matcher(text);
        while (line.find()) {
            points.add(Long.parseLong(line.group(1).replace(",", "")));
            for (int column = 2; column <= 5; column++) {
                double accuracy = Double.parseDouble(line.group(column));
                assertTrue(accuracy >= 0 && accuracy <= 1, line.group());
            }
        }
        return points;
    }

    /** The final table: accuracy, kappa and log loss by row name. */
    private static Map<String, double[]> table(String text) {
        Map<String, double[]> table = new HashMap<>();
        Matcher row = TABLE_ROW.matcher(text);
        while (row.find()) {
            table.put(row.group(1), new double[] {Double.parseDouble(row.group(2)), Double.parseDouble(row.group(3)),
                Double.parseDouble(row.group(4))});
        }
        return table;
    }

    /** The most frequent label, the lowest among ties. */
    private static int majority(int[] labels) {
        int[] counts = new int[10];
        int best = 0;
        for (int label : labels) {
            counts[label]++;
        }
        for (int c = 1; c < counts.length; c++) {
            if (counts[c] > counts[best]) {
                best = c;
            }
        }
        return best;
    }

    private static double share(int[] labels, int label) {
        return (double) java.util.Arrays.stream(labels).filter(l -> l == label).count() / labels.length;
    }

    private int run(String... args) {
        return new Streamprop().run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
