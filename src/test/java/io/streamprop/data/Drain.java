package io.streamprop.data;

import io.streamprop.serde.ParsedExample;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Everything a source gives: its examples and what it skipped. */
record Drain(List<ParsedExample> examples, List<Skipped> skipped) {
    static Drain of(ExampleSource source) throws IOException {
        List<ParsedExample> examples = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        try (source) {
            ParsedExample example;
            while ((example = source.next(skipped::add)) != null) {
                examples.add(example);
            }
        }
        return new Drain(examples, skipped);
    }
}
