package org.zmq4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;

/** RECONNECT_STOP, reconnect backoff and TCP keepalive options. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReconnectStopTest {

    private static int unusedPort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void connectionRefusedStopsReconnectingWhenAsked() throws Exception {
        try (Context ctx = new Context(); Socket push = ctx.socket(SocketType.PUSH)) {
            push.setOption(Option.LINGER, 0);
            push.setOption(Option.RECONNECT_IVL, 10);
            push.setOption(Option.RECONNECT_STOP, Option.RECONNECT_STOP_CONN_REFUSED);
            LinkedBlockingQueue<SocketEvent> events = new LinkedBlockingQueue<>();
            push.addMonitor(events::add, SocketEvent.ALL);
            push.connect("tcp://127.0.0.1:" + unusedPort());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            boolean gaveUp = false;
            while (!gaveUp && System.nanoTime() < deadline) {
                gaveUp = !push.send("x".getBytes(), Socket.DONTWAIT);
            }
            assertTrue(gaveUp, "after a refused connection the peer must be gone");
            SocketEvent e;
            while ((e = events.poll()) != null) {
                assertFalse(e.type() == SocketEvent.Type.CONNECT_RETRIED, "no reconnect may be scheduled: " + e);
            }
        }
    }

    @Test
    void withoutReconnectStopARefusedConnectKeepsRetryingAndDeliversLater() throws Exception {
        int port = unusedPort();
        try (Context ctx = new Context(); Socket push = ctx.socket(SocketType.PUSH)) {
            push.setOption(Option.LINGER, 0);
            push.setOption(Option.RECONNECT_IVL, 10);
            push.setOption(Option.RECONNECT_IVL_MAX, 40);
            LinkedBlockingQueue<SocketEvent> events = new LinkedBlockingQueue<>();
            push.addMonitor(events::add, SocketEvent.Type.CONNECT_RETRIED.code());
            push.connect("tcp://127.0.0.1:" + port);
            push.send("hello".getBytes());
            int[] intervals = new int[4];
            for (int i = 0; i < intervals.length; i++) {
                SocketEvent e = events.poll(10, TimeUnit.SECONDS);
                assertNotNull(e);
                intervals[i] = e.value();
            }
            assertArrayEquals(new int[] {10, 20, 40, 40}, intervals, "RECONNECT_IVL doubling up to RECONNECT_IVL_MAX");
            Socket pull = ctx.socket(SocketType.PULL);
            pull.setOption(Option.LINGER, 0);
            pull.setOption(Option.RCVTIMEO, 10_000);
            pull.bind("tcp://127.0.0.1:" + port);
            assertArrayEquals("hello".getBytes(), pull.recv(), "the queued message arrives once the peer binds");
            pull.close();
        }
    }

    @Test
    void keepaliveOptionsValidateAndConnectionsStillWork() {
        try (Context ctx = new Context(); Socket pull = ctx.socket(SocketType.PULL); Socket push = ctx.socket(SocketType.PUSH)) {
            for (Socket s : new Socket[] {pull, push}) {
                s.setOption(Option.LINGER, 0);
                s.setOption(Option.TCP_KEEPALIVE, 1);
                s.setOption(Option.TCP_KEEPALIVE_IDLE, 30);
                s.setOption(Option.TCP_KEEPALIVE_INTVL, 5);
                s.setOption(Option.TCP_KEEPALIVE_CNT, 3);
            }
            assertEquals(1, push.getOption(Option.TCP_KEEPALIVE));
            assertEquals(30, push.getOption(Option.TCP_KEEPALIVE_IDLE));
            assertThrows(ZmqException.class, () -> push.setOption(Option.TCP_KEEPALIVE, 2));
            assertThrows(ZmqException.class, () -> push.setOption(Option.RECONNECT_STOP, 8));
            pull.setOption(Option.RCVTIMEO, 5000);
            pull.bind("tcp://127.0.0.1:*");
            push.connect(pull.lastEndpoint());
            push.send("kept alive".getBytes());
            assertArrayEquals("kept alive".getBytes(), pull.recv());
        }
    }
}
