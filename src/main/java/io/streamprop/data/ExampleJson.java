package io.streamprop.data;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.streamprop.serde.ParsedExample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes an example as the examples and queries topics take it:
 * {@code {"id": "17", "features": [0.5, -1.25], "label": 2}}. A whole-number label is written
 * as an integer, so that class indices read as such.
 */
public final class ExampleJson {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();
    /** Whole numbers up to this size are written without a fraction. */
    private static final double LARGEST_INTEGER = 1e15;

    private ExampleJson() {
    }

    /**
     * @param withLabel whether to write the label (examples) or leave it out (queries)
     */
    public static byte[] write(ParsedExample example, boolean withLabel) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 + 12 * example.features().length);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            g.writeStartObject();
            if (example.id() != null) {
                g.writeStringField("id", example.id());
            }
            g.writeFieldName("features");
            g.writeArray(example.features(), 0, example.features().length);
            ParsedExample.Label label = example.label();
            if (withLabel && label != null) {
                g.writeFieldName("label");
                if (label.isArray()) {
                    g.writeArray(label.values(), 0, label.values().length);
                } else {
                    writeNumber(g, label.scalar());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeNumber(JsonGenerator g, double value) throws IOException {
        if (value == Math.rint(value) && Math.abs(value) <= LARGEST_INTEGER) {
            g.writeNumber((long) value);
        } else {
            g.writeNumber(value);
        }
    }
}
