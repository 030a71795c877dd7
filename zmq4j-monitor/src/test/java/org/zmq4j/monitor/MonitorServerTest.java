package org.zmq4j.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zmq4j.ComponentMetrics;
import org.zmq4j.Context;
import org.zmq4j.Measurement;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * The monitor's HTTP surface against a live Context: the JSON API and Prometheus text under
 * traffic (checked by the real {@code promtool}), the event stream, the token, read-only answers.
 */
@Timeout(60)
class MonitorServerTest {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private HttpResponse<String> get(String url, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> obj(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    /** PUSH to PULL over tcp, {@code n} messages of 100 bytes, all received. */
    private static void traffic(Socket push, Socket pull, int n) {
        for (int i = 0; i < n; i++) {
            push.send(new byte[100]);
        }
        for (int i = 0; i < n; i++) {
            pull.recv();
        }
    }

    @Test
    void theJsonApiShowsSocketsConnectionsAndComponents() throws Exception {
        try (Context ctx = new Context(); Socket pull = ctx.socket(SocketType.PULL); Socket push = ctx.socket(SocketType.PUSH);
             MonitorServer server = MonitorServer.builder(ctx).name("test process").start()) {
            pull.bind("tcp://127.0.0.1:*");
            push.connect(pull.lastEndpoint());
            traffic(push, pull, 250);
            ctx.addMetricsSource(() -> new ComponentMetrics("majordomo_broker", "tcp://*:5555", List.of(
                    Measurement.gauge("services", "Services known", 1),
                    new Measurement("service_workers", "Workers of a service", Measurement.Kind.GAUGE, Map.of("service", "echo"), 2))));
            HttpResponse<String> r = get(server.baseUrl() + "api/metrics");
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            Map<String, Object> doc = obj(Json.parse(r.body()));
            assertEquals("test process", obj(doc.get("process")).get("name"));
            assertEquals((double) ProcessHandle.current().pid(), obj(doc.get("process")).get("pid"));
            List<Object> sockets = list(doc.get("sockets"));
            assertEquals(2, sockets.size());
            Map<String, Object> pullJson = obj(sockets.get(0));
            assertEquals("PULL", pullJson.get("type"));
            assertEquals(250.0, pullJson.get("messagesReceived"));
            assertEquals(25_000.0, pullJson.get("bytesReceived"));
            assertEquals(List.of(pull.lastEndpoint()), pullJson.get("endpoints"));
            Map<String, Object> conn = obj(list(pullJson.get("connections")).get(0));
            assertEquals("ACCEPT", conn.get("direction"));
            assertEquals("ACTIVE", conn.get("state"));
            assertEquals("PUSH", conn.get("peerType"));
            assertEquals(1000.0, conn.get("receiveHwm"));
            Map<String, Object> pushJson = obj(sockets.get(1));
            assertEquals(250.0, pushJson.get("messagesSent"));
            assertEquals(1.0, obj(pushJson.get("events")).get("connected"));
            Map<String, Object> broker = obj(list(doc.get("components")).get(0));
            assertEquals("majordomo_broker", broker.get("kind"));
            Map<String, Object> workers = obj(list(broker.get("measurements")).get(1));
            assertEquals(Map.of("service", "echo"), workers.get("labels"));
            assertEquals(2.0, workers.get("value"));
            assertEquals(1, list(doc.get("ioThreads")).size());

            Map<String, Object> socketsOnly = obj(Json.parse(get(server.baseUrl() + "api/sockets").body()));
            assertEquals(2, list(socketsOnly.get("sockets")).size());
            List<Object> connections = list(obj(Json.parse(get(server.baseUrl() + "api/connections").body())).get("connections"));
            assertEquals(2, connections.size(), "the PULL's accepted one and the PUSH's connect");
            assertEquals("PULL", obj(connections.get(0)).get("socketType"));
            assertEquals("CONNECT", obj(connections.get(1)).get("direction"));
            Map<String, Object> events = obj(Json.parse(get(server.baseUrl() + "api/events?after=0").body()));
            assertTrue(list(events.get("events")).stream().anyMatch(e -> "ACCEPTED".equals(obj(e).get("type"))), events.toString());
        }
    }

    @Test
    void prometheusTextUnderTrafficPassesPromtool() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        if (System.getenv("CI") == null) {
            assumeTrue(Files.isExecutable(promtool), "promtool (Debian's prometheus package) is not installed");
        }
        try (Context ctx = new Context(2); Socket pull = ctx.socket(SocketType.PULL); Socket push = ctx.socket(SocketType.PUSH);
             Socket pub = ctx.socket(SocketType.PUB); Socket sub = ctx.socket(SocketType.SUB);
             MonitorServer server = MonitorServer.builder(ctx).start()) {
            pull.bind("tcp://127.0.0.1:*");
            push.connect(pull.lastEndpoint());
            pub.setOption(Option.SNDHWM, 5);
            pub.bind("inproc://prom");
            sub.setOption(Option.SUBSCRIBE, new byte[0]);
            sub.connect("inproc://prom");
            ctx.addMetricsSource(() -> new ComponentMetrics("majordomo_broker", "tcp://*:5555 \"quoted\"\\", List.of(
                    Measurement.counter("requests_total", "Requests\nreceived", 7),
                    new Measurement("service_workers", "Workers", Measurement.Kind.GAUGE, Map.of("service", "a\"b"), 2))));
            AtomicBoolean stop = new AtomicBoolean();
            Thread load = new Thread(() -> { // traffic while the scrapes are taken
                while (!stop.get()) {
                    push.send(new byte[64]);
                    pull.recv();
                    pub.send(new byte[8]); // the SUB reads nothing: drops at its HWM
                }
            });
            load.start();
            String text;
            try {
                text = null;
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> r = get(server.baseUrl() + "metrics");
                    assertEquals(200, r.statusCode());
                    assertEquals(PrometheusText.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElse(""));
                    text = r.body();
                }
            } finally {
                stop.set(true);
                load.join(10_000);
            }
            assertTrue(text.contains("zmq4j_socket_sent_messages_total{socket_id=\"" + push.metrics().id() + "\",socket_type=\"PUSH\"}"),
                    text);
            assertTrue(text.contains("zmq4j_socket_hwm_dropped_messages_total{socket_id=\"" + pub.metrics().id() + "\""), text);
            assertTrue(text.contains("zmq4j_majordomo_broker_service_workers{component=\"tcp://*:5555 \\\"quoted\\\"\\\\\",service=\"a\\\"b\"} 2"),
                    text);
            assertTrue(text.contains("zmq4j_socket_handshake_failures_total{socket_id=\"" + pull.metrics().id()
                    + "\",socket_type=\"PULL\",reason=\"mechanism\"} 0"), text);
            Path scrape = dir.resolve("scrape.txt");
            Files.writeString(scrape, text);
            Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(scrape.toFile())
                    .redirectErrorStream(true).start();
            String out;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                out = String.join("\n", r.lines().toList());
            }
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool did not finish");
            assertEquals(0, p.exitValue(), "promtool check metrics:\n" + out);
            assertEquals("", out.trim(), "promtool's lint warnings:\n" + out);
        }
    }

    @Test
    void theEventStreamSendsMetricsAndSocketEvents() throws Exception {
        try (Context ctx = new Context(); Socket pull = ctx.socket(SocketType.PULL);
             MonitorServer server = MonitorServer.builder(ctx).interval(Duration.ofMillis(100)).start()) {
            pull.bind("tcp://127.0.0.1:*");
            HttpRequest req = HttpRequest.newBuilder(URI.create(server.baseUrl() + "api/stream")).build();
            HttpResponse<java.io.InputStream> r = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
                 Socket push = ctx.socket(SocketType.PUSH)) {
                push.connect(pull.lastEndpoint());
                push.send("x".getBytes());
                pull.recv();
                int metrics = 0;
                boolean accepted = false;
                String event = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while ((metrics < 3 || !accepted) && System.nanoTime() < deadline) {
                    String line = in.readLine();
                    assertTrue(line != null, "the stream ended");
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        Map<String, Object> data = obj(Json.parse(line.substring(6)));
                        if ("metrics".equals(event)) {
                            metrics++;
                            assertTrue(data.containsKey("sockets"));
                        } else if ("socket-event".equals(event) && "ACCEPTED".equals(data.get("type"))) {
                            accepted = true;
                            assertEquals("PULL", data.get("socketType"));
                        }
                    }
                }
                assertTrue(metrics >= 3 && accepted, "metrics " + metrics + ", accepted " + accepted);
            }
        }
    }

    @Test
    void aTokenIsRequiredWhenSetAndTheServerIsReadOnly() throws Exception {
        try (Context ctx = new Context(); MonitorServer server = MonitorServer.builder(ctx).token("s3cret").start()) {
            String base = server.baseUrl();
            assertEquals(401, get(base + "metrics").statusCode());
            assertEquals(401, get(base + "api/metrics?token=wrong").statusCode());
            assertEquals(200, get(base).statusCode(), "the page itself holds no data");
            assertEquals(200, get(base + "app.js").statusCode());
            assertEquals(401, get(base + "api/stream").statusCode());
            assertEquals(401, get(base + "api/events").statusCode());
            assertEquals(200, get(base + "metrics?token=s3cret").statusCode());
            assertEquals(200, get(base + "api/metrics", "Authorization", "Bearer s3cret").statusCode());
            assertEquals(200, get(server.url()).statusCode(), "the page's URL carries the token");
            assertTrue(server.url().endsWith("?token=s3cret"));
            HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create(base + "api/metrics?token=s3cret"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(""));
            HttpResponse<String> head = client.send(HttpRequest.newBuilder(URI.create(base + "api/stream?token=s3cret"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, head.statusCode(), "HEAD of the stream: its headers, no stream");
            assertEquals(404, get(base + "../etc/passwd?token=s3cret").statusCode());
            assertEquals(404, get(base + "nothing.js?token=s3cret").statusCode());
        }
    }

    @Test
    void thePageAndItsAssetsAreServedFromTheJar() throws Exception {
        try (Context ctx = new Context(); MonitorServer server = MonitorServer.builder(ctx).start()) {
            HttpResponse<String> page = get(server.baseUrl());
            assertEquals(200, page.statusCode());
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
            for (String asset : new String[] {"", "app.js", "style.css"}) {
                HttpResponse<String> r = get(server.baseUrl() + asset);
                assertEquals(200, r.statusCode(), asset);
                // only XML namespace names (never fetched) may name another host
                assertTrue(!r.body().matches("(?s).*https?://(?!www\\.w3\\.org/).*"), "'" + asset + "' loads nothing from elsewhere");
            }
            assertTrue(server.address().getAddress().isLoopbackAddress(), "127.0.0.1 by default");
        }
    }

    @Test
    void addressesAreParsedAndBadOnesNamed() {
        assertEquals(8080, MonitorServer.parseAddress("127.0.0.1:8080").getPort());
        assertEquals("127.0.0.1", MonitorServer.parseAddress(":9000").getHostString());
        assertTrue(MonitorServer.parseAddress("*:9000").getAddress().isAnyLocalAddress());
        assertTrue(MonitorServer.parseAddress("[::1]:9000").getAddress().isLoopbackAddress());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MonitorServer.parseAddress("localhost"));
        assertTrue(e.getMessage().contains("localhost"));
        assertThrows(IllegalArgumentException.class, () -> MonitorServer.parseAddress("localhost:99999"));
        assertThrows(IllegalArgumentException.class, () -> MonitorServer.parseAddress("localhost:http"));
    }

    @Test
    void perConnectionSeriesCanBeTurnedOff() throws Exception {
        try (Context ctx = new Context(); Socket pull = ctx.socket(SocketType.PULL); Socket push = ctx.socket(SocketType.PUSH);
             MonitorServer full = MonitorServer.builder(ctx).start();
             MonitorServer lean = MonitorServer.builder(ctx).connectionSeries(false).start()) {
            pull.bind("tcp://127.0.0.1:*");
            push.connect(pull.lastEndpoint());
            push.send("x".getBytes());
            assertNotNull(pull.recv());
            String withConnections = get(full.baseUrl() + "metrics").body();
            String without = get(lean.baseUrl() + "metrics").body();
            assertTrue(withConnections.contains("zmq4j_connection_state{"), withConnections);
            assertFalse(without.contains("zmq4j_connection_"), without);
            assertTrue(without.contains("zmq4j_socket_sent_messages_total{"), "socket series stay:\n" + without);
        }
    }

    @Test
    void severalContextsAreShownAsOne() throws Exception {
        try (Context a = new Context(); Context b = new Context(); Socket pull = a.socket(SocketType.PULL);
             Socket push = b.socket(SocketType.PUSH); MonitorServer server = MonitorServer.builder(a, b).start()) {
            pull.bind("tcp://127.0.0.1:*");
            push.connect(pull.lastEndpoint());
            traffic(push, pull, 10);
            Map<String, Object> doc = obj(Json.parse(get(server.baseUrl() + "api/metrics").body()));
            assertEquals(2, list(doc.get("sockets")).size());
            assertEquals(2, list(doc.get("ioThreads")).size());
        }
    }

    @Test
    void jsonRoundTrips() {
        String text = new Json().beginObject().field("a", "x\"y\n</script>").name("b").beginArray().value(1).value(2.5).value(true)
                .value((String) null).endArray().name("c").beginObject().endObject().endObject().toString();
        Map<String, Object> m = obj(Json.parse(text));
        assertEquals("x\"y\n</script>", m.get("a"));
        assertTrue(!text.contains("</script>"));
        assertEquals(java.util.Arrays.asList(1.0, 2.5, true, null), m.get("b"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[".repeat(10_000)));
    }
}
