package org.zmq4j.monitor.jmx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.JMX;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.ComponentMetrics;
import org.zmq4j.Context;
import org.zmq4j.HandshakeFailureReason;
import org.zmq4j.Measurement;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/** The MXBeans on the platform MBeanServer, read the way JConsole reads them. */
@Timeout(60)
class ZmqJmxTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();

    @Test
    void socketAttributesCountKnownTrafficExactly() throws Exception {
        String name = JmxTesting.uniqueName("traffic");
        try (Context ctx = new Context(1); Socket push = ctx.socket(SocketType.PUSH); Socket pull = ctx.socket(SocketType.PULL);
                ZmqJmx jmx = ZmqJmx.register(ctx, name)) {
            push.setOption(Option.SNDHWM, 500);
            pull.bind("tcp://127.0.0.1:*");
            String ep = pull.lastEndpoint();
            push.connect(ep);
            for (int i = 0; i < 100; i++) {
                push.send(new byte[10], Socket.SNDMORE);
                push.send(new byte[20]);
            }
            for (int i = 0; i < 200; i++) {
                pull.recv();
            }
            jmx.refresh();

            ObjectName out = ZmqJmx.socketObjectName(name, push.metrics().id(), SocketType.PUSH);
            ObjectName in = ZmqJmx.socketObjectName(name, pull.metrics().id(), SocketType.PULL);
            assertTrue(mbs.isRegistered(out), out.toString());
            assertTrue(mbs.isRegistered(in), in.toString());
            assertEquals(name, ObjectName.unquote(out.getKeyProperty("context")));
            assertEquals("PUSH", out.getKeyProperty("socketType"));
            assertEquals(String.valueOf(push.metrics().id()), out.getKeyProperty("id"));

            assertEquals("PUSH", mbs.getAttribute(out, "Type"));
            assertEquals(push.metrics().id(), mbs.getAttribute(out, "Id"));
            assertEquals(name, mbs.getAttribute(out, "Context"));
            assertEquals(true, mbs.getAttribute(out, "Open"));
            assertEquals(100L, mbs.getAttribute(out, "MessagesSent"));
            assertEquals(3000L, mbs.getAttribute(out, "BytesSent"));
            assertEquals(0L, mbs.getAttribute(out, "MessagesReceived"));
            assertEquals(500, mbs.getAttribute(out, "SendHwm"));
            assertEquals(1L, mbs.getAttribute(out, "ConnectionsConnected"));
            assertEquals(0L, mbs.getAttribute(out, "ConnectionsAccepted"));
            assertArrayEquals(new String[] {ep}, (String[]) mbs.getAttribute(out, "Endpoints"));

            assertEquals("PULL", mbs.getAttribute(in, "Type"));
            assertEquals(100L, mbs.getAttribute(in, "MessagesReceived"));
            assertEquals(3000L, mbs.getAttribute(in, "BytesReceived"));
            assertEquals(0L, mbs.getAttribute(in, "MessagesSent"));
            assertEquals(0L, mbs.getAttribute(in, "ReceiveWouldBlock"));
            assertEquals(0L, mbs.getAttribute(in, "QueuedIn"));
            assertEquals(1, mbs.getAttribute(in, "Peers"));
            assertEquals(1L, mbs.getAttribute(in, "ConnectionsAccepted"));
            assertEquals(0L, mbs.getAttribute(in, "HandshakeFailures"));
            assertEquals(0.0, (double) mbs.getAttribute(in, "SendBlockedSeconds"));
            assertArrayEquals(new String[] {ep}, (String[]) mbs.getAttribute(in, "Endpoints"));
            assertEquals(1, mbs.getAttribute(in, "ConnectionCount"));

            CompositeData[] connections = (CompositeData[]) mbs.getAttribute(in, "Connections");
            assertEquals(1, connections.length);
            CompositeData c = connections[0];
            assertEquals(ep, c.get("endpoint"));
            assertEquals("tcp", c.get("transport"));
            assertEquals("ACCEPT", c.get("direction"));
            assertEquals("ACTIVE", c.get("state"));
            assertEquals("PUSH", c.get("peerType"));
            assertEquals("NULL", c.get("mechanism"));
            assertTrue((Long) c.get("bytesIn") > 3000, c.toString());
            assertTrue(c.get("lastActivity") instanceof Date, c.toString());

            TabularData byReason = (TabularData) mbs.getAttribute(in, "HandshakeFailuresByReason");
            assertEquals(HandshakeFailureReason.values().length, byReason.size());
            for (HandshakeFailureReason r : HandshakeFailureReason.values()) {
                assertEquals(0L, byReason.get(new Object[] {r.name()}).get("value"), r.name());
            }

            ObjectName context = ZmqJmx.contextObjectName(name);
            assertEquals(jmx.contextObjectName(), context);
            assertEquals(name, mbs.getAttribute(context, "Name"));
            assertEquals(false, mbs.getAttribute(context, "Closed"));
            assertEquals(1, mbs.getAttribute(context, "IoThreads"));
            assertEquals(2, mbs.getAttribute(context, "SocketCount"));
            assertEquals(2, mbs.getAttribute(context, "ConnectionCount"));
            double[] load = (double[]) mbs.getAttribute(context, "IoThreadLoad");
            assertEquals(1, load.length);
            assertTrue(load[0] >= 0 && load[0] <= 1, Arrays.toString(load));
            CompositeData[] threads = (CompositeData[]) mbs.getAttribute(context, "IoThreadDetails");
            assertEquals(1, threads.length);
            assertEquals(2, threads[0].get("connections"));
            assertTrue((Double) threads[0].get("uptimeSeconds") > 0, threads[0].toString());
            assertEquals(Set.of(out, in), new HashSet<>(Arrays.asList((ObjectName[]) mbs.getAttribute(context, "Sockets"))));
            assertEquals(List.of(out, in).stream().sorted(java.util.Comparator.comparing(o -> Integer.parseInt(o.getKeyProperty("id"))))
                    .toList(), jmx.socketObjectNames());
        }
    }

    @Test
    void socketsOpenedAndClosedAreRegisteredAndUnregisteredByRefresh() throws Exception {
        String name = JmxTesting.uniqueName("manual");
        try (Context ctx = new Context(1); ZmqJmx jmx = ZmqJmx.register(ctx, name, mbs, Duration.ZERO)) {
            assertEquals(List.of(), jmx.socketObjectNames());
            Socket a = ctx.socket(SocketType.DEALER);
            Socket b = ctx.socket(SocketType.ROUTER);
            ObjectName aName = ZmqJmx.socketObjectName(name, a.metrics().id(), SocketType.DEALER);
            ObjectName bName = ZmqJmx.socketObjectName(name, b.metrics().id(), SocketType.ROUTER);
            assertFalse(mbs.isRegistered(aName), "no refresh yet, no refresher thread");
            jmx.refresh();
            assertTrue(mbs.isRegistered(aName));
            assertTrue(mbs.isRegistered(bName));

            a.close();
            jmx.refresh();
            assertFalse(mbs.isRegistered(aName), "a closed socket's bean goes");
            assertTrue(mbs.isRegistered(bName));
            assertEquals(List.of(bName), jmx.socketObjectNames());
            assertEquals(1, mbs.getAttribute(jmx.contextObjectName(), "SocketCount"));
            assertEquals(1, mbs.queryNames(new ObjectName("org.zmq4j:type=Socket,context=" + ObjectName.quote(name) + ",*"), null).size());
            b.close();
        }
    }

    @Test
    void theRefresherThreadFollowsTheSockets() throws Exception {
        String name = JmxTesting.uniqueName("scheduled");
        try (Context ctx = new Context(1); ZmqJmx jmx = ZmqJmx.register(ctx, name, mbs, Duration.ofMillis(20))) {
            Socket s = ctx.socket(SocketType.PUB);
            ObjectName on = ZmqJmx.socketObjectName(name, s.metrics().id(), SocketType.PUB);
            JmxTesting.await(WAIT, () -> { }, () -> mbs.isRegistered(on), () -> "registered: " + jmx.socketObjectNames());
            s.close();
            JmxTesting.await(WAIT, () -> { }, () -> !mbs.isRegistered(on), () -> "still registered: " + jmx.socketObjectNames());
        }
    }

    @Test
    void closeUnregistersEverythingAndStopsTheRefresher() throws Exception {
        String name = JmxTesting.uniqueName("close");
        try (Context ctx = new Context(1); Socket s = ctx.socket(SocketType.REQ)) {
            ZmqJmx jmx = ZmqJmx.register(ctx, name, mbs, Duration.ofMillis(20));
            ObjectName pattern = new ObjectName("org.zmq4j:*");
            assertEquals(2, mbs.queryNames(pattern, null).stream().filter(on -> mine(on, name)).count());
            assertTrue(threadAlive("zmq4j-jmx-" + name));
            jmx.close();
            assertTrue(jmx.isClosed());
            assertEquals(0, mbs.queryNames(pattern, null).stream().filter(on -> mine(on, name)).count());
            JmxTesting.await(WAIT, () -> { }, () -> !threadAlive("zmq4j-jmx-" + name), () -> "refresher still running");
            jmx.refresh(); // nothing after close
            assertFalse(mbs.isRegistered(ZmqJmx.socketObjectName(name, s.metrics().id(), SocketType.REQ)));
            jmx.close(); // idempotent
        }
    }

    @Test
    void aClosedContextSaysSoAndLosesItsSocketBeansAsTheyClose() throws Exception {
        String name = JmxTesting.uniqueName("closed-context");
        Context ctx = new Context(1);
        try (ZmqJmx jmx = ZmqJmx.register(ctx, name, mbs, Duration.ZERO)) {
            Socket s = ctx.socket(SocketType.SUB);
            jmx.refresh();
            assertEquals(1, jmx.socketObjectNames().size());
            ctx.close();
            jmx.refresh();
            assertEquals(true, mbs.getAttribute(jmx.contextObjectName(), "Closed"));
            s.close(); // as in libzmq, a socket outlives its Context's termination until it is closed
            jmx.refresh();
            assertEquals(List.of(), jmx.socketObjectNames());
            assertEquals(0, mbs.getAttribute(jmx.contextObjectName(), "SocketCount"));
            assertTrue(mbs.isRegistered(jmx.contextObjectName()), "the Context's bean stays until close()");
        } finally {
            ctx.close();
        }
    }

    @Test
    void aSecondRegistrationUnderTheSameNameIsRefused() throws Exception {
        String name = JmxTesting.uniqueName("twice");
        try (Context ctx = new Context(1); Context other = new Context(1); ZmqJmx jmx = ZmqJmx.register(ctx, name, mbs)) {
            assertThrows(IllegalStateException.class, () -> ZmqJmx.register(other, name, mbs));
            assertEquals(name, mbs.getAttribute(jmx.contextObjectName(), "Name"), "the first stays");
            try (ZmqJmx second = ZmqJmx.register(other, name + "-2", mbs)) {
                assertTrue(mbs.isRegistered(second.contextObjectName()));
            }
        }
    }

    @Test
    void componentsShowTheirMeasurementsWithLabels() throws Exception {
        String name = JmxTesting.uniqueName("components");
        try (Context ctx = new Context(1); ZmqJmx jmx = ZmqJmx.register(ctx, name, mbs)) {
            ctx.addMetricsSource(() -> new ComponentMetrics("majordomo_broker", "tcp://127.0.0.1:5555", List.of(
                    new Measurement("service_queued_requests", "requests waiting for a worker", Measurement.Kind.GAUGE,
                            Map.of("service", "echo"), 3),
                    Measurement.counter("requests_total", "requests received", 42))));
            jmx.refresh();
            CompositeData[] components = (CompositeData[]) mbs.getAttribute(jmx.contextObjectName(), "Components");
            assertEquals(1, components.length);
            assertEquals("majordomo_broker", components[0].get("kind"));
            assertEquals("tcp://127.0.0.1:5555", components[0].get("name"));
            CompositeData[] ms = (CompositeData[]) components[0].get("measurements");
            assertEquals(2, ms.length);
            assertEquals("service_queued_requests", ms[0].get("name"));
            assertEquals("GAUGE", ms[0].get("kind"));
            assertEquals(3.0, ms[0].get("value"));
            assertEquals("requests waiting for a worker", ms[0].get("help"));
            TabularData labels = (TabularData) ms[0].get("labels");
            assertEquals(1, labels.size());
            assertEquals("echo", labels.get(new Object[] {"service"}).get("value"));
            assertEquals("COUNTER", ms[1].get("kind"));
            assertEquals(42.0, ms[1].get("value"));
            assertTrue(((TabularData) ms[1].get("labels")).isEmpty());
        }
    }

    @Test
    void aBadGreetingCountsAsAGreetingHandshakeFailure() throws Exception {
        String name = JmxTesting.uniqueName("handshake");
        try (Context ctx = new Context(1); Socket pull = ctx.socket(SocketType.PULL); ZmqJmx jmx = ZmqJmx.register(ctx, name, mbs, Duration.ZERO)) {
            pull.bind("tcp://127.0.0.1:*");
            URI ep = URI.create(pull.lastEndpoint());
            try (java.net.Socket raw = new java.net.Socket()) {
                raw.connect(new InetSocketAddress(ep.getHost(), ep.getPort()), 5000);
                OutputStream os = raw.getOutputStream();
                byte[] junk = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(4).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                os.write(junk);
                os.flush();
                jmx.refresh();
                ObjectName on = ZmqJmx.socketObjectName(name, pull.metrics().id(), SocketType.PULL);
                JmxTesting.await(WAIT, jmx::refresh, () -> get(on, "HandshakeFailures").equals(1L),
                        () -> "handshake failures: " + get(on, "HandshakeFailuresByReason"));
                TabularData byReason = (TabularData) get(on, "HandshakeFailuresByReason");
                assertEquals(1L, byReason.get(new Object[] {HandshakeFailureReason.GREETING.name()}).get("value"), byReason.toString());
            }
        }
    }

    @Test
    void everyAttributeReadsAsAnOpenTypeAndThroughAnMXBeanProxy() throws Exception {
        String name = JmxTesting.uniqueName("all-attributes");
        try (Context ctx = new Context(2); Socket rep = ctx.socket(SocketType.REP); Socket req = ctx.socket(SocketType.REQ);
                ZmqJmx jmx = ZmqJmx.register(ctx, name, mbs)) {
            ctx.addMetricsSource(() -> new ComponentMetrics("test_component", "one",
                    List.of(new Measurement("depth", "a depth", Measurement.Kind.GAUGE, Map.of("a", "1", "b", "2"), 7))));
            rep.bind("tcp://127.0.0.1:*");
            req.connect(rep.lastEndpoint());
            req.send("ping".getBytes());
            rep.recv();
            rep.send("pong".getBytes());
            req.recv();
            jmx.refresh();
            List<ObjectName> names = new java.util.ArrayList<>(jmx.socketObjectNames());
            names.add(jmx.contextObjectName());
            for (ObjectName on : names) {
                MBeanInfo info = mbs.getMBeanInfo(on);
                assertEquals("true", String.valueOf(info.getDescriptor().getFieldValue("mxbean")), on.toString());
                assertEquals(0, info.getOperations().length, "read-only: " + on);
                String[] attrs = Arrays.stream(info.getAttributes()).map(MBeanAttributeInfo::getName).toArray(String[]::new);
                for (MBeanAttributeInfo a : info.getAttributes()) {
                    assertFalse(a.isWritable(), a.getName());
                    assertNotNull(a.getDescriptor().getFieldValue("openType"), a.getName());
                }
                AttributeList values = mbs.getAttributes(on, attrs); // what JConsole does
                assertEquals(attrs.length, values.size(), on.toString());
                for (Attribute a : values.asList()) {
                    assertNotNull(a.getValue(), on + " " + a.getName());
                }
            }
            SocketMXBean proxy = JMX.newMXBeanProxy(mbs, ZmqJmx.socketObjectName(name, req.metrics().id(), SocketType.REQ),
                    SocketMXBean.class);
            assertEquals(1L, proxy.getMessagesSent());
            assertEquals(1L, proxy.getMessagesReceived());
            assertEquals("REP", proxy.getConnections()[0].getPeerType());
            assertEquals(0L, proxy.getHandshakeFailuresByReason().get("AUTH"));
            ContextMXBean context = JMX.newMXBeanProxy(mbs, jmx.contextObjectName(), ContextMXBean.class);
            assertEquals(2, context.getIoThreads());
            assertEquals(2, context.getIoThreadLoad().length);
            assertEquals(2, context.getIoThreadDetails().length);
            assertEquals(Map.of("a", "1", "b", "2"), context.getComponents()[0].getMeasurements()[0].getLabels());
            assertTrue(JMX.isMXBeanInterface(ContextMXBean.class));
            assertTrue(JMX.isMXBeanInterface(SocketMXBean.class));
        }
    }

    private Object get(ObjectName on, String attribute) {
        try {
            return mbs.getAttribute(on, attribute);
        } catch (Exception e) {
            throw new AssertionError(on + " " + attribute + ": " + e, e);
        }
    }

    private static boolean mine(ObjectName on, String name) {
        String key = on.getKeyProperty("Context".equals(on.getKeyProperty("type")) ? "name" : "context");
        return key != null && ObjectName.quote(name).equals(key);
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
