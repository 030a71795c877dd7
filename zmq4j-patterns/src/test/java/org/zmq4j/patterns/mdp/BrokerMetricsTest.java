package org.zmq4j.patterns.mdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.patterns.testkit.Metrics.awaitValue;
import static org.zmq4j.patterns.testkit.Metrics.count;
import static org.zmq4j.patterns.testkit.Metrics.value;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.ComponentMetrics;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.patterns.testkit.Held;
import org.zmq4j.patterns.testkit.Metrics;

/** The Majordomo broker's numbers in {@code Context.metrics()}, against known traffic. */
@Timeout(60)
class BrokerMetricsTest {
    private static final Duration FAST = Duration.ofMillis(200);
    private static final String KIND = "majordomo_broker";

    private final Held held = new Held();
    private final Context ctx = held.ctx;

    @AfterEach
    void tearDown() throws Exception {
        held.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void echo(String ep, String service) {
        MajordomoWorker w = held.keep(new MajordomoWorker(ctx, ep, service, MdpVersion.MDP02, FAST, 3));
        Thread t = new Thread(() -> w.serve(body -> body), "worker-" + service);
        t.start();
        held.joinAtEnd(t);
    }

    /** A raw MDP/0.1 client: sends requests without waiting for their replies. */
    private Socket rawClient(String ep) {
        Socket s = held.keep(ctx.socket(SocketType.DEALER));
        s.setOption(Option.LINGER, 0);
        s.connect(ep);
        return s;
    }

    private static void send(Socket s, String... frames) {
        for (int i = 0; i < frames.length; i++) {
            s.send(b(frames[i]), i < frames.length - 1 ? Socket.SNDMORE : 0);
        }
    }

    @Test
    void servicesWorkersAndRequestsAreCountedExactly() throws Exception {
        MajordomoBroker broker = held.keep(new MajordomoBroker(ctx, BrokerConfig.defaults().withHeartbeat(FAST)));
        assertEquals("majordomo", Metrics.component(ctx, KIND).name(), "registered before its bind");
        String ep = broker.bind("tcp://127.0.0.1:0");
        broker.start();
        assertEquals(ep, Metrics.component(ctx, KIND).name());

        echo(ep, "echo");
        echo(ep, "echo");
        echo(ep, "upper");
        awaitValue(ctx, KIND, "workers", 3);
        awaitValue(ctx, KIND, "idle_workers", 3);
        awaitValue(ctx, KIND, "services", 2);
        assertEquals(2, count(ctx, KIND, "service_workers", "service", "echo"));
        assertEquals(1, count(ctx, KIND, "service_workers", "service", "upper"));
        assertEquals(2, count(ctx, KIND, "service_idle_workers", "service", "echo"));
        assertEquals(0, count(ctx, KIND, "service_queued_requests", "service", "echo"));

        int n = 30;
        try (MajordomoClient c = new MajordomoClient(ctx, ClientConfig.of(ep).withTimeout(Duration.ofSeconds(5)).withRetries(0))) {
            for (int i = 0; i < n; i++) {
                String service = i % 3 == 0 ? "upper" : "echo";
                assertEquals(List.of("#" + i), c.call(service, "#" + i).strings());
            }
            assertEquals(List.of("200"), c.call("mmi.service", "echo").strings());
        }
        awaitValue(ctx, KIND, "replies_total", n);
        assertEquals(n, count(ctx, KIND, "requests_total"));
        assertEquals(n, count(ctx, KIND, "dispatched_requests_total"));
        assertEquals(1, count(ctx, KIND, "mmi_requests_total"));
        assertEquals(0, count(ctx, KIND, "rejected_requests_total"));
        assertEquals(3, count(ctx, KIND, "worker_registrations_total"));
        awaitValue(ctx, KIND, "idle_workers", 3);

        // a service nobody serves: its requests wait, one row of the table
        int k = 4;
        Socket client = rawClient(ep);
        for (int i = 0; i < k; i++) {
            send(client, "", "MDPC01", "nobody", "request " + i);
        }
        awaitValue(ctx, KIND, "service_queued_requests", k, "service", "nobody");
        assertEquals(k, count(ctx, KIND, "queued_requests"));
        assertEquals(3, count(ctx, KIND, "services"));
        assertEquals(0, count(ctx, KIND, "service_workers", "service", "nobody"));
        assertEquals(n + k, count(ctx, KIND, "requests_total"));
        assertEquals(n, count(ctx, KIND, "replies_total"));

        ComponentMetrics m = Metrics.component(ctx, KIND);
        List<String> rows = new ArrayList<>();
        m.measurements().stream().filter(x -> x.name().equals("service_workers")).forEach(x -> rows.add(x.labels().get("service")));
        assertEquals(List.of("echo", "nobody", "upper"), rows, "one row per service, by name");
        assertTrue(m.measurements().stream().filter(x -> x.name().endsWith("_total"))
                .allMatch(x -> x.kind() == org.zmq4j.Measurement.Kind.COUNTER));

        broker.close();
        assertTrue(Metrics.components(ctx, KIND).isEmpty(), "a closed broker leaves the context's metrics");
    }

    @Test
    void silentWorkersAndStaleRequestsAreDroppedAndCounted() throws Exception {
        MajordomoBroker broker = held.keep(new MajordomoBroker(ctx, BrokerConfig.defaults().withHeartbeat(Duration.ofMillis(100))
                .withLiveness(3).withRequestTtl(Duration.ofMillis(300))));
        String ep = broker.bind("tcp://127.0.0.1:0");
        broker.start();
        Socket ghost = held.keep(ctx.socket(SocketType.DEALER));
        ghost.setOption(Option.LINGER, 0);
        ghost.connect(ep);
        send(ghost, "MDPW02", "\u0001", "ghost"); // READY, then never a heartbeat
        awaitValue(ctx, KIND, "workers", 1);
        assertEquals(1, count(ctx, KIND, "service_idle_workers", "service", "ghost"));
        awaitValue(ctx, KIND, "worker_expirations_total", 1);
        awaitValue(ctx, KIND, "workers", 0);

        send(rawClient(ep), "", "MDPC01", "nobody", "x");
        awaitValue(ctx, KIND, "requests_expired_total", 1);
        awaitValue(ctx, KIND, "services", 0);
        assertTrue(Double.isNaN(value(ctx, KIND, "service_queued_requests", "service", "nobody")), "the row went with its service");
        assertEquals(1, count(ctx, KIND, "requests_total"));
        assertEquals(0, count(ctx, KIND, "replies_total"));
    }

    @Test
    void theCoreCountsRefusalsMmiDispatchesAndReplies() {
        BrokerMetrics m = new BrokerMetrics();
        BrokerCore core = new BrokerCore(BrokerConfig.defaults().withMaxQueuedPerService(2), 1_000, m);
        byte[] client = {0, 1};
        byte[] worker = {0, 11};
        for (int i = 0; i < 3; i++) {
            core.onMessage(client, List.of(new byte[0], b("MDPC01"), b("svc"), b("x" + i)), 1_000);
        }
        core.onMessage(client, List.of(new byte[0], b("MDPC01"), b("mmi.service"), b("svc")), 1_000);
        assertEquals(new BrokerMetrics.Snapshot(0, 0, 2, List.of(new BrokerMetrics.ServiceRow("svc", 0, 0, 2))), core.snapshot());
        core.onMessage(worker, List.of(new byte[0], b("MDPW01"), new byte[] {Mdp.W_READY}, b("svc")), 1_000);
        core.onMessage(worker, List.of(new byte[0], b("MDPW01"), new byte[] {Mdp.W01_REPLY}, client, new byte[0], b("done")), 1_000);
        m.publish(core.snapshot());
        ComponentMetrics c = m.metrics();
        assertEquals("majordomo_broker", c.kind());
        assertEquals(3, value(c, "requests_total"));
        assertEquals(1, value(c, "rejected_requests_total"), "the third found the queue full");
        assertEquals(1, value(c, "mmi_requests_total"));
        assertEquals(2, value(c, "dispatched_requests_total"), "both queued ones, one after the other");
        assertEquals(1, value(c, "replies_total"));
        assertEquals(1, value(c, "workers"));
        assertEquals(0, value(c, "idle_workers"), "serving the second");
        assertEquals(0, value(c, "service_queued_requests", "service", "svc"));
        core.onTick(1_000 + 2_500 * 3 + 2_500); // silent past its expiry, though busy: the busy timeout is longer
        core.onTick(1_000 + 15 * 60_000 + 5_000); // past the busy timeout: expired, its request lost
        m.publish(core.snapshot());
        c = m.metrics();
        assertEquals(1, value(c, "worker_expirations_total"));
        assertEquals(1, value(c, "requests_lost_total"));
        assertEquals(0, value(c, "workers"));
    }
}
