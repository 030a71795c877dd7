package org.zmq4j.draft;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.function.Executable;
import org.zmq4j.Context;
import org.zmq4j.Message;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.support.Msgs;

/**
 * Shared plumbing for the draft (thread-safe) socket tests: sockets with LINGER 0 and bounded
 * RCVTIMEO/SNDTIMEO (a missing message fails the test instead of hanging it), endpoints for the
 * three transports, bounded waiting loops (no sleeps used as synchronisation) and the RADIO/DISH
 * probe synchronisation (a RADIO drops everything a dish has not joined yet, so a test first
 * proves the dish's JOINs reached the radio).
 */
final class DraftSupport {
    /** RCVTIMEO and SNDTIMEO given to every socket made by {@link #socket}. */
    static final int TIMEO_MS = 5_000;
    /** Deadline for bounded waiting loops. */
    static final long SETTLE_MS = 10_000;
    /** Group a dish joins last: a probe in it arriving proves every earlier JOIN arrived too. */
    static final String SYNC_GROUP = "__sync";

    private static final AtomicInteger INPROC_COUNTER = new AtomicInteger();

    private DraftSupport() {
    }

    /** The transports every draft pair is tested over (udp is out of scope). */
    enum Transport {
        TCP, IPC, INPROC;

        /** An endpoint to bind to: a free port, a fresh ipc path, or a unique inproc name. */
        String bindEndpoint() {
            switch (this) {
                case TCP:
                    return "tcp://127.0.0.1:*";
                case IPC:
                    return "ipc://*";
                default:
                    return "inproc://draft-" + ProcessHandle.current().pid() + "-" + INPROC_COUNTER.incrementAndGet();
            }
        }
    }

    /** A socket with LINGER 0, RCVTIMEO and SNDTIMEO {@value #TIMEO_MS} ms. */
    static Socket socket(Context ctx, SocketType type) {
        return Msgs.socket(ctx, type, TIMEO_MS, TIMEO_MS);
    }

    /** Binds {@code s} on {@code t} and returns the endpoint to connect to. */
    static String bind(Socket s, Transport t) {
        s.bind(t.bindEndpoint());
        String ep = s.lastEndpoint();
        assertNotNull(ep, "lastEndpoint() after bind");
        assertTrue(!ep.endsWith("*") && !ep.endsWith(":0"), "lastEndpoint() must be resolved, got '" + ep + "'");
        return ep;
    }

    /** Port of a resolved tcp endpoint. */
    static int portOf(String tcpEndpoint) {
        return Msgs.port(tcpEndpoint);
    }

    /** A loopback tcp port nothing listens on at the moment of the call. */
    static int freePort() {
        return Msgs.freePort();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] random(int n, long seed) {
        byte[] data = new byte[n];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** Receives a message, failing the test when RCVTIMEO expires. */
    static Message recv(Socket s) {
        Message m = s.recvMessage();
        assertNotNull(m, "timed out waiting for a message on " + s.type());
        return m;
    }

    /** Sends, failing the test when the send is not accepted within SNDTIMEO. */
    static void send(Socket s, Message m) {
        assertTrue(s.send(m), "send of " + m + " on " + s.type() + " was not accepted within SNDTIMEO");
    }

    /** Asserts that {@code call} throws a ZmqException with {@code expected}, and returns it. */
    static ZmqException assertErrno(ZmqException.Errno expected, Executable call) {
        return org.zmq4j.support.Checks.assertErrno(expected, call);
    }

    /** Waits (bounded) until {@code condition} holds, checking every millisecond. */
    static void awaitTrue(String what, long timeoutMs, BooleanSupplier condition) {
        org.zmq4j.support.Checks.awaitTrue(what, timeoutMs, condition);
    }

    /** Waits (bounded) until {@code t} is parked (presumably inside a blocking zmq4j call). */
    static void awaitParked(Thread t, long timeoutMs) {
        awaitTrue(t.getName() + " to block", timeoutMs, () -> {
            Thread.State st = t.getState();
            return st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING;
        });
    }

    static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /**
     * Joins {@link #SYNC_GROUP} on {@code dish} (after any group it joined already) and sends
     * probes in it from {@code radio} until one arrives: JOINs travel in order, so the radio then
     * knows every group the dish had joined. Later reads use {@link #recvSkippingProbes}.
     */
    static void syncDish(Socket radio, Socket dish) {
        syncDish(radio, dish, SYNC_GROUP);
    }

    /**
     * {@link #syncDish(Socket, Socket)} with a probe group of the caller's choosing (it must start
     * with {@value #SYNC_GROUP} so that {@link #recvSkippingProbes} skips it, and not be joined yet).
     */
    static void syncDish(Socket radio, Socket dish, String syncGroup) {
        assertTrue(syncGroup.startsWith(SYNC_GROUP));
        dish.join(syncGroup);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MS);
        while (true) {
            assertTrue(radio.send(Message.of("probe").withGroup(syncGroup)), "RADIO send must never fail");
            Message m = dish.recvMessage(Socket.DONTWAIT);
            if (m == null) {
                LockSupport.parkNanos(2_000_000);
                m = dish.recvMessage(Socket.DONTWAIT);
            }
            if (m != null) {
                if (!syncGroup.equals(m.group())) {
                    assertTrue(isProbe(m), "only probes are sent while synchronising, got " + m);
                    continue; // a leftover probe of an earlier synchronisation
                }
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                fail("the DISH's JOIN never reached the RADIO: no probe arrived within " + SETTLE_MS + " ms");
            }
        }
    }

    /** Receives the next message that is not a probe of {@link #syncDish}; fails on timeout. */
    static Message recvSkippingProbes(Socket dish) {
        while (true) {
            Message m = recv(dish);
            if (!isProbe(m)) {
                return m;
            }
        }
    }

    /** Whether {@code m} is a probe sent by {@link #syncDish}. */
    static boolean isProbe(Message m) {
        return m.group() != null && m.group().startsWith(SYNC_GROUP);
    }

    /** Like {@link #recvSkippingProbes} without blocking: null when no such message is queued. */
    static Message recvSkippingProbesNow(Socket dish) {
        while (true) {
            Message m = dish.recvMessage(Socket.DONTWAIT);
            if (m == null || !isProbe(m)) {
                return m;
            }
        }
    }

    /** Runs {@code body} in a new daemon thread, already started. */
    static Thread startThread(String name, Runnable body) {
        return Msgs.startThread(name, body);
    }

    /** Joins every thread, failing when one is still running after the deadline. */
    static void joinAll(Iterable<Thread> threads, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (Thread t : threads) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            t.join(Math.max(1, left));
            if (t.isAlive()) {
                StringBuilder sb = new StringBuilder();
                for (StackTraceElement e : t.getStackTrace()) {
                    sb.append("\n    at ").append(e);
                }
                fail("thread " + t.getName() + " still running after " + timeoutMs + " ms" + sb);
            }
        }
    }
}
