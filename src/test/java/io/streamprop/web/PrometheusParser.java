package io.streamprop.web;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of Prometheus' text format 0.0.4, for tests: every line must be a HELP, a
 * TYPE or a sample; a family's HELP and TYPE come once, before its samples, and its samples are
 * not split by another family; names and labels follow the format's grammar.
 */
public final class PrometheusParser {
    private static final Pattern HELP = Pattern.compile("# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|untyped)");
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{" + LABEL + "(?:," + LABEL
            + ")*\\})? (NaN|[+-]Inf|[-+]?[0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)");

    private PrometheusParser() {
    }

    /** The samples, by {@code name{labels}} as written, with their values; throws on a bad line. */
    public static Map<String, Double> parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Set<String> closed = new HashSet<>();
        String current = null;
        boolean typed = false;
        for (String line : text.split("\n")) {
            Matcher help = HELP.matcher(line);
            Matcher type = TYPE.matcher(line);
            Matcher sample = SAMPLE.matcher(line);
            if (help.matches()) {
                current = open(current, help.group(1), closed);
                typed = false;
            } else if (type.matches()) {
                if (!type.group(1).equals(current) || typed) {
                    throw new AssertionError("TYPE out of place: " + line);
                }
                typed = true;
            } else if (sample.matches()) {
                if (!sample.group(1).equals(current) || !typed) {
                    throw new AssertionError("sample outside its family " + current + ": " + line);
                }
                String key = sample.group(1) + (sample.group(2) == null ? "" : sample.group(2));
                if (samples.put(key, value(sample.group(3))) != null) {
                    throw new AssertionError("repeated sample " + key);
                }
            } else {
                throw new AssertionError("not a line of the text format: '" + line + "'");
            }
        }
        return samples;
    }

    private static String open(String current, String next, Set<String> closed) {
        if (current != null) {
            closed.add(current);
        }
        if (!closed.add(next)) {
            throw new AssertionError("family " + next + " comes twice");
        }
        return next;
    }

    private static double value(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
