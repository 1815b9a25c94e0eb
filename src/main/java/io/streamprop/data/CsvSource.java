package io.streamprop.data;

import io.streamprop.serde.ParsedExample;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Examples from a CSV file (plain or gzip) with a header row: the column named as the label
 * holds the label (a number: a class index or a target value), every other column a numeric
 * feature. Fields are separated by commas and may be double-quoted. Blank lines are ignored.
 * A row with the wrong number of fields or a value that is not a finite number is skipped and
 * reported with its line number. An example's id is its line number.
 */
public final class CsvSource implements ExampleSource {
    private final Path file;
    private final BufferedReader reader;
    private final List<String> columns;
    private final int labelColumn;
    private final long size;
    private long line;

    private CsvSource(Path file, BufferedReader reader, List<String> columns, int labelColumn, long size,
                      long line) {
        this.file = file;
        this.reader = reader;
        this.columns = columns;
        this.labelColumn = labelColumn;
        this.size = size;
        this.line = line;
    }

    /**
     * Opens a CSV file and reads its header.
     *
     * @throws DatasetException when the file has no header or no column named {@code label}
     */
    public static CsvSource open(Path file, String label) throws IOException {
        long rows = Math.max(0, DataFiles.countNonBlankLines(file) - 1);
        BufferedReader reader = DataFiles.openText(file);
        try {
            String header = reader.readLine();
            long line = 1;
            while (header != null && header.isBlank()) {
                header = reader.readLine();
                line++;
            }
            if (header == null) {
                throw new DatasetException(file + " is empty; expected a header row naming the columns");
            }
            List<String> columns = split(header);
            if (columns == null) {
                throw new DatasetException(file + " line " + line + ": the header has an unterminated quote");
            }
            int labelColumn = columns.indexOf(label);
            if (labelColumn < 0) {
                throw new DatasetException(file + " has no column '" + label + "'; its columns are " + columns);
            }
            if (columns.size() < 2) {
                throw new DatasetException(file + " has only the label column; expected feature columns beside it");
            }
            return new CsvSource(file, reader, columns, labelColumn, rows, line);
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** The header's column names, in order. */
    public List<String> columns() {
        return columns;
    }

    @Override
    public ParsedExample next(Consumer<Skipped> skipped) throws IOException {
        String text;
        while ((text = reader.readLine()) != null) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            ParsedExample example = parseRow(text, skipped);
            if (example != null) {
                return example;
            }
        }
        return null;
    }

    private ParsedExample parseRow(String text, Consumer<Skipped> skipped) {
        List<String> fields = split(text);
        if (fields == null) {
            skipped.accept(skip("bad_quote", "unterminated double quote"));
            return null;
        }
        if (fields.size() != columns.size()) {
            skipped.accept(skip("wrong_column_count", "has " + fields.size() + " fields, the header has "
                    + columns.size()));
            return null;
        }
        double[] features = new double[columns.size() - 1];
        double label = 0;
        for (int c = 0, f = 0; c < fields.size(); c++) {
            double value;
            String field = fields.get(c).trim();
            try {
                value = Double.parseDouble(field);
            } catch (NumberFormatException e) {
                skipped.accept(skip("not_numeric", "column '" + columns.get(c) + "' is '" + abbreviate(field)
                        + "', expected a number"));
                return null;
            }
            if (!Double.isFinite(value)) {
                skipped.accept(skip("not_finite", "column '" + columns.get(c) + "' is " + field
                        + ", expected a finite number"));
                return null;
            }
            if (c == labelColumn) {
                label = value;
            } else {
                features[f++] = value;
            }
        }
        return new ParsedExample(String.valueOf(line), features, ParsedExample.Label.of(label));
    }

    private Skipped skip(String reason, String message) {
        return new Skipped(file.getFileName() + " line " + line, reason, message);
    }

    /** The fields of one line; null when a quote is not closed. */
    static List<String> split(String text) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        if (quoted) {
            return null;
        }
        fields.add(field.toString());
        return fields;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public String description() {
        return file + " (label column '" + columns.get(labelColumn) + "', " + (columns.size() - 1) + " features)";
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
