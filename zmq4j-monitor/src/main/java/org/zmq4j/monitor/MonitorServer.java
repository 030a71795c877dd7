package org.zmq4j.monitor;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.zmq4j.Context;
import org.zmq4j.ContextEvent;

/**
 * A read-only HTTP view of one {@link Context}, on the JDK's HTTP server:
 * <ul>
 * <li>{@code /} the live page (served from this jar: no asset from anywhere else);</li>
 * <li>{@code /metrics} Prometheus' text format ({@link PrometheusText});</li>
 * <li>{@code /api/metrics} the JSON snapshot, {@code /api/sockets} its sockets alone,
 * {@code /api/connections} every connection in one list, {@code /api/events?after=N} the recent
 * socket events ({@link MetricsJson});</li>
 * <li>{@code /api/stream} Server-Sent Events: {@code metrics} (the snapshot) every interval, and
 * each {@code socket-event} as it is recorded.</li>
 * </ul>
 * It binds 127.0.0.1 unless told otherwise, answers GET and HEAD only, and with an access token
 * requires it on every request for data ({@code /metrics}, {@code /api/...}: {@code ?token=} or
 * {@code Authorization: Bearer}); the page's own files, which hold no data, load without it.
 *
 * <p>Thread-safety: thread-safe; requests are served on the server's own daemon threads, at most
 * {@value #MAX_STREAMS} event streams at once.
 */
public final class MonitorServer implements AutoCloseable {
    /** Event streams served at once; more are refused with 503. */
    public static final int MAX_STREAMS = 32;
    private static final String WEB = "/org/zmq4j/monitor/web/";
    private static final System.Logger LOG = System.getLogger("org.zmq4j.monitor");

    private final List<Context> contexts;
    private final EventCollector events;
    private final String name;
    private final byte[] token;
    private final Duration interval;
    private final boolean connectionSeries;
    private final HttpServer http;
    private final ExecutorService executor;
    private final Semaphore streams = new Semaphore(MAX_STREAMS);
    private final CountDownLatch closed = new CountDownLatch(1);

    private MonitorServer(Builder b) throws IOException {
        this.contexts = List.copyOf(b.contexts);
        this.events = new EventCollector(contexts);
        this.name = b.name;
        this.token = b.token == null ? null : b.token.getBytes(StandardCharsets.UTF_8);
        this.interval = b.interval;
        this.connectionSeries = b.connectionSeries;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "zmq4j-monitor-http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpServer.create(b.address, 64);
        http.createContext("/", this::handle);
        http.setExecutor(executor);
        executor.execute(() -> events.run(closed));
        http.start();
    }

    /**
     * Starts building a server for {@code context}, and any more Contexts of the process (shown
     * together, as one).
     *
     * @param context the Context to show
     * @param more    more Contexts to show with it
     * @return a builder: 127.0.0.1 on an ephemeral port, no token, metrics every second
     */
    public static Builder builder(Context context, Context... more) {
        List<Context> all = new java.util.ArrayList<>();
        all.add(Objects.requireNonNull(context, "context"));
        for (Context c : more) {
            all.add(Objects.requireNonNull(c, "context"));
        }
        return new Builder(all);
    }

    /** The metrics of every Context shown, as one. */
    private org.zmq4j.ContextMetrics metrics() {
        if (contexts.size() == 1) {
            return contexts.get(0).metrics();
        }
        int ioThreads = 0;
        List<org.zmq4j.SocketMetrics> sockets = new java.util.ArrayList<>();
        List<org.zmq4j.IoThreadMetrics> load = new java.util.ArrayList<>();
        List<org.zmq4j.ComponentMetrics> components = new java.util.ArrayList<>();
        for (Context c : contexts) {
            org.zmq4j.ContextMetrics m = c.metrics();
            ioThreads += m.ioThreads();
            sockets.addAll(m.sockets());
            load.addAll(m.ioThreadLoad());
            components.addAll(m.components());
        }
        sockets.sort(java.util.Comparator.comparingInt(org.zmq4j.SocketMetrics::id));
        return new org.zmq4j.ContextMetrics(ioThreads, sockets, load, components);
    }

