package org.zmq4j.monitor.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A test-only stand-in for the monitor's HTTP server: serves the web folder from the classpath (without
 * a token, under MonitorServer's Content-Security-Policy) and a made-up, moving {@code /api/metrics},
 * {@code /api/events} and {@code /api/stream} (Server-Sent Events, token required when there is one),
 * following the monitor's JSON schema. Listens on 127.0.0.1 on a free port.
 *
 * <p>What moves: message and byte counters rise every second (at a rate that swings slowly, so the plot
 * has a shape); socket 1's first connection's {@code queuedOut} climbs toward its {@code sendHwm};
 * socket 2 keeps retrying a connection; a new event appears every two seconds.
 */
public final class PageFixtureServer implements AutoCloseable {

    static final String WEB_FOLDER = "org/zmq4j/monitor/web/";
    static final int SEND_HWM = 1000;
    /** Socket 3 (PUB) of a {@link #withManyConnections} fixture has this many connections: more than the 100 the page lists unless asked. */
    static final int PUB_CONNECTIONS = 150;
    /** The policy MonitorServer sends with the page's files: the page must work under it. */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'";

    private final HttpServer server;
    private final ExecutorService handlers;
    private final ScheduledExecutorService ticker;
    private final String token;
    private final boolean streamEnabled;
    /** How many connections socket 3 (PUB) reports. */
    private final int pubConnectionCount;
    private final long startMillis = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private final List<Map<String, Object>> events = new ArrayList<>();
    private final AtomicInteger unauthorized = new AtomicInteger();
    private final AtomicInteger streamConnections = new AtomicInteger();
    private final AtomicInteger metricsRequests = new AtomicInteger();
    private long nextSequence = 1;
    private volatile boolean running = true;

    /**
     * Starts a fixture.
     *
     * @param token the access token every request must carry, or {@code null} for none
     * @param streamEnabled whether {@code /api/stream} works; when false it answers 503, so the page must
     *     fall back to polling
     */
    public static PageFixtureServer start(String token, boolean streamEnabled) throws IOException {
        return new PageFixtureServer(token, streamEnabled, 1);
    }

    /**
     * Starts a fixture, with the stream, whose socket 3 (PUB) has {@link #PUB_CONNECTIONS} connections.
     *
     * @param token the access token every request must carry, or {@code null} for none
     */
    public static PageFixtureServer withManyConnections(String token) throws IOException {
        return new PageFixtureServer(token, true, PUB_CONNECTIONS);
    }

