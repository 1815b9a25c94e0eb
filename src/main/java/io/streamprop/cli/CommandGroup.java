package io.streamprop.cli;

import java.io.PrintStream;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command made of subcommands, such as {@code topics create}: the dispatcher descends into
 * the subcommand named by the next argument; on its own, the group only explains itself.
 */
final class CommandGroup implements Command {
    private final String name;
    private final String summary;
    private final Map<String, Command> subcommands = new LinkedHashMap<>();

    CommandGroup(String name, String summary, List<Command> subcommands) {
        this.name = name;
        this.summary = summary;
        subcommands.forEach(c -> this.subcommands.put(c.name(), c));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String summary() {
        return summary;
    }

    Collection<Command> subcommands() {
        return subcommands.values();
    }

    Optional<Command> subcommand(String subcommandName) {
        return Optional.ofNullable(subcommands.get(subcommandName));
    }

    @Override
    public String usage() {
        StringBuilder text = new StringBuilder("Usage: streamprop " + name + " SUBCOMMAND [OPTIONS]\n\n"
                + capitalised(summary) + ".\n\nSubcommands:\n");
        int width = subcommands.keySet().stream().mapToInt(String::length).max().orElse(0);
        subcommands.values().forEach(c -> text.append(String.format("  %-" + width + "s  %s%n", c.name(),
                c.summary())));
        text.append("\nRun 'streamprop ").append(name).append(" SUBCOMMAND --help' for a subcommand's options.\n");
        return text.toString();
    }

    /** Reached only without a known subcommand: the dispatcher runs known ones directly. */
    @Override
    public int run(List<String> args, PrintStream out) throws UsageException {
        String expected = String.join(", ", subcommands.keySet());
        if (args.isEmpty()) {
            throw new UsageException("expected a subcommand: " + expected);
        }
        throw new UsageException("unknown subcommand '" + args.get(0) + "', expected one of: " + expected);
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
