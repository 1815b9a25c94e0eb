package io.streamprop.data;

import io.streamprop.serde.BadRecordException;
import io.streamprop.serde.ExampleParser;
import io.streamprop.serde.ParsedExample;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Examples from a JSON-lines file (plain or gzip): one example per line, in the examples
 * topic's own format, {@code {"id": "e-17", "features": [0.1, 2.3], "label": 1}}, read by the
 * learner's own {@link ExampleParser}. Blank lines are ignored; a line the learner would refuse
 * as malformed is skipped and reported with its line number and the learner's reason.
 */
public final class JsonLinesSource implements ExampleSource {
    /** Longest features array accepted, as in the learner's default configuration. */
    private static final int MAX_FEATURES = 100_000;

    private final Path file;
    private final BufferedReader reader;
    private final ExampleParser parser = new ExampleParser(MAX_FEATURES);
    private final long size;
    private long line;

    private JsonLinesSource(Path file, BufferedReader reader, long size) {
        this.file = file;
        this.reader = reader;
        this.size = size;
    }

    public static JsonLinesSource open(Path file) throws IOException {
        long lines = DataFiles.countNonBlankLines(file);
        return new JsonLinesSource(file, DataFiles.openText(file), lines);
    }

    @Override
    public ParsedExample next(Consumer<Skipped> skipped) throws IOException {
        String text;
        while ((text = reader.readLine()) != null) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            try {
                return parser.parse(text.getBytes(StandardCharsets.UTF_8));
            } catch (BadRecordException e) {
                skipped.accept(new Skipped(file.getFileName() + " line " + line, e.rejection().code(),
                        e.getMessage()));
            }
        }
        return null;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public String description() {
        return file + " (JSON lines)";
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
