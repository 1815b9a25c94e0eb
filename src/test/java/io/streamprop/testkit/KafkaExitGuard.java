package io.streamprop.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.common.utils.internals.Exit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Stops Kafka from ending the test JVM. A broker that meets a fatal error calls Kafka's exit or
 * halt procedure; here that call is logged, remembered and answered with an exception, so the
 * test run goes on and the test that was running fails.
 *
 * <p>Register it with {@code @ExtendWith(KafkaExitGuard.class)} on a test class that starts its
 * own broker in the JVM; {@link KafkaCluster} does the same for the shared cluster.
 */
public final class KafkaExitGuard implements BeforeAllCallback, AfterEachCallback {
    private static final Logger log = LoggerFactory.getLogger(KafkaExitGuard.class);
    private static final List<String> refusedRequests = new CopyOnWriteArrayList<>();
    private static boolean installed;

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        assertKafkaDidNotAskToEndTheJvm(context.getDisplayName());
    }

    /** Fails if Kafka has asked to end this JVM since it started. */
    public static void assertKafkaDidNotAskToEndTheJvm(String during) {
        assertEquals(List.of(), refusedRequests(), "Kafka asked to end the JVM, by " + during);
    }

    /** Replaces Kafka's exit and halt procedures in this JVM; calling it again does nothing. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        Exit.setExitProcedure((status, message) -> refuse("exit", status, message));
        Exit.setHaltProcedure((status, message) -> refuse("halt", status, message));
        installed = true;
    }

    /** What Kafka asked for since the JVM started, one sentence per request. */
    public static List<String> refusedRequests() {
        return List.copyOf(refusedRequests);
    }

    /** Lets a test that provoked a request on purpose leave the record clean for later tests. */
    static void forgetRefusedRequests() {
        refusedRequests.clear();
    }

    private static void refuse(String action, int status, String message) {
        String request = "Kafka asked to " + action + " the JVM with status " + status + ": " + message;
        refusedRequests.add(request);
        log.error("Refused: {}", request);
        throw new KafkaExitRefusedException(request);
    }

    /** Thrown in the Kafka thread that asked to end the JVM. */
    public static final class KafkaExitRefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KafkaExitRefusedException(String request) {
            super(request);
        }
    }
}
