package io.streamprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamprop.serde.ParsedExample;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSourceTest {
    @TempDir
    Path dir;

    @Test
    void shouldReadFeaturesAroundTheNamedLabelColumn() throws IOException {
        Path file = write("iris.csv", "sepal,\"species\",petal\n5.1,0,1.4\n\n4.9,2,-1e-3\n");

        CsvSource source = CsvSource.open(file, "species");
        assertEquals(List.of("sepal", "species", "petal"), source.columns());
        assertEquals(2, source.size());
        Drain drain = Drain.of(source);

        assertEquals(2, drain.examples().size());
        ParsedExample second = drain.examples().get(1);
        assertArrayEquals(new double[] {4.9, -0.001}, second.features());
        assertEquals(2.0, second.label().scalar());
        assertEquals("4", second.id(), "the id is the line number");
        assertTrue(drain.skipped().isEmpty(), drain.skipped().toString());
    }

    @Test
    void shouldSkipAndReportBadRowsWithTheirLineNumbers() throws IOException {
        Path file = write("bad.csv", "a,b,y\n1,2,0\n1,x,1\n1,2\n1,NaN,1\n\"1,2,1\n3,4,1\n");

        Drain drain = Drain.of(CsvSource.open(file, "y"));

        assertEquals(List.of("2", "7"), drain.examples().stream().map(ParsedExample::id).toList());
        assertEquals(List.of("not_numeric", "wrong_column_count", "not_finite", "bad_quote"),
                drain.skipped().stream().map(Skipped::reason).toList());
        Skipped first = drain.skipped().get(0);
        assertEquals("bad.csv line 3", first.location());
        assertEquals("column 'b' is 'x', expected a number", first.message());
        assertEquals("has 2 fields, the header has 3", drain.skipped().get(1).message());
    }

    @Test
    void shouldRefuseAFileWithoutTheLabelColumn() throws IOException {
        Path file = write("data.csv", "a,b,class\n1,2,0\n");

        DatasetException e = assertThrows(DatasetException.class, () -> CsvSource.open(file, "label"));

        assertEquals(file + " has no column 'label'; its columns are [a, b, class]", e.getMessage());
        assertThrows(DatasetException.class, () -> CsvSource.open(write("empty.csv", "\n"), "label"));
    }

    @Test
    void shouldReadAGzippedFile() throws IOException {
        Path file = dir.resolve("data.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("x,y\n0.5,1\n".getBytes(StandardCharsets.UTF_8));
        }

        Drain drain = Drain.of(CsvSource.open(file, "y"));

        assertEquals(1, drain.examples().size());
        assertArrayEquals(new double[] {0.5}, drain.examples().get(0).features());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
