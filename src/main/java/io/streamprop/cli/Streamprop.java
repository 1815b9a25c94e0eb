package io.streamprop.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code streamprop} command-line tool: dispatches to its subcommands. */
public final class Streamprop {
    private final Map<String, Command> commands = new LinkedHashMap<>();

    Streamprop() {
        for (Command c : List.of(new RunCommand(), new CreateTopicsCommand(), new DemoCommand(),
                new BenchCommand(), new ProduceCommand())) {
            commands.put(c.name(), c);
        }
    }

    public static void main(String[] args) {
        int code = new Streamprop().run(Arrays.asList(args), System.out, System.err);
        System.exit(code);
    }

    /** Runs the tool; returns the exit code. */
    int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("help")) {
            out.print(help());
            return args.isEmpty() ? 2 : 0;
        }
        if (args.get(0).equals("--version")) {
            out.println("streamprop " + version());
            return 0;
        }
        Command command = commands.get(args.get(0));
        if (command == null) {
            err.println("streamprop: unknown command '" + args.get(0) + "'");
            err.print(help());
            return 2;
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--help")) {
            out.print(command.usage());
            return 0;
        }
        try {
            return command.run(rest, out, err);
        } catch (UsageException e) {
            err.println("streamprop " + command.name() + ": " + e.getMessage());
            err.print(command.usage());
            return 2;
        } catch (Exception e) {
            err.println("streamprop " + command.name() + " failed: " + e);
            return 1;
        }
    }

    String help() {
        StringBuilder text = new StringBuilder("Usage: streamprop COMMAND [OPTIONS]\n\n"
                + "Trains neural networks online from Kafka topics.\n\nCommands:\n");
        commands.values().forEach(c -> text.append(String.format("  %-8s %s%n", c.name(), c.summary())));
        text.append("\nRun 'streamprop COMMAND --help' for a command's options.\n");
        return text.toString();
    }

    static String version() {
        return io.streamprop.StreampropVersion.current();
    }
}
