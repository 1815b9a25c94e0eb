package io.streamprop.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the messages that README.md shows (sections "Topic formats" and "Kafka's console tools")
 * and the files of ops/examples/ through the learner, and compares the README's output messages
 * (metrics records but for their time) with what the learner writes. The README's outputs come from a broker with six-partition
 * topics, the driver's from one partition at its own clock, so partitions and record timestamps
 * are not compared.
 */
class ReadmeMessagesTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final String ELLIPSIS = "\u2026";

    private static Map<String, JsonNode> documented;
    private static Run run;

    @BeforeAll
    static void runTheReadmeScenario() throws IOException {
        documented = topicFormatExamples();
        run = Run.consoleScenario(documented);
    }

    @Test
    void shouldLearnXorFromTheConsoleExampleFiles() throws IOException {
        assertEquals(1, run.deadLetters.size(), "only the documented bad example is refused");
        assertEquals(1000 + 1 + 1 + 4, run.predictions.size());
        List<JsonNode> answers = run.predictions.subList(1001, 1005);
        int[] xor = {0, 1, 1, 0};
        for (int i = 0; i < 4; i++) {
            assertEquals(xor[i], answers.get(i).get("class").asInt(), answers.get(i).toString());
            assertEquals(250, answers.get(i).get("version").asLong());
        }
    }

    @Test
    void shouldAcceptTheDocumentedInputs() throws IOException {
        assertEquals(documented.get("streamprop.models"), json(line("xor-model.txt", 0)[1]),
                "README and ops/examples/xor-model.txt show the same model");
        assertEquals(1, run.snapshotsAtVersion(0).size(), "the model was created");
        JsonNode labelled = run.predictions.get(1000);
        assertEquals(documented.get("streamprop.examples").get("id"), labelled.get("id"));
        JsonNode query = run.predictions.get(1005);
        assertEquals(documented.get("streamprop.queries").get("id"), query.get("id"));
        assertEquals(Set.of("label", "loss"), difference(labelled, query));
    }

    @Test
    void shouldMatchTheDocumentedLateLabelToItsExample() {
        JsonNode label = documented.get("streamprop.labels");
        try (LearnerDriver d = new LearnerDriver()) {
            d.spec("xor", documented.get("streamprop.models").toString());
            d.example("xor", "{\"id\": \"" + label.get("id").asText() + "\", \"features\": [1, 0]}");
            d.label("xor", label.toString());
            List<JsonNode> out = LearnerDriver.read(d.predictions);
            assertEquals(2, out.size(), "the prediction, then the same with its late label");
            assertTrue(out.get(1).get("delayed").asBoolean());
            assertEquals(label.get("label").asDouble(), out.get(1).get("label").asDouble());
            assertTrue(LearnerDriver.read(d.deadLetters).isEmpty());
        }
    }

    @Test
    void shouldWriteTheDocumentedOutputs() throws IOException {
        assertSameExceptPlacement(documented.get("streamprop.predictions"), run.predictions.get(1000));
        assertSameExceptPlacement(documented.get("streamprop.dead-letters"), run.deadLetters.get(0));

        JsonNode snapshotDoc = documented.get("streamprop.snapshots");
        List<JsonNode> snapshots = run.snapshotsAtVersion(snapshotDoc.get("version").asLong());
        assertEquals(1, snapshots.size());
        JsonNode snapshot = snapshots.get(0);
        assertEquals(names(snapshotDoc), names(snapshot));
        assertEquals(names(snapshotDoc.get("state")), names(snapshot.get("state")));
        for (String field : List.of("model", "version", "examplesSeen", "learner")) {
            assertEquals(snapshotDoc.get(field), snapshot.get(field), field);
        }
        assertEquals(List.copyOf(values(snapshotDoc.get("inputOffsets"))), values(snapshot.get("inputOffsets")));
    }

    @Test
    void shouldWriteTheDocumentedMetricsRecord() {
        JsonNode documentedMetrics = documented.get("streamprop.metrics");
        List<JsonNode> atThatPoint = run.metrics.stream()
                .filter(m -> m.get("examples").equals(documentedMetrics.get("examples"))
                        && m.get("trigger").equals(documentedMetrics.get("trigger")))
                .toList();
        assertEquals(1, atThatPoint.size(), run.metrics.toString());
        ObjectNode expected = documentedMetrics.deepCopy();
        ObjectNode actual = atThatPoint.get(0).deepCopy();
        expected.remove("time");
        actual.remove("time");
        assertEquals(expected, withoutElided(actual, expected));
    }

    @Test
    void shouldPrintWhatTheReadmeShowsOnTheConsole() throws IOException {
        Run run = Run.consoleScenario(documented);
        List<String[]> shown = consoleOutput();
        int firstQuery = 1001;

        int head = 0;
        while (!shown.get(head)[0].equals(ELLIPSIS)) {
            assertEquals("xor", shown.get(head)[0]);
            assertSameExceptPlacement(LearnerDriver.parse(bytes(shown.get(head)[1])), run.predictions.get(head));
            head++;
        }
        List<String[]> tail = shown.subList(head + 1, shown.size());
        assertEquals(4, tail.size());
        for (int i = 0; i < 4; i++) {
            assertSameExceptPlacement(LearnerDriver.parse(bytes(tail.get(i)[1])), run.predictions.get(firstQuery + i));
        }
    }

    /** What the learner wrote for the README's scenario. */
    private record Run(List<JsonNode> predictions, List<JsonNode> snapshots, List<JsonNode> deadLetters,
                       List<JsonNode> metrics) {
        /**
         * The console section's scenario: the model, 250 rounds of the four XOR examples, the
         * documented bad example and labelled example, the four queries, the documented query.
         */
        static Run consoleScenario(Map<String, JsonNode> documented) throws IOException {
            try (LearnerDriver d = new LearnerDriver()) {
                String[] model = line("xor-model.txt", 0);
                d.spec(model[0], model[1]);
                for (int round = 0; round < 250; round++) {
                    for (int i = 0; i < 4; i++) {
                        String[] example = line("xor-examples.txt", i);
                        d.example(example[0], example[1]);
                    }
                }
                JsonNode bad = documented.get("streamprop.dead-letters");
                d.example(bad.get("key").asText(), bad.get("payload").asText());
                d.example("xor", documented.get("streamprop.examples").toString());
                for (int i = 0; i < 4; i++) {
                    String[] query = line("xor-queries.txt", i);
                    d.query(query[0], query[1]);
                }
                d.query("xor", documented.get("streamprop.queries").toString());
                return new Run(LearnerDriver.read(d.predictions), LearnerDriver.read(d.snapshots),
                        LearnerDriver.read(d.deadLetters), LearnerDriver.read(d.metrics));
            }
        }

        List<JsonNode> snapshotsAtVersion(long version) {
            return snapshots.stream().filter(s -> s.get("version").asLong() == version).toList();
        }
    }

    /** {@code actual} without the fields that {@code documented} leaves out as an empty object ({@code {…}}). */
    private static JsonNode withoutElided(JsonNode actual, JsonNode documented) {
        if (!documented.isObject() || !actual.isObject()) {
            return actual;
        }
        ObjectNode out = ((ObjectNode) actual).deepCopy();
        documented.properties().forEach(e -> {
            if (e.getValue().isObject() && e.getValue().isEmpty()) {
                out.set(e.getKey(), e.getValue());
            } else if (out.has(e.getKey())) {
                out.set(e.getKey(), withoutElided(out.get(e.getKey()), e.getValue()));
            }
        });
        return out;
    }

    private static void assertSameExceptPlacement(JsonNode expected, JsonNode actual) {
        ObjectNode e = expected.deepCopy();
        ObjectNode a = actual.deepCopy();
        e.remove(List.of("partition", "timestamp"));
        a.remove(List.of("partition", "timestamp"));
        assertEquals(e, a);
    }

    /** The first ```json block under each "### `topic`" heading of "## Topic formats". */
    private static Map<String, JsonNode> topicFormatExamples() {
        Map<String, JsonNode> examples = new LinkedHashMap<>();
        String topic = null;
        boolean inJson = false;
        for (String line : section("## Topic formats")) {
            if (line.startsWith("### `")) {
                topic = line.substring(5, line.indexOf('`', 5));
            } else if (line.equals("```json")) {
                inJson = true;
            } else if (inJson) {
                if (topic != null && !examples.containsKey(topic)) {
                    examples.put(topic, LearnerDriver.parse(bytes(
                            line.replace("{" + ELLIPSIS + "}", "{}").replace("[" + ELLIPSIS + "]", "[]"))));
                }
                inJson = false;
            }
        }
        assertEquals(List.of("streamprop.models", "streamprop.examples", "streamprop.labels", "streamprop.queries",
                "streamprop.predictions", "streamprop.snapshots", "streamprop.dead-letters", "streamprop.metrics"),
                List.copyOf(examples.keySet()));
        return examples;
    }

    /** The console consumer's output as the README shows it: {key, value} per line. */
    private static List<String[]> consoleOutput() {
        List<String[]> shown = new ArrayList<>();
        boolean inText = false;
        for (String line : section("## Kafka's console tools")) {
            if (line.equals("```text")) {
                inText = true;
            } else if (inText && line.equals("```")) {
                break;
            } else if (inText) {
                shown.add(line.equals(ELLIPSIS) ? new String[] {ELLIPSIS} : line.split("\t", 2));
            }
        }
        assertTrue(shown.size() > 4, "the README shows the console output");
        return shown;
    }

    private static List<String> section(String heading) {
        try {
            List<String> lines = Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
            int start = lines.indexOf(heading);
            assertTrue(start >= 0, "README has " + heading);
            int end = start + 1;
            while (end < lines.size() && !lines.get(end).startsWith("## ")) {
                end++;
            }
            return lines.subList(start + 1, end);
        } catch (IOException e) {
            throw new AssertionError("cannot read README.md", e);
        }
    }

    /** Line {@code index} of an ops/examples file, split at the console producer's separator. */
    private static String[] line(String file, int index) throws IOException {
        String line = Files.readAllLines(ROOT.resolve("ops/examples").resolve(file), StandardCharsets.UTF_8).get(index);
        return line.split("\\|", 2);
    }

    private static JsonNode json(String text) {
        return LearnerDriver.parse(bytes(text));
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<JsonNode> values(JsonNode node) {
        List<JsonNode> values = new ArrayList<>();
        node.elements().forEachRemaining(values::add);
        return values;
    }

    private static Set<String> difference(JsonNode larger, JsonNode smaller) {
        Set<String> extra = names(larger);
        extra.removeAll(names(smaller));
        return extra;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
