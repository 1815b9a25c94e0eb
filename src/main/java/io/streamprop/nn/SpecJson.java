package io.streamprop.nn;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads and writes {@link NetworkSpec} JSON. Reading is strict: an unknown field, a value of the
 * wrong type or a duplicated key is refused with the field's path in the message. Fields that
 * are absent take the builder's defaults, except {@code layers}, which is required.
 */
final class SpecJson {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    static final Set<String> FIELDS = Set.of("layers", "hiddenActivation",
            "outputActivation", "loss", "optimizer", "batchSize", "l2", "clipNorm", "init", "seed",
            "standardize", "leakySlope");
    private static final Set<String> OPTIMIZER_FIELDS = Set.of("type", "learningRate", "momentum",
            "beta1", "beta2", "epsilon");

    private SpecJson() {
    }

    static NetworkSpec read(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidSpecException("(document)", "not valid JSON: " + e.getOriginalMessage());
        }
        return fromTree(root);
    }

    static NetworkSpec fromTree(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidSpecException("(document)", "expected a JSON object");
        }
        refuseUnknown(root, FIELDS, "");
        JsonNode layers = root.get("layers");
        if (layers == null) {
            throw new InvalidSpecException("layers", "required, e.g. [3, 2, 1]");
        }
        NetworkSpec.Builder b = NetworkSpec.builder().layers(readLayers(layers));
        readEnum(root, "hiddenActivation", name -> byJsonName(Activation.class, name), b::hiddenActivation);
        readEnum(root, "outputActivation", name -> byJsonName(Activation.class, name), b::outputActivation);
        readEnum(root, "loss", name -> byJsonName(Loss.class, name), b::loss);
        readEnum(root, "init", name -> byJsonName(Initialization.class, name), b::init);
        if (root.has("optimizer")) {
            b.optimizer(readOptimizer(root.get("optimizer")));
        }
        if (root.has("batchSize")) {
            b.batchSize((int) readInteger(root.get("batchSize"), "batchSize", Integer.MAX_VALUE));
        }
        if (root.has("seed")) {
            b.seed(readInteger(root.get("seed"), "seed", Long.MAX_VALUE));
        }
        if (root.has("l2")) {
            b.l2(readNumber(root.get("l2"), "l2"));
        }
        if (root.has("clipNorm")) {
            b.clipNorm(readNumber(root.get("clipNorm"), "clipNorm"));
        }
        if (root.has("leakySlope")) {
            b.leakySlope(readNumber(root.get("leakySlope"), "leakySlope"));
        }
        if (root.has("standardize")) {
            JsonNode v = root.get("standardize");
            if (!v.isBoolean()) {
                throw new InvalidSpecException("standardize", "expected true or false, got " + v);
            }
            b.standardize(v.booleanValue());
        }
        return b.build();
    }

    static String write(NetworkSpec spec) {
        try {
            return MAPPER.writeValueAsString(toTree(spec));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write spec JSON", e);
        }
    }

    static ObjectNode toTree(NetworkSpec spec) {
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode layers = root.putArray("layers");
        spec.layers().forEach(layers::add);
        root.put("hiddenActivation", spec.hiddenActivation().jsonName());
        root.put("outputActivation", spec.outputActivation().jsonName());
        root.put("loss", spec.loss().jsonName());
        OptimizerSpec o = spec.optimizer();
        ObjectNode opt = root.putObject("optimizer");
        opt.put("type", o.type().jsonName());
        opt.put("learningRate", o.learningRate());
        opt.put("momentum", o.momentum());
        opt.put("beta1", o.beta1());
        opt.put("beta2", o.beta2());
        opt.put("epsilon", o.epsilon());
        root.put("batchSize", spec.batchSize());
        root.put("l2", spec.l2());
        root.put("clipNorm", spec.clipNorm());
        root.put("init", spec.init().jsonName());
        root.put("seed", spec.seed());
        root.put("standardize", spec.standardize());
        root.put("leakySlope", spec.leakySlope());
        return root;
    }

    private static OptimizerSpec readOptimizer(JsonNode node) {
        if (!node.isObject()) {
            throw new InvalidSpecException("optimizer",
                    "expected an object such as {\"type\": \"adam\", \"learningRate\": 0.001}, got " + node);
        }
        refuseUnknown(node, OPTIMIZER_FIELDS, "optimizer.");
        JsonNode typeNode = node.get("type");
        if (typeNode == null) {
            throw new InvalidSpecException("optimizer.type", "required: one of sgd, momentum, adam");
        }
        OptimizerType type = parseEnum(typeNode, "optimizer.type", name -> byJsonName(OptimizerType.class, name));
        OptimizerSpec defaults = OptimizerSpec.adam(OptimizerSpec.DEFAULT_LEARNING_RATE);
        return new OptimizerSpec(type,
                optionalNumber(node, "learningRate", defaults.learningRate()),
                optionalNumber(node, "momentum", defaults.momentum()),
                optionalNumber(node, "beta1", defaults.beta1()),
                optionalNumber(node, "beta2", defaults.beta2()),
                optionalNumber(node, "epsilon", defaults.epsilon()));
    }

    private static double optionalNumber(JsonNode node, String field, double fallback) {
        return node.has(field) ? readNumber(node.get(field), "optimizer." + field) : fallback;
    }

    private static List<Integer> readLayers(JsonNode node) {
        if (!node.isArray()) {
            throw new InvalidSpecException("layers", "expected an array of sizes, got " + node);
        }
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            long size = readInteger(node.get(i), "layers[" + i + "]", Integer.MAX_VALUE);
            sizes.add((int) size);
        }
        return sizes;
    }

    private static <E> void readEnum(JsonNode root, String field, Function<String, E> parser,
                                     java.util.function.Consumer<E> sink) {
        if (root.has(field)) {
            sink.accept(parseEnum(root.get(field), field, parser));
        }
    }

    private static <E> E parseEnum(JsonNode node, String field, Function<String, E> parser) {
        E value = node.isTextual() ? parser.apply(node.textValue()) : null;
        if (value == null) {
            throw new InvalidSpecException(field, "unknown value " + node + "; expected one of "
                    + allowedNames(field));
        }
        return value;
    }

    /** The constant whose lower-case name is {@code name}, or null. */
    static <E extends Enum<E>> E byJsonName(Class<E> type, String name) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().toLowerCase(java.util.Locale.ROOT).equals(name)) {
                return constant;
            }
        }
        return null;
    }

    private static String allowedNames(String field) {
        switch (field) {
            case "hiddenActivation":
            case "outputActivation":
                return names(Activation.values(), Activation::jsonName);
            case "loss":
                return names(Loss.values(), Loss::jsonName);
            case "init":
                return names(Initialization.values(), Initialization::jsonName);
            default:
                return names(OptimizerType.values(), OptimizerType::jsonName);
        }
    }

    private static <E> String names(E[] values, Function<E, String> name) {
        List<String> out = new ArrayList<>();
        for (E v : values) {
            out.add(name.apply(v));
        }
        return String.join(", ", out);
    }

    private static long readInteger(JsonNode node, String field, long max) {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong()
                || node.longValue() > max || node.longValue() < -max) {
            throw new InvalidSpecException(field, "expected an integer, got " + node);
        }
        return node.longValue();
    }

    private static double readNumber(JsonNode node, String field) {
        if (node == null || !node.isNumber()) {
            throw new InvalidSpecException(field, "expected a number, got " + node);
        }
        return node.doubleValue();
    }

    private static void refuseUnknown(JsonNode node, Set<String> known, String prefix) {
        Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
        while (it.hasNext()) {
            String name = it.next().getKey();
            if (!known.contains(name)) {
                throw new InvalidSpecException(prefix + name,
                        "unknown field; known fields are " + new java.util.TreeSet<>(known));
            }
        }
    }
}
