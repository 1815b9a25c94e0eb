package io.streamprop.data;

import io.streamprop.serde.ParsedExample;
import java.util.function.Consumer;

/** The first {@code count} examples of a generator; the ids are their positions, from 0. */
public final class GeneratedSource implements ExampleSource {
    private final ExampleGenerator generator;
    private final long count;
    private long produced;

    public GeneratedSource(ExampleGenerator generator, long count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        this.generator = generator;
        this.count = count;
    }

    @Override
    public ParsedExample next(Consumer<Skipped> skipped) {
        if (produced == count) {
            return null;
        }
        double[] x = new double[generator.inputs()];
        int label = generator.next(x);
        return new ParsedExample(String.valueOf(produced++), x, ParsedExample.Label.of(label));
    }

    @Override
    public long size() {
        return count;
    }

    @Override
    public String description() {
        return generator.description();
    }
}
