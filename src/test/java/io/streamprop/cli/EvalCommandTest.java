package io.streamprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamprop.testkit.KafkaExitGuard;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code streamprop eval} on its own embedded broker, with a short stream. */
@ExtendWith(KafkaExitGuard.class)
class EvalCommandTest {
    private static final Pattern CURVE_LINE = Pattern.compile(
            "(?m)^\\s+([0-9,]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)$");
    private static final Pattern TABLE_ROW = Pattern.compile(
            "(?m)^(network|logistic regression|majority class|no-change)\\s+([0-9.]+)\\s+(-?[0-9.]+)\\s+([0-9.]+)");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void shouldPrintTheCurveAndFinalTableWithTheNetworkAboveTheMajorityClass() {
        int code = run("eval", "--stream", "sea", "--examples", "3000", "--every", "500", "--seed", "3");

        assertEquals(0, code, err() + out());
        List<Long> points = new ArrayList<>();
        Matcher line = CURVE_LINE.matcher(out());
        while (line.find()) {
            points.add(Long.parseLong(line.group(1).replace(",", "")));
            for (int column = 2; column <= 5; column++) {
                double accuracy = Double.parseDouble(line.group(column));
                assertTrue(accuracy >= 0 && accuracy <= 1, line.group());
            }
        }
        assertEquals(List.of(500L, 1000L, 1500L, 2000L, 2500L, 3000L), points, out());
        Map<String, double[]> table = new HashMap<>();
        Matcher row = TABLE_ROW.matcher(out());
        while (row.find()) {
            table.put(row.group(1), new double[] {Double.parseDouble(row.group(2)), Double.parseDouble(row.group(3)),
                Double.parseDouble(row.group(4))});
        }
        assertEquals(4, table.size(), out());
        double network = table.get("network")[0];
        double majority = table.get("majority class")[0];
        assertTrue(network > majority + 0.1, "network " + network + " vs majority class " + majority + "\n" + out());
        assertTrue(table.get("network")[1] > 0.5, "the network's kappa\n" + out());
        assertTrue(out().contains("Over all 3,000 examples"), out());
        assertTrue(out().contains("Network vs logistic regression: "), out());
    }

    @Test
    void shouldRefuseAnUnknownStreamAndASpecThatDoesNotFit() {
        assertEquals(2, run("eval", "--stream", "waves"));
        assertTrue(err().contains("--stream must be one of sea, hyperplane, rbf; got 'waves'"), err());

        assertEquals(2, run("eval", "--network", "{\"layers\": [2, 1], \"outputActivation\": \"sigmoid\","
                + " \"loss\": \"binary_cross_entropy\"}"));
        assertTrue(err().contains("--network: the spec has 2 inputs, sea has 3 features"), err());

        assertEquals(2, run("eval", "--stream", "rbf", "--logistic", "{\"layers\": [10, 1]}"));
        assertTrue(err().contains("--logistic: the labels are classes 0 and 1"), err());

        assertEquals(2, run("eval", "--logistic", "{\"layers\": [3, 1], \"optimizer\": {\"type\": \"adam\", \"learningRate\": -1}}"));
        assertTrue(err().contains("--logistic: invalid spec: optimizer.learningRate"), err());
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
