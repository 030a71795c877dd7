package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.support.ContextPerTest;
import org.zmq4j.support.Msgs;

/**
 * The copying API ({@code send(buf, off, len, flags)} / {@code recv(buf, off, len, flags)}, like
 * zmq_send / zmq_recv) and the array recycling behind it: arrays go back from reader to writer, so
 * these tests check above all that a recycled array never changes a message still in flight or one
 * already handed to the application.
 */
class CopyApiTest extends ContextPerTest {
    private static final int WAIT_MS = 10_000;
    private final List<Socket> sockets = new ArrayList<>();

    /** Closes the sockets before the context closes (ContextPerTest's @AfterEach runs after this one). */
    @AfterEach
    void closeSockets() {
        sockets.forEach(Socket::close);
    }

    private Socket socket(SocketType type) {
        Socket s = Msgs.socket(ctx, type, WAIT_MS, WAIT_MS);
        sockets.add(s);
        return s;
    }

    private Socket[] pushPull(String transport) {
        Socket pull = socket(SocketType.PULL);
        Socket push = socket(SocketType.PUSH);
        String ep = transport.equals("inproc") ? "inproc://copy-" + System.nanoTime() : transport + "://" + (transport.equals("tcp") ? "127.0.0.1:*" : "*");
        pull.bind(ep);
        push.connect(pull.lastEndpoint().isEmpty() ? ep : pull.lastEndpoint());
        return new Socket[] {push, pull};
    }

    /** Message {@code seq} of {@code size} bytes: the sequence number then a pattern derived from it. */
    private static byte[] message(int seq, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (seq * 31 + i);
        }
        if (size >= 4) {
            ByteBuffer.wrap(b).putInt(seq);
        }
        return b;
    }

    @Test
    void theSendBufferMayBeReusedAtOnce() {
        Socket[] s = pushPull("inproc");
        byte[] buf = "first".getBytes();
        assertTrue(s[0].send(buf, 0, buf.length, 0));
        buf[0] = 'X';
        assertArrayEquals("first".getBytes(), s[1].recv(), "the socket sent a copy");
    }

    @Test
    void offsetLengthAndTruncationFollowZmqRecv() {
        Socket[] s = pushPull("tcp");
        byte[] src = "..hello world..".getBytes();
        assertTrue(s[0].send(src, 2, 11, 0));
        byte[] into = new byte[8];
        assertEquals(11, s[1].recv(into, 1, 5, 0), "the full size is returned even when truncated");
        assertArrayEquals(new byte[] {0, 'h', 'e', 'l', 'l', 'o', 0, 0}, into);
        assertEquals(-1, s[1].recv(into, 0, 8, Socket.DONTWAIT), "nothing more: -1");
        assertThrows(IndexOutOfBoundsException.class, () -> s[1].recv(into, 4, 5, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> s[0].send(src, -1, 2, 0));
    }

    @Test
    void emptyMessagesAndMultipartThroughTheCopyingApi() {
        Socket[] s = pushPull("tcp");
        byte[] a = "part-a".getBytes();
        assertTrue(s[0].send(a, 0, a.length, Socket.SNDMORE));
        assertTrue(s[0].send(new byte[0], 0, 0, 0));
        byte[] into = new byte[16];
        assertEquals(6, s[1].recv(into, 0, 16, 0));
        assertTrue(s[1].hasMore());
        assertEquals(0, s[1].recv(into, 0, 16, 0));
        assertEquals(false, s[1].hasMore());
    }

    /**
     * Many equal- and varying-size messages through the recycling path in both directions of the
     * reuse: each message is checked byte for byte, so an array reused while still queued would
     * show up as a corrupted or repeated message.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc", "inproc"})
    void recycledArraysNeverCorruptMessages(String transport) {
        Socket[] s = pushPull(transport);
        int count = 30_000;
        byte[] into = new byte[300];
        Thread sender = new Thread(() -> {
            for (int i = 0; i < count; i++) {
                byte[] m = message(i, size(i));
                s[0].send(m, 0, m.length, 0);
            }
        }, "copy sender");
        sender.start();
        for (int i = 0; i < count; i++) {
            int n = s[1].recv(into, 0, into.length, 0);
            assertEquals(size(i), n, "size of message " + i);
            byte[] got = java.util.Arrays.copyOf(into, n);
            assertArrayEquals(message(i, size(i)), got, "content of message " + i);
        }
        assertTimeout(sender);
    }

    /**
     * Bodies of 40 KiB and more are written from their own array (not copied into the engine's
     * buffer) and recycled only once the kernel has taken all of them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "ipc"})
    void largeRecycledBodiesArriveIntact(String transport) {
        Socket[] s = pushPull(transport);
        int count = 3_000;
        int size = 40 * 1024;
        Thread sender = new Thread(() -> {
            for (int i = 0; i < count; i++) {
                byte[] m = message(i, i % 10 == 0 ? size + 1 : size);
                s[0].send(m, 0, m.length, 0);
            }
        }, "large copy sender");
        sender.start();
        byte[] into = new byte[size + 1];
        for (int i = 0; i < count; i++) {
            int n = s[1].recv(into, 0, into.length, 0);
            int expected = i % 10 == 0 ? size + 1 : size;
            assertEquals(expected, n, "size of message " + i);
            assertArrayEquals(message(i, expected), java.util.Arrays.copyOf(into, n), "content of message " + i);
        }
        assertTimeout(sender);
    }

    /** Mostly 64 B (the recycled size), sometimes other sizes (arrays of the wrong size are dropped). */
    private static int size(int i) {
        return i % 97 == 0 ? 200 + i % 50 : i % 89 == 0 ? 1 : 64;
    }

    private static void assertTimeout(Thread t) {
        try {
            t.join(WAIT_MS * 3L);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertTrue(!t.isAlive(), "sender finished");
    }

    /**
     * Arrays handed to the application by the plain recv() are its own: later traffic through the
     * recycling path never writes into them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "inproc"})
    void arraysReturnedByRecvAreNeverReused(String transport) {
        Socket[] s = pushPull(transport);
        List<byte[]> kept = new ArrayList<>();
        byte[] into = new byte[64];
        for (int round = 0; round < 200; round++) {
            byte[] m = message(round, 64);
            s[0].send(m, 0, 64, 0);
            if (round % 2 == 0) {
                kept.add(s[1].recv());
            } else {
                assertEquals(64, s[1].recv(into, 0, 64, 0));
            }
        }
        for (int i = 0; i < kept.size(); i++) {
            assertArrayEquals(message(i * 2, 64), kept.get(i), "kept message " + i * 2 + " unchanged");
        }
    }

    /** PUB writes one array to many pipes: it must not take part in reuse; each subscriber sees every message intact. */
    @Test
    void fanOutThroughTheCopyingApiStaysIntact() {
        Socket pub = socket(SocketType.PUB);
        pub.bind("inproc://copy-fanout");
        Socket a = socket(SocketType.SUB);
        Socket b = socket(SocketType.SUB);
        for (Socket sub : new Socket[] {a, b}) {
            sub.setOption(Option.SUBSCRIBE, new byte[0]);
            sub.connect("inproc://copy-fanout");
        }
        byte[] into = new byte[64];
        for (int i = 0; i < 500; i++) {
            byte[] m = message(i, 64);
            pub.send(m, 0, 64, 0);
            for (Socket sub : new Socket[] {a, b}) {
                assertEquals(64, sub.recv(into, 0, 64, 0));
                assertArrayEquals(m, into, "message " + i);
            }
        }
    }
}
