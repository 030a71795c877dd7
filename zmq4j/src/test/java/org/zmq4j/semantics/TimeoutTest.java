package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * ZMQ_RCVTIMEO / ZMQ_SNDTIMEO (zmq_setsockopt(3)): -1 blocks, 0 returns at once, a positive value
 * waits that long and then reports EAGAIN (here: recv returns null, send returns false). Lower
 * bounds are asserted with a little slack for timer granularity; upper bounds only loosely.
 */
class TimeoutTest extends SocketTestBase {

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void rcvtimeoReturnsNullAfterTheTimeout() {
        Socket pull = socket(SocketType.PULL);
        bindAny(pull);
        pull.setOption(Option.RCVTIMEO, 250);
        assertEquals(250, pull.getOption(Option.RCVTIMEO));
        long t0 = System.nanoTime();
        assertNull(pull.recv());
        long waited = millisSince(t0);
        assertTrue(waited >= 230, "RCVTIMEO 250 ms returned after only " + waited + " ms");
        assertTrue(waited < 5_000, "RCVTIMEO 250 ms took " + waited + " ms");
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void rcvtimeoZeroAndDontwaitReturnAtOnce() {
        Socket pull = socket(SocketType.PULL);
        bindAny(pull);
        pull.setOption(Option.RCVTIMEO, 0);
        long t0 = System.nanoTime();
        assertNull(pull.recv());
        pull.setOption(Option.RCVTIMEO, -1);
        assertNull(pull.recv(Socket.DONTWAIT));
        assertTrue(millisSince(t0) < 1_000, "non-blocking receives must not wait");
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void rcvtimeoDoesNotDelayAMessageThatArrivesMeanwhile() throws Exception {
        Socket pull = socket(SocketType.PULL);
        String ep = bindAny(pull);
        Socket push = socket(SocketType.PUSH);
        push.connect(ep);
        pull.setOption(Option.RCVTIMEO, 10_000);
        Thread receiver = Thread.currentThread();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread sender = startThread("sender", () -> {
            try {
                awaitParked(receiver, 2_000);
                push.send(b("wake up"));
            } catch (Throwable t) {
                error.set(t);
            }
        });
        long t0 = System.nanoTime();
        assertEquals("wake up", recvStr(pull));
        assertTrue(millisSince(t0) < 5_000, "recv must return when the message arrives, not at RCVTIMEO");
        sender.join(5_000);
        assertNull(error.get());
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void rcvtimeoMinusOneBlocksUntilAMessageArrives() throws Exception {
        Socket pull = socket(SocketType.PULL);
        String ep = bindAny(pull);
        pull.setOption(Option.RCVTIMEO, -1);
        Socket push = socket(SocketType.PUSH);
        push.connect(ep);
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = startThread("receiver", () -> {
            try {
                result.set(str(pull.recv()));
            } catch (Throwable e) {
                result.set(e);
            }
        });
        assertTrue(awaitParked(t, 2_000) || result.get() == null, "receiver must still be waiting");
        assertNull(result.get(), "recv with RCVTIMEO -1 returned without a message: " + result.get());
        push.send(b("finally"));
        t.join(5_000);
        assertEquals("finally", result.get());
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void sndtimeoReturnsFalseAfterTheTimeout() {
        Socket push = socket(SocketType.PUSH);
        bindAny(push); // no peer: nowhere to queue
        push.setOption(Option.SNDTIMEO, 250);
        assertEquals(250, push.getOption(Option.SNDTIMEO));
        long t0 = System.nanoTime();
        assertFalse(push.send(b("nowhere")));
        long waited = millisSince(t0);
        assertTrue(waited >= 230, "SNDTIMEO 250 ms returned after only " + waited + " ms");
        assertTrue(waited < 5_000, "SNDTIMEO 250 ms took " + waited + " ms");
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void sndtimeoZeroReturnsAtOnce() {
        Socket dealer = socket(SocketType.DEALER);
        dealer.setOption(Option.SNDTIMEO, 0);
        long t0 = System.nanoTime();
        assertFalse(dealer.send(b("nowhere")));
        assertTrue(millisSince(t0) < 1_000);
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void blockedSendCompletesWhenAPeerAppears() throws Exception {
        Socket push = socket(SocketType.PUSH);
        String ep = bindAny(push);
        push.setOption(Option.SNDTIMEO, 10_000);
        Socket pull = socket(SocketType.PULL); // owned by this thread
        Thread sender = Thread.currentThread();
        AtomicReference<Throwable> error = new AtomicReference<>();
        // the PULL is handed to the helper thread by start() and back by join(): one owner at a time
        Thread connector = startThread("connector", () -> {
            try {
                awaitParked(sender, 2_000);
                pull.connect(ep);
            } catch (Throwable t) {
                error.set(t);
            }
        });
        long t0 = System.nanoTime();
        assertTrue(push.send(b("waited")), "send must complete once a peer connects");
        assertTrue(millisSince(t0) < 9_000);
        connector.join(5_000);
        assertNull(error.get());
        assertEquals("waited", recvStr(pull));
    }
}
