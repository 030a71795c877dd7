package org.zmq4j.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.zmq4j.support.Msgs.b;
import static org.zmq4j.support.Msgs.recv;
import static org.zmq4j.support.Msgs.send;
import static org.zmq4j.support.Msgs.socket;
import static org.zmq4j.support.Msgs.str;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.testsuite.LibzmqPeer;
import org.zmq4j.testsuite.LibzmqPeer.PeerSocket;

/**
 * zmq4j STREAM against libzmq 4.3.x STREAM (pyzmq), each side binding in turn: both see the
 * connect notification, data flows both ways, and closing with {@code [id, ""]} on one side shows
 * up as the disconnect notification on the other.
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamLibzmqInteropTest {
    private static final int WAIT_MS = 10_000;

    /** Expects {@code [id, ""]} at the libzmq socket; returns the id. */
    private static byte[] libzmqNotification(PeerSocket s) {
        List<byte[]> msg = s.recv(WAIT_MS);
        assertNotNull(msg, "libzmq STREAM: no notification");
        assertEquals(2, msg.size());
        assertEquals(0, msg.get(1).length, "libzmq STREAM: expected a notification, got data " + str(msg.get(1)));
        return msg.get(0);
    }

    private static byte[] zmq4jNotification(Socket s) {
        return notification(recv(s));
    }

    private static byte[] notification(List<byte[]> msg) {
        assertEquals(2, msg.size());
        assertEquals(0, msg.get(1).length, "zmq4j STREAM: expected a notification, got data " + str(msg.get(1)));
        return msg.get(0);
    }

    /**
     * Waits for a message at zmq4j while calling into the libzmq socket: libzmq finishes closing a
     * connection (after {@code [id, ""]}) only when its application thread calls the socket again,
     * as a real libzmq STREAM server would in its receive loop. Messages libzmq receives meanwhile
     * are kept in {@code seen}.
     */
    private static List<byte[]> recvPoking(Socket ours, PeerSocket theirs, Deque<List<byte[]>> seen) {
        ours.setOption(Option.RCVTIMEO, 50);
        try {
            long deadline = System.nanoTime() + WAIT_MS * 1_000_000L;
            while (System.nanoTime() - deadline < 0) {
                byte[] first = ours.recv();
                if (first != null) {
                    return List.of(first, ours.recv());
                }
                List<byte[]> t = theirs.recv(20);
                if (t != null) {
                    seen.add(t);
                }
            }
            throw new AssertionError("zmq4j STREAM received nothing within " + WAIT_MS + " ms");
        } finally {
            ours.setOption(Option.RCVTIMEO, WAIT_MS);
        }
    }

    /** The next notification at libzmq, from those already seen or a new one. */
    private static byte[] libzmqNotification(PeerSocket s, Deque<List<byte[]>> seen) {
        return seen.isEmpty() ? libzmqNotification(s) : notification(seen.poll());
    }

    /** Collects {@code text} as it arrives at the libzmq STREAM in one or more chunks. */
    private static void libzmqExpects(PeerSocket s, byte[] id, String text) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (got.size() < text.length()) {
            List<byte[]> msg = s.recv(WAIT_MS);
            assertNotNull(msg, "libzmq STREAM: data did not arrive; so far '" + got + "'");
            assertArrayEquals(id, msg.get(0), "libzmq STREAM: data from an unexpected connection");
            got.writeBytes(msg.get(1));
        }
        assertEquals(text, got.toString());
    }

    private static void zmq4jExpects(Socket s, byte[] id, String text) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (got.size() < text.length()) {
            List<byte[]> msg = recv(s);
            assertArrayEquals(id, msg.get(0), "zmq4j STREAM: data from an unexpected connection");
            got.writeBytes(msg.get(1));
        }
        assertEquals(text, got.toString());
    }

    @Test
    void zmq4jConnectsToLibzmqStream() {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context()) {
            PeerSocket theirs = peer.socket(SocketType.STREAM);
            String endpoint = theirs.bind("tcp://127.0.0.1:*", 0);
            Socket ours = socket(ctx, SocketType.STREAM);
            ours.setOption(Option.RECONNECT_IVL, 50);
            ours.connect(endpoint);

            byte[] ourId = zmq4jNotification(ours);
            byte[] theirId = libzmqNotification(theirs);

            send(ours, ourId, b("hello from zmq4j"));
            libzmqExpects(theirs, theirId, "hello from zmq4j");
            theirs.send(List.of(theirId, b("hello from libzmq")), WAIT_MS, false);
            zmq4jExpects(ours, ourId, "hello from libzmq");

            theirs.send(List.of(theirId, new byte[0]), WAIT_MS, false); // libzmq closes the connection
            Deque<List<byte[]>> seen = new ArrayDeque<>();
            assertArrayEquals(ourId, notification(recvPoking(ours, theirs, seen)), "disconnect notification at zmq4j");

            // zmq4j reconnects with the same id; libzmq sees a new connection
            assertArrayEquals(ourId, zmq4jNotification(ours), "reconnect notification at zmq4j");
            byte[] theirSecond = libzmqNotification(theirs, seen);
            send(ours, ourId, b("second"));
            libzmqExpects(theirs, theirSecond, "second");

            send(ours, ourId, new byte[0]); // zmq4j closes it for good
            assertArrayEquals(theirSecond, libzmqNotification(theirs), "disconnect notification at libzmq");
            ours.setOption(Option.RCVTIMEO, 300);
            assertNull(ours.recv(), "no reconnect after the application closed the connection");
        }
    }

    @Test
    void libzmqConnectsToZmq4jStream() {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context()) {
            Socket ours = socket(ctx, SocketType.STREAM);
            ours.bind("tcp://127.0.0.1:*");
            PeerSocket theirs = peer.socket(SocketType.STREAM);
            theirs.setOption("CONNECT_ROUTING_ID", b("to-zmq4j"));
            theirs.connect(ours.lastEndpoint());

            assertEquals("to-zmq4j", str(libzmqNotification(theirs)));
            byte[] ourId = zmq4jNotification(ours);

            theirs.send(List.of(b("to-zmq4j"), b("ping")), WAIT_MS, false);
            zmq4jExpects(ours, ourId, "ping");
            send(ours, ourId, b("pong"));
            libzmqExpects(theirs, b("to-zmq4j"), "pong");

            send(ours, ourId, new byte[0]); // zmq4j closes the accepted connection
            assertEquals("to-zmq4j", str(libzmqNotification(theirs)), "disconnect notification at libzmq");

            byte[] reconnected = zmq4jNotification(ours); // libzmq reconnects: a new connection, a new id
            assertEquals(5, reconnected.length);
            theirs.send(List.of(b("to-zmq4j"), new byte[0]), WAIT_MS, false); // libzmq closes it
            Deque<List<byte[]>> seen = new ArrayDeque<>();
            assertArrayEquals(reconnected, notification(recvPoking(ours, theirs, seen)), "disconnect notification at zmq4j");
        }
    }
}