    /**
     * Parses {@code HOST:PORT} as the {@code --http} options take it: {@code 127.0.0.1:8080},
     * {@code localhost:0}, {@code [::1]:8080}, {@code *:8080} (every interface), or {@code :8080}
     * (127.0.0.1).
     *
     * @param hostPort the text
     * @return the address
     * @throws IllegalArgumentException naming the text when it is not HOST:PORT
     */
    public static InetSocketAddress parseAddress(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected HOST:PORT, got '" + hostPort + "'");
        }
        String host = hostPort.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + hostPort + "'");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range in '" + hostPort + "'");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            host = "127.0.0.1";
        }
        return host.equals("*") ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /** The address the server listens on (the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** The page's URL with the token, when there is one (keep it out of logs). */
    public String url() {
        return baseUrl() + (token == null ? ""
                : "?token=" + java.net.URLEncoder.encode(new String(token, StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }

    /** The page's URL without the token: {@code http://127.0.0.1:8080/}. */
    public String baseUrl() {
        InetSocketAddress a = address();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + a.getPort() + "/";
    }

    /** Stops serving: open streams end, the port is released. Idempotent. */
    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        closed.countDown();
        http.stop(0);
        executor.shutdownNow();
    }

    // ------------------------------------------------------------------ requests

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain; charset=utf-8", "read-only: GET and HEAD only\n");
                return;
            }
            String path = ex.getRequestURI().getPath();
            boolean data = path.equals("/metrics") || path.startsWith("/api/");
            if (data && !authorized(ex)) {
                // the page's own files hold no data: they load without the token (their URLs cannot carry it
                // under the page's CSP), and the page then asks for the data with it
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                send(ex, 401, "text/plain; charset=utf-8", "a token is required: ?token=... or Authorization: Bearer ...\n");
                return;
            }
            switch (path) {
                case "/metrics" -> send(ex, 200, PrometheusText.CONTENT_TYPE, PrometheusText.render(metrics(), connectionSeries));
                case "/api/metrics" -> send(ex, 200, "application/json", snapshotJson());
                case "/api/sockets" -> send(ex, 200, "application/json", MetricsJson.sockets(metrics(), System.currentTimeMillis()));
                case "/api/connections" -> send(ex, 200, "application/json",
                        MetricsJson.connections(metrics(), System.currentTimeMillis()));
                case "/api/events" -> send(ex, 200, "application/json",
                        MetricsJson.events(events.after(longParam(ex.getRequestURI(), "after"))));
                case "/api/stream" -> stream(ex);
                case "/", "/index.html" -> resource(ex, "index.html");
                default -> resource(ex, path.substring(1));
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "request ended: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "request failed", e);
        }
    }

    private String snapshotJson() {
        double uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
        return MetricsJson.metrics(metrics(), name, uptime, System.currentTimeMillis());
    }

    private boolean authorized(HttpExchange ex) {
        if (token == null) {
            return true;
        }
        String given = queryParam(ex.getRequestURI(), "token");
        if (given == null) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth != null && auth.startsWith("Bearer ")) {
                given = auth.substring(7).trim();
            }
        }
        return given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }

    private static String queryParam(URI uri, String key) {
        String q = uri.getRawQuery();
        if (q == null) {
            return null;
        }
        for (String part : q.split("&")) {
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            if (k.equals(key)) {
                return java.net.URLDecoder.decode(eq < 0 ? "" : part.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static long longParam(URI uri, String key) {
        String v = queryParam(uri, key);
        try {
            return v == null ? 0 : Math.max(0, Long.parseLong(v));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private void resource(HttpExchange ex, String file) throws IOException {
        if (!file.matches("[A-Za-z0-9][A-Za-z0-9._-]*") || file.contains("..")) {
            send(ex, 404, "text/plain; charset=utf-8", "not found\n");
            return;
        }
        byte[] bytes;
        try (InputStream in = MonitorServer.class.getResourceAsStream(WEB + file)) {
            if (in == null) {
                send(ex, 404, "text/plain; charset=utf-8", "not found\n");
                return;
            }
            bytes = in.readAllBytes();
        }
        ex.getResponseHeaders().set("Content-Type", contentType(file));
        ex.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(200, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static String contentType(String file) {
        String f = file.toLowerCase(java.util.Locale.ROOT);
        if (f.endsWith(".html")) {
            return "text/html; charset=utf-8";
        } else if (f.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        } else if (f.endsWith(".css")) {
            return "text/css; charset=utf-8";
        } else if (f.endsWith(".svg")) {
            return "image/svg+xml";
        } else if (f.endsWith(".png")) {
            return "image/png";
        }
        return "application/octet-stream";
    }

    /** Server-Sent Events until the client goes or the server closes; holds one of the stream permits. */
    private void stream(HttpExchange ex) throws IOException {
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.sendResponseHeaders(200, -1);
            return;
        }
        if (!streams.tryAcquire()) {
            send(ex, 503, "text/plain; charset=utf-8", "too many event streams open (" + MAX_STREAMS + ")\n");
            return;
        }
        try {
            ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            long lastEvent = 0;
            long nextMetrics = 0;
            long poll = Math.min(200, interval.toMillis());
            while (closed.getCount() > 0) {
                long now = System.nanoTime();
                if (now - nextMetrics >= 0) {
                    write(out, "metrics", snapshotJson());
                    nextMetrics = now + interval.toNanos();
                }
                List<ContextEvent> recent = events.after(lastEvent);
                for (ContextEvent e : recent) {
                    write(out, "socket-event", MetricsJson.event(e));
                    lastEvent = e.sequence();
                }
                out.flush();
                try {
                    if (closed.await(poll, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        } finally {
            streams.release();
        }
    }

    private static void write(OutputStream out, String event, String data) throws IOException {
        out.write(("event: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * How a {@link MonitorServer} is set up.
     *
     * <p>Thread-safety: not thread-safe; use it on one thread, then {@link #start()}.
     */
    public static final class Builder {
        private final List<Context> contexts;
        private InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
        private String token;
        private String name = "zmq4j";
        private Duration interval = Duration.ofSeconds(1);
        private boolean connectionSeries = true;

        private Builder(List<Context> contexts) {
            this.contexts = contexts;
        }

        /** Where to listen (default 127.0.0.1, an ephemeral port). */
        public Builder address(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Where to listen, as {@code HOST:PORT} ({@link MonitorServer#parseAddress}). */
        public Builder address(String hostPort) {
            return address(parseAddress(hostPort));
        }

        /** Requires this token on every request (default: none). */
        public Builder token(String token) {
            if (token != null && token.isEmpty()) {
                throw new IllegalArgumentException("an access token must not be empty");
            }
            this.token = token;
            return this;
        }

        /** What the page calls the process (default "zmq4j"). */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /** How often the event stream sends the metrics (default one second). */
        public Builder interval(Duration interval) {
            if (interval.toMillis() < 10) {
                throw new IllegalArgumentException("the metrics interval must be at least 10 ms: " + interval);
            }
            this.interval = interval;
            return this;
        }

        /**
         * Whether {@code /metrics} has the per-connection series (default true). A process with
         * thousands of peers can turn them off to keep one series set per socket; the JSON API
         * and the page still list connections.
         */
        public Builder connectionSeries(boolean on) {
            this.connectionSeries = on;
            return this;
        }

        /**
         * Binds and starts serving.
         *
         * @return the running server
         * @throws IOException when the address cannot be bound (the message names it)
         */
        public MonitorServer start() throws IOException {
            try {
                return new MonitorServer(this);
            } catch (java.net.BindException e) {
                throw new java.net.BindException("cannot serve the monitor on " + address + ": " + e.getMessage());
            }
        }
    }
}
