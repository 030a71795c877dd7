package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * Multipart messages (zmq_send(3)/zmq_recv(3)/zmq_msg_more(3)): delivered atomically, all frames
 * or none; hasMore() (and RCVMORE) true on every frame but the last; empty frames are frames.
 */
class MultipartTest extends SocketTestBase {

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void framesArriveWithTheHasMoreSequence() {
        Socket push = socket(SocketType.PUSH);
        Socket pull = socket(SocketType.PULL);
        push.connect(bindAny(pull));
        assertTrue(push.sendMore(b("first")));
        assertTrue(push.send(new byte[0], Socket.SNDMORE));
        assertTrue(push.send(b("last")));

        assertEquals("first", recvStr(pull));
        assertTrue(pull.hasMore());
        assertEquals(Boolean.TRUE, pull.getOption(Option.RCVMORE));
        byte[] empty = pull.recv();
        assertNotNull(empty, "an empty frame is a frame, not a timeout");
        assertEquals(0, empty.length);
        assertTrue(pull.hasMore());
        assertEquals("last", recvStr(pull));
        assertFalse(pull.hasMore());
        assertEquals(Boolean.FALSE, pull.getOption(Option.RCVMORE));
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void emptySinglePartMessageIsDeliveredAsEmptyFrame() {
        Socket push = socket(SocketType.PUSH);
        Socket pull = socket(SocketType.PULL);
        push.connect(bindAny(pull));
        assertTrue(push.send(new byte[0]));
        assertTrue(push.send(b("after")));
        byte[] m = pull.recv();
        assertNotNull(m, "empty message must arrive");
        assertEquals(0, m.length);
        assertFalse(pull.hasMore());
        assertEquals("after", recvStr(pull));
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void partialMessageIsNotDeliveredUntilItsLastFrameIsSent() {
        Socket push = socket(SocketType.PUSH);
        Socket pull = socket(SocketType.PULL);
        push.connect(bindAny(pull));
        sendMsg(push, "sync");
        assertEquals("sync", recvStr(pull));

        assertTrue(push.sendMore(b("a")));
        assertTrue(push.sendMore(b("b")));
        pull.setOption(Option.RCVTIMEO, 300);
        assertNull(pull.recv(), "no frame of an unfinished message may be received");
        assertTrue(push.send(b("c")));
        pull.setOption(Option.RCVTIMEO, DEFAULT_RCVTIMEO_MS);
        assertEquals(List.of("a", "b", "c"), recvMsg(pull));
    }

    /** Two senders, many 3-frame messages: frames of different messages never interleave. */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void messagesFromSeveralSendersNeverInterleave() throws Exception {
        Socket pull = socket(SocketType.PULL);
        String ep = bindAny(pull);
        int each = 2_000;
        List<Thread> senders = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int s = 0; s < 3; s++) {
            Socket push = socket(SocketType.PUSH); // handed to its thread by start()
            push.connect(ep);
            final int id = s;
            senders.add(startThread("sender-" + s, () -> {
                try {
                    for (int i = 0; i < each; i++) {
                        push.sendMore(b("S" + id));
                        push.sendMore(b(Integer.toString(i)));
                        push.send(b("end" + id));
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            }));
        }
        int[] next = new int[3];
        for (int k = 0; k < 3 * each; k++) {
            List<String> m = recvMsg(pull);
            assertEquals(3, m.size(), "message " + k + ": " + m);
            int id = m.get(0).charAt(1) - '0';
            assertEquals("S" + id, m.get(0));
            assertEquals(Integer.toString(next[id]++), m.get(1), "in order per sender");
            assertEquals("end" + id, m.get(2), "frames from another sender interleaved: " + m);
        }
        for (Thread t : senders) {
            t.join(5_000);
        }
        assertTrue(errors.isEmpty(), () -> "sender failed: " + errors);
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void subscriptionMatchesTheFirstFrameAndTheWholeMessageFollows() {
        Socket pub = socket(SocketType.PUB);
        String ep = bindAny(pub);
        Socket sub = socket(SocketType.SUB);
        sub.setOption(Option.SUBSCRIBE, b("T"));
        sub.connect(ep);
        syncSubscribers(pub, "Tsync", sub);
        sendMsg(pub, "X", "T-in-second-frame");
        sendMsg(pub, "Topic", "", "body", "");
        sendMsg(pub, "Tend");
        assertEquals(List.of("Topic", "", "body", ""), recvSkipping(sub, "Tsync"));
        assertEquals(List.of("Tend"), recvMsg(sub));
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void largeFramesSurviveIntactNextToTinyOnes() {
        Socket a = socket(SocketType.PAIR);
        Socket c = socket(SocketType.PAIR);
        c.connect(bindAny(a));
        Random rnd = new Random(42);
        byte[] big = new byte[4 * 1024 * 1024 + 17];
        rnd.nextBytes(big);
        byte[] medium = new byte[300];
        rnd.nextBytes(medium);
        assertTrue(a.sendMore(new byte[] {7}));
        assertTrue(a.sendMore(big));
        assertTrue(a.sendMore(new byte[0]));
        assertTrue(a.send(medium));
        assertArrayEquals(new byte[] {7}, c.recv());
        assertArrayEquals(big, c.recv());
        assertArrayEquals(new byte[0], c.recv());
        assertArrayEquals(medium, c.recv());
        assertFalse(c.hasMore());
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void droppedMultipartMessageIsDroppedWhole() {
        // PUB at HWM drops whole messages: the subscriber only ever sees complete 3-frame messages
        Socket pub = socket(SocketType.PUB);
        pub.setOption(Option.SNDHWM, 2);
        String ep = bindAny(pub);
        Socket sub = socket(SocketType.SUB);
        sub.setOption(Option.RCVHWM, 2);
        sub.setOption(Option.SUBSCRIBE, b("m"));
        sub.connect(ep);
        syncSubscribers(pub, "msync", sub);
        for (int i = 0; i < 20_000; i++) {
            sendMsg(pub, "m", Integer.toString(i), "end");
        }
        sub.setOption(Option.RCVTIMEO, 500);
        int messages = 0;
        byte[] f;
        while ((f = sub.recv()) != null) {
            if (str(f).equals("msync")) {
                continue;
            }
            assertEquals("m", str(f));
            assertTrue(sub.hasMore());
            assertNotNull(sub.recv());
            assertTrue(sub.hasMore());
            assertEquals("end", recvStr(sub));
            assertFalse(sub.hasMore());
            messages++;
        }
        assertTrue(messages > 0 && messages < 20_000, "some dropped, none torn: " + messages);
    }
}
