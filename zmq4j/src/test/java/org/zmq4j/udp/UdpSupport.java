package org.zmq4j.udp;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.zmq4j.Message;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.Context;
import org.zmq4j.support.Msgs;

/**
 * Shared plumbing for the udp tests: sockets with LINGER 0 and bounded timeouts, a synchronisation
 * step that proves the path RADIO → DISH works before a test asserts anything (udp may lose
 * datagrams in principle, so the first message is sent in a bounded retry loop), and raw datagram
 * helpers with deadlines. No sleeps: every wait is a bounded receive.
 */
final class UdpSupport {
    /** RCVTIMEO of every dish made here. */
    static final int TIMEO_MS = 5_000;
    /** Deadline of every retry loop. */
    static final long SETTLE_MS = 10_000;
    /** Wait between two probes of a retry loop (a bounded receive, not a sleep). */
    static final int PROBE_MS = 20;

    private static final AtomicInteger SYNC_COUNTER = new AtomicInteger();

    private UdpSupport() {
    }

    /** A DISH bound to {@code endpoint}, with LINGER 0 and RCVTIMEO {@value #TIMEO_MS}. */
    static Socket dish(Context ctx, String endpoint) {
        Socket dish = Msgs.socket(ctx, SocketType.DISH, TIMEO_MS, -1);
        dish.bind(endpoint);
        return dish;
    }

    /** A RADIO connected to {@code endpoint}, with LINGER 0. */
    static Socket radio(Context ctx, String endpoint) {
        Socket radio = Msgs.socket(ctx, SocketType.RADIO, -1, -1);
        radio.connect(endpoint);
        return radio;
    }

    /** A message in a group. */
    static Message msg(String group, String text) {
        return Message.of(text).withGroup(group);
    }

    /**
     * Proves {@code radio} reaches {@code dish}: the dish joins a fresh group, the radio sends into
     * it until one arrives (bounded), and the dish leaves it again so late copies are filtered out.
     */
    static void sync(Socket radio, Socket dish) {
        String group = "sync-" + SYNC_COUNTER.incrementAndGet();
        dish.join(group);
        dish.setOption(Option.RCVTIMEO, PROBE_MS);
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MS);
            while (System.nanoTime() < deadline) {
                assertTrue(radio.send(msg(group, "probe")));
                Message m = dish.recvMessage();
                while (m != null && !group.equals(m.group())) {
                    m = dish.recvMessage(); // an earlier sync's straggler
                }
                if (m != null) {
                    return;
                }
            }
            fail("no datagram from the radio reached the dish within " + SETTLE_MS + " ms");
        } finally {
            dish.leave(group);
            dish.setOption(Option.RCVTIMEO, TIMEO_MS);
        }
    }

    /**
     * Receives the next message whose group is not a sync group (stragglers of {@link #sync} are
     * filtered by the dish already; this is a second guard), within RCVTIMEO.
     */
    static Message recv(Socket dish) {
        Message m = dish.recvMessage();
        assertNotNull(m, "no message within " + TIMEO_MS + " ms");
        return m;
    }

    /** The port of a resolved {@code udp://host:port} endpoint. */
    static int port(String endpoint) {
        return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    }

    /** A bytes' UTF-8 text. */
    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A datagram in libzmq's layout: [group length][group][body]. */
    static ByteBuffer datagram(String group, byte[] body) {
        byte[] g = group.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + g.length + body.length);
        b.put((byte) g.length).put(g).put(body).flip();
        return b;
    }

    /** A plain, unconnected IPv4 datagram channel bound to 127.0.0.1 on an ephemeral port. */
    static DatagramChannel rawChannel() throws IOException {
        DatagramChannel ch = DatagramChannel.open(java.net.StandardProtocolFamily.INET);
        ch.bind(new InetSocketAddress("127.0.0.1", 0));
        ch.configureBlocking(false);
        return ch;
    }

    /** The port a raw channel is bound to. */
    static int localPort(DatagramChannel ch) throws IOException {
        return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }

    /**
     * Receives one datagram on a non-blocking channel within {@code timeoutMs}.
     *
     * @return its bytes, or null when none came
     */
    static byte[] receiveRaw(DatagramChannel ch, long timeoutMs) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        try (Selector selector = Selector.open()) {
            SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
            try {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
                while (true) {
                    if (ch.receive(buf) != null) {
                        buf.flip();
                        byte[] out = new byte[buf.remaining()];
                        buf.get(out);
                        return out;
                    }
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        return null;
                    }
                    selector.select(left);
                    selector.selectedKeys().clear();
                }
            } finally {
                key.cancel();
                selector.selectNow(); // deregister, so the channel may be used blocking or elsewhere
            }
        }
    }
}
