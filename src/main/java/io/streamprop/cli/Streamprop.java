package io.streamprop.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code streamprop} command-line tool: dispatches to its commands, descending into a
 * command group ({@code topics}, {@code models}, {@code snapshot}) by the next argument.
 *
 * <p>Exit codes: 0 on success; 2 for wrong arguments or invalid input; 1 when the work failed
 * (the cluster did not answer, a model does not exist, ...); some commands add their own.
 */
public final class Streamprop {
    private final Map<String, Command> commands = new LinkedHashMap<>();

    Streamprop() {
        List<Command> all = List.of(
                new RunCommand(),
                new BrokerCommand(),
                new CommandGroup("topics", "manage Streamprop's topics on a cluster", List.of(
                        new CreateTopicsCommand())),
                new CommandGroup("models", "create, change and inspect models", List.of(
                        new ModelsPutCommand(), new ModelsListCommand(), new ModelsShowCommand())),
                new ProduceCommand(),
                new TailCommand(),
                new CommandGroup("snapshot", "take a model out of a cluster, or warm-start one from a file",
                        List.of(new SnapshotExportCommand(), new SnapshotImportCommand())),
                new DemoCommand(),
                new BenchCommand(),
                new EvalCommand());
        all.forEach(c -> commands.put(c.name(), c));
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
        String path = command.name();
        List<String> rest = args.subList(1, args.size());
        while (command instanceof CommandGroup group && !rest.isEmpty()) {
            Optional<Command> subcommand = group.subcommand(rest.get(0));
            if (subcommand.isEmpty()) {
                break;
            }
            command = subcommand.get();
            path += " " + command.name();
            rest = rest.subList(1, rest.size());
        }
        if (rest.contains("--help")) {
            out.print(command.usage());
            return 0;
        }
        try {
            return command.run(rest, out, err);
        } catch (UsageException e) {
            err.println("streamprop " + path + ": " + e.getMessage());
            err.print(command.usage());
            return 2;
        } catch (CommandFailure e) {
            err.println("streamprop " + path + ": " + e.getMessage());
            return e.exitCode();
        } catch (Exception e) {
            err.println("streamprop " + path + " failed: " + e);
            return 1;
        }
    }

    String help() {
        List<String[]> rows = new ArrayList<>();
        for (Command c : commands.values()) {
            if (c instanceof CommandGroup group) {
                group.subcommands().forEach(s -> rows.add(new String[] {c.name() + " " + s.name(), s.summary()}));
            } else {
                rows.add(new String[] {c.name(), c.summary()});
            }
        }
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        StringBuilder text = new StringBuilder("Usage: streamprop COMMAND [OPTIONS]\n\n"
                + "Trains neural networks online from Kafka topics.\n\nCommands:\n");
        rows.forEach(r -> text.append(String.format("  %-" + width + "s  %s%n", r[0], r[1])));
        text.append("\nRun 'streamprop COMMAND --help' for a command's options.\n");
        return text.toString();
    }

    static String version() {
        return io.streamprop.StreampropVersion.current();
    }
}
