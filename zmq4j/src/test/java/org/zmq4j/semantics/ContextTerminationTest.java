package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;

/**
 * Context termination (zmq_ctx_term(3)): blocking calls in other threads fail with ETERM; LINGER
 * (zmq_setsockopt(3)) bounds how long pending outbound messages delay termination: 0 discards at
 * once, a positive value waits at most that long for messages that cannot be sent (libzmq 4.3.4
 * via pyzmq, 10 messages queued to an unreachable peer: LINGER 0 → term in 0.9 ms, LINGER 200 →
 * 201 ms), -1 waits until they are delivered.
 */
class ContextTerminationTest extends SocketTestBase {

    /** Closes {@code context} from a helper thread; returns that thread (so a hang is visible). */
    private static Thread closeInBackground(Context context, AtomicLong tookMs) {
        return startThread("context-closer", () -> {
            long t0 = System.nanoTime();
            context.close();
            tookMs.set(millisSince(t0));
        });
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closeFromAnotherThreadMakesABlockedRecvThrowEterm() throws Exception {
        Socket pull = socket(SocketType.PULL);
        bindAny(pull);
        pull.setOption(Option.RCVTIMEO, -1);
        AtomicReference<Object> outcome = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread worker = startThread("blocked-recv", () -> {
            try {
                outcome.set(pull.recv());
            } catch (Throwable t) {
                outcome.set(t);
            } finally {
                pull.close(); // as in libzmq: the owner closes its socket after ETERM
                done.countDown();
            }
        });
        assertTrue(awaitParked(worker, 2_000) || outcome.get() == null);
        assertEquals(null, outcome.get(), "recv returned before the context was closed");

        AtomicLong closeMs = new AtomicLong(-1);
        Thread closer = closeInBackground(ctx, closeMs);
        assertTrue(done.await(5, TimeUnit.SECONDS), "the blocked recv was not woken by Context.close()");
        ZmqException e = assertInstanceOf(ZmqException.class, outcome.get(), "recv outcome: " + outcome.get());
        assertEquals(Errno.ETERM, e.errno(), e.getMessage());
        closer.join(5_000);
        assertFalse(closer.isAlive(), "Context.close() did not return");
        assertTrue(ctx.isClosed());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closeFromAnotherThreadMakesABlockedSendThrowEterm() throws Exception {
        Socket push = socket(SocketType.PUSH);
        bindAny(push); // no peer: send blocks
        push.setOption(Option.SNDTIMEO, -1);
        AtomicReference<Object> outcome = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread worker = startThread("blocked-send", () -> {
            try {
                outcome.set(push.send(b("stuck")));
            } catch (Throwable t) {
                outcome.set(t);
            } finally {
                push.close();
                done.countDown();
            }
        });
        awaitParked(worker, 2_000);
        assertEquals(null, outcome.get(), "send returned before the context was closed");
        AtomicLong closeMs = new AtomicLong(-1);
        Thread closer = closeInBackground(ctx, closeMs);
        assertTrue(done.await(5, TimeUnit.SECONDS), "the blocked send was not woken by Context.close()");
        ZmqException e = assertInstanceOf(ZmqException.class, outcome.get(), "send outcome: " + outcome.get());
        assertEquals(Errno.ETERM, e.errno(), e.getMessage());
        closer.join(5_000);
        assertFalse(closer.isAlive(), "Context.close() did not return");
    }

    /**
     * zmq_poll(3) fails with ETERM when a polled socket's context is terminated; zmq4j's Poller may
     * instead report the socket with POLLERR (its documented readiness flag). Either is accepted;
     * staying blocked is not.
     */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closeFromAnotherThreadWakesABlockedPoll() throws Exception {
        Socket pull = socket(SocketType.PULL);
        bindAny(pull);
        AtomicReference<Object> outcome = new AtomicReference<>();
        AtomicReference<Boolean> errorFlag = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread worker = startThread("blocked-poll", () -> {
            try (Poller p = new Poller()) {
                p.register(pull, Poller.POLLIN);
                outcome.set(p.poll(-1));
                errorFlag.set(p.isError(pull));
            } catch (Throwable t) {
                outcome.set(t);
            } finally {
                pull.close();
                done.countDown();
            }
        });
        awaitParked(worker, 2_000);
        assertEquals(null, outcome.get(), "poll returned before the context was closed");
        AtomicLong closeMs = new AtomicLong(-1);
        Thread closer = closeInBackground(ctx, closeMs);
        assertTrue(done.await(5, TimeUnit.SECONDS), "the blocked poll was not woken by Context.close()");
        Object o = outcome.get();
        if (o instanceof ZmqException) {
            assertEquals(Errno.ETERM, ((ZmqException) o).errno());
        } else {
            assertTrue(o instanceof Integer && (Integer) o >= 1 && Boolean.TRUE.equals(errorFlag.get()),
                    "poll must throw ETERM or report POLLERR, got " + o + " isError=" + errorFlag.get());
        }
        closer.join(5_000);
        assertFalse(closer.isAlive(), "Context.close() did not return");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void socketAfterCloseIsEterm() {
        Context c = new Context();
        c.close();
        assertTrue(c.isClosed());
        assertErrno(Errno.ETERM, () -> c.socket(SocketType.PUSH));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void contextNeedsAtLeastOneIoThread() {
        assertErrno(Errno.EINVAL, () -> new Context(0));
        try (Context two = new Context(2)) {
            Socket a = socket(two, SocketType.PAIR);
            Socket c = socket(two, SocketType.PAIR);
            c.connect(bindAny(a));
            sendMsg(a, "over two io threads");
            assertEquals("over two io threads", recvStr(c));
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void lingerZeroWithUnreachablePeerClosesPromptly() {
        Context c = new Context();
        try {
            Socket push = c.socket(SocketType.PUSH);
            push.setOption(Option.LINGER, 0);
            push.connect(freeEndpoint());
            awaitAccepted(push, b("pending"));
            for (int i = 1; i < 10; i++) {
                assertTrue(push.send(b("pending" + i), Socket.DONTWAIT));
            }
            long t0 = System.nanoTime();
            c.close(); // socket still open: Context.close() closes it
            long took = millisSince(t0);
            assertTrue(took < 1_000, "LINGER 0: Context.close() must discard at once, took " + took + " ms");
        } finally {
            c.close();
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void lingerPositiveWithUnreachablePeerWaitsAboutThatLong() {
        Context c = new Context();
        try {
            Socket push = c.socket(SocketType.PUSH);
            push.setOption(Option.LINGER, 200);
            assertEquals(200, push.getOption(Option.LINGER));
            push.connect(freeEndpoint());
            awaitAccepted(push, b("pending"));
            for (int i = 1; i < 10; i++) {
                assertTrue(push.send(b("pending" + i), Socket.DONTWAIT));
            }
            long t0 = System.nanoTime();
            push.close();
            long closeMs = millisSince(t0);
            c.close();
            long total = millisSince(t0);
            System.out.println("[ContextTerminationTest] LINGER 200, unreachable peer: socket close " + closeMs
                    + " ms, context close done after " + total + " ms");
            assertTrue(closeMs < 150, "Socket.close() must not block (lingering is in the background), took " + closeMs);
            assertTrue(total >= 150, "pending messages that cannot be sent hold termination for LINGER (200 ms);"
                    + " finished after " + total + " ms");
            assertTrue(total < 2_000, "LINGER 200: Context.close() took " + total + " ms");
        } finally {
            c.close();
        }
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void lingerInfiniteDeliversQueuedMessagesBeforeCloseReturns() {
        Socket pull = socket(SocketType.PULL);
        String ep = bindAny(pull);
        Context sender = new Context();
        try {
            Socket push = sender.socket(SocketType.PUSH);
            assertEquals(-1, push.getOption(Option.LINGER), "libzmq's default LINGER is -1");
            push.connect(ep);
            for (int i = 0; i < 1_000; i++) {
                assertTrue(push.send(b("m" + i)));
            }
            push.close();
            sender.close(); // waits until the queue is written out
        } finally {
            sender.close();
        }
        for (int i = 0; i < 1_000; i++) {
            assertEquals("m" + i, recvStr(pull), "message " + i + " lost at close");
        }
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closeIsIdempotent() {
        Context c = new Context();
        Socket s = c.socket(SocketType.DEALER);
        s.setOption(Option.LINGER, 0);
        c.close();
        c.close();
        assertTrue(c.isClosed());
        s.close(); // closing a socket its context already closed is harmless
        s.close();
    }
}
