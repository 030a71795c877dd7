package org.zmq4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.ComponentMetrics;
import org.zmq4j.ConnectionMetrics;
import org.zmq4j.Context;
import org.zmq4j.ContextEvent;
import org.zmq4j.ContextMetrics;
import org.zmq4j.HandshakeFailureReason;
import org.zmq4j.IoThreadMetrics;
import org.zmq4j.Measurement;
import org.zmq4j.MetricsSource;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketMetrics;
import org.zmq4j.SocketType;
import org.zmq4j.Authenticator;
import org.zmq4j.support.LibzmqScript;

/**
 * Per-connection metrics and connection events against known situations: a refused connect
 * backing off, a peer killed and coming back, queues filling against their HWMs, handshakes that
 * fail for each reason, a heartbeat timeout, a send that waits; libzmq's peers on the other side.
 */
@Timeout(60)
class ConnectionMetricsTest {
    private static void await(String what, BooleanSupplier condition, Supplier<Object> state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what + ": " + state.get());
            Thread.sleep(5);
        }
    }

    private static ConnectionMetrics only(Socket s) {
        List<ConnectionMetrics> c = s.metrics().connections();
        assertEquals(1, c.size(), c.toString());
        return c.get(0);
    }

    /** The socket's one connection, or null while it has none or several (for conditions). */
    private static ConnectionMetrics one(Socket s) {
        List<ConnectionMetrics> c = s.metrics().connections();
        return c.size() == 1 ? c.get(0) : null;
    }

    /** A field of the socket's one connection, or -1 (a value no condition waits for) while it has none or several. */
    private static long field(Socket s, java.util.function.ToLongFunction<ConnectionMetrics> f) {
        ConnectionMetrics c = one(s);
        return c == null ? -1 : f.applyAsLong(c);
    }

    private static ConnectionMetrics.State stateOf(Socket s) {
        ConnectionMetrics c = one(s);
        return c == null ? null : c.state();
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aConnectBacksOffThenConnectsAndCountsTheLossOfItsPeer() throws Exception {
        int port = freePort();
        String ep = "tcp://127.0.0.1:" + port;
        try (Context ctx = new Context(); Socket push = ctx.socket(SocketType.PUSH)) {
            push.setOption(Option.RECONNECT_IVL, 20);
            push.setOption(Option.RECONNECT_IVL_MAX, 160);
            push.connect(ep);
            await("the backoff to reach its maximum", () -> field(push, ConnectionMetrics::backoffMillis) == 160 && field(push, ConnectionMetrics::connectRetries) >= 4,
                    () -> push.metrics());
            ConnectionMetrics waiting = only(push);
            assertEquals(ConnectionMetrics.Direction.CONNECT, waiting.direction());
            assertEquals("tcp", waiting.transport());
            assertEquals(ep, waiting.endpoint());
            assertEquals(0, waiting.connects());
            assertEquals(push.metrics().events().connectRetries(), waiting.connectRetries(), "the socket adds up its connections");
            assertTrue(List.of(ConnectionMetrics.State.CONNECTING, ConnectionMetrics.State.WAITING_TO_RECONNECT).contains(waiting.state()));

            Socket pull = ctx.socket(SocketType.PULL);
            pull.bind(ep);
            push.send("hello".getBytes());
            assertEquals("hello", new String(pull.recv()));
            await("the connection to be active", () -> stateOf(push) == ConnectionMetrics.State.ACTIVE, push::metrics);
            ConnectionMetrics active = only(push);
            assertEquals(1, active.connects());
            assertEquals(0, active.backoffMillis(), "a handshake resets the backoff");
            assertEquals("PULL", active.peerType());
            assertEquals("NULL", active.mechanism());
            assertEquals("127.0.0.1:" + port, active.remoteAddress());
            assertTrue(active.bytesOut() >= 64 + 7, "greeting and message: " + active);
            assertTrue(active.bytesIn() >= 64, "the peer's greeting: " + active);
            ConnectionMetrics accepted = only(pull);
            assertEquals(ConnectionMetrics.Direction.ACCEPT, accepted.direction());
            assertEquals("PUSH", accepted.peerType());
            assertEquals(1, pull.metrics().events().accepted());

            pull.close(); // the peer goes away: the connect notices and retries
            await("the loss to be counted", () -> field(push, ConnectionMetrics::disconnects) == 1, push::metrics);
            assertEquals(1, push.metrics().events().disconnected());
            Socket again = ctx.socket(SocketType.PULL);
            again.bind(ep);
            push.send("again".getBytes());
            assertEquals("again", new String(again.recv()));
            await("the reconnect", () -> field(push, ConnectionMetrics::connects) == 2 && stateOf(push) == ConnectionMetrics.State.ACTIVE,
                    push::metrics);
            assertEquals(2, push.metrics().events().connected());
            again.close();
        }
    }

    @Test
    void queuesFillAgainstTheirHwmsWhenThePeerStopsReading() throws Exception {
        try (Context ctx = new Context(); Socket push = ctx.socket(SocketType.PUSH); Socket pull = ctx.socket(SocketType.PULL)) {
            push.setOption(Option.SNDHWM, 10);
            pull.setOption(Option.RCVHWM, 10);
            pull.bind("tcp://127.0.0.1:*");
            push.connect(pull.lastEndpoint());
            push.send(new byte[1]);
            pull.recv();
            // 16 KiB messages until a send waits 300 ms in vain: the kernel's buffers, the
            // receiver's queue (its RCVHWM) and then the sender's (its SNDHWM) are full
            push.setOption(Option.SNDTIMEO, 300);
            byte[] body = new byte[16 * 1024];
            int sent = 0;
            while (push.send(body)) {
                sent++;
                assertTrue(sent < 100_000, "a peer that reads nothing must stop the sender");
            }
            await("the queues to fill", () -> field(push, ConnectionMetrics::queuedOut) >= 5 && field(pull, ConnectionMetrics::queuedIn) >= 5,
                    () -> push.metrics() + " / " + pull.metrics());
            ConnectionMetrics out = only(push);
            ConnectionMetrics in = only(pull);
            assertEquals(10, out.sendHwm());
            assertEquals(10, in.receiveHwm());
            assertTrue(out.queuedOut() <= 10 + 1, out.toString());
            assertEquals(out.queuedOut(), push.metrics().queuedOut());
            assertEquals(in.queuedIn(), pull.metrics().queuedIn());
            for (int i = 0; i < sent; i++) {
                pull.recv();
            }
            await("the queues to drain", () -> field(push, ConnectionMetrics::queuedOut) == 0 && field(pull, ConnectionMetrics::queuedIn) == 0,
                    () -> push.metrics() + " / " + pull.metrics());
        }
    }

    @Test
    void inprocPeersAreConnectionsToo() {
        try (Context ctx = new Context(); Socket push = ctx.socket(SocketType.PUSH); Socket pull = ctx.socket(SocketType.PULL)) {
            push.setOption(Option.SNDHWM, 7);
            pull.bind("inproc://conn-metrics");
            push.connect("inproc://conn-metrics");
            for (int i = 0; i < 3; i++) {
                push.send(new byte[1]);
            }
            ConnectionMetrics c = only(push);
            assertEquals(ConnectionMetrics.Direction.INPROC, c.direction());
            assertEquals("inproc", c.transport());
            assertEquals(ConnectionMetrics.State.ACTIVE, c.state());
            assertEquals(3, c.queuedOut());
            assertEquals(3, only(pull).queuedIn());
        }
    }

    @Test
    void handshakeFailuresAreCountedByReason() throws Exception {
        try (Context ctx = new Context(); Authenticator auth = new Authenticator(ctx);
             Socket server = ctx.socket(SocketType.PULL)) {
            auth.configurePlain(Authenticator.ANY_DOMAIN, Map.of("alice", "secret"));
            server.setOption(Option.PLAIN_SERVER, true);
            server.bind("tcp://127.0.0.1:*");
            String ep = server.lastEndpoint();
            Supplier<Map<HandshakeFailureReason, Long>> failures = () -> server.metrics().events().handshakeFailures();

            try (Socket nullClient = ctx.socket(SocketType.PUSH)) { // NULL against PLAIN
                nullClient.connect(ep);
                await("a mechanism failure", () -> failures.get().get(HandshakeFailureReason.MECHANISM) >= 1, failures::get);
            }
            try (Socket wrong = ctx.socket(SocketType.PUSH)) { // refused by ZAP
                wrong.setOption(Option.PLAIN_USERNAME, "alice");
                wrong.setOption(Option.PLAIN_PASSWORD, "wrong");
                wrong.connect(ep);
                await("an auth failure", () -> failures.get().get(HandshakeFailureReason.AUTH) >= 1, failures::get);
                await("the client to hear it", () -> wrong.metrics().events().handshakeFailures().get(HandshakeFailureReason.AUTH) >= 1,
                        wrong::metrics);
            }
            int port = Integer.parseInt(ep.substring(ep.lastIndexOf(':') + 1));
            try (java.net.Socket raw = new java.net.Socket("127.0.0.1", port)) { // not ZMTP at all
                raw.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(3).getBytes(StandardCharsets.US_ASCII));
                raw.getOutputStream().flush();
                await("a greeting failure", () -> failures.get().get(HandshakeFailureReason.GREETING) == 1, failures::get);
            }
            try (java.net.Socket raw = new java.net.Socket("127.0.0.1", port)) { // ZMTP 2
                byte[] old = new byte[64];
                old[0] = (byte) 0xFF;
                old[9] = 0x7F;
                old[10] = 2;
                raw.getOutputStream().write(old);
                raw.getOutputStream().flush();
                await("a second greeting failure", () -> failures.get().get(HandshakeFailureReason.GREETING) == 2, failures::get);
            }
            long total = server.metrics().events().totalHandshakeFailures();
            assertEquals(failures.get().values().stream().mapToLong(Long::longValue).sum(), total);
            assertEquals(0, server.metrics().events().accepted() - total - server.metrics().connections().size()
                    - 0 * server.metrics().events().disconnected(), "every accepted connection failed: " + server.metrics());
        }
    }

    /** A ZMTP 3.1 NULL greeting and READY as a PUSH, then silence: no reply to our PINGs. */
    private static byte[] silentPushHandshake() {
        byte[] greeting = new byte[64];
        greeting[0] = (byte) 0xFF;
        greeting[9] = 0x7F;
        greeting[10] = 3;
        greeting[11] = 1;
        System.arraycopy("NULL".getBytes(StandardCharsets.US_ASCII), 0, greeting, 12, 4);
        byte[] name = "Socket-Type".getBytes(StandardCharsets.US_ASCII);
        byte[] value = "PUSH".getBytes(StandardCharsets.US_ASCII);
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.write(5);
        body.writeBytes("READY".getBytes(StandardCharsets.US_ASCII));
        body.write(name.length);
        body.writeBytes(name);
        body.writeBytes(new byte[] {0, 0, 0, (byte) value.length});
        body.writeBytes(value);
        byte[] b = body.toByteArray();
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        all.writeBytes(greeting);
        all.write(0x04);
        all.write(b.length);
        all.writeBytes(b);
        return all.toByteArray();
    }

    @Test
    void aPeerThatStopsAnsweringHeartbeatsIsCountedAsATimeout() throws Exception {
        try (Context ctx = new Context(); Socket pull = ctx.socket(SocketType.PULL)) {
            pull.setOption(Option.HEARTBEAT_IVL, 50);
            pull.setOption(Option.HEARTBEAT_TIMEOUT, 200);
            pull.bind("tcp://127.0.0.1:*");
            String ep = pull.lastEndpoint();
            try (java.net.Socket raw = new java.net.Socket()) {
                raw.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(ep.substring(ep.lastIndexOf(':') + 1))));
                OutputStream out = raw.getOutputStream();
                out.write(silentPushHandshake());
                out.flush();
                await("the handshake", () -> pull.metrics().peers() == 1 || pull.metrics().events().heartbeatTimeouts() == 1,
                        pull::metrics);
                InputStream in = raw.getInputStream();
                raw.setSoTimeout(10_000);
                Thread drain = new Thread(() -> { // reads what we are sent (the PINGs), answers nothing
                    try {
                        while (in.read(new byte[4096]) >= 0) {
                            // discard
                        }
                    } catch (java.io.IOException ignored) {
                        // closed
                    }
                });
                drain.setDaemon(true);
                drain.start();
                await("the heartbeat timeout", () -> pull.metrics().events().heartbeatTimeouts() == 1, pull::metrics);
                assertEquals(1, pull.metrics().events().disconnected());
                assertEquals(0, pull.metrics().events().totalHandshakeFailures(), "the handshake had succeeded");
            }
        }
    }

    @Test
    void timeBlockedInSendIsCounted() {
        try (Context ctx = new Context(); Socket dealer = ctx.socket(SocketType.DEALER)) {
            dealer.setOption(Option.SNDTIMEO, 150);
            long start = System.nanoTime();
            assertFalse(dealer.send(new byte[1]), "no peer: the send times out");
            long waited = System.nanoTime() - start;
            SocketMetrics m = dealer.metrics();
            assertEquals(1, m.sendWouldBlock());
            assertTrue(m.sendBlocked().toMillis() >= 140, m.toString());
            assertTrue(m.sendBlocked().toNanos() <= waited, m.toString());
        }
    }

    @Test
    void theContextKeepsRecentEventsAndIoThreadLoadAndComponents() throws Exception {
        try (Context ctx = new Context(2); Socket router = ctx.socket(SocketType.ROUTER); Socket dealer = ctx.socket(SocketType.DEALER)) {
            router.bind("tcp://127.0.0.1:*");
            dealer.connect(router.lastEndpoint());
            dealer.send("x".getBytes());
            router.recv();
            router.recv();
            int routerId = router.metrics().id();
            await("the router's ACCEPTED event", () -> ctx.recentEvents(0).stream()
                    .anyMatch(e -> e.socketId() == routerId && e.event().type() == SocketEvent.Type.ACCEPTED), () -> ctx.recentEvents(0));
            List<ContextEvent> all = ctx.recentEvents(0);
            for (int i = 1; i < all.size(); i++) {
                assertEquals(all.get(i - 1).sequence() + 1, all.get(i).sequence());
            }
            long last = all.get(all.size() - 1).sequence();
            assertTrue(ctx.recentEvents(last).isEmpty());
            assertEquals(all.subList(1, all.size()), ctx.recentEvents(all.get(0).sequence()));

            ContextMetrics m = ctx.metrics();
            assertEquals(2, m.ioThreadLoad().size());
            for (IoThreadMetrics t : m.ioThreadLoad()) {
                assertTrue(t.uptime().toNanos() > 0 && t.busy().compareTo(t.uptime()) <= 0, t.toString());
                assertTrue(t.busyRatio() >= 0 && t.busyRatio() <= 1, t.toString());
            }
            assertEquals(2, m.ioThreadLoad().stream().mapToInt(IoThreadMetrics::connections).sum(), "two sessions: " + m.ioThreadLoad());
            assertTrue(m.ioThreadLoad().stream().mapToLong(IoThreadMetrics::wakeups).sum() > 0);
            assertEquals(2, m.connections());
            assertTrue(m.sockets().get(0).id() < m.sockets().get(1).id(), "in creation order");

            MetricsSource ok = () -> new ComponentMetrics("test_component", "one",
                    List.of(Measurement.gauge("items", "Items held", 3), Measurement.counter("items_added_total", "Items added", 7)));
            MetricsSource broken = () -> {
                throw new IllegalStateException("broken on purpose");
            };
            ctx.addMetricsSource(ok);
            ctx.addMetricsSource(ok);
            ctx.addMetricsSource(broken);
            List<ComponentMetrics> components = ctx.metrics().components();
            assertEquals(1, components.size(), "a broken source is left out, a source added twice counts once");
            assertEquals(3.0, components.get(0).measurements().get(0).value());
            ctx.removeMetricsSource(ok);
            ctx.removeMetricsSource(broken);
            assertTrue(ctx.metrics().components().isEmpty());
            assertThrows(IllegalArgumentException.class, () -> Measurement.counter("items", "no _total", 1));
            assertThrows(IllegalArgumentException.class, () -> Measurement.gauge("Bad-Name", "x", 1));
        }
    }

    /** libzmq on the other side: what it says in its handshake, a mechanism it does not share, its ZAP refusing us. */
    private static final String LIBZMQ_PEERS = String.join("\n",
            "import os, sys, threading, zmq",
            "from zmq.auth.thread import ThreadAuthenticator",
            "threading.Timer(100, lambda: os._exit(3)).start()",
            "c = zmq.Context()",
            "auth = ThreadAuthenticator(c); auth.start(); auth.configure_plain(domain='*', passwords={'alice': 'secret'})",
            "d = c.socket(zmq.DEALER); d.connect(sys.argv[1]); d.send(b'hi')",
            "p = c.socket(zmq.PUSH); p.plain_username = b'u'; p.plain_password = b'p'; p.connect(sys.argv[2])",
            "s = c.socket(zmq.PULL); s.plain_server = True; port = s.bind_to_random_port('tcp://127.0.0.1')",
            "print(port, flush=True)",
            "sys.stdin.readline()",
            "os._exit(0)");

    @Test
    void libzmqPeersAsConnections() throws Exception {
        try (Context ctx = new Context(); Socket router = ctx.socket(SocketType.ROUTER); Socket pull = ctx.socket(SocketType.PULL);
             Socket client = ctx.socket(SocketType.PUSH)) {
            router.bind("tcp://127.0.0.1:*");
            pull.bind("tcp://127.0.0.1:*"); // NULL: libzmq's PLAIN client is refused
            try (LibzmqScript py = LibzmqScript.start(LIBZMQ_PEERS, router.lastEndpoint(), pull.lastEndpoint())) {
                String port = py.readLine(30_000);
                router.recv();
                assertEquals("hi", new String(router.recv()));
                ConnectionMetrics c = only(router);
                assertEquals("DEALER", c.peerType());
                assertEquals(ConnectionMetrics.State.ACTIVE, c.state());
                assertTrue(c.bytesIn() > 64 && c.bytesOut() >= 64, c.toString());
                // libzmq sends the rest of its greeting only after reading ours, and closes at once
                // when the mechanisms differ: from this side the handshake just ends
                await("libzmq's PLAIN client to be refused", () -> pull.metrics().events().totalHandshakeFailures() >= 1, pull::metrics);
                assertTrue(pull.metrics().events().handshakeFailures().get(HandshakeFailureReason.INCOMPLETE) >= 1, pull.metrics().toString());
                // its ZAP handler refuses our credentials: an ERROR with status 400
                client.setOption(Option.PLAIN_USERNAME, "alice");
                client.setOption(Option.PLAIN_PASSWORD, "wrong");
                client.setOption(Option.RECONNECT_IVL, 50);
                client.connect("tcp://127.0.0.1:" + port);
                await("libzmq's ZAP refusal", () -> client.metrics().events().handshakeFailures().get(HandshakeFailureReason.AUTH) >= 1,
                        client::metrics);
                assertEquals(1, client.metrics().connections().size());
                py.writeLine("done");
            }
        }
    }
}
