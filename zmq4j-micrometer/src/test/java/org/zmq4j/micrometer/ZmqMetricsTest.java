package org.zmq4j.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.ComponentMetrics;
import org.zmq4j.Context;
import org.zmq4j.HandshakeFailureReason;
import org.zmq4j.Measurement;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/** The meters against known traffic, sockets that come and go, and components' measurements. */
@Timeout(60)
class ZmqMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void knownTrafficGivesExactCounts() {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Context ctx = new Context(1); Socket push = ctx.socket(SocketType.PUSH); Socket pull = ctx.socket(SocketType.PULL);
                ZmqMetrics zmq = new ZmqMetrics(ctx, Tags.of("context", "main"), Duration.ZERO, ZmqMetrics.DEFAULT_SNAPSHOT_MAX_AGE)) {
            push.setOption(Option.SNDHWM, 700);
            pull.bind("tcp://127.0.0.1:*");
            push.connect(pull.lastEndpoint());
            zmq.bindTo(registry);
            for (int i = 0; i < 100; i++) {
                push.send(new byte[10], Socket.SNDMORE);
                push.send(new byte[20]);
            }
            for (int i = 0; i < 200; i++) {
                pull.recv();
            }
            zmq.refresh();
            String out = String.valueOf(push.metrics().id());
            String in = String.valueOf(pull.metrics().id());

            assertEquals(100, counter(registry, "zmq4j.socket.messages.sent", out));
            assertEquals(0, counter(registry, "zmq4j.socket.messages.received", out));
            assertEquals(3000, counter(registry, "zmq4j.socket.payload.sent", out));
            assertEquals(100, counter(registry, "zmq4j.socket.messages.received", in));
            assertEquals(3000, counter(registry, "zmq4j.socket.payload.received", in));
            assertEquals(0, counter(registry, "zmq4j.socket.messages.sent", in));
            assertEquals(0, counter(registry, "zmq4j.socket.dropped.hwm", out));
            assertEquals(0, counter(registry, "zmq4j.socket.unroutable", out));
            assertEquals(0, counter(registry, "zmq4j.socket.send.would.block", out));
            assertEquals(0, counter(registry, "zmq4j.socket.receive.would.block", in));
            assertEquals(0, counter(registry, "zmq4j.socket.send.blocked", out), 0.5);
            assertEquals(1, counter(registry, "zmq4j.socket.connected", out));
            assertEquals(0, counter(registry, "zmq4j.socket.accepted", out));
            assertEquals(1, counter(registry, "zmq4j.socket.accepted", in));
            assertEquals(0, counter(registry, "zmq4j.socket.disconnected", in));
            assertEquals(0, counter(registry, "zmq4j.socket.connect.retries", out));
            assertEquals(0, counter(registry, "zmq4j.socket.heartbeat.timeouts", in));
            assertEquals(HandshakeFailureReason.values().length,
                    registry.get("zmq4j.socket.handshake.failures").tag("socket.id", in).functionCounters().size());
            for (HandshakeFailureReason r : HandshakeFailureReason.values()) {
                assertEquals(0, registry.get("zmq4j.socket.handshake.failures").tag("socket.id", in).tag("reason", r.name())
                        .functionCounter().count());
            }
            assertEquals(1, gauge(registry, "zmq4j.socket.peers", in));
            assertEquals(1, gauge(registry, "zmq4j.socket.connections", in));
            assertEquals(0, gauge(registry, "zmq4j.socket.queued.in", in));
            assertEquals(0, gauge(registry, "zmq4j.socket.queued.out", out));
            assertEquals(700, gauge(registry, "zmq4j.socket.send.hwm", out));
            assertEquals(1000, gauge(registry, "zmq4j.socket.receive.hwm", in));

            assertEquals("PUSH", registry.get("zmq4j.socket.messages.sent").tag("socket.id", out).functionCounter().getId()
                    .getTag("socket.type"));
            assertEquals("bytes", registry.get("zmq4j.socket.payload.sent").tag("socket.id", out).functionCounter().getId()
                    .getBaseUnit());
            assertEquals("seconds", registry.get("zmq4j.socket.send.blocked").tag("socket.id", out).functionCounter().getId()
                    .getBaseUnit());

            assertEquals(2, registry.get("zmq4j.context.sockets").gauge().value());
            assertEquals(2, registry.get("zmq4j.context.connections").gauge().value());
            Gauge busy = registry.get("zmq4j.io.thread.busy").gauge();
            assertTrue(busy.value() >= 0 && busy.value() <= 1, busy.getId() + " " + busy.value());
            assertNotNull(busy.getId().getTag("thread"));
            assertTrue(registry.get("zmq4j.io.thread.wakeups").functionCounter().count() > 0);
            assertEquals(2, registry.get("zmq4j.io.thread.connections").gauge().value());
            assertTrue(registry.get("zmq4j.io.thread.busy.time").functionCounter().count() >= 0);

            for (Meter m : registry.getMeters()) {
                assertEquals("main", m.getId().getTag("context"), m.getId().toString());
            }
        }
    }

    @Test
    void closedSocketsLoseTheirMetersAtTheNextRefresh() {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Context ctx = new Context(1); ZmqMetrics zmq = new ZmqMetrics(ctx, Tags.empty(), Duration.ZERO, Duration.ZERO)) {
            zmq.bindTo(registry);
            Socket a = ctx.socket(SocketType.DEALER);
            Socket b = ctx.socket(SocketType.ROUTER);
            String aId = String.valueOf(a.metrics().id());
            String bId = String.valueOf(b.metrics().id());
            assertEquals(0, metersOf(registry, aId), "not before a refresh (none scheduled)");
            zmq.refresh();
            assertTrue(metersOf(registry, aId) > 20, "every meter of a socket");
            assertEquals(metersOf(registry, aId), metersOf(registry, bId));
            assertEquals(2, registry.get("zmq4j.context.sockets").gauge().value());

            a.close();
            assertEquals(1, registry.get("zmq4j.context.sockets").gauge().value());
            assertTrue(metersOf(registry, aId) > 0, "still there until the refresh");
            zmq.refresh();
            assertEquals(0, metersOf(registry, aId));
            assertNull(registry.find("zmq4j.socket.messages.sent").tag("socket.id", aId).functionCounter());
            assertNotNull(registry.find("zmq4j.socket.messages.sent").tag("socket.id", bId).functionCounter());
            b.close();
            zmq.refresh();
            assertEquals(0, metersOf(registry, bId));
            assertNotNull(registry.find("zmq4j.context.sockets").gauge(), "the Context's meters stay");
        }
    }

    @Test
    void theScheduledRefreshFollowsTheSockets() {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Context ctx = new Context(1);
                ZmqMetrics zmq = new ZmqMetrics(ctx, Tags.empty(), Duration.ofMillis(20), ZmqMetrics.DEFAULT_SNAPSHOT_MAX_AGE)) {
            zmq.bindTo(registry);
            Socket s = ctx.socket(SocketType.PUB);
            String id = String.valueOf(s.metrics().id());
            await(() -> metersOf(registry, id) > 0, () -> "no meters for socket " + id);
            s.close();
            await(() -> metersOf(registry, id) == 0, () -> "meters left for socket " + id);
        }
    }

    @Test
    void componentMeasurementsBecomeMetersWithTheirLabelsAsTags() {
        MeterRegistry registry = new SimpleMeterRegistry();
        AtomicLong requests = new AtomicLong(42);
        List<String> services = new CopyOnWriteArrayList<>(List.of("echo", "time"));
        try (Context ctx = new Context(1); ZmqMetrics zmq = new ZmqMetrics(ctx, Tags.of("app", "test"), Duration.ZERO, Duration.ZERO)) {
            ctx.addMetricsSource(() -> {
                List<Measurement> ms = new java.util.ArrayList<>();
                ms.add(Measurement.counter("requests_total", "requests received", requests.get()));
                ms.add(Measurement.gauge("workers", "workers ready", 3));
                ms.add(Measurement.counter("busy_seconds_total", "time busy", 1.5));
                for (String s : services) {
                    ms.add(new Measurement("service_queued_requests", "requests waiting for a worker", Measurement.Kind.GAUGE,
                            Map.of("service", s), s.length()));
                }
                return new ComponentMetrics("majordomo_broker", "tcp://127.0.0.1:5555", ms);
            });
            zmq.bindTo(registry);

            var counter = registry.get("zmq4j.majordomo_broker.requests").functionCounter();
            assertEquals(42, counter.count());
            assertEquals("requests received", counter.getId().getDescription());
            assertEquals("tcp://127.0.0.1:5555", counter.getId().getTag("component"));
            assertEquals("test", counter.getId().getTag("app"));
            requests.set(50);
            assertEquals(50, counter.count(), "read live (snapshot max age 0)");
            assertEquals(3, registry.get("zmq4j.majordomo_broker.workers").gauge().value());
            var busy = registry.get("zmq4j.majordomo_broker.busy.seconds").functionCounter();
            assertEquals(1.5, busy.count());
            assertEquals("seconds", busy.getId().getBaseUnit());
            assertEquals(4, registry.get("zmq4j.majordomo_broker.service.queued.requests").tag("service", "echo").gauge().value());
            assertEquals(4, registry.get("zmq4j.majordomo_broker.service.queued.requests").tag("service", "time").gauge().value());

            services.remove("time");
            services.add("clock");
            zmq.refresh();
            assertNull(registry.find("zmq4j.majordomo_broker.service.queued.requests").tag("service", "time").gauge(),
                    "a measurement that is gone loses its meter");
            assertEquals(5, registry.get("zmq4j.majordomo_broker.service.queued.requests").tag("service", "clock").gauge().value());
        }
    }

    @Test
    void closeRemovesEveryMeterFromEveryRegistryAndStopsTheRefresher() {
        MeterRegistry one = new SimpleMeterRegistry();
        MeterRegistry two = new SimpleMeterRegistry();
        try (Context ctx = new Context(1); Socket s = ctx.socket(SocketType.REQ)) {
            ZmqMetrics zmq = new ZmqMetrics(ctx, Tags.empty(), Duration.ofMillis(20), ZmqMetrics.DEFAULT_SNAPSHOT_MAX_AGE);
            zmq.bindTo(one);
            zmq.bindTo(two);
            zmq.bindTo(two); // again: nothing more
            int meters = one.getMeters().size();
            assertTrue(meters > 20, String.valueOf(meters));
            assertEquals(meters, two.getMeters().size());
            assertTrue(threadAlive());
            zmq.close();
            assertEquals(List.of(), one.getMeters());
            assertEquals(List.of(), two.getMeters());
            await(() -> !threadAlive(), () -> "the refresher thread still runs");
            zmq.refresh(); // nothing after close
            assertEquals(List.of(), one.getMeters());
            assertThrows(IllegalStateException.class, () -> zmq.bindTo(new SimpleMeterRegistry()));
            zmq.close(); // idempotent
            assertNotNull(s);
        }
    }

    @Test
    void aSnapshotServesManyReads() {
        MeterRegistry registry = new SimpleMeterRegistry();
        AtomicInteger snapshots = new AtomicInteger();
        try (Context ctx = new Context(1); Socket a = ctx.socket(SocketType.PAIR); Socket b = ctx.socket(SocketType.PAIR)) {
            ctx.addMetricsSource(() -> { // asked once per Context.metrics()
                snapshots.incrementAndGet();
                return new ComponentMetrics("probe", "p", List.of());
            });
            try (ZmqMetrics cached = new ZmqMetrics(ctx, Tags.empty(), Duration.ZERO, Duration.ofMinutes(10))) {
                cached.bindTo(registry);
                assertEquals(1, snapshots.get(), "bindTo's refresh");
                readAll(registry);
                readAll(registry);
                assertEquals(1, snapshots.get(), "every read served by that snapshot");
                assertTrue(metersOf(registry, String.valueOf(a.metrics().id())) > 0);
                assertTrue(metersOf(registry, String.valueOf(b.metrics().id())) > 0);
                cached.refresh();
                assertEquals(2, snapshots.get(), "a refresh takes a new one");
            }
            assertEquals(List.of(), registry.getMeters());
            try (ZmqMetrics uncached = new ZmqMetrics(ctx, Tags.empty(), Duration.ZERO, Duration.ZERO)) {
                uncached.bindTo(registry);
                int before = snapshots.get();
                registry.get("zmq4j.context.sockets").gauge().value();
                registry.get("zmq4j.context.sockets").gauge().value();
                assertEquals(before + 2, snapshots.get(), "max age 0: a snapshot per read");
            }
        }
    }

    private static void readAll(MeterRegistry registry) {
        for (Meter m : registry.getMeters()) {
            m.measure().forEach(Object::toString);
        }
    }

    private static double counter(MeterRegistry registry, String name, String socketId) {
        return registry.get(name).tag("socket.id", socketId).functionCounter().count();
    }

    private static double gauge(MeterRegistry registry, String name, String socketId) {
        return registry.get(name).tag("socket.id", socketId).gauge().value();
    }

    private static long metersOf(MeterRegistry registry, String socketId) {
        return registry.getMeters().stream().filter(m -> socketId.equals(m.getId().getTag("socket.id"))).count();
    }

    private static boolean threadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("zmq4j-micrometer-refresh") && t.isAlive());
    }

    /** Checks {@code done} every 10 ms until it holds or {@link #WAIT} runs out. */
    static void await(BooleanSupplier done, Supplier<String> what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + WAIT + ": " + what.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    @Test
    void socketsOfOtherContextsAreNotMeasured() {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Context ctx = new Context(1); Context other = new Context(1); Socket mine = ctx.socket(SocketType.PUSH);
                Socket theirs = other.socket(SocketType.PULL);
                ZmqMetrics zmq = new ZmqMetrics(ctx, Tags.empty(), Duration.ZERO, Duration.ZERO)) {
            zmq.bindTo(registry);
            assertTrue(metersOf(registry, String.valueOf(mine.metrics().id())) > 0);
            assertEquals(0, metersOf(registry, String.valueOf(theirs.metrics().id())));
            assertFalse(registry.getMeters().isEmpty());
        }
    }
}
