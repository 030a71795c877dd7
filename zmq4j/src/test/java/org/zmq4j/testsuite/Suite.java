package org.zmq4j.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import org.zmq4j.Context;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.support.Msgs;

/**
 * Helpers shared by the suite: bounded receives and deliveries between {@link End}s, publish/subscribe
 * synchronisation by probes, and for the tests that drive zmq4j sockets directly, sockets with
 * bounded timeouts and whole-message receives. Every wait is bounded; no sleep stands in for an
 * event.
 */
final class Suite {
    /** How long a message that should arrive may take. */
    static final int RECV_TIMEOUT_MS = 10_000;
    /** How long a subscription or reconnection may take to take effect. */
    static final Duration SETTLE = Duration.ofSeconds(20);
    /** How long one probe waits for delivery before the next is sent. */
    static final int PROBE_WAIT_MS = 100;
    /** RCVTIMEO / SNDTIMEO of every socket made by {@link #socket(Context, SocketType)}. */
    static final int TIMEOUT_MS = 5_000;
    /** Deadline of the bounded waiting loops of the tests that drive zmq4j sockets directly. */
    static final long AWAIT_MS = 5_000;

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final Pattern PROBE = Pattern.compile("[A-Za-z0-9._-]+#[0-9]+");

    private Suite() {
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String str(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    // ---- zmq4j sockets driven directly ----

    /** A zmq4j socket with LINGER 0 and RCVTIMEO/SNDTIMEO {@value #TIMEOUT_MS} ms. */
    static Socket socket(Context ctx, SocketType type) {
        return Msgs.socket(ctx, type, TIMEOUT_MS, TIMEOUT_MS);
    }

    /** A socket made by {@link #socket(Context, SocketType)}, bound to {@code endpoint}. */
    static Socket bound(Context ctx, SocketType type, String endpoint) {
        Socket s = socket(ctx, type);
        s.bind(endpoint);
        return s;
    }

    /** A socket made by {@link #socket(Context, SocketType)}, connected to {@code endpoint}. */
    static Socket connected(Context ctx, SocketType type, String endpoint) {
        Socket s = socket(ctx, type);
        s.connect(endpoint);
        return s;
    }

    /** {@code from} sends the one-frame message {@code text}; {@code to} must receive exactly that. */
    static void passes(Socket from, Socket to, String text) {
        assertTrue(from.send(b(text)), from.type() + " send of '" + text + "' not accepted within SNDTIMEO");
        assertEquals(text, str(to.recv()));
    }

    /** A fresh inproc endpoint, unique within this JVM. */
    static String inproc(String what) {
        return "inproc://zmq4j-suite-" + what + "-" + NAMES.incrementAndGet();
    }

    /** A fresh counter value (for unique file names). */
    static int nextId() {
        return NAMES.incrementAndGet();
    }

    /** Receives a whole message; fails when the first frame does not arrive within RCVTIMEO. */
    static List<byte[]> recvWhole(Socket s) {
        byte[] first = s.recv();
        assertNotNull(first, s.type() + " received nothing within RCVTIMEO");
        return rest(s, first, s.type()).frames();
    }

    /**
     * The message whose first frame was just received from {@code s}: the other frames must be
     * there at once (a multipart message is delivered whole or not at all).
     */
    static Msg rest(Socket s, byte[] first, Object who) {
        List<byte[]> frames = new ArrayList<>();
        frames.add(first);
        while (s.hasMore()) {
            byte[] next = s.recv(Socket.DONTWAIT);
            if (next == null) {
                throw new AssertionError(who + ": a multipart message must be delivered whole, but frame "
                        + frames.size() + " was missing after " + new Msg(frames) + " (hasMore was true)");
            }
            frames.add(next);
        }
        return new Msg(frames);
    }

    // ---- ends ----

    /** Receives the next message at {@code at}, failing with {@code what} when none comes in time. */
    static Msg expectMsg(End at, String what) {
        Msg m = at.recv(RECV_TIMEOUT_MS);
        assertNotNull(m, what + ": " + at + " received nothing within " + RECV_TIMEOUT_MS + " ms");
        return m;
    }

    /** Receives the next message at {@code at} and checks it is exactly {@code expected}. */
    static void expect(End at, Msg expected, String what) {
        Msg m = expectMsg(at, what);
        assertEquals(expected, m, what + ": wrong message at " + at);
    }

    /**
     * Like {@link #expect} but pokes {@code other} between short waits, for a message that
     * {@code other} only sends once it has processed a new connection (see {@link End#poke()}).
     */
    static void expectPoking(End at, End other, Msg expected, String what) {
        long deadline = System.nanoTime() + RECV_TIMEOUT_MS * 1_000_000L;
        while (System.nanoTime() - deadline < 0) {
            Msg m = at.recv(PROBE_WAIT_MS);
            if (m != null) {
                assertEquals(expected, m, what + ": wrong message at " + at);
                return;
            }
            other.poke();
        }
        throw new AssertionError(what + ": " + at + " received nothing within " + RECV_TIMEOUT_MS + " ms");
    }

    /** Sends {@code sent} from one end and checks the other receives exactly {@code expected}. */
    static void deliver(End from, End to, Msg sent, Msg expected, String what) {
        from.send(sent);
        expect(to, expected, what + " (" + from + " -> " + to + ")");
    }

    static void deliver(End from, End to, Msg msg, String what) {
        deliver(from, to, msg, msg, what);
    }

    // ---- publish/subscribe ----

    /** Subscribes: the SUBSCRIBE option on SUB, a \x01topic message on XSUB. */
    static void subscribe(End sub, String topic) {
        if (sub.type() == SocketType.XSUB) {
            sub.send(Msg.of("\u0001" + topic));
        } else {
            sub.option("SUBSCRIBE", b(topic));
        }
    }

    /** Unsubscribes: the UNSUBSCRIBE option on SUB, a \x00topic message on XSUB. */
    static void unsubscribe(End sub, String topic) {
        if (sub.type() == SocketType.XSUB) {
            sub.send(Msg.of("\u0000" + topic));
        } else {
            sub.option("UNSUBSCRIBE", b(topic));
        }
    }

    /**
     * Publishes probe messages "{@code topic}#k" until one reaches the subscriber, proving the
     * subscription to {@code topic} is in effect at the publisher (slow joiner). Bounded by
     * {@link #SETTLE}; each probe waits {@link #PROBE_WAIT_MS} at the subscriber. Leftover probes
     * (of any topic) are skipped; anything else arriving fails the test.
     */
    static void awaitFlowing(End pub, End sub, String topic, String what) {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        int k = 0;
        while (System.nanoTime() - deadline < 0) {
            pub.send(Msg.of(topic + "#" + k++));
            long waitUntil = System.nanoTime() + PROBE_WAIT_MS * 1_000_000L;
            while (System.nanoTime() - waitUntil < 0) {
                Msg m = sub.recv(PROBE_WAIT_MS);
                if (m == null) {
                    break;
                }
                if (m.text(0).startsWith(topic + "#")) {
                    return;
                }
                if (!isProbe(m)) {
                    throw new AssertionError(what + ": while waiting for probes on '" + topic + "', " + sub
                            + " received an unexpected " + m);
                }
            }
        }
        throw new AssertionError(what + ": none of " + k + " probes on '" + topic + "' published by " + pub
                + " reached " + sub + " within " + SETTLE + " (subscription not propagated?)");
    }

    /** Whether {@code m} is a probe sent by {@link #awaitFlowing}: one frame "topic#k". */
    static boolean isProbe(Msg m) {
        return m.size() == 1 && m.frame(0).length <= 64 && PROBE.matcher(m.text(0)).matches();
    }

    /** The next message at {@code sub} that is not a probe; fails when none comes in time. */
    static Msg expectSkippingProbes(End sub, String what) {
        long deadline = System.nanoTime() + RECV_TIMEOUT_MS * 1_000_000L;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            Msg m = left > 0 ? sub.recv((int) left) : null;
            assertNotNull(m, what + ": " + sub + " received nothing (besides probes) within " + RECV_TIMEOUT_MS + " ms");
            if (!isProbe(m)) {
                return m;
            }
        }
    }

    /** Checks the next non-probe message at {@code sub} is {@code expected}. */
    static void expectSkippingProbes(End sub, Msg expected, String what) {
        assertEquals(expected, expectSkippingProbes(sub, what), what + ": wrong message at " + sub);
    }
}
