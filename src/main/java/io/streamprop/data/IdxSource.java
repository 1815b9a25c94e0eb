package io.streamprop.data;

import io.streamprop.serde.ParsedExample;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Labelled images from a pair of IDX files, the format of MNIST and Fashion-MNIST: an images
 * file (magic number {@value #IMAGES_MAGIC}: unsigned bytes, three dimensions: count, rows,
 * columns) and a labels file (magic number {@value #LABELS_MAGIC}: unsigned bytes, one
 * dimension), plain or gzip. All integers in the headers are big-endian. Each image becomes
 * rows x columns features, row by row: the pixel value divided by 255 and rounded to 4
 * decimals, which keeps all 256 levels apart and the JSON short. The label is the class index,
 * the id the image's position in the file, from 0.
 */
public final class IdxSource implements ExampleSource {
    /** Unsigned bytes (0x08), three dimensions. */
    public static final int IMAGES_MAGIC = 0x0803;
    /** Unsigned bytes (0x08), one dimension. */
    public static final int LABELS_MAGIC = 0x0801;

    private static final double[] SCALED = new double[256];

    static {
        for (int p = 0; p < 256; p++) {
            SCALED[p] = Math.round(p * 10_000.0 / 255.0) / 10_000.0;
        }
    }

    private final Path imagesFile;
    private final DataInputStream images;
    private final DataInputStream labels;
    private final int count;
    private final int rows;
    private final int columns;
    private final byte[] pixels;
    private int read;

    private IdxSource(Path imagesFile, DataInputStream images, DataInputStream labels, int count, int rows,
                      int columns) {
        this.imagesFile = imagesFile;
        this.images = images;
        this.labels = labels;
        this.count = count;
        this.rows = rows;
        this.columns = columns;
        this.pixels = new byte[rows * columns];
    }

    /**
     * Opens an images file and its labels file and checks their headers.
     *
     * @throws DatasetException when a magic number is wrong or the two files disagree on the count
     */
    public static IdxSource open(Path imagesFile, Path labelsFile) throws IOException {
        DataInputStream images = new DataInputStream(DataFiles.open(imagesFile));
        DataInputStream labels = null;
        try {
            checkMagic(imagesFile, images, IMAGES_MAGIC, "image");
            int count = positive(imagesFile, "image count", images.readInt());
            int rows = positive(imagesFile, "rows", images.readInt());
            int columns = positive(imagesFile, "columns", images.readInt());
            labels = new DataInputStream(DataFiles.open(labelsFile));
            checkMagic(labelsFile, labels, LABELS_MAGIC, "label");
            int labelCount = labels.readInt();
            if (labelCount != count) {
                throw new DatasetException(labelsFile + " holds " + labelCount + " labels, but " + imagesFile
                        + " holds " + count + " images; expected one label per image");
            }
            return new IdxSource(imagesFile, images, labels, count, rows, columns);
        } catch (EOFException e) {
            closeBoth(images, labels);
            throw new DatasetException("an IDX header ends early in " + imagesFile + " or " + labelsFile);
        } catch (IOException | RuntimeException e) {
            closeBoth(images, labels);
            throw e;
        }
    }

    private static void checkMagic(Path file, DataInputStream in, int expected, String kind) throws IOException {
        int magic = in.readInt();
        if (magic != expected) {
            throw new DatasetException(String.format("%s is not an IDX %s file: its magic number is 0x%08x,"
                    + " expected 0x%08x (unsigned bytes, %d dimension%s)", file, kind, magic, expected,
                    expected & 0xff, (expected & 0xff) == 1 ? "" : "s"));
        }
    }

    private static int positive(Path file, String what, int value) throws DatasetException {
        if (value <= 0) {
            throw new DatasetException(file + ": the header's " + what + " is " + value + ", expected > 0");
        }
        return value;
    }

    private static void closeBoth(DataInputStream images, DataInputStream labels) throws IOException {
        images.close();
        if (labels != null) {
            labels.close();
        }
    }

    /** Rows of each image. */
    public int rows() {
        return rows;
    }

    /** Columns of each image. */
    public int columns() {
        return columns;
    }

    @Override
    public ParsedExample next(Consumer<Skipped> skipped) throws IOException {
        if (read == count) {
            return null;
        }
        int label;
        try {
            images.readFully(pixels);
            label = labels.readUnsignedByte();
        } catch (EOFException e) {
            throw new DatasetException(imagesFile + " or its labels file ends after " + read + " images; the"
                    + " header says " + count);
        }
        double[] features = new double[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            features[i] = SCALED[pixels[i] & 0xff];
        }
        return new ParsedExample(String.valueOf(read++), features, ParsedExample.Label.of(label));
    }

    @Override
    public long size() {
        return count;
    }

    @Override
    public String description() {
        return String.format("%s (%,d images of %dx%d)", imagesFile, count, rows, columns);
    }

    @Override
    public void close() throws IOException {
        closeBoth(images, labels);
    }
}
