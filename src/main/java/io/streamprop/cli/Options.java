package io.streamprop.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parsed {@code --name value} options and positional arguments, checked against known names. */
final class Options {
    /** Where option descriptions start in usage texts. */
    private static final int HELP_COLUMN = 33;

    private final Map<String, String> values = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    /**
     * @param valued options that take a value
     * @param flags options that take none
     */
    static Options parse(List<String> args, Set<String> valued, Set<String> flags) throws UsageException {
        Options options = new Options();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                options.positional.add(arg);
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name) && value == null) {
                options.values.put(name, "true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                options.values.put(name, value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return options;
    }

    /**
     * One option's line in a usage text, descriptions aligned; a description with line breaks
     * continues under itself.
     */
    static String help(String option, String description) {
        String indent = " ".repeat(HELP_COLUMN);
        return String.format("  %-" + (HELP_COLUMN - 4) + "s  %s%n", option, description.replace("\n", "\n" + indent));
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The value of an option that was given; check with {@link #has} first. */
    String text(String name) {
        return values.get(name);
    }

    List<String> positional() {
        return positional;
    }

    /**
     * The positional arguments, which must be exactly as many as {@code names}, the names under
     * which the usage shows them.
     */
    List<String> expectPositional(String... names) throws UsageException {
        if (positional.size() < names.length) {
            throw new UsageException("expected " + String.join(" ", names) + "; missing "
                    + String.join(" ", List.of(names).subList(positional.size(), names.length)));
        }
        if (positional.size() > names.length) {
            throw new UsageException("unexpected argument '" + positional.get(names.length) + "'");
        }
        return positional;
    }

    long longValue(String name, long fallback, long min) throws UsageException {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed < min) {
                throw new UsageException("--" + name + " must be at least " + min + ", got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a whole number, got '" + value + "'");
        }
    }

    double doubleValue(String name, double fallback) throws UsageException {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            double parsed = Double.parseDouble(value);
            if (!(parsed > 0) || Double.isInfinite(parsed)) {
                throw new UsageException("--" + name + " must be a positive number, got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " expects a number, got '" + value + "'");
        }
    }
}
