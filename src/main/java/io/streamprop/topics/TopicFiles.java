package io.streamprop.topics;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic definitions as files: one {@code <name>.properties} file per topic in a directory, by
 * default {@code topics/} at the repository root.
 *
 * <pre>
 * name=streamprop.snapshots
 * partitions=6
 * replication.factor=-1          (-1: the broker's default.replication.factor)
 * cleanup.policy=compact         (delete or compact)
 * retention.ms=-1                (-1: forever)
 * max.message.bytes=134217728
 * config.compression.type=zstd   (config.NAME: any further Kafka topic config)
 * </pre>
 *
 * Files are read in UTF-8 with {@link Properties} syntax. Reading is strict: an unknown or
 * repeated key, a missing key, a number out of range or a file named after another topic is
 * refused with an {@link IllegalArgumentException} naming the file, the key and what was expected.
 */
public final class TopicFiles {
    /** The directory of the topic files, relative to the repository root. */
    public static final Path DEFAULT_DIRECTORY = Path.of("topics");
    public static final String EXTENSION = ".properties";

    static final String NAME = "name";
    static final String PARTITIONS = "partitions";
    static final String REPLICATION_FACTOR = "replication.factor";
    static final String CLEANUP_POLICY = "cleanup.policy";
    static final String RETENTION_MS = "retention.ms";
    static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    static final String CONFIG_PREFIX = "config.";

    private static final List<String> REQUIRED_KEYS = List.of(NAME, PARTITIONS, REPLICATION_FACTOR, CLEANUP_POLICY,
            RETENTION_MS, MAX_MESSAGE_BYTES);
    private static final Set<String> REQUIRED_KEY_SET = Set.copyOf(REQUIRED_KEYS);

    private static final Logger log = LoggerFactory.getLogger(TopicFiles.class);

    private TopicFiles() {
    }

    /** The file of a topic in {@code directory}: {@code <name>.properties}. */
    public static Path fileOf(Path directory, String topicName) {
        return directory.resolve(topicName + EXTENSION);
    }

    /** Writes one file per definition into {@code directory}, creating it if needed. */
    public static void writeAll(Path directory, List<TopicDefinition> definitions) {
        try {
            Files.createDirectories(directory);
            for (TopicDefinition definition : definitions) {
                Path file = fileOf(directory, definition.name());
                Files.writeString(file, format(definition), StandardCharsets.UTF_8);
                log.debug("Wrote {}", file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write topic files to " + directory, e);
        }
        log.info("Wrote {} topic definitions to {}", definitions.size(), directory);
    }

    /**
     * Reads every {@code *.properties} file of {@code directory}, in file name order.
     *
     * @throws IllegalArgumentException when the directory holds no topic file, or a file is invalid
     */
    public static List<TopicDefinition> readAll(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("topic directory " + directory + " does not exist, expected a directory"
                    + " of <topic>" + EXTENSION + " files");
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(path -> path.getFileName().toString().endsWith(EXTENSION))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list topic directory " + directory, e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("topic directory " + directory + " holds no " + EXTENSION
                    + " file, expected one per topic");
        }
        List<TopicDefinition> definitions = new ArrayList<>();
        for (Path file : files) {
            definitions.add(read(file));
        }
        return List.copyOf(definitions);
    }

    /**
     * Reads one topic file; its name must be {@code <topic name>.properties}.
     *
     * @throws IllegalArgumentException naming the file, the key and what was expected
     */
    public static TopicDefinition read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read topic file " + file, e);
        }
        TopicDefinition definition = parse(file.toString(), new StringReader(text));
        String expectedFileName = definition.name() + EXTENSION;
        if (!file.getFileName().toString().equals(expectedFileName)) {
            throw new IllegalArgumentException(file + ": key '" + NAME + "' is '" + definition.name()
                    + "', expected the file to be named " + expectedFileName);
        }
        return definition;
    }

    /**
     * Parses the text of a topic file.
     *
     * @param source where the text comes from, for error messages
     * @throws IllegalArgumentException naming the source, the key and what was expected
     */
    public static TopicDefinition parse(String source, Reader text) {
        StrictProperties properties = new StrictProperties(source);
        try {
            properties.load(text);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read topic definition from " + source, e);
        } catch (IllegalArgumentException e) {
            // thrown by Properties for a malformed unicode escape, and by StrictProperties
            throw e.getMessage() != null && e.getMessage().startsWith(source)
                    ? e : new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        SortedMap<String, String> extras = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(CONFIG_PREFIX)) {
                String configName = key.substring(CONFIG_PREFIX.length());
                if (configName.isEmpty()) {
                    throw new IllegalArgumentException(source + ": key '" + key + "' names no topic config, expected "
                            + CONFIG_PREFIX + "<kafka topic config>, such as " + CONFIG_PREFIX + "compression.type");
                }
                extras.put(configName, properties.getProperty(key));
            } else if (!REQUIRED_KEY_SET.contains(key)) {
                throw new IllegalArgumentException(source + ": unknown key '" + key + "', expected one of "
                        + String.join(", ", REQUIRED_KEYS) + " or " + CONFIG_PREFIX + "<kafka topic config>");
            }
        }
        for (String key : REQUIRED_KEYS) {
            if (properties.getProperty(key) == null) {
                throw new IllegalArgumentException(source + ": missing key '" + key + "', expected all of "
                        + String.join(", ", REQUIRED_KEYS));
            }
        }
        try {
            return new TopicDefinition(properties.getProperty(NAME).strip(),
                    (int) number(source, properties, PARTITIONS, 1, Integer.MAX_VALUE, "from 1"),
                    (short) number(source, properties, REPLICATION_FACTOR, -1, Short.MAX_VALUE,
                            "of at least 1, or -1 for the broker default"),
                    cleanupPolicy(source, properties),
                    number(source, properties, RETENTION_MS, -1, Long.MAX_VALUE,
                            "of at least 0 ms, or -1 for forever"),
                    (int) number(source, properties, MAX_MESSAGE_BYTES, 1, Integer.MAX_VALUE, "from 1"),
                    extras);
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(source)
                    ? e : new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    /** The text of the file of {@code definition}: a comment header, then one line per key. */
    public static String format(TopicDefinition definition) {
        StringBuilder text = new StringBuilder()
                .append("# Kafka topic ").append(definition.name()).append(", as defined in io.streamprop.topics.Topics.\n")
                .append("# Code and file must agree (TopicFilesTest checks it); ops/create-topics.sh creates the topic.\n")
                .append("# replication.factor -1 = the broker's default; retention.ms -1 = forever;\n")
                .append("# config.NAME = any further Kafka topic config.\n");
        line(text, NAME, definition.name());
        line(text, PARTITIONS, Integer.toString(definition.partitions()));
        line(text, REPLICATION_FACTOR, Short.toString(definition.replicationFactor()));
        line(text, CLEANUP_POLICY, definition.cleanupPolicy().configValue());
        if (definition.retentionMs() != TopicDefinition.RETAIN_FOREVER) {
            text.append("# ").append(readableDuration(definition.retentionMs())).append('\n');
        }
        line(text, RETENTION_MS, Long.toString(definition.retentionMs()));
        text.append("# ").append(readableSize(definition.maxMessageBytes())).append('\n');
        line(text, MAX_MESSAGE_BYTES, Integer.toString(definition.maxMessageBytes()));
        definition.extraConfigs().forEach((name, value) -> line(text, CONFIG_PREFIX + name, value));
        return text.toString();
    }

    private static void line(StringBuilder text, String key, String value) {
        text.append(escape(key, true)).append('=').append(escape(value, false)).append('\n');
    }

    /** Escapes for {@link Properties#load(Reader)}: backslashes, line breaks, separators in keys, leading blanks. */
    private static String escape(String raw, boolean isKey) {
        StringBuilder escaped = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            switch (c) {
                case '\\' -> escaped.append("\\\\");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                case '\f' -> escaped.append("\\f");
                case '=', ':', '#', '!' -> escaped.append(isKey || i == 0 ? "\\" + c : String.valueOf(c));
                case ' ' -> escaped.append(isKey || i == 0 ? "\\ " : " ");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static long number(String source, Properties properties, String key, long min, long max,
                               String expected) {
        String value = properties.getProperty(key).strip();
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below, with the same message as a number out of range
        }
        throw new IllegalArgumentException(source + ": key '" + key + "' is '" + value + "', expected a whole number "
                + expected + (max == Long.MAX_VALUE ? "" : " to " + max));
    }

    private static CleanupPolicy cleanupPolicy(String source, Properties properties) {
        String value = properties.getProperty(CLEANUP_POLICY).strip();
        try {
            return CleanupPolicy.fromConfigValue(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": key '" + CLEANUP_POLICY + "' is '" + value + "', expected "
                    + CleanupPolicy.DELETE.configValue() + " or " + CleanupPolicy.COMPACT.configValue(), e);
        }
    }

    static String readableDuration(long millis) {
        long hourMs = Duration.ofHours(1).toMillis();
        long dayMs = Duration.ofDays(1).toMillis();
        if (millis > 0 && millis % dayMs == 0) {
            return millis / dayMs + (millis == dayMs ? " day" : " days");
        }
        if (millis > 0 && millis % hourMs == 0) {
            return millis / hourMs + (millis == hourMs ? " hour" : " hours");
        }
        return millis + " ms";
    }

    static String readableSize(int bytes) {
        int mib = 1024 * 1024;
        if (bytes % mib == 0) {
            return bytes / mib + " MiB";
        }
        if (bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " bytes";
    }

    /** Properties that refuse a key given twice, which plain {@link Properties} silently overwrites. */
    private static final class StrictProperties extends Properties {
        private static final long serialVersionUID = 1L;
        private final String source;

        StrictProperties(String source) {
            this.source = source;
        }

        @Override
        public synchronized Object put(Object key, Object value) {
            if (containsKey(key)) {
                throw new IllegalArgumentException(source + ": key '" + key + "' is given twice, expected it once");
            }
            return super.put(key, value);
        }
    }
}
