package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * High-water marks (zmq_setsockopt(3) ZMQ_SNDHWM/ZMQ_RCVHWM, zmq_socket(3) "action in mute
 * state"): PUSH blocks (DONTWAIT/SNDTIMEO report false), PUB drops. HWM is per pipe, and what
 * fits end to end is SNDHWM + RCVHWM + whatever the two kernel buffers hold.
 * <p>
 * Numbers observed with libzmq 4.3.4 (pyzmq) on this machine, for comparison:
 * PUSH connected to an unbound endpoint with SNDHWM 5: exactly 5 messages queue;
 * PUSH bound with no peer: 0; PUSH→PULL (SNDHWM 5, RCVHWM 5, nobody reading): 55 messages of
 * 100 kB, 4009 of 1 kB, 335683 of 10 bytes; PUB (SNDHWM 5) → SUB (RCVHWM 5) not reading, 100000
 * sends never block, 154 delivered.
 */
class HighWaterMarkTest extends SocketTestBase {

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pushConnectedToAnUnboundEndpointQueuesExactlySndhwm() {
        Socket push = socket(SocketType.PUSH);
        push.setOption(Option.SNDHWM, 5);
        push.connect(freeEndpoint()); // nobody listens: the pipe exists (IMMEDIATE=0) but never drains
        awaitAccepted(push, b("first"));
        int n = 1;
        while (n < 1000 && push.send(b("m" + n), Socket.DONTWAIT)) {
            n++;
        }
        assertEquals(5, n, "messages queued before DONTWAIT reported the HWM (libzmq: SNDHWM)");
        push.setOption(Option.SNDTIMEO, 100);
        long t0 = System.nanoTime();
        assertFalse(push.send(b("one more")), "send with SNDTIMEO must report false at the HWM");
        assertTrue(millisSince(t0) >= 80, "SNDTIMEO 100 ms waited only " + millisSince(t0) + " ms");
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pushWithoutAnyPeerCannotSend() {
        Socket push = socket(SocketType.PUSH);
        bindAny(push);
        long t0 = System.nanoTime();
        assertFalse(push.send(b("x"), Socket.DONTWAIT), "no pipe: DONTWAIT must report false");
        assertTrue(millisSince(t0) < 1000, "DONTWAIT must not block");
        push.setOption(Option.SNDTIMEO, 200);
        t0 = System.nanoTime();
        assertFalse(push.send(b("x")));
        assertTrue(millisSince(t0) >= 180, "SNDTIMEO 200 ms waited only " + millisSince(t0) + " ms");
    }

    /**
     * PUSH (SNDHWM 5) → PULL (RCVHWM 5) with nobody reading, 64 KiB messages: sends succeed until
     * both pipes and both kernel buffers are full, then a send with SNDTIMEO 200 ms reports false.
     * The count must be at least SNDHWM + RCVHWM; afterwards every accepted message is delivered
     * once, in order. The count is printed (libzmq 4.3.4: 55 for 100 kB, 59-77 for 64 KiB).
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pushToAStalledPullerBlocksAfterSndhwmPlusRcvhwmPlusKernelBuffers() {
        Socket pull = socket(SocketType.PULL);
        pull.setOption(Option.RCVHWM, 5);
        String ep = bindAny(pull);
        Socket push = socket(SocketType.PUSH);
        push.setOption(Option.SNDHWM, 5);
        push.connect(ep);
        sendMsg(push, "hello"); // connection up before counting
        assertEquals("hello", recvStr(pull));

        push.setOption(Option.SNDTIMEO, 200);
        int n = PushPullTest.fill(push, 0, 20_000);
        System.out.println("[HighWaterMarkTest] PUSH SNDHWM=5 -> PULL RCVHWM=5, 64 KiB messages: " + n
                + " accepted before SNDTIMEO expired");
        assertTrue(n >= 10, "at least SNDHWM + RCVHWM = 10 messages must fit, got " + n);
        assertFalse(push.send(new byte[64 * 1024], Socket.DONTWAIT), "still full: DONTWAIT reports false");

        for (int i = 0; i < n; i++) {
            byte[] m = pull.recv();
            assertTrue(m != null, "message " + i + " of " + n + " never arrived");
            assertEquals(i, ByteBuffer.wrap(m).getInt(4), "in order, none lost");
        }
        pull.setOption(Option.RCVTIMEO, 200);
        assertNull(pull.recv(), "nothing beyond what send() accepted");
        // and the pipe has room again
        assertTrue(push.send(b("after drain")));
        pull.setOption(Option.RCVTIMEO, DEFAULT_RCVTIMEO_MS);
        assertEquals("after drain", recvStr(pull));
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void sndhwmIsPerPipe() {
        // two PUSH pipes, each SNDHWM 3, both to unbound endpoints: 6 messages queue in total
        Socket push = socket(SocketType.PUSH);
        push.setOption(Option.SNDHWM, 3);
        push.connect(freeEndpoint());
        push.connect(freeEndpoint());
        int[] n = {0};
        // both pipes attached once 6 are accepted (one pipe holds only 3)
        awaitTrue("6 messages queued on two pipes", SETTLE_DEADLINE_MS, () -> {
            if (push.send(b("m" + n[0]), Socket.DONTWAIT)) {
                n[0]++;
            }
            return n[0] == 6;
        });
        assertFalse(push.send(b("7th"), Socket.DONTWAIT), "HWM counts per pipe (2 pipes x SNDHWM 3)");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pubDropsAtHwmWithoutBlocking() {
        Socket pub = socket(SocketType.PUB);
        pub.setOption(Option.SNDHWM, 5);
        String ep = bindAny(pub);
        Socket sub = socket(SocketType.SUB);
        sub.setOption(Option.RCVHWM, 5);
        sub.setOption(Option.SUBSCRIBE, new byte[0]);
        sub.connect(ep);
        syncSubscribers(pub, "probe", sub);

        int total = 100_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < total; i++) {
            // SNDTIMEO is the default -1: a PUB that blocked here would hang until @Timeout
            assertTrue(pub.send(ByteBuffer.allocate(8).putInt(0, 0x5E0).putInt(4, i).array()),
                    "PUB send reports success even when it drops");
        }
        long sendMs = millisSince(t0);

        int received = 0;
        int last = -1;
        sub.setOption(Option.RCVTIMEO, 500);
        byte[] m;
        while ((m = sub.recv()) != null) {
            if (m.length != 8) {
                continue; // a late probe
            }
            int seq = ByteBuffer.wrap(m).getInt(4);
            assertTrue(seq > last, "drops never reorder: " + seq + " after " + last);
            last = seq;
            received++;
        }
        System.out.println("[HighWaterMarkTest] PUB SNDHWM=5 -> SUB RCVHWM=5: " + total + " sends took " + sendMs
                + " ms, subscriber received " + received);
        assertTrue(received > 0, "some messages are delivered");
        assertTrue(received < total, "a subscriber that does not read cannot receive all " + total
                + " messages with HWM 5: PUB must drop");
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pubWithoutSubscribersNeverBlocks() {
        Socket pub = socket(SocketType.PUB);
        pub.setOption(Option.SNDHWM, 1);
        bindAny(pub);
        for (int i = 0; i < 10_000; i++) {
            assertTrue(pub.send(b("x" + i)));
        }
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void dontwaitOnAFullDealerReportsFalseWithoutBlocking() {
        Socket dealer = socket(SocketType.DEALER);
        dealer.setOption(Option.SNDHWM, 2);
        dealer.connect(freeEndpoint());
        awaitAccepted(dealer, b("1"));
        assertTrue(dealer.send(b("2"), Socket.DONTWAIT));
        long t0 = System.nanoTime();
        assertFalse(dealer.send(b("3"), Socket.DONTWAIT));
        assertTrue(millisSince(t0) < 1000, "DONTWAIT must not block");
    }
}
