package io.streamprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class StreampropCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new Streamprop().run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldRunTheCoreBenchmarkBriefly() {
        int code = run("bench", "core", "--warmup", "0.05", "--seconds", "0.1", "--no-numpy");

        assertEquals(0, code, err());
        Matcher row = Pattern.compile("(?m)^784-256-10 .*?\\s+(\\d+)\\s+(\\d+)\\s+([0-9.]+)\\s+([0-9.]+)")
                .matcher(out());
        assertTrue(row.find(), out());
        assertTrue(Long.parseLong(row.group(1)) > 0 && Double.parseDouble(row.group(4)) > 0, row.group());
    }

    @Test
    void shouldRunTheEndToEndBenchmarkBrieflyOnABrokerProcess() {
        int code = run("bench", "e2e", "--only", "20", "--scale", "0.02", "--latency-seconds", "0.5");

        assertEquals(0, code, err());
        // learner/s passthru/s core/s, of pass, of core, bound/pt, latency@/s, p50 ms, p99 ms
        Matcher row = Pattern.compile("(?m)^20-64-64-2, batch 32\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+([0-9.]+)"
                + "\\s+([0-9.]+)\\s+([0-9.]+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)").matcher(out());
        assertTrue(row.find(), out());
        long learner = Long.parseLong(row.group(1));
        long passThrough = Long.parseLong(row.group(2));
        long core = Long.parseLong(row.group(3));
        assertTrue(learner > 0 && passThrough > 0 && core > 0, row.group());
        assertEquals((double) learner / passThrough, Double.parseDouble(row.group(4)), 0.006, row.group());
        double bound = 1 / (1.0 / core + 1.0 / passThrough) / passThrough;
        assertEquals(bound, Double.parseDouble(row.group(6)), 0.006, row.group());
        assertTrue(Long.parseLong(row.group(8)) <= Long.parseLong(row.group(9)), "p50 <= p99: " + row.group());
        assertTrue(out().contains("learner") && out().contains("over the second half (by tenth: "), out());
    }

    @Test
    void shouldExplainUsageMistakesWithExitCode2() {
        assertEquals(2, run("fly"));
        assertTrue(err().contains("unknown command 'fly'"), err());

        assertEquals(2, run("demo", "--count", "many"));
        assertTrue(err().contains("--count expects a whole number, got 'many'"), err());

        assertEquals(2, run("bench", "gpu"));
        assertTrue(err().contains("expected 'core'"), err());
    }

    @Test
    void shouldPrintHelpForTheToolAndEachCommand() {
        assertEquals(0, run("--help"));
        assertTrue(out().contains("demo") && out().contains("bench"), out());

        assertEquals(0, run("demo", "--help"));
        assertTrue(out().contains("Usage: streamprop demo"), out());
    }

    @Test
    void shouldListTheSubcommandsOfEachGroup() {
        assertEquals(0, run("--help"));
        for (String command : List.of("run", "broker", "topics create", "models put", "models list", "models show",
                "produce", "tail", "snapshot export", "snapshot import", "demo", "bench")) {
            assertTrue(out().contains("\n  " + command + " "), command + " in\n" + out());
        }
        out.reset();

        assertEquals(0, run("models", "--help"));
        assertTrue(out().startsWith("Usage: streamprop models SUBCOMMAND [OPTIONS]\n\nCreate, change and inspect models."
                + "\n\nSubcommands:\n  put   "), out());
        assertTrue(out().contains("\n  list  ") && out().contains("\n  show  "), out());
        out.reset();

        assertEquals(0, run("models", "put", "--help"));
        assertTrue(out().startsWith("Usage: streamprop models put ID (--spec FILE | --json '{...}')"), out());
    }

    @Test
    void shouldRefuseAGroupWithoutAKnownSubcommand() {
        assertEquals(2, run("topics"));
        assertTrue(err().startsWith("streamprop topics: expected a subcommand: create\nUsage: streamprop topics"),
                err());
        err.reset();

        assertEquals(2, run("models", "delete", "m"));
        assertTrue(err().contains("streamprop models: unknown subcommand 'delete', expected one of: put, list, show"),
                err());
        err.reset();

        assertEquals(2, run("create-topics"));
        assertTrue(err().startsWith("streamprop: unknown command 'create-topics'"), err());
    }
}
