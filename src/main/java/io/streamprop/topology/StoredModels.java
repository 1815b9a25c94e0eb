package io.streamprop.topology;

import io.streamprop.serde.BadRecordException;
import io.streamprop.serde.ExampleParser;
import io.streamprop.serde.ParsedExample;
import io.streamprop.serde.Rejection;
import io.streamprop.stats.LearningCurve;
import io.streamprop.stats.LearningStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models held by this instance's learner tasks, read from their state stores with Kafka
 * Streams' interactive queries. A model is rebuilt as the learner has it, from its checkpoint
 * and its training log up to the last training step (the examples pending after it change no
 * weight), examples logged by reference read back from the examples topic. It is kept for the
 * next query: as long as the checkpoint stays the same, the next query replays only the steps
 * logged since.
 *
 * <p>Methods that take a partition read that partition's stores, which must be active here
 * (see {@link KafkaStreams#queryMetadataForKey}); they throw {@link InvalidStateStoreException}
 * while the stores are not queryable, during a rebalance for instance. Thread-safe.
 */
public final class StoredModels implements AutoCloseable {
    /** Models kept rebuilt between queries, least recently used dropped first. */
    static final int MAX_CACHED = 16;
    private static final Logger log = LoggerFactory.getLogger(StoredModels.class);
    /** Reads of a model's stores before giving up, when checkpoints keep changing them. */
    private static final int MAX_ATTEMPTS = 100;
    /** Longest pause between two reads, in milliseconds; the n-th pause is n ms up to this. */
    private static final int MAX_PAUSE_MS = 10;

    private final KafkaStreams streams;
    private final StreampropConfig config;
    private final LearningStats stats;
    private final ExampleParser parser;
    private final ExampleFetcher fetcher;
    private final Map<String, Rebuilt> cache = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Rebuilt> eldest) {
            return size() > MAX_CACHED;
        }
    };

    /** A model's state as a query sees it. */
    public record ModelView(String id, ModelSpec spec, long version, long examplesSeen, int pendingExamples,
                            long parameters) {
    }

    /**
     * A prediction of one query.
     *
     * @param predictedClass the class of a classifier's output, as in prediction records; -1
     *                       for other models
     */
    public record Prediction(String model, long version, double[] output, int predictedClass) {
    }

    /**
     * @param clientId the client id of the consumer that reads logged examples back, unique in
     *                 the cluster's view of this application
     */
    public StoredModels(KafkaStreams streams, StreampropConfig config, LearningStats stats, String clientId) {
        this.streams = Objects.requireNonNull(streams, "streams can't be null");
        this.config = config;
        this.stats = stats;
        this.parser = new ExampleParser(config.maxFeatures());
        Map<String, Object> appConfigs = new java.util.HashMap<>();
        config.streamsProperties().forEach((k, v) -> appConfigs.put(String.valueOf(k), v));
        this.fetcher = new SharedFetcher(new KafkaExampleFetcher(appConfigs, clientId, false));
    }

    /** The store whose key is the model id, for {@link KafkaStreams#queryMetadataForKey}. */
    public static String keyedStore() {
        return LearnerTopology.WEIGHTS_STORE;
    }

    /** The message of an unknown model, the same as its dead letters'. */
    public String unknownModelMessage(String modelId) {
        return "no model '" + modelId + "': produce its spec to " + config.modelsTopic() + " first";
    }

    /** Ids of the models in the stores of all active tasks here, sorted. */
    public List<String> localModelIds() {
        // the metadata store has a small entry per model, beside each checkpoint
        ReadOnlyKeyValueStore<String, byte[]> metas = streams.store(
                StoreQueryParameters.fromNameAndType(LearnerTopology.META_STORE, QueryableStoreTypes.keyValueStore()));
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all = metas.all()) {
            all.forEachRemaining(kv -> ids.add(kv.key));
        }
        ids.sort(null);
        return ids;
    }

    public Optional<ModelView> view(String modelId, int partition) {
        return withModel(modelId, partition, r -> new ModelView(r.lm.id, r.lm.spec, r.lm.model.updatesApplied(),
                r.lm.model.examplesSeen(), r.pending, r.lm.model.parameterCount()));
    }

    /**
     * Predicts the query in {@code body}, {@code {"features": [...]}}, with the model as it is
     * now. Bad queries raise the same reasons and messages as they would as dead letters.
     */
    public Optional<Prediction> predict(String modelId, int partition, byte[] body) throws BadRecordException {
        ParsedExample query = parser.parse(body);
        double[] features = query.features();
        Optional<Outcome> outcome = withModel(modelId, partition, r -> {
            LiveModel lm = r.lm;
            int inputs = lm.model.spec().inputs();
            if (features.length != inputs) {
                return new Outcome(null, inputs);
            }
            double[] output = new double[lm.model.spec().outputs()];
            lm.model.predict(features, output);
            return new Outcome(new Prediction(lm.id, lm.model.updatesApplied(), output,
                    OutputRecords.predictedClass(lm.model.spec(), output)), inputs);
        });
        if (outcome.isPresent() && outcome.get().prediction() == null) {
            throw new BadRecordException(Rejection.WRONG_FEATURE_COUNT, "features has " + features.length
                    + " values, model '" + modelId + "' expects " + outcome.get().inputs());
        }
        return outcome.map(Outcome::prediction);
    }

    private record Outcome(Prediction prediction, int inputs) {
    }

    /** The model's learning curve as its learner last stored it. */
    public Optional<LearningCurve> curve(String modelId, int partition) {
        byte[] stored = store(LearnerTopology.CURVES_STORE, partition).get(modelId);
        return Optional.ofNullable(stored).map(LearningCurve::decode);
    }

    /**
     * Applies {@code use}, under the model's lock, to the model rebuilt from a consistent read of
     * its stores: checkpoint and training log not torn apart by a checkpoint written at the same
     * time. Returns empty for an unknown model.
     */
    private <T> Optional<T> withModel(String modelId, int partition, Function<Rebuilt, T> use) {
        ReadOnlyKeyValueStore<String, byte[]> weights = store(LearnerTopology.WEIGHTS_STORE, partition);
        ReadOnlyKeyValueStore<String, byte[]> metas = store(LearnerTopology.META_STORE, partition);
        ReadOnlyKeyValueStore<String, byte[]> log = store(LearnerTopology.LOG_STORE, partition);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long before = stats.checkpointStamp(modelId);
            if (before != -1) {
                byte[] state = weights.get(modelId);
                byte[] meta = metas.get(modelId);
                List<byte[]> entries = logOf(log, modelId);
                if (entries != null && stats.checkpointStamp(modelId) == before) {
                    if (state == null) {
                        return Optional.empty();
                    }
                    Rebuilt rebuilt = cached(modelId);
                    synchronized (rebuilt) {
                        rebuilt.catchUp(state, meta, entries, fetcher, parser, config.examplesTopic());
                        return Optional.of(use.apply(rebuilt));
                    }
                }
            }
            pause(attempt);
        }
        throw new InvalidStateStoreException("the stores of model '" + modelId + "' kept changing under "
                + MAX_ATTEMPTS + " reads; try again");
    }

    /** Waits a little longer at each attempt, so that a checkpoint being written can finish. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(MAX_PAUSE_MS, attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidStateStoreException("interrupted while reading the stores");
        }
    }

    /** The model's training log, or null when its entries are not numbered 0, 1, 2, ... (being deleted). */
    private static List<byte[]> logOf(ReadOnlyKeyValueStore<String, byte[]> log, String modelId) {
        List<byte[]> entries = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = log.range(TrainingLog.firstKey(modelId),
                TrainingLog.lastKey(modelId))) {
            while (it.hasNext()) {
                var kv = it.next();
                if (!kv.key.equals(TrainingLog.key(modelId, entries.size()))) {
                    return null;
                }
                entries.add(kv.value);
            }
        }
        return entries;
    }

    private Rebuilt cached(String modelId) {
        synchronized (cache) {
            return cache.computeIfAbsent(modelId, Rebuilt::new);
        }
    }

    private ReadOnlyKeyValueStore<String, byte[]> store(String name, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, byte[]>keyValueStore())
                .withPartition(partition));
    }

    @Override
    public void close() {
        fetcher.close();
    }

    /**
     * A model rebuilt from a checkpoint and the log entries replayed on it so far, which always
     * end with a step: those entries are never rewritten until the next checkpoint, unlike the
     * open chunk of references after the last step.
     */
    private static final class Rebuilt {
        private final String id;
        private byte[] state;
        private byte[] meta;
        private final List<byte[]> replayed = new ArrayList<>();
        private LiveModel lm;
        /** Examples in the log after its last step. */
        private int pending;

        Rebuilt(String id) {
            this.id = id;
        }

        /** Brings the model to this checkpoint and log, replaying only what is new if it can. */
        void catchUp(byte[] newState, byte[] newMeta, List<byte[]> entries, ExampleFetcher fetcher,
                     ExampleParser parser, String examplesTopic) {
            int settled = entries.size();
            while (settled > 0 && TrainingLog.kind(entries.get(settled - 1)) != TrainingLog.STEP) {
                settled--;
            }
            pending = ModelRebuild.examplesIn(entries.subList(settled, entries.size()));
            List<byte[]> steps = entries.subList(0, settled);
            if (!continues(newState, newMeta, steps)) {
                lm = ModelRebuild.fromCheckpoint(id, newState, newMeta);
                state = newState;
                meta = newMeta;
                replayed.clear();
            }
            List<byte[]> fresh = steps.subList(replayed.size(), steps.size());
            if (fresh.isEmpty()) {
                return;
            }
            ModelRebuild.Replayed r = ModelRebuild.replay(lm, fresh, fetcher, parser, examplesTopic);
            if (r.lost() > 0) {
                log.warn("Model '{}' rebuilt for queries without {} logged examples that {} no longer holds",
                        id, r.lost(), examplesTopic);
            }
            replayed.addAll(fresh);
        }

        private boolean continues(byte[] newState, byte[] newMeta, List<byte[]> entries) {
            if (lm == null || !Arrays.equals(state, newState) || !Arrays.equals(meta, newMeta)
                    || entries.size() < replayed.size()) {
                return false;
            }
            for (int i = 0; i < replayed.size(); i++) {
                if (!Arrays.equals(replayed.get(i), entries.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A fetcher that the query threads take turns with: a consumer serves one thread at a time. */
    private static final class SharedFetcher implements ExampleFetcher {
        private final ExampleFetcher fetcher;

        SharedFetcher(ExampleFetcher fetcher) {
            this.fetcher = fetcher;
        }

        @Override
        public synchronized Map<Long, byte[]> fetch(org.apache.kafka.common.TopicPartition partition,
                                                    java.util.SortedSet<Long> offsets) {
            return fetcher.fetch(partition, offsets);
        }

        @Override
        public synchronized void close() {
            fetcher.close();
        }
    }
}
