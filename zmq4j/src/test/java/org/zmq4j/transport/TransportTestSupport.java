package org.zmq4j.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * Shared plumbing for the transport tests: sockets with LINGER 0 and bounded timeouts, multipart
 * helpers, the standard payloads (multipart, empty frames, 1 MiB frames) and bounded waiting loops.
 * No sleeps are used as synchronisation: waits poll a condition until a deadline.
 */
final class TransportTestSupport {
    /** RCVTIMEO / SNDTIMEO of every socket made by {@link #socket(Context, SocketType)}. */
    static final int TIMEOUT_MS = 5_000;
    /** Deadline for bounded waiting loops. */
    static final long SETTLE_MS = 5_000;
    /** One mebibyte. */
    static final int MIB = 1 << 20;

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final HexFormat HEX = HexFormat.of();

    private TransportTestSupport() {
    }

    /** A socket with LINGER 0 and RCVTIMEO/SNDTIMEO {@value #TIMEOUT_MS} ms. */
    static Socket socket(Context ctx, SocketType type) {
        Socket s = ctx.socket(type);
        s.setOption(Option.LINGER, 0);
        s.setOption(Option.RCVTIMEO, TIMEOUT_MS);
        s.setOption(Option.SNDTIMEO, TIMEOUT_MS);
        return s;
    }

    /** A fresh inproc endpoint, unique within this JVM. */
    static String inproc(String what) {
        return "inproc://zmq4j-transport-test-" + what + "-" + NAMES.incrementAndGet();
    }

    /** A fresh counter value (for unique file names). */
    static int nextId() {
        return NAMES.incrementAndGet();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Deterministic pseudo-random bytes. */
    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static List<byte[]> frames(byte[]... frames) {
        return new ArrayList<>(Arrays.asList(frames));
    }

    static List<byte[]> frames(String... frames) {
        List<byte[]> out = new ArrayList<>();
        for (String f : frames) {
            out.add(bytes(f));
        }
        return out;
    }

    /** Prepends {@code head} to a copy of {@code body}. */
    static List<byte[]> prepend(List<byte[]> body, byte[]... head) {
        List<byte[]> out = new ArrayList<>(Arrays.asList(head));
        out.addAll(body);
        return out;
    }

    /**
     * The standard bodies every socket pair carries: a multipart message with empty frames and a
     * 1 MiB frame, a single empty frame, a single 1 MiB frame, a trailing empty frame.
     */
    static List<List<byte[]>> standardBodies() {
        List<List<byte[]>> out = new ArrayList<>();
        out.add(frames(new byte[0], bytes("hello"), random(MIB, 1), new byte[0], bytes("tail")));
        out.add(frames(new byte[0]));
        out.add(frames(random(MIB, 2)));
        out.add(frames(bytes("x"), new byte[0]));
        return out;
    }

    /** The reply to {@code body} in round {@code round}: a tag frame, then the body reversed. */
    static List<byte[]> replyTo(List<byte[]> body, int round) {
        List<byte[]> out = new ArrayList<>();
        out.add(bytes("reply-" + round));
        for (int i = body.size() - 1; i >= 0; i--) {
            out.add(body.get(i));
        }
        return out;
    }

    /** Sends all frames of a message; fails when a frame is not accepted within SNDTIMEO. */
    static void sendMultipart(Socket s, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            boolean last = i == frames.size() - 1;
            boolean ok = last ? s.send(frames.get(i)) : s.sendMore(frames.get(i));
            assertTrue(ok, "send of frame " + i + " of " + frames.size() + " on " + s.type() + " timed out");
        }
    }

    /** Receives a whole message; fails when the first frame does not arrive within RCVTIMEO. */
    static List<byte[]> recvMultipart(Socket s) {
        byte[] first = s.recv();
        assertNotNull(first, s.type() + " received nothing within RCVTIMEO");
        return restOf(s, first);
    }

    /** Receives a whole message, or returns null when none arrives within RCVTIMEO. */
    static List<byte[]> recvMultipartOrNull(Socket s) {
        byte[] first = s.recv();
        return first == null ? null : restOf(s, first);
    }

    private static List<byte[]> restOf(Socket s, byte[] first) {
        List<byte[]> out = new ArrayList<>();
        out.add(first);
        while (s.hasMore()) {
            byte[] next = s.recv(Socket.DONTWAIT);
            assertNotNull(next, "a multipart message must be delivered whole: frame " + out.size() + " missing");
            out.add(next);
        }
        return out;
    }

    /** Asserts two messages are equal frame by frame, with a readable message. */
    static void assertFrames(List<byte[]> expected, List<byte[]> actual, String what) {
        assertNotNull(actual, what + ": no message");
        assertEquals(expected.size(), actual.size(), () -> what + ": frame count; expected " + describe(expected)
                + " but got " + describe(actual));
        for (int i = 0; i < expected.size(); i++) {
            int index = i;
            assertArrayEquals(expected.get(i), actual.get(i), () -> what + ": frame " + index + "; expected "
                    + describe(expected) + " but got " + describe(actual));
        }
    }

    /** A short description of a message: sizes, and the text of small frames. */
    static String describe(List<byte[]> message) {
        if (message == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < message.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            byte[] f = message.get(i);
            if (f.length <= 32) {
                sb.append("x").append(HEX.formatHex(f));
            } else {
                sb.append(f.length).append(" bytes");
            }
        }
        return sb.append("]").toString();
    }

    static String hex(byte[] b) {
        return "x" + HEX.formatHex(b);
    }

    /** Polls {@code condition} until it holds or {@code millis} pass; fails with {@code what}. */
    static void await(BooleanSupplier condition, long millis, String what) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + millis + " ms: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
    }
}
