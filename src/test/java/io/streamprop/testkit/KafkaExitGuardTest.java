package io.streamprop.testkit;

import java.util.List;

import org.apache.kafka.common.utils.internals.Exit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KafkaExitGuardTest {
    @BeforeAll
    static void installGuard() {
        KafkaExitGuard.install();
    }

    @AfterEach
    void forgetProvokedRequests() {
        KafkaExitGuard.forgetRefusedRequests();
    }

    @Test
    void shouldRefuseKafkaHaltAndRememberIt() {
        KafkaExitGuard.KafkaExitRefusedException refused = assertThrows(
                KafkaExitGuard.KafkaExitRefusedException.class, () -> Exit.halt(1, "fatal fault"));

        String expected = "Kafka asked to halt the JVM with status 1: fatal fault";
        assertEquals(expected, refused.getMessage());
        assertEquals(List.of(expected), KafkaExitGuard.refusedRequests());
    }

    @Test
    void shouldRefuseKafkaExitAndRememberIt() {
        assertThrows(KafkaExitGuard.KafkaExitRefusedException.class, () -> Exit.exit(3, "bad config"));

        assertEquals(List.of("Kafka asked to exit the JVM with status 3: bad config"),
                KafkaExitGuard.refusedRequests());
    }
}
