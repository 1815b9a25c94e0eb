package io.streamprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.streamprop.serde.ParsedExample;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesSourceTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadExamplesAndSkipLinesTheLearnerWouldRefuse() throws IOException {
        Path file = Files.writeString(dir.resolve("x.jsonl"), String.join("\n",
                "{\"id\": \"a\", \"features\": [1, 2.5], \"label\": 1}",
                "",
                "not json",
                "{\"features\": [3, 4], \"label\": [0, 1]}",
                "{\"id\": \"c\", \"label\": 0}",
                "{\"id\": \"d\", \"features\": [5, \"six\"], \"label\": 0}",
                "{\"id\": \"q\", \"features\": [7, 8]}"));

        Drain drain = Drain.of(JsonLinesSource.open(file));

        List<ParsedExample> examples = drain.examples();
        assertEquals(3, examples.size());
        assertEquals("a", examples.get(0).id());
        assertArrayEquals(new double[] {1, 2.5}, examples.get(0).features());
        assertNull(examples.get(1).id());
        assertArrayEquals(new double[] {0, 1}, examples.get(1).label().values());
        assertNull(examples.get(2).label(), "a line without a label is read; the producer decides");
        assertEquals(List.of("not_json", "missing_features", "not_numeric"),
                drain.skipped().stream().map(Skipped::reason).toList());
        assertEquals(List.of("x.jsonl line 3", "x.jsonl line 5", "x.jsonl line 6"),
                drain.skipped().stream().map(Skipped::location).toList());
    }

    @Test
    void shouldWriteWhatItReads() throws IOException {
        ParsedExample example = new ParsedExample("e-1", new double[] {0.1, -2}, ParsedExample.Label.of(3));
        String json = new String(ExampleJson.write(example, true), StandardCharsets.UTF_8);
        assertEquals("{\"id\":\"e-1\",\"features\":[0.1,-2.0],\"label\":3}", json);
        assertEquals("{\"id\":\"e-1\",\"features\":[0.1,-2.0]}",
                new String(ExampleJson.write(example, false), StandardCharsets.UTF_8));

        Path file = Files.writeString(dir.resolve("one.jsonl"), json + "\n");
        ParsedExample back = Drain.of(JsonLinesSource.open(file)).examples().get(0);
        assertArrayEquals(example.features(), back.features());
        assertEquals(3.0, back.label().scalar());
    }
}
