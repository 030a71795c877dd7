package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;

/**
 * Thread.interrupt() of a thread blocked in recv/send/poll (Socket Javadoc; the JeroMQ complaint in
 * GUIDE section 6): the call throws ZmqException(EINTR) and clears the interrupt flag; the socket,
 * its connections and the Context keep working. (libzmq's analogue is a signal: EINTR, socket
 * usable.)
 */
class InterruptTest extends SocketTestBase {

    private static void assertEintr(Object outcome, Boolean flagAfter) {
        ZmqException e = assertInstanceOf(ZmqException.class, outcome, "outcome of the interrupted call: " + outcome);
        assertEquals(Errno.EINTR, e.errno(), e.getMessage());
        assertEquals(Boolean.FALSE, flagAfter, "the interrupt flag must be cleared when EINTR is thrown");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void interruptedRecvThrowsEintrAndTheSocketStaysUsable() throws Exception {
        Socket pull = socket(SocketType.PULL);
        String ep = bindAny(pull);
        Socket push = socket(SocketType.PUSH);
        push.connect(ep);
        sendMsg(push, "before");
        assertEquals("before", recvStr(pull)); // the TCP connection is up; it must survive
        pull.setOption(Option.RCVTIMEO, -1);

        AtomicReference<Object> first = new AtomicReference<>();
        AtomicReference<Boolean> flagAfter = new AtomicReference<>();
        AtomicReference<Object> second = new AtomicReference<>();
        CountDownLatch interrupted = new CountDownLatch(1);
        Thread worker = startThread("receiver", () -> {
            try {
                try {
                    first.set(pull.recv());
                } catch (Throwable t) {
                    first.set(t);
                    flagAfter.set(Thread.currentThread().isInterrupted());
                }
                interrupted.countDown();
                pull.setOption(Option.RCVTIMEO, DEFAULT_RCVTIMEO_MS);
                byte[] m = pull.recv();
                second.set(m == null ? null : str(m));
            } catch (Throwable t) {
                second.set(t);
            }
        });
        awaitParked(worker, 2_000);
        assertNull(first.get(), "recv returned before the interrupt");
        worker.interrupt();
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "interrupt did not wake the blocked recv");
        assertEintr(first.get(), flagAfter.get());

        sendMsg(push, "after");
        worker.join(5_000);
        assertEquals("after", second.get(), "the same socket must receive normally after EINTR");

        // back on this thread (join): the connection and the context are not wedged
        for (int i = 0; i < 100; i++) {
            sendMsg(push, "n" + i);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals("n" + i, recvStr(pull));
        }
        long t0 = System.nanoTime();
        ctx.close();
        assertTrue(millisSince(t0) < 2_000, "Context.close() after an interrupt took " + millisSince(t0) + " ms");
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void interruptedSendThrowsEintrAndTheSocketStaysUsable() throws Exception {
        Socket push = socket(SocketType.PUSH);
        String ep = bindAny(push); // no peer: send blocks
        push.setOption(Option.SNDTIMEO, -1);
        AtomicReference<Object> first = new AtomicReference<>();
        AtomicReference<Boolean> flagAfter = new AtomicReference<>();
        AtomicReference<Object> second = new AtomicReference<>();
        CountDownLatch interrupted = new CountDownLatch(1);
        Thread worker = startThread("sender", () -> {
            try {
                try {
                    first.set(push.send(b("interrupted")));
                } catch (Throwable t) {
                    first.set(t);
                    flagAfter.set(Thread.currentThread().isInterrupted());
                }
                interrupted.countDown();
                push.setOption(Option.SNDTIMEO, DEFAULT_RCVTIMEO_MS);
                second.set(push.send(b("after")));
            } catch (Throwable t) {
                second.set(t);
            }
        });
        awaitParked(worker, 2_000);
        assertNull(first.get(), "send returned before the interrupt");
        worker.interrupt();
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "interrupt did not wake the blocked send");
        assertEintr(first.get(), flagAfter.get());

        Socket pull = socket(SocketType.PULL);
        pull.connect(ep);
        worker.join(10_000);
        assertEquals(Boolean.TRUE, second.get(), "the same socket must send normally after EINTR");
        assertEquals("after", recvStr(pull), "the interrupted message must not have been queued");
        pull.setOption(Option.RCVTIMEO, 200);
        assertNull(pull.recv());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void interruptedPollThrowsEintrAndPollingGoesOn() throws Exception {
        Socket pull = socket(SocketType.PULL);
        String ep = bindAny(pull);
        Socket push = socket(SocketType.PUSH);
        push.connect(ep);
        sendMsg(push, "up");
        assertEquals("up", recvStr(pull));

        AtomicReference<Object> first = new AtomicReference<>();
        AtomicReference<Boolean> flagAfter = new AtomicReference<>();
        AtomicReference<Object> second = new AtomicReference<>();
        CountDownLatch interrupted = new CountDownLatch(1);
        Thread worker = startThread("poller", () -> {
            try (Poller p = new Poller()) {
                p.register(pull, Poller.POLLIN);
                try {
                    first.set(p.poll(-1));
                } catch (Throwable t) {
                    first.set(t);
                    flagAfter.set(Thread.currentThread().isInterrupted());
                }
                interrupted.countDown();
                int n = p.poll(5_000);
                second.set(n == 1 && p.isReadable(pull) ? str(pull.recv()) : "poll returned " + n);
            } catch (Throwable t) {
                second.set(t);
            }
        });
        awaitParked(worker, 2_000);
        assertNull(first.get(), "poll returned before the interrupt");
        worker.interrupt();
        assertTrue(interrupted.await(5, TimeUnit.SECONDS), "interrupt did not wake the blocked poll");
        assertEintr(first.get(), flagAfter.get());
        sendMsg(push, "after");
        worker.join(10_000);
        assertEquals("after", second.get());
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void interruptingOneThreadDoesNotDisturbAnotherSocket() throws Exception {
        // two receivers on two sockets of the same context; interrupting one leaves the other alone
        Socket pullA = socket(SocketType.PULL);
        Socket pullB = socket(SocketType.PULL);
        Socket pushB = socket(SocketType.PUSH);
        bindAny(pullA);
        pushB.connect(bindAny(pullB));
        pullA.setOption(Option.RCVTIMEO, -1);
        pullB.setOption(Option.RCVTIMEO, -1);
        AtomicReference<Object> a = new AtomicReference<>();
        AtomicReference<Object> bOut = new AtomicReference<>();
        Thread ta = startThread("recv-a", () -> {
            try {
                a.set(pullA.recv());
            } catch (Throwable t) {
                a.set(t);
            }
        });
        Thread tb = startThread("recv-b", () -> {
            try {
                bOut.set(str(pullB.recv()));
            } catch (Throwable t) {
                bOut.set(t);
            }
        });
        awaitParked(ta, 2_000);
        awaitParked(tb, 2_000);
        ta.interrupt();
        ta.join(5_000);
        assertFalse(ta.isAlive(), "interrupted recv did not return");
        assertEintr(a.get(), false);
        assertNull(bOut.get(), "the other receiver must still be waiting, got " + bOut.get());
        sendMsg(pushB, "for b");
        tb.join(5_000);
        assertEquals("for b", bOut.get());
    }
}
