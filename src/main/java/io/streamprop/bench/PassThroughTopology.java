package io.streamprop.bench;

import io.streamprop.serde.BadRecordException;
import io.streamprop.serde.ExampleParser;
import io.streamprop.serde.ParsedExample;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The benchmark's yardstick: a Kafka Streams application that parses each example's JSON, as
 * the learner does, and writes one small JSON record per input, without any model.
 */
final class PassThroughTopology {
    private PassThroughTopology() {
    }

    static Topology build(String input, String output, int maxFeatures) {
        Topology topology = new Topology();
        topology.addSource("source", Serdes.Bytes().deserializer(), Serdes.ByteArray().deserializer(), input);
        topology.addProcessor("parse", () -> new Processor<Bytes, byte[], Bytes, byte[]>() {
            private final ExampleParser parser = new ExampleParser(maxFeatures);
            private ProcessorContext<Bytes, byte[]> context;

            @Override
            public void init(ProcessorContext<Bytes, byte[]> context) {
                this.context = context;
            }

            @Override
            public void process(Record<Bytes, byte[]> record) {
                String value;
                try {
                    ParsedExample e = parser.parse(record.value());
                    value = "{\"id\":\"" + e.id() + "\",\"features\":" + e.features().length + "}";
                } catch (BadRecordException e) {
                    value = "{\"error\":\"" + e.rejection().code() + "\"}";
                }
                context.forward(record.withValue(value.getBytes(StandardCharsets.UTF_8)));
            }
        }, "source");
        topology.addSink("sink", output, Serdes.Bytes().serializer(), Serdes.ByteArray().serializer(), "parse");
        return topology;
    }
}
