package io.streamprop.serde;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads examples and queries, {@code {"id": "...", "features": [...], "label": ...}}, with a
 * streaming parser straight into a {@code double[]}. Fields other than these three are ignored.
 * Every problem becomes a {@link BadRecordException} with its {@link Rejection} and a message
 * that says what was found and what was expected.
 */
public final class ExampleParser {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    /** Longest class name accepted as a label. */
    public static final int MAX_CLASS_NAME = 200;

    private final int maxFeatures;

    /** @param maxFeatures longest features (or label) array accepted */
    public ExampleParser(int maxFeatures) {
        if (maxFeatures < 1) {
            throw new IllegalArgumentException("maxFeatures must be >= 1, got " + maxFeatures);
        }
        this.maxFeatures = maxFeatures;
    }

    public ParsedExample parse(byte[] value) throws BadRecordException {
        ParsedExample e = parseFields(value);
        if (e.features() == null) {
            throw new BadRecordException(Rejection.MISSING_FEATURES,
                    "no \"features\" array; expected {\"features\": [numbers], \"label\": ...}");
        }
        return e;
    }

    /**
     * Reads a label sent after its example, {@code {"id": "...", "label": ...}}; the result has
     * no features.
     */
    public ParsedExample parseLabel(byte[] value) throws BadRecordException {
        ParsedExample e = parseFields(value);
        if (e.id() == null) {
            throw new BadRecordException(Rejection.MISSING_LABEL, "a label record needs the \"id\" of its"
                    + " example; expected {\"id\": \"...\", \"label\": ...}");
        }
        if (e.label() == null) {
            throw new BadRecordException(Rejection.MISSING_LABEL, "no \"label\"; expected {\"id\": \"...\","
                    + " \"label\": ...}");
        }
        return e;
    }

    private ParsedExample parseFields(byte[] value) throws BadRecordException {
        if (value == null) {
            throw new BadRecordException(Rejection.NOT_JSON, "the record has no value");
        }
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadRecordException(Rejection.NOT_JSON, "expected a JSON object");
            }
            String id = null;
            double[] features = null;
            ParsedExample.Label label = null;
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "id":
                        id = readId(p);
                        break;
                    case "features":
                        features = readNumbers(p, "features");
                        break;
                    case "label":
                        label = readLabel(p);
                        break;
                    default:
                        p.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new BadRecordException(Rejection.NOT_JSON, "the JSON object is malformed or followed by more");
            }
            return new ParsedExample(id, features, label);
        } catch (JsonParseException e) {
            throw new BadRecordException(Rejection.NOT_JSON, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRecordException(Rejection.NOT_JSON, "unreadable JSON: " + e.getMessage());
        }
    }

    private static String readId(JsonParser p) throws IOException, BadRecordException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new BadRecordException(Rejection.NOT_JSON, "\"id\" must be a string or an integer, got " + t);
    }

    private ParsedExample.Label readLabel(JsonParser p) throws IOException, BadRecordException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_ARRAY) {
            return ParsedExample.Label.of(readNumbers(p, "label"));
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_STRING) {
            String name = p.getText();
            if (name.isEmpty() || name.length() > MAX_CLASS_NAME) {
                throw new BadRecordException(Rejection.LABEL_OUT_OF_RANGE, "a class name must have 1 to "
                        + MAX_CLASS_NAME + " characters, got " + name.length());
            }
            return ParsedExample.Label.named(name);
        }
        return ParsedExample.Label.of(readNumber(p, "label", -1));
    }

    private double[] readNumbers(JsonParser p, String field) throws IOException, BadRecordException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new BadRecordException(field.equals("features") ? Rejection.MISSING_FEATURES
                    : Rejection.NOT_NUMERIC, "\"" + field + "\" must be an array of numbers, got "
                    + describe(p));
        }
        double[] values = new double[16];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n == maxFeatures) {
                throw new BadRecordException(Rejection.TOO_LARGE, "\"" + field + "\" has more than "
                        + maxFeatures + " values, the configured limit");
            }
            if (n == values.length) {
                values = Arrays.copyOf(values, Math.min(maxFeatures, 2 * n));
            }
            values[n] = readNumber(p, field, n);
            n++;
        }
        return n == values.length ? values : Arrays.copyOf(values, n);
    }

    /**
     * Reads the current token as a finite number: the value of {@code field}, or its element
     * {@code index} when that is not negative (named so only in a rejection's message).
     */
    private static double readNumber(JsonParser p, String field, int index) throws IOException, BadRecordException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new BadRecordException(Rejection.NOT_NUMERIC, where(field, index) + " must be a number, got "
                    + describe(p));
        }
        double v = p.getDoubleValue();
        if (!Double.isFinite(v)) {
            throw new BadRecordException(Rejection.NOT_FINITE, where(field, index) + " is " + p.getText()
                    + "; only finite numbers are accepted");
        }
        return v;
    }

    private static String where(String field, int index) {
        return index < 0 ? field : field + "[" + index + "]";
    }

    private static String describe(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_ARRAY) {
            return "an array";
        }
        if (t == JsonToken.START_OBJECT) {
            return "an object";
        }
        String text = p.getText();
        return t == JsonToken.VALUE_STRING ? "\"" + abbreviate(text) + "\"" : abbreviate(text);
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
