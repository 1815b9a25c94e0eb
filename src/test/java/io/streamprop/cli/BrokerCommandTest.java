package io.streamprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamprop.testkit.KafkaCluster;
import io.streamprop.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code streamprop broker}: a second broker in the test JVM, beside the shared one. */
@ExtendWith(KafkaCluster.class)
class BrokerCommandTest {
    private static final Pattern READY = Pattern.compile("^Kafka broker ready at (127\\.0\\.0\\.1:\\d+)\n");

    @Test
    void shouldStartABrokerWithTheTopicsAndStopItCleanly(@TempDir Path dataDir) throws Exception {
        BrokerCommand command = new BrokerCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> {
            try {
                return command.run(List.of("--port", "0", "--create-topics", "--data-dir", dataDir.toString()), print);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!out.toString(StandardCharsets.UTF_8).contains("Stop it with Ctrl-C.") && !running.isDone()
                && System.nanoTime() < giveUp) {
            Thread.sleep(100);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        Matcher ready = READY.matcher(printed);
        assertTrue(ready.find(), printed);
        assertTrue(printed.contains("  topics: " + Topics.all().size() + " created, 0 already present"), printed);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ready.group(1)))) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertTrue(topics.containsAll(Topics.names(Topics.all())), topics.toString());
        }
        command.stop();

        assertEquals(0, running.get(60, TimeUnit.SECONDS));
        assertTrue(Files.exists(dataDir.resolve("meta.properties")), "a given data directory is kept");
    }

    @Test
    void shouldRefuseAPortInUseOrOutOfRange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CliFixture.Result inUse = CliFixture.run("broker", "--port", String.valueOf(taken.getLocalPort()));

            assertEquals(1, inUse.code(), inUse.toString());
            assertTrue(inUse.err().startsWith("streamprop broker: port " + taken.getLocalPort()
                    + " on 127.0.0.1 is in use"), inUse.err());
            assertTrue(inUse.err().endsWith("choose another with --port N, or --port 0 for a free one\n"), inUse.err());
        }
        CliFixture.Result outOfRange = CliFixture.run("broker", "--port", "70000");
        CliFixture.Result notANumber = CliFixture.run("broker", "--port", "ninety");

        assertEquals(2, outOfRange.code());
        assertTrue(outOfRange.err().startsWith("streamprop broker: --port must be from 0 to 65535, got 70000"),
                outOfRange.err());
        assertEquals(2, notANumber.code());
        assertTrue(notANumber.err().startsWith("streamprop broker: --port expects a whole number, got 'ninety'"),
                notANumber.err());
    }
}
