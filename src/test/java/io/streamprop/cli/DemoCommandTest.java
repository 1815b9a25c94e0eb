package io.streamprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamprop.testkit.KafkaExitGuard;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The demo end to end: its own broker, topics and learner, a short stream, and its summary. */
@ExtendWith(KafkaExitGuard.class)
class DemoCommandTest {
    private static final Pattern ACCURACY = Pattern.compile(
            "accuracy: +([0-9.]+)% over the last ([0-9,]+) examples, ([0-9.]+)% over all");
    private static final Pattern TEST_ACCURACY = Pattern.compile("test accuracy: ([0-9.]+)% on ([0-9,]+) test images");

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /**
     * 4,000 drifting-spiral examples, before the first drift: with seed 1 the in-memory core
     * reaches about 83% over its last 1,000 examples and 62% over all; chance is 33%.
     */
    @Test
    void shouldLearnTheDriftingSpiralsThroughKafka() {
        int code = run("demo", "--count", "4000", "--rate", "0", "--seed", "1");

        assertEquals(0, code, err() + out());
        assertTrue(out().contains("examples:      4,000 sent, 4,000 predicted"), out());
        Matcher accuracy = ACCURACY.matcher(out());
        assertTrue(accuracy.find(), out());
        assertTrue(Double.parseDouble(accuracy.group(1)) > 70, "recent accuracy " + accuracy.group(1));
        assertEquals("1,000", accuracy.group(2));
        assertTrue(Double.parseDouble(accuracy.group(3)) > 50, "overall accuracy " + accuracy.group(3));
        assertTrue(out().contains("updates:       249 "), "4,000 examples in batches of 16; the last one is"
                + " predicted before the 250th update\n" + out());
        assertTrue(out().contains("dead letters:  0\n"), out());
        assertTrue(out().contains("Model 'spirals': [2, 32, 32, 3] network"), out());
        assertTrue(out().contains("Stopped; "), out());
    }

    /** The Fashion-MNIST path on small synthetic IDX files: 4x4 images whose bright pixel is the class. */
    @Test
    void shouldTrainOnIdxImagesThenMeasureTheTestImagesAsQueries() throws IOException {
        SyntheticIdx.write(dir, "train", 3000, 11);
        SyntheticIdx.write(dir, "t10k", 300, 12);

        int code = run("demo", "--data", "fashion-mnist", "--data-dir", dir.toString());

        assertEquals(0, code, err() + out());
        assertTrue(out().contains("Model 'fashion-mnist': [16, 256, 10] network"), out());
        assertTrue(out().contains("examples:      3,000 sent, 3,000 predicted"), out());
        Matcher test = TEST_ACCURACY.matcher(out());
        assertTrue(test.find(), out());
        assertEquals("300", test.group(2));
        assertTrue(Double.parseDouble(test.group(1)) > 90, "test accuracy " + test.group(1));
    }

    /**
     * The real Fashion-MNIST from Debian's dataset-fashion-mnist: the first 2,000 training images,
     * then the first 500 test images (copied into IDX files of their own, to keep the test short).
     * ops/test, which CI runs, installs the package when it is missing.
     */
    @Test
    void shouldLearnFashionMnistFromTheDebianPackage() throws IOException {
        Path debian = FashionMnist.DEBIAN_DIR;
        assumeTrue(Files.isDirectory(debian), "Debian's dataset-fashion-mnist is not installed (no " + debian
                + "); ./ops/test installs it");
        copyIdx(debian.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-images-idx3-ubyte"), 2000);
        copyIdx(debian.resolve("train-labels-idx1-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte"), 2000);
        copyIdx(debian.resolve("t10k-images-idx3-ubyte.gz"), dir.resolve("t10k-images-idx3-ubyte"), 500);
        copyIdx(debian.resolve("t10k-labels-idx1-ubyte.gz"), dir.resolve("t10k-labels-idx1-ubyte"), 500);

        int code = run("demo", "--data", "fashion-mnist", "--data-dir", dir.toString());

        assertEquals(0, code, err() + out());
        assertTrue(out().contains("Model 'fashion-mnist': [784, 256, 10] network"), out());
        Matcher test = TEST_ACCURACY.matcher(out());
        assertTrue(test.find(), out());
        assertEquals("500", test.group(2));
        assertTrue(Double.parseDouble(test.group(1)) > 60, "test accuracy " + test.group(1) + " (chance: 10)");
    }

    @Test
    void shouldRefuseUnknownDataAndExplainMissingFiles() {
        assertEquals(2, run("demo", "--data", "mnist"));
        assertTrue(err().contains("--data knows only fashion-mnist, got 'mnist'"), err());
        assertEquals(2, run("demo", "--data-dir", dir.toString()));
        assertTrue(err().contains("--data-dir goes with --data fashion-mnist"), err());

        assertEquals(1, run("demo", "--data", "fashion-mnist", "--data-dir", dir.toString()));
        assertTrue(err().contains("no train-images-idx3-ubyte[.gz] in " + dir + "; install Debian's"
                + " dataset-fashion-mnist package"), err());
    }

    /** Copies the header (with the count changed) and the first {@code count} items of a gzipped IDX file. */
    private static void copyIdx(Path from, Path to, int count) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(from)));
             DataOutputStream out = new DataOutputStream(Files.newOutputStream(to))) {
            int magic = in.readInt();
            int dimensions = magic & 0xff;
            in.readInt();
            out.writeInt(magic);
            out.writeInt(count);
            int itemSize = 1;
            for (int d = 1; d < dimensions; d++) {
                int size = in.readInt();
                out.writeInt(size);
                itemSize *= size;
            }
            byte[] items = new byte[count * itemSize];
            in.readFully(items);
            out.write(items);
        }
    }

    private int run(String... args) {
        return new Streamprop().run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
