package io.streamprop.cli;

import java.io.PrintStream;
import java.util.List;

/** One subcommand of the {@code streamprop} tool. */
interface Command {
    String name();

    /** One line for the tool's help. */
    String summary();

    /** The full help of this subcommand. */
    String usage();

    /**
     * Runs the subcommand.
     *
     * @return the process exit code: 0 on success
     * @throws UsageException when the arguments are wrong; the tool prints the message and usage
     */
    int run(List<String> args, PrintStream out) throws Exception;

    /**
     * Runs the subcommand with an error stream for progress and problems; by default the
     * command has no use for it.
     */
    default int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        return run(args, out);
    }
}
