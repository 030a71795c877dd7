package org.zmq4j.tools.patterns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.patterns.lazypirate.LazyPirateClient;

/**
 * {@code zmq4j ppqueue} and {@code ppworker} as real processes, with a Lazy Pirate client: echo
 * through the queue, a worker killed with SIGKILL replaced by another while the client retries, and
 * SIGTERM.
 */
@Timeout(120)
class PirateCommandsTest extends CliTest {

    private static List<String> strings(List<byte[]> frames) {
        return frames.stream().map(f -> new String(f, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void echoThroughTheQueueSurvivesAKilledWorkerAndStopsOnSigterm() throws Exception {
        CliProcess queue = start("ppqueue", "--frontend", "tcp://127.0.0.1:0", "--backend", "tcp://127.0.0.1:0",
                "--heartbeat-ms", "200");
        String frontend = queue.awaitErr("ppqueue: clients on (tcp://\\S+)", 30);
        String backend = queue.awaitErr("ppqueue: workers on (tcp://\\S+)", 30);
        CliProcess first = start("ppworker", "--connect", backend, "--echo", "--heartbeat-ms", "200");
        first.awaitErr("ppworker: ready", 30);
        try (Context ctx = new Context();
             LazyPirateClient client = new LazyPirateClient(ctx, List.of(frontend), Duration.ofSeconds(1), 30)) {
            assertEquals(List.of("hello", "world"), strings(client.request("hello", "world")));
            first.kill();
            CliProcess second = start("ppworker", "--connect", backend, "--reply", "second", "--heartbeat-ms", "200");
            second.awaitErr("ppworker: ready", 30);
            // the queue may still hand a request to the dead worker until it expires: the client retries
            assertEquals(List.of("second"), strings(client.request("again")));
            assertEquals(0, second.terminate(), second.describe());
            assertTrue(second.err().contains("ppworker: stopped by signal after 1 requests"), second.describe());
        }
        assertEquals(0, queue.terminate(), queue.describe());
        assertTrue(queue.err().contains("ppqueue: stopped by signal"), queue.describe());
    }

    @Test
    void usageErrors() throws Exception {
        CliProcess q = start("ppqueue", "--frontend", "tcp://127.0.0.1:0");
        assertEquals(2, q.exitCode(60), q.describe());
        CliProcess w = start("ppworker", "--connect", "tcp://127.0.0.1:1");
        assertEquals(2, w.exitCode(60), w.describe());
    }
}
