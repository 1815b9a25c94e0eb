package io.streamprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamprop.serde.ParsedExample;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxSourceTest {
    private static final byte[][] IMAGES = {{0, (byte) 255, 51, 102, 1, 0}, {(byte) 128, 0, 0, 0, 0, 7}};
    private static final int[] LABELS = {9, 0};

    @TempDir
    Path dir;

    @Test
    void shouldReadImagesScaledToTheUnitIntervalWithTheirLabels() throws IOException {
        Path images = images("images.idx", false, IdxSource.IMAGES_MAGIC, IMAGES.length);
        Path labels = labels("labels.idx", false, IdxSource.LABELS_MAGIC, LABELS);

        IdxSource source = IdxSource.open(images, labels);
        assertEquals(2, source.size());
        assertEquals(2, source.rows());
        assertEquals(3, source.columns());
        Drain drain = Drain.of(source);

        ParsedExample first = drain.examples().get(0);
        assertArrayEquals(new double[] {0, 1, 0.2, 0.4, 0.0039, 0}, first.features());
        assertEquals(9.0, first.label().scalar());
        assertEquals("0", first.id());
        assertEquals(0.502, drain.examples().get(1).features()[0]);
        assertEquals(0.0, drain.examples().get(1).label().scalar());
    }

    @Test
    void shouldReadGzippedFiles() throws IOException {
        Path images = images("images.gz", true, IdxSource.IMAGES_MAGIC, IMAGES.length);
        Path labels = labels("labels.gz", true, IdxSource.LABELS_MAGIC, LABELS);

        Drain drain = Drain.of(IdxSource.open(images, labels));

        assertEquals(2, drain.examples().size());
        assertEquals(1.0, drain.examples().get(0).features()[1]);
    }

    @Test
    void shouldRefuseFilesWithTheWrongMagicNumber() throws IOException {
        Path images = images("images.idx", false, IdxSource.IMAGES_MAGIC, IMAGES.length);
        Path labels = labels("labels.idx", false, IdxSource.LABELS_MAGIC, LABELS);

        DatasetException swapped = assertThrows(DatasetException.class, () -> IdxSource.open(labels, images));
        assertEquals(labels + " is not an IDX image file: its magic number is 0x00000801, expected 0x00000803"
                + " (unsigned bytes, 3 dimensions)", swapped.getMessage());

        Path fewerLabels = labels("short.idx", false, IdxSource.LABELS_MAGIC, new int[] {1});
        DatasetException mismatch = assertThrows(DatasetException.class, () -> IdxSource.open(images, fewerLabels));
        assertTrue(mismatch.getMessage().contains("holds 1 labels, but " + images + " holds 2 images"),
                mismatch.getMessage());
    }

    @Test
    void shouldReportAFileThatEndsBeforeItsHeaderSays() throws IOException {
        Path images = images("images.idx", false, IdxSource.IMAGES_MAGIC, 3);
        Path labels = labels("labels.idx", false, IdxSource.LABELS_MAGIC, new int[] {1, 2, 3});

        DatasetException e = assertThrows(DatasetException.class, () -> Drain.of(IdxSource.open(images, labels)));

        assertTrue(e.getMessage().contains("ends after 2 images; the header says 3"), e.getMessage());
    }

    private Path images(String name, boolean gzip, int magic, int count) throws IOException {
        Path file = dir.resolve(name);
        try (DataOutputStream out = new DataOutputStream(open(file, gzip))) {
            out.writeInt(magic);
            out.writeInt(count);
            out.writeInt(2);
            out.writeInt(3);
            for (byte[] image : IMAGES) {
                out.write(image);
            }
        }
        return file;
    }

    private Path labels(String name, boolean gzip, int magic, int[] labels) throws IOException {
        Path file = dir.resolve(name);
        try (DataOutputStream out = new DataOutputStream(open(file, gzip))) {
            out.writeInt(magic);
            out.writeInt(labels.length);
            for (int label : labels) {
                out.writeByte(label);
            }
        }
        return file;
    }

    private static OutputStream open(Path file, boolean gzip) throws IOException {
        OutputStream out = Files.newOutputStream(file);
        return gzip ? new GZIPOutputStream(out) : out;
    }
}