    private PageFixtureServer(String token, boolean streamEnabled, int pubConnectionCount) throws IOException {
        this.token = token;
        this.streamEnabled = streamEnabled;
        this.pubConnectionCount = pubConnectionCount;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        handlers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "page-fixture-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(handlers);
        server.createContext("/", this::serveStatic);
        server.createContext("/api/metrics", ex -> guarded(ex, () -> {
            metricsRequests.incrementAndGet();
            respond(ex, 200, "application/json", Json.write(snapshot()));
        }));
        server.createContext("/api/events", ex -> guarded(ex, () -> {
            long after = parseLong(queryParameter(ex, "after"), 0);
            respond(ex, 200, "application/json", Json.write(Map.of("events", eventsAfter(after, 512))));
        }));
        server.createContext("/api/stream", ex -> guarded(ex, () -> stream(ex)));
        server.createContext("/metrics", ex -> guarded(ex, () ->
                respond(ex, 200, "text/plain; version=0.0.4", "# fixture\nzmq4j_fixture_up 1\n")));

        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "page-fixture-events");
            t.setDaemon(true);
            return t;
        });
        addEvent(1, "ROUTER", "LISTENING", 7, "tcp://0.0.0.0:5555", "bound tcp://0.0.0.0:5555");
        addEvent(1, "ROUTER", "ACCEPTED", 12, "tcp://0.0.0.0:5555", "accepted 127.0.0.1:41234");
        addEvent(1, "ROUTER", "ACCEPTED", 13, "tcp://0.0.0.0:5555", "accepted 127.0.0.1:41240");
        addEvent(2, "DEALER", "CONNECT_DELAYED", 0, "tcp://127.0.0.1:5999", "connection refused");
        AtomicInteger tick = new AtomicInteger();
        ticker.scheduleAtFixedRate(() -> {
            int n = tick.incrementAndGet();
            switch (n % 3) {
                case 0:
                    addEvent(2, "DEALER", "CONNECT_RETRIED", 2000, "tcp://127.0.0.1:5999", "retry in 2000 ms");
                    break;
                case 1:
                    addEvent(3, "PUB", "HANDSHAKE_FAILED_AUTH", 0, "inproc://fanout", "peer rejected credentials");
                    break;
                default:
                    addEvent(1, "ROUTER", "DISCONNECTED", 14, "tcp://0.0.0.0:5555", "peer 127.0.0.1:41250 closed");
            }
        }, 2, 2, TimeUnit.SECONDS);
        server.start();
    }

    /** The page's address, with the token in its query string when there is one. */
    public String pageUrl() {
        return baseUrl() + "/" + (token == null ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    /** The page's address without a token. */
    public String pageUrlWithoutToken() {
        return baseUrl() + "/";
    }

    /** http://127.0.0.1:PORT */
    public String baseUrl() {
        InetSocketAddress address = server.getAddress();
        return "http://" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** How many requests were refused for a missing or wrong token. */
    public int unauthorizedRequests() {
        return unauthorized.get();
    }

    /** How many times a client opened {@code /api/stream} (with the right token). */
    public int streamConnections() {
        return streamConnections.get();
    }

    /** How many times a client fetched {@code /api/metrics} (with the right token). */
    public int metricsRequests() {
        return metricsRequests.get();
    }

    @Override
    public void close() {
        running = false;
        ticker.shutdownNow();
        server.stop(0);
        handlers.shutdownNow();
    }

    // ------------------------------------------------------------------ HTTP plumbing

    private interface Action {
        void run() throws IOException;
    }

    private void guarded(HttpExchange exchange, Action action) throws IOException {
        try (exchange) {
            if (!authorized(exchange)) {
                unauthorized.incrementAndGet();
                respond(exchange, 401, "text/plain", "missing or wrong token\n");
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "text/plain", "GET only\n");
                return;
            }
            action.run();
        }
    }

    private boolean authorized(HttpExchange exchange) {
        if (token == null) {
            return true;
        }
        if (token.equals(queryParameter(exchange, "token"))) {
            return true;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null && header.equals("Bearer " + token);
    }

    private static String queryParameter(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static long parseLong(String text, long otherwise) {
        try {
            return text == null ? otherwise : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        respond(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type.contains("charset") || type.startsWith("image/")
                ? type : type + "; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /**
     * The page's own files need no token: a page whose Content-Security-Policy forbids inline script
     * cannot add the token to its own script and style sheet URLs. They hold no data.
     */
    private void serveStatic(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String name = path.equals("/") ? "index.html" : path.substring(1);
            if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) {
                respond(exchange, 404, "text/plain", "not found\n");
                return;
            }
            try (InputStream in = PageFixtureServer.class.getClassLoader().getResourceAsStream(WEB_FOLDER + name)) {
                if (in == null) {
                    respond(exchange, 404, "text/plain", "not found\n");
                    return;
                }
                exchange.getResponseHeaders().set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                respond(exchange, 200, contentType(name), in.readAllBytes());
            }
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html";
        } else if (name.endsWith(".js")) {
            return "text/javascript";
        } else if (name.endsWith(".css")) {
            return "text/css";
        } else if (name.endsWith(".svg")) {
            return "image/svg+xml";
        } else if (name.endsWith(".png")) {
            return "image/png";
        }
        return "application/octet-stream";
    }

    private void stream(HttpExchange exchange) throws IOException {
        if (!streamEnabled) {
            respond(exchange, 503, "text/plain", "stream disabled in this fixture\n");
            return;
        }
        streamConnections.incrementAndGet();
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            send(out, "metrics", Json.write(snapshot()));
            long lastSequence = 0;
            for (Map<String, Object> event : eventsAfter(0, 512)) {
                send(out, "socket-event", Json.write(event));
                lastSequence = (Long) event.get("sequence");
            }
            long nextMetrics = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            while (running) {
                for (Map<String, Object> event : eventsAfter(lastSequence, 512)) {
                    send(out, "socket-event", Json.write(event));
                    lastSequence = (Long) event.get("sequence");
                }
                if (System.nanoTime() >= nextMetrics) {
                    send(out, "metrics", Json.write(snapshot()));
                    nextMetrics += TimeUnit.SECONDS.toNanos(1);
                }
                Thread.sleep(100);
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or the fixture is closing
        }
    }

    private static void send(OutputStream out, String event, String data) throws IOException {
        out.write(("event: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    // ------------------------------------------------------------------ made-up data

    private synchronized void addEvent(long socketId, String socketType, String type, long value,
                                       String endpoint, String reason) {
        events.add(Json.object(
                "sequence", nextSequence++,
                "time", System.currentTimeMillis(),
                "socketId", socketId,
                "socketType", socketType,
                "type", type,
                "value", value,
                "endpoint", endpoint,
                "reason", reason));
        if (events.size() > 1000) {
            events.remove(0);
        }
    }

    private synchronized List<Map<String, Object>> eventsAfter(long after, int max) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> event : events) {
            if ((Long) event.get("sequence") > after) {
                out.add(event);
            }
        }
        return out.size() <= max ? out : new ArrayList<>(out.subList(out.size() - max, out.size()));
    }

    /** Messages counted after {@code t} seconds at a rate swinging around {@code base} per second. */
    private static long integral(double base, double swing, double period, double t) {
        // the integral of base + swing * sin(2 pi s / period) over [0, t]
        double w = 2 * Math.PI / period;
        return (long) (base * t + swing / w * (1 - Math.cos(w * t)));
    }

    Map<String, Object> snapshot() {
        long now = System.currentTimeMillis();
        double t = (System.nanoTime() - startNanos) / 1e9;

        long r1In = 5_000 + integral(420, 180, 40, t);
        long r1Out = 5_000 + integral(400, 150, 40, t);
        long r3Out = 120_000 + integral(2400, 600, 25, t);
        long queued = Math.min(SEND_HWM - 40, (long) (t * 160));

        List<Object> ioThreads = List.of(
                Json.object("name", "zmq4j-io-0", "busySeconds", 0.35 * t + 0.2 * Math.sin(t / 3),
                        "uptimeSeconds", 30 + t, "wakeups", (long) (1_000 + 880 * t), "connections", 3),
                Json.object("name", "zmq4j-io-1", "busySeconds", 0.08 * t,
                        "uptimeSeconds", 30 + t, "wakeups", (long) (400 + 120 * t), "connections", 1));

        Map<String, Object> router = socket(1, "ROUTER", List.of("tcp://0.0.0.0:5555"), 2,
                r1Out, r1In, r1Out * 180, r1In * 240, 0, (long) (t / 4), (long) (t * 3), 0, 0.0125 * t,
                SEND_HWM, SEND_HWM, queued + 12, (long) (20 + 15 * Math.sin(t)),
                Json.object("connected", 0, "accepted", 3, "disconnected", 1, "connectRetries", 0,
                        "heartbeatTimeouts", 0, "handshakeFailures", failures(0, 0, 0, 0, 0, 0)),
                List.of(
                        connection("tcp://0.0.0.0:5555", "tcp", "ACCEPT", "ACTIVE", "127.0.0.1:41234", "NULL",
                                "DEALER", 1, 0, 0, 0, 0, 0, now - 200, r1In * 160, r1Out * 120,
                                queued, SEND_HWM, (long) (15 + 12 * Math.sin(t)), SEND_HWM),
                        connection("tcp://0.0.0.0:5555", "tcp", "ACCEPT", "ACTIVE", "127.0.0.1:41240", "NULL",
                                "DEALER", 1, 0, 0, 0, 0, 0, now - 3_400, r1In * 80, r1Out * 60,
                                12, SEND_HWM, 5, SEND_HWM)));

        long retries = 3 + (long) (t / 2);
        Map<String, Object> dealer = socket(2, "DEALER", List.of("tcp://127.0.0.1:5999"), 0,
                0, 0, 0, 0, 0, 0, 0, (long) (t * 1.5), 0.0, SEND_HWM, SEND_HWM, 0, 0,
                Json.object("connected", 0, "accepted", 0, "disconnected", 0, "connectRetries", retries,
                        "heartbeatTimeouts", 0, "handshakeFailures", failures(0, 0, 1, 0, 0, 0)),
                List.of(connection("tcp://127.0.0.1:5999", "tcp", "CONNECT", "WAITING_TO_RECONNECT", "", "CURVE",
                        "", retries, 0, retries, 2000, 1, 0, startMillis - 45_000, 0, 0, 0, SEND_HWM, 0, SEND_HWM)));

        List<Object> pubConnections = new ArrayList<>();
        pubConnections.add(connection("inproc://fanout", "inproc", "INPROC", "ACTIVE", "", "NULL", "SUB",
                1, 0, 0, 0, 0, 0, now - 20, 0, r3Out * 64, 1234 + (long) (t * 10), 0, 0, 1000));
        for (int i = 1; i < pubConnectionCount; i++) { // beyond 100: more than the page lists by default
            pubConnections.add(connection("tcp://0.0.0.0:5600", "tcp", "ACCEPT", "ACTIVE", "10.0.0." + (i % 250) + ":"
                    + (40_000 + i), "NULL", "SUB", 1, 0, 0, 0, 0, 0, now - 1_000, 64L * i, r3Out, i % 50, 1000, 0, 1000));
        }
        Map<String, Object> pub = socket(3, "PUB", List.of("inproc://fanout", "tcp://0.0.0.0:5600"), pubConnectionCount,
                r3Out, 0, r3Out * 64, 0, (long) (t * 7), 0, 0, 0, 0.0, 0, 1000, 1234 + (long) (t * 10), 0,
                Json.object("connected", 0, "accepted", 1, "disconnected", 0, "connectRetries", 0,
                        "heartbeatTimeouts", 1, "handshakeFailures", failures(0, 0, (long) (t / 2), 0, 0, 0)),
                pubConnections);

        List<Object> measurements = List.of(
                Json.object("name", "services", "help", "Services known", "kind", "GAUGE",
                        "labels", Map.of(), "value", 2),
                Json.object("name", "workers", "help", "Workers connected", "kind", "GAUGE",
                        "labels", Map.of(), "value", 4),
                Json.object("name", "service_workers", "help", "Workers of a service", "kind", "GAUGE",
                        "labels", Map.of("service", "echo"), "value", 3),
                Json.object("name", "service_queued_requests", "help", "Requests waiting for a worker",
                        "kind", "GAUGE", "labels", Map.of("service", "echo"), "value", 0),
                Json.object("name", "service_workers", "help", "Workers of a service", "kind", "GAUGE",
                        "labels", Map.of("service", "billing"), "value", 1),
                Json.object("name", "service_queued_requests", "help", "Requests waiting for a worker",
                        "kind", "GAUGE", "labels", Map.of("service", "billing"), "value", (long) (t % 7)),
                Json.object("name", "requests_total", "help", "Requests received", "kind", "COUNTER",
                        "labels", Map.of(), "value", 1234 + (long) (t * 37)));

        return Json.object(
                "time", now,
                "process", Json.object("name", "zmq4j fixture broker", "pid", ProcessHandle.current().pid(),
                        "uptimeSeconds", 12.3 + t),
                "ioThreads", ioThreads,
                "sockets", List.of(router, dealer, pub),
                "components", List.of(Json.object("kind", "majordomo_broker", "name", "tcp://*:5555",
                        "measurements", measurements)));
    }

    private static Map<String, Object> failures(long greeting, long mechanism, long auth, long crypto,
                                                long protocol, long incomplete) {
        return Json.object("GREETING", greeting, "MECHANISM", mechanism, "AUTH", auth,
                "CRYPTOGRAPHIC", crypto, "PROTOCOL", protocol, "INCOMPLETE", incomplete);
    }

    private static Map<String, Object> socket(long id, String type, List<String> endpoints, int peers,
                                              long sent, long received, long bytesSent, long bytesReceived,
                                              long dropped, long unroutable, long sendWouldBlock,
                                              long receiveWouldBlock, double blockedSeconds, long sendHwm,
                                              long receiveHwm, long queuedOut, long queuedIn,
                                              Map<String, Object> events, List<Object> connections) {
        return Json.object("id", id, "type", type, "endpoints", endpoints, "peers", peers,
                "messagesSent", sent, "messagesReceived", received, "bytesSent", bytesSent,
                "bytesReceived", bytesReceived, "droppedAtHwm", dropped, "unroutable", unroutable,
                "sendWouldBlock", sendWouldBlock, "receiveWouldBlock", receiveWouldBlock,
                "sendBlockedSeconds", blockedSeconds, "sendHwm", sendHwm, "receiveHwm", receiveHwm,
                "queuedOut", queuedOut, "queuedIn", queuedIn, "events", events, "connections", connections);
    }

    private static Map<String, Object> connection(String endpoint, String transport, String direction,
                                                  String state, String remote, String mechanism, String peerType,
                                                  long connects, long disconnects, long retries, long backoff,
                                                  long handshakeFailures, long heartbeatTimeouts,
                                                  long lastActivity, long bytesIn, long bytesOut,
                                                  long queuedOut, long sendHwm, long queuedIn, long receiveHwm) {
        return Json.object("endpoint", endpoint, "transport", transport, "direction", direction, "state", state,
                "remoteAddress", remote, "mechanism", mechanism, "peerType", peerType, "connects", connects,
                "disconnects", disconnects, "connectRetries", retries, "backoffMillis", backoff,
                "handshakeFailures", handshakeFailures, "heartbeatTimeouts", heartbeatTimeouts,
                "lastActivity", lastActivity, "bytesIn", bytesIn, "bytesOut", bytesOut, "queuedOut", queuedOut,
                "sendHwm", sendHwm, "queuedIn", queuedIn, "receiveHwm", receiveHwm);
    }

    /** For trying the page by hand: {@code java ... PageFixtureServer [token]} and open the printed URL. */
    public static void main(String[] args) throws Exception {
        PageFixtureServer fixture = start(args.length > 0 ? args[0] : null, true);
        System.out.println(URI.create(fixture.pageUrl()));
        Thread.currentThread().join(TimeUnit.MINUTES.toMillis(30));
        fixture.close();
    }
}
