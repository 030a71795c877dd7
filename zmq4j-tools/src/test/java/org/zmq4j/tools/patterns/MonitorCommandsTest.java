package org.zmq4j.tools.patterns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.monitor.Json;

/**
 * {@code --http HOST:PORT} on every long-running command, as real processes: each serves the page,
 * the JSON API and {@code /metrics} of its own Context; a broker's page data shows its services and
 * workers; {@code zmq4j top} reads it; SIGTERM still ends each with 0.
 */
@Timeout(180)
class MonitorCommandsTest extends CliTest {
    private static final String MONITOR = "monitor on (http://127\\.0\\.0\\.1:\\d+/)";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private String get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return r.body();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> obj(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    /** Polls the JSON API (bounded) until {@code condition} holds; returns that document. */
    private Map<String, Object> awaitJson(String base, Predicate<Map<String, Object>> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<String, Object> doc;
        do {
            doc = obj(Json.parse(get(base + "api/metrics")));
            if (condition.test(doc)) {
                return doc;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the monitor never showed it: " + doc);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The page, /metrics and the JSON API answer; the process has sockets. */
    private void checkServed(String base) throws Exception {
        assertTrue(get(base).contains("<html"), "the page");
        assertTrue(get(base + "metrics").contains("zmq4j_sockets "), "Prometheus text");
        awaitJson(base, d -> !list(d.get("sockets")).isEmpty());
    }

    @Test
    void aBrokerShowsItsServicesAndWorkersAndTopReadsThem() throws Exception {
        CliProcess broker = start("broker", "--bind", "tcp://127.0.0.1:*", "--heartbeat-ms", "250", "--http", "127.0.0.1:0");
        String ep = broker.awaitErr("broker: listening on (tcp://\\S+)", 30);
        String base = broker.awaitErr(MONITOR, 30);
        CliProcess worker = start("worker", "--connect", ep, "--service", "echo", "--echo", "--heartbeat-ms", "250",
                "--http", "127.0.0.1:0");
        worker.awaitErr("worker: serving", 30);
        checkServed(worker.awaitErr(MONITOR, 30)); // workers too
        CliProcess call = start("call", "--connect", ep, "--service", "echo", "--timeout-ms", "10000", "hello");
        assertEquals(0, call.exitCode(30), call.describe());
        Map<String, Object> doc = awaitJson(base, d -> list(d.get("components")).stream().anyMatch(c ->
                "majordomo_broker".equals(obj(c).get("kind")) && list(obj(c).get("measurements")).stream().anyMatch(m ->
                        "service_workers".equals(obj(m).get("name")) && "echo".equals(obj(obj(m).get("labels")).get("service"))
                                && Double.valueOf(1).equals(obj(m).get("value")))));
        assertTrue(get(base).contains("<html"));
        String metrics = get(base + "metrics");
        assertTrue(metrics.contains("zmq4j_majordomo_broker_service_workers{") && metrics.contains("service=\"echo\""), metrics);
        Map<String, Object> router = obj(list(doc.get("sockets")).get(0));
        assertEquals("ROUTER", router.get("type"));

        CliProcess top = start("top", "--url", base, "--count", "2", "--interval-ms", "200");
        assertEquals(0, top.exitCode(60), top.describe());
        String screen = top.out();
        assertTrue(screen.contains("ROUTER") && screen.contains("majordomo_broker") && screen.contains("service=echo"), screen);
        assertTrue(screen.contains("zmq4j broker"), screen);

        assertEquals(0, worker.terminate(), worker.describe());
        assertEquals(0, broker.terminate(), broker.describe());
    }

    @Test
    void everyLongRunningCommandServesItsMonitor() throws Exception {
        int ppFront = freePort();
        int ppBack = freePort();
        CliProcess ppqueue = start("ppqueue", "--frontend", "tcp://127.0.0.1:" + ppFront, "--backend", "tcp://127.0.0.1:" + ppBack,
                "--http", "127.0.0.1:0");
        CliProcess broker = start("broker", "--bind", "tcp://127.0.0.1:*", "--http", "127.0.0.1:0");
        String brokerEp = broker.awaitErr("broker: listening on (tcp://\\S+)", 30);
        CliProcess titanic = start("titanic", "--connect", brokerEp, "--store", Files.createDirectory(dir.resolve("store")).toString(),
                "--http", "127.0.0.1:0");
        int clonePort = CloneServerCommandTest.freePortBlock();
        CliProcess clone = start("clone-server", "--port", Integer.toString(clonePort), "--http", "127.0.0.1:0");
        CliProcess recv = start("durable-recv", "--bind", "tcp://127.0.0.1:" + freePort(), "--state",
                dir.resolve("state").toString(), "--out", dir.resolve("out.bin").toString(), "--http", "127.0.0.1:0");
        CliProcess demo = start("perf", "demo", "--http", "127.0.0.1:0");
        for (CliProcess p : List.of(ppqueue, broker, titanic, clone, recv, demo)) {
            checkServed(p.awaitErr(MONITOR, 60));
        }
        demo.awaitErr("the monitor stays up until SIGINT or SIGTERM", 120);
        for (CliProcess p : List.of(ppqueue, titanic, clone, recv, demo, broker)) {
            assertEquals(0, p.terminate(), p.describe());
        }
    }

    @Test
    void aBadHttpAddressIsAUsageErrorAndATokenIsRequired() throws Exception {
        CliProcess bad = start("broker", "--bind", "tcp://127.0.0.1:*", "--http", "nohostport");
        assertEquals(2, bad.exitCode(30), bad.describe());
        assertTrue(bad.err().contains("--http") && bad.err().contains("nohostport"), bad.describe());
        CliProcess guarded = start("broker", "--bind", "tcp://127.0.0.1:*", "--http", "127.0.0.1:0", "--http-token", "s3cret");
        String base = guarded.awaitErr(MONITOR, 30);
        assertTrue(!guarded.err().contains("s3cret"), "the token is not printed");
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(base + "metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, refused.statusCode());
        assertTrue(get(base + "metrics?token=s3cret").contains("zmq4j_sockets"));
        CliProcess topWithout = start("top", "--url", base, "--count", "1");
        assertEquals(1, topWithout.exitCode(30), topWithout.describe());
        assertTrue(topWithout.err().contains("token"), topWithout.describe());
        CliProcess topWith = start("top", "--url", base, "--token", "s3cret", "--count", "1");
        assertEquals(0, topWith.exitCode(30), topWith.describe());
        assertEquals(0, guarded.terminate(), guarded.describe());
    }
}
