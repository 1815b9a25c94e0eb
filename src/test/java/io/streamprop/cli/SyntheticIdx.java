package io.streamprop.cli;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Small IDX files in Fashion-MNIST's layout for tests: 10 classes of 4x4 images, dim noise with
 * one bright pixel at the class's position, so that a model can learn them in a few thousand
 * examples.
 */
final class SyntheticIdx {
    private SyntheticIdx() {
    }

    /**
     * Writes {@code PREFIX-images-idx3-ubyte.gz} and {@code PREFIX-labels-idx1-ubyte.gz} ("train"
     * or "t10k") of {@code count} images into {@code dir}; returns their labels in order.
     */
    static int[] write(Path dir, String prefix, int count, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        int[] labels = new int[count];
        try (DataOutputStream images = gzip(dir.resolve(prefix + "-images-idx3-ubyte.gz"))) {
            images.writeInt(0x0803);
            images.writeInt(count);
            images.writeInt(4);
            images.writeInt(4);
            for (int i = 0; i < count; i++) {
                labels[i] = random.nextInt(10);
                for (int p = 0; p < 16; p++) {
                    images.writeByte(p == labels[i] ? 200 + random.nextInt(56) : random.nextInt(60));
                }
            }
        }
        try (DataOutputStream out = gzip(dir.resolve(prefix + "-labels-idx1-ubyte.gz"))) {
            out.writeInt(0x0801);
            out.writeInt(count);
            for (int label : labels) {
                out.writeByte(label);
            }
        }
        return labels;
    }

    private static DataOutputStream gzip(Path file) throws IOException {
        OutputStream raw = Files.newOutputStream(file);
        return new DataOutputStream(new GZIPOutputStream(raw));
    }
}
