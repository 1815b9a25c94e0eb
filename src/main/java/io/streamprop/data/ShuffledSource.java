package io.streamprop.data;

import io.streamprop.serde.ParsedExample;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Another source's examples in a seeded random order. The first call to {@link #next} reads the
 * whole source into memory (reporting its bad records then), so it suits finite sources only.
 */
public final class ShuffledSource implements ExampleSource {
    private final ExampleSource source;
    private final long seed;
    private List<ParsedExample> examples;
    private int position;

    public ShuffledSource(ExampleSource source, long seed) {
        this.source = source;
        this.seed = seed;
    }

    @Override
    public ParsedExample next(Consumer<Skipped> skipped) throws IOException {
        if (examples == null) {
            examples = new ArrayList<>();
            ParsedExample example;
            while ((example = source.next(skipped)) != null) {
                examples.add(example);
            }
            Collections.shuffle(examples, new Random(seed));
        }
        if (position == examples.size()) {
            return null;
        }
        ParsedExample example = examples.get(position);
        examples.set(position++, null);
        return example;
    }

    @Override
    public long size() {
        return source.size();
    }

    @Override
    public String description() {
        return source.description() + ", shuffled with seed " + seed;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
