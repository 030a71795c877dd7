package org.zmq4j.monitor.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.ExportException;
import java.rmi.server.UnicastRemoteObject;
import java.time.Duration;
import java.util.Set;

import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * The beans read through a JMX RMI connector, the way JConsole connects to
 * {@code service:jmx:rmi:///jndi/rmi://host:port/jmxrmi}: the attributes cross the wire as open
 * types only, so a client without zmq4j on its classpath reads them.
 */
@Timeout(60)
class ZmqJmxRemoteTest {
    @Test
    void attributesReadRemotelyThroughAnRmiConnector() throws Exception {
        System.setProperty("java.rmi.server.hostname", "127.0.0.1"); // the stubs point here, not at the host's name
        Registry registry = null;
        int port = 0;
        for (int attempt = 0; registry == null; attempt++) { // a free port may be taken before the registry binds it
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            try {
                registry = LocateRegistry.createRegistry(port);
            } catch (ExportException e) {
                if (attempt == 4) {
                    throw e;
                }
            }
        }
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        JMXConnectorServer connectorServer = JMXConnectorServerFactory.newJMXConnectorServer(url, null,
                ManagementFactory.getPlatformMBeanServer());
        String name = JmxTesting.uniqueName("remote");
        try (Context ctx = new Context(1); Socket push = ctx.socket(SocketType.PUSH);
                ZmqJmx jmx = ZmqJmx.register(ctx, name, ManagementFactory.getPlatformMBeanServer(), Duration.ofMillis(50))) {
            Socket pull = ctx.socket(SocketType.PULL); // closed below, before the Context
            connectorServer.start();
            pull.bind("tcp://127.0.0.1:*");
            push.connect(pull.lastEndpoint());
            for (int i = 0; i < 25; i++) {
                push.send(new byte[8]);
            }
            for (int i = 0; i < 25; i++) {
                pull.recv();
            }
            jmx.refresh();
            try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
                MBeanServerConnection remote = connector.getMBeanServerConnection();
                ObjectName out = ZmqJmx.socketObjectName(name, push.metrics().id(), SocketType.PUSH);
                ObjectName in = ZmqJmx.socketObjectName(name, pull.metrics().id(), SocketType.PULL);
                Set<ObjectName> sockets = remote.queryNames(new ObjectName("org.zmq4j:type=Socket,context=" + ObjectName.quote(name) + ",*"),
                        null);
                assertEquals(Set.of(out, in), sockets);
                assertEquals(25L, remote.getAttribute(out, "MessagesSent"));
                assertEquals(200L, remote.getAttribute(out, "BytesSent"));
                assertEquals(25L, remote.getAttribute(in, "MessagesReceived"));
                assertEquals(200L, remote.getAttribute(in, "BytesReceived"));
                CompositeData[] connections = (CompositeData[]) remote.getAttribute(in, "Connections");
                assertEquals("ACCEPT", connections[0].get("direction"));
                assertEquals(2, remote.getAttribute(jmx.contextObjectName(), "SocketCount"));
                assertEquals(1, ((double[]) remote.getAttribute(jmx.contextObjectName(), "IoThreadLoad")).length);

                SocketMXBean proxy = JMX.newMXBeanProxy(remote, out, SocketMXBean.class);
                assertEquals("PUSH", proxy.getType());
                assertEquals("CONNECT", proxy.getConnections()[0].getDirection());

                pull.close(); // gone remotely too, once the refresher has seen it
                JmxTesting.await(Duration.ofSeconds(20), () -> { }, () -> !isRegistered(remote, in), () -> in + " still registered");
                assertTrue(remote.isRegistered(out));
            }
        } finally {
            connectorServer.stop();
            UnicastRemoteObject.unexportObject(registry, true);
        }
        assertFalse(ManagementFactory.getPlatformMBeanServer().isRegistered(ZmqJmx.contextObjectName(name)));
    }

    private static boolean isRegistered(MBeanServerConnection remote, ObjectName on) {
        try {
            return remote.isRegistered(on);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
