package io.streamprop.topics;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicFilesTest {
    /**
     * Set to {@code true} ({@code mvn test -Dtest=TopicFilesTest -Dstreamprop.topics.regenerate=true})
     * to rewrite {@code topics/} from {@link Topics} after changing a definition.
     */
    private static final String REGENERATE_PROPERTY = "streamprop.topics.regenerate";

    /** Maven runs tests in the project directory, where {@code topics/} lives. */
    private static final Path REPOSITORY_TOPICS = TopicFiles.DEFAULT_DIRECTORY;

    private static final String VALID_FILE = String.join("\n",
            "name=streamprop.examples",
            "partitions=6",
            "replication.factor=-1",
            "cleanup.policy=delete",
            "retention.ms=604800000",
            "max.message.bytes=1048576",
            "");

    @Test
    void shouldHaveOneFileInTheRepositoryPerTopicEqualToItsDefinitionInCode() {
        if (Boolean.getBoolean(REGENERATE_PROPERTY)) {
            TopicFiles.writeAll(REPOSITORY_TOPICS, Topics.all());
        }

        Map<String, TopicDefinition> inFiles = byName(TopicFiles.readAll(REPOSITORY_TOPICS));
        Map<String, TopicDefinition> inCode = byName(Topics.all());

        String howToFix = "; after changing io.streamprop.topics.Topics, run this test with -D"
                + REGENERATE_PROPERTY + "=true to rewrite the files";
        assertEquals(inCode.keySet(), inFiles.keySet(), "the topics in topics/ are not those in code" + howToFix);
        inCode.forEach((name, definition) -> assertEquals(definition, inFiles.get(name),
                TopicFiles.fileOf(REPOSITORY_TOPICS, name) + " differs from its definition in code" + howToFix));
    }

    @Test
    void shouldReadBackWhatItWrote(@TempDir Path directory) {
        TopicDefinition awkward = new TopicDefinition("round-trip_test.1", 3, (short) 2, CleanupPolicy.COMPACT,
                TopicDefinition.RETAIN_FOREVER, 123_457,
                new TreeMap<>(Map.of("min.compaction.lag.ms", "60000",
                        "message.timestamp.type", " leading blank, a = sign: and \\ backslash",
                        "x#odd:key name", "line one\nline two\tand tab")));
        List<TopicDefinition> written = List.of(Topics.MODELS, Topics.SNAPSHOTS, Topics.DEAD_LETTERS, awkward);

        TopicFiles.writeAll(directory, written);

        assertEquals(byName(written), byName(TopicFiles.readAll(directory)));
    }

    @Test
    void shouldWriteTheKafkaConfigNamesWithAReadableHeader() {
        String text = TopicFiles.format(Topics.SNAPSHOTS);

        assertTrue(text.startsWith("# Kafka topic streamprop.snapshots"), text);
        assertTrue(text.contains("\ncleanup.policy=compact\n"), text);
        assertTrue(text.contains("\nretention.ms=-1\n"), text);
        assertTrue(text.contains("# 128 MiB\nmax.message.bytes=134217728\n"), text);
        assertTrue(text.contains("\nconfig.compression.type=zstd\n"), text);
        assertTrue(TopicFiles.format(Topics.EXAMPLES).contains("# 7 days\nretention.ms=604800000\n"));
    }

    @Test
    void shouldAcceptTheValidExample() {
        TopicDefinition parsed = TopicFiles.parse("example", new StringReader(VALID_FILE));

        assertEquals(Topics.EXAMPLES, parsed);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "partitions=6                 | partitions=six              | key 'partitions' is 'six', expected a whole number from 1",
        "partitions=6                 | partitions=0                | key 'partitions' is '0', expected a whole number from 1",
        "replication.factor=-1        | replication.factor=-2       | key 'replication.factor' is '-2', expected",
        "replication.factor=-1        | replication.factor=40000    | key 'replication.factor' is '40000', expected",
        "cleanup.policy=delete        | cleanup.policy=compact,delete | key 'cleanup.policy' is 'compact,delete', expected delete or compact",
        "retention.ms=604800000       | retention.ms=7d             | key 'retention.ms' is '7d', expected a whole number",
        "max.message.bytes=1048576    | max.message.bytes=3000000000 | key 'max.message.bytes' is '3000000000', expected",
        "max.message.bytes=1048576    | max.message.bytes=1048576\\nretention.ms=1 | key 'retention.ms' is given twice",
        "partitions=6                 | partition=6                 | unknown key 'partition', expected one of name, partitions",
        "partitions=6                 | ''                          | missing key 'partitions'",
        "max.message.bytes=1048576    | max.message.bytes=1048576\\nconfig.=x | key 'config.' names no topic config",
        "max.message.bytes=1048576    | max.message.bytes=1048576\\nconfig.retention.ms=5 | extra config 'retention.ms' has its own field",
        "name=streamprop.examples     | name=bad/name               | topic name 'bad/name' is not a legal Kafka topic name",
    })
    void shouldRefuseAnInvalidFileNamingTheKeyAndTheExpectedValue(String validLine, String replacement,
                                                                  String expectedMessage) {
        String text = VALID_FILE.replace(validLine + "\n", replacement.replace("\\n", "\n") + "\n");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> TopicFiles.parse("topics/bad.properties", new StringReader(text)));

        assertTrue(refused.getMessage().startsWith("topics/bad.properties: "), refused.getMessage());
        assertTrue(refused.getMessage().contains(expectedMessage), refused.getMessage());
    }

    @Test
    void shouldRefuseAFileNamedAfterAnotherTopic(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("streamprop.queries.properties");
        Files.writeString(file, VALID_FILE, StandardCharsets.UTF_8);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> TopicFiles.read(file));

        assertEquals(file + ": key 'name' is 'streamprop.examples', expected the file to be named"
                + " streamprop.examples.properties", refused.getMessage());
    }

    @Test
    void shouldRefuseADirectoryWithoutTopicFiles(@TempDir Path directory) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> TopicFiles.readAll(directory));

        assertTrue(refused.getMessage().contains("holds no .properties file"), refused.getMessage());
    }

    private static Map<String, TopicDefinition> byName(List<TopicDefinition> definitions) {
        return definitions.stream().collect(Collectors.toMap(TopicDefinition::name, Function.identity()));
    }
}
