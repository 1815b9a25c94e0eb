package io.streamprop.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamprop.topology.StreampropConfig;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * ops/learner-secure.properties, the README's example for a secured cluster: both of its options
 * are accepted by Streamprop and Kafka Streams, and the README shows the file's own lines.
 */
class SecureLearnerConfigTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path FILE = ROOT.resolve("ops/learner-secure.properties");

    @Test
    void shouldAcceptTheSaslSslOption() throws IOException {
        Properties streams = StreampropConfig.load(FILE).streamsProperties();

        assertEquals("SASL_SSL", streams.getProperty("security.protocol"));
        assertEquals("SASL_SSL", new StreamsConfig(streams).getString("security.protocol"));
    }

    @Test
    void shouldAcceptTheMutualTlsOptionOnceUncommented() throws IOException {
        Properties mutualTls = withoutSecurity(load(Files.readString(FILE, StandardCharsets.UTF_8)));
        mutualTls.putAll(load(String.join("\n", commentedOption())));
        Properties streams = StreampropConfig.of(mutualTls).streamsProperties();

        assertEquals("SSL", new StreamsConfig(streams).getString("security.protocol"));
        assertEquals("PKCS12", streams.getProperty("ssl.keystore.type"));
    }

    @Test
    void shouldShowTheFilesLinesInTheReadme() throws IOException {
        List<String> file = Files.readAllLines(FILE, StandardCharsets.UTF_8);
        List<List<String>> blocks = readmeBlocks();
        assertEquals(2, blocks.size());
        for (String line : blocks.get(0)) {
            assertTrue(file.contains(line), "the file has " + line);
        }
        assertEquals(commentedOption(), blocks.get(1));
    }

    /** The file's commented-out option, uncommented. */
    private static List<String> commentedOption() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(FILE, StandardCharsets.UTF_8)) {
            if (line.matches("#[a-z][a-z.]+=.*")) {
                lines.add(line.substring(1));
            }
        }
        return lines;
    }

    /** The ```properties blocks of the README's section "Running on your cluster". */
    private static List<List<String>> readmeBlocks() throws IOException {
        List<String> readme = Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        List<List<String>> blocks = new ArrayList<>();
        List<String> block = null;
        for (String line : readme.subList(readme.indexOf("## Running on your cluster") + 1, readme.size())) {
            if (line.startsWith("## ")) {
                break;
            } else if (line.equals("```properties")) {
                block = new ArrayList<>();
            } else if (block != null && line.equals("```")) {
                blocks.add(block);
                block = null;
            } else if (block != null) {
                block.add(line);
            }
        }
        return blocks;
    }

    private static Properties withoutSecurity(Properties properties) {
        properties.stringPropertyNames().stream()
                .filter(name -> name.startsWith("security.") || name.startsWith("sasl.") || name.startsWith("ssl."))
                .forEach(properties::remove);
        return properties;
    }

    private static Properties load(String text) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        return properties;
    }
}
