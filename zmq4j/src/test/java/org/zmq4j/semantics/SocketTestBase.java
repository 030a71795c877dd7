package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.function.Executable;
import org.zmq4j.Context;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.support.ContextPerTest;
import org.zmq4j.support.Msgs;

/**
 * Shared plumbing for the zmq4j-to-zmq4j socket semantics tests: one {@link Context} per test
 * ({@link ContextPerTest}), sockets with LINGER 0 (so that closing is instant) and a bounded RCVTIMEO (so that a missing
 * message fails the test with a clear message instead of hanging), helpers for strings and
 * multipart messages, and bounded waiting loops (no sleeps used as synchronisation).
 * <p>
 * The expected behaviour in every subclass is libzmq 4.3's (zmq_socket(3), zmq_setsockopt(3) and
 * the RFCs in specs/); where a number or an error code was checked against libzmq 4.3.4 through
 * pyzmq, the test's Javadoc says so.
 */
abstract class SocketTestBase extends ContextPerTest {
    /** RCVTIMEO given to every socket made by {@link #socket(SocketType)}. */
    static final int DEFAULT_RCVTIMEO_MS = 5_000;
    /** Deadline for bounded waiting loops (connections being made, subscriptions arriving). */
    static final long SETTLE_DEADLINE_MS = 5_000;
    /** Endpoint for binding to a free loopback port. */
    static final String ANY_LOOPBACK = "tcp://127.0.0.1:*";

    /** A socket with LINGER 0 and RCVTIMEO {@value #DEFAULT_RCVTIMEO_MS} ms. */
    Socket socket(SocketType type) {
        return socket(ctx, type);
    }

    static Socket socket(Context context, SocketType type) {
        return Msgs.socket(context, type, DEFAULT_RCVTIMEO_MS, -1);
    }

    /** Binds to a free loopback port and returns the resolved endpoint. */
    static String bindAny(Socket s) {
        s.bind(ANY_LOOPBACK);
        String ep = s.lastEndpoint();
        assertNotNull(ep, "lastEndpoint() after bind");
        assertTrue(ep.startsWith("tcp://127.0.0.1:") && !ep.endsWith(":*") && !ep.endsWith(":0"),
                "lastEndpoint() must be the resolved endpoint, got '" + ep + "'");
        return ep;
    }

    /** A loopback TCP port that nothing listens on (at the moment of the call). */
    static int freePort() {
        return Msgs.freePort();
    }

    static String freeEndpoint() {
        return "tcp://127.0.0.1:" + freePort();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String str(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }

    /** Receives one frame, failing the test if RCVTIMEO expires. */
    static String recvStr(Socket s) {
        byte[] frame = s.recv();
        assertNotNull(frame, "timed out waiting for a frame on " + s.type());
        return str(frame);
    }

    /** Receives a whole message (all frames), failing the test if RCVTIMEO expires. */
    static List<String> recvMsg(Socket s) {
        List<String> frames = new ArrayList<>();
        do {
            frames.add(recvStr(s));
        } while (s.hasMore());
        return frames;
    }

    /** Receives a whole message without blocking; null when none is ready. */
    static List<String> recvMsgNow(Socket s) {
        byte[] first = s.recv(Socket.DONTWAIT);
        if (first == null) {
            return null;
        }
        List<String> frames = new ArrayList<>();
        frames.add(str(first));
        while (s.hasMore()) {
            frames.add(recvStr(s));
        }
        return frames;
    }

    /** Sends a multipart message; each frame must be accepted. */
    static void sendMsg(Socket s, String... frames) {
        for (int i = 0; i < frames.length; i++) {
            boolean ok = i < frames.length - 1 ? s.sendMore(b(frames[i])) : s.send(b(frames[i]));
            assertTrue(ok, "send of frame " + i + " (" + frames[i] + ") on " + s.type() + " was not accepted");
        }
    }

    /** {@code from} sends {@code frames} as one message; {@code to} must receive exactly that message. */
    static void exchange(Socket from, Socket to, String... frames) {
        sendMsg(from, frames);
        assertEquals(List.of(frames), recvMsg(to));
    }

    /** Asserts that {@code call} throws a ZmqException with the given errno, and returns it. */
    static ZmqException assertErrno(ZmqException.Errno expected, Executable call) {
        return org.zmq4j.support.Checks.assertErrno(expected, call);
    }

    /** Waits (bounded) until {@code condition} holds, polling every 1 ms; fails the test otherwise. */
    static void awaitTrue(String what, long timeoutMs, BooleanSupplier condition) {
        org.zmq4j.support.Checks.awaitTrue(what, timeoutMs, condition);
    }

    /**
     * Sends {@code frame} with DONTWAIT until it is accepted (bounded). For tests whose subject is not
     * connect() itself: libzmq attaches a connect()ed pipe before zmq_connect returns, so there the
     * first attempt succeeds; {@link ImmediateTest#connectAttachesThePipeBeforeReturning} checks that
     * separately.
     */
    static void awaitAccepted(Socket s, byte[] frame) {
        awaitTrue(s.type() + " accepting a message after connect()", SETTLE_DEADLINE_MS,
                () -> s.send(frame, Socket.DONTWAIT));
    }

    /**
     * Waits (bounded) until {@code t} is parked or blocked, i.e. presumably inside a blocking zmq4j
     * call. Returns false (instead of failing) when it never parks, so callers can carry on: the
     * behaviour under test is what the blocked call does, not how it waits.
     */
    static boolean awaitParked(Thread t, long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (System.nanoTime() - deadline < 0) {
            Thread.State st = t.getState();
            if (st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING || st == Thread.State.BLOCKED) {
                return true;
            }
            if (st == Thread.State.TERMINATED) {
                return false;
            }
            LockSupport.parkNanos(1_000_000);
        }
        return false;
    }

    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /**
     * Publishes {@code probe} repeatedly until every subscriber has received it at least once,
     * proving its subscription reached the publisher. Probes still in flight afterwards must be
     * skipped by the reader (they all precede later messages, per-connection order is FIFO).
     */
    static void syncSubscribers(Socket pub, String probe, Socket... subs) {
        boolean[] synced = new boolean[subs.length];
        int remaining = subs.length;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_DEADLINE_MS);
        while (remaining > 0) {
            if (System.nanoTime() - deadline > 0) {
                fail("subscribers did not receive probe '" + probe + "' within " + SETTLE_DEADLINE_MS + " ms");
            }
            assertTrue(pub.send(b(probe)), "PUB/XPUB send of probe must never fail");
            LockSupport.parkNanos(1_000_000);
            for (int i = 0; i < subs.length; i++) {
                List<String> m;
                while ((m = recvMsgNow(subs[i])) != null) {
                    // only probes are published during a sync; anything else is a leftover probe
                    // of an earlier sync and is skipped
                    if (m.size() == 1 && m.get(0).equals(probe) && !synced[i]) {
                        synced[i] = true;
                        remaining--;
                    }
                }
            }
        }
    }

    /** Receives the next message that is not {@code probe}; fails on timeout. */
    static List<String> recvSkipping(Socket s, String probe) {
        while (true) {
            List<String> m = recvMsg(s);
            if (!(m.size() == 1 && m.get(0).equals(probe))) {
                return m;
            }
        }
    }

    /** Runs {@code body} in a new daemon thread and returns it (already started). */
    static Thread startThread(String name, Runnable body) {
        return Msgs.startThread(name, body);
    }
}
