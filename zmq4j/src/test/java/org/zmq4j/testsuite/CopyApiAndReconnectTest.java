package org.zmq4j.testsuite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.support.Msgs;
import org.zmq4j.testsuite.LibzmqPeer.PeerSocket;

/**
 * Against real libzmq over tcp and ipc, both directions: the copying send/recv with array recycling (small frames,
 * and bodies large enough to be written from their own array and to make the reader's buffer
 * grow), and an XPUB that reconnects to a restarted libzmq SUB seeing the old connection's
 * subscription cancelled before the new one arrives.
 */
@ExtendWith(NamedFailures.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CopyApiAndReconnectTest {
    private static final int WAIT_MS = 10_000;
    private static final int COUNT = 300;

    /** Message {@code i}: sizes cycle through small, 64 B and 40 KiB, content derived from i. */
    private static byte[] message(int i) {
        int size = i % 3 == 0 ? 40 * 1024 + i : i % 3 == 1 ? 64 : i % 50;
        byte[] b = new byte[size];
        for (int k = 0; k < size; k++) {
            b[k] = (byte) (i * 31 + k);
        }
        return b;
    }

    static Stream<Transport> transports() {
        return Case.libzmqTransports();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void copyingSendFromZmq4jReachesALibzmqPullIntact(Transport t) {
        try (Harness h = new Harness(t)) {
            PeerSocket pull = h.peer().socket(SocketType.PULL);
            String endpoint = pull.bind(h.bindable(), 0);
            Socket push = Msgs.socket(h.ctx(), SocketType.PUSH, -1, -1);
            push.connect(endpoint);
            byte[] buffer = new byte[64 * 1024];
            for (int i = 0; i < COUNT; i++) {
                byte[] m = message(i);
                System.arraycopy(m, 0, buffer, 0, m.length);
                assertTrue(push.send(buffer, 0, m.length, 0));
                buffer[0] ^= 0x55; // the socket copied: changing the buffer now must not matter
                List<byte[]> got = pull.recv(WAIT_MS);
                assertNotNull(got, "message " + i + " reached libzmq");
                assertEquals(1, got.size());
                assertArrayEquals(m, got.get(0), "message " + i + " intact at libzmq");
            }
            push.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void receivingIntoABufferFromALibzmqPushIsIntact(Transport t) {
        try (Harness h = new Harness(t)) {
            PeerSocket push = h.peer().socket(SocketType.PUSH);
            String endpoint = push.bind(h.bindable(), 0);
            Socket pull = Msgs.socket(h.ctx(), SocketType.PULL, WAIT_MS, -1);
            pull.connect(endpoint);
            byte[] into = new byte[64 * 1024];
            for (int i = 0; i < COUNT; i++) {
                byte[] m = message(i);
                assertEquals(null, push.send(List.of(m), WAIT_MS, false), "libzmq sent message " + i);
            }
            for (int i = 0; i < COUNT; i++) {
                byte[] m = message(i);
                int n = pull.recv(into, 0, into.length, 0);
                assertEquals(m.length, n, "size of message " + i);
                assertArrayEquals(m, Arrays.copyOf(into, n), "message " + i + " intact at zmq4j");
            }
            pull.close();
        }
    }

    /**
     * The next message XPUB passes up. A libzmq socket attaches an accepted connection (and so sends
     * its subscriptions) only inside an API call, so the SUB is poked with short receives meanwhile.
     */
    private static byte[] upstream(Socket xpub, PeerSocket sub) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (System.nanoTime() < deadline) {
            byte[] m = xpub.recv(Socket.DONTWAIT);
            if (m != null) {
                return m;
            }
            assertEquals(null, sub.recv(20), "nothing is published in this test");
        }
        return null;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transports")
    void xpubReconnectingToARestartedLibzmqSubCancelsTheOldSubscription(Transport t) {
        try (Harness h = new Harness(t)) {
            Socket xpub = Msgs.socket(h.ctx(), SocketType.XPUB, -1, -1);
            xpub.setOption(Option.RECONNECT_IVL, 20);
            String endpoint;
            try (LibzmqPeer first = LibzmqPeer.start()) {
                PeerSocket sub = first.socket(SocketType.SUB);
                sub.setOption("SUBSCRIBE", Suite.b("A"));
                endpoint = sub.bind(h.bindable(), 0);
                xpub.connect(endpoint);
                assertArrayEquals(new byte[] {1, 'A'}, upstream(xpub, sub), "the first SUB's subscription");
                first.kill();
            }
            try (LibzmqPeer second = LibzmqPeer.start()) {
                PeerSocket sub = second.socket(SocketType.SUB);
                sub.setOption("SUBSCRIBE", Suite.b("B"));
                sub.bind(endpoint, WAIT_MS);
                assertArrayEquals(new byte[] {0, 'A'}, upstream(xpub, sub), "the old connection's subscription is cancelled");
                assertArrayEquals(new byte[] {1, 'B'}, upstream(xpub, sub), "then the new SUB's subscription");
            }
            xpub.close();
        }
    }
}
