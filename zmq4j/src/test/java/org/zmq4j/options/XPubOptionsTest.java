package org.zmq4j.options;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.support.Msgs.b;
import static org.zmq4j.support.Msgs.recv;
import static org.zmq4j.support.Msgs.socket;
import static org.zmq4j.support.Msgs.str;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.support.ContextPerTest;
import org.zmq4j.support.Msgs;
import org.zmq4j.testsuite.LibzmqPeer.PeerSocket;
import org.zmq4j.testsuite.LibzmqPeer;

/**
 * XPUB_WELCOME_MSG, XPUB_MANUAL and XPUB_NODROP on zmq4j XPUB/PUB sockets, with libzmq SUB
 * subscribers where the wire matters. The expected behaviour was taken from libzmq 4.3.4 through
 * pyzmq (e.g. in manual mode every subscription and cancellation is passed up, and a leaving
 * subscriber's topics come up as cancellations).
 */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class XPubOptionsTest extends ContextPerTest {
    private static final int WAIT_MS = 10_000;
    private static final int SHORT_MS = 300;

    @Test
    void welcomeMessageReachesALibzmqSubscriber() {
        try (LibzmqPeer peer = LibzmqPeer.start()) {
            Socket xpub = socket(ctx, SocketType.XPUB);
            xpub.setOption(Option.XPUB_WELCOME_MSG, b("WELCOME"));
            assertArrayEquals(b("WELCOME"), xpub.getOption(Option.XPUB_WELCOME_MSG));
            xpub.bind("tcp://127.0.0.1:*");
            PeerSocket sub = peer.socket(SocketType.SUB);
            sub.setOption("SUBSCRIBE", b("WELCOME"));
            sub.connect(xpub.lastEndpoint());
            // as in libzmq, the XPUB attaches a new subscriber (and sends it the welcome message)
            // when its application calls it: here, reading the subscription
            assertArrayEquals(new byte[] {1, 'W', 'E', 'L', 'C', 'O', 'M', 'E'}, xpub.recv(), "the subscription still goes up");
            List<byte[]> got = sub.recv(WAIT_MS);
            assertNotNull(got, "libzmq SUB did not get the welcome message");
            assertEquals("WELCOME", str(got.get(0)));
        }
    }

    @Test
    void welcomeMessageReachesEachZmq4jSubscriberOverInproc() {
        Socket pub = socket(ctx, SocketType.PUB);
        pub.setOption(Option.XPUB_WELCOME_MSG, b("hi"));
        pub.bind("inproc://welcome");
        for (int i = 0; i < 3; i++) {
            Socket sub = socket(ctx, SocketType.SUB);
            sub.setOption(Option.SUBSCRIBE, new byte[0]);
            sub.connect("inproc://welcome");
            pub.send(b("news " + i)); // the PUB attaches the subscriber when called, as libzmq
            assertEquals("hi", str(recv(sub).get(0)), "subscriber " + i + ": welcome first");
            assertEquals("news " + i, str(recv(sub).get(0)), "subscriber " + i + ": then the news");
        }
        pub.setOption(Option.XPUB_WELCOME_MSG, new byte[0]); // empty: no more welcome messages
        Socket late = socket(ctx, SocketType.SUB);
        late.setOption(Option.SUBSCRIBE, new byte[0]);
        late.setOption(Option.RCVTIMEO, SHORT_MS);
        late.connect("inproc://welcome");
        pub.send(b("news"));
        assertEquals("news", str(late.recv()), "no welcome message any more");
    }

    @Test
    void manualModePassesSubscriptionsUpAndAppliesOnlyWhatTheApplicationSays() {
        try (LibzmqPeer peer = LibzmqPeer.start()) {
            Socket xpub = socket(ctx, SocketType.XPUB);
            xpub.setOption(Option.XPUB_MANUAL, true);
            xpub.bind("tcp://127.0.0.1:*");
            PeerSocket sub1 = peer.socket(SocketType.SUB);
            sub1.setOption("SUBSCRIBE", b("A"));
            sub1.connect(xpub.lastEndpoint());
            assertArrayEquals(new byte[] {1, 'A'}, xpub.recv(), "subscription passed up");

            xpub.send(b("A before it is applied"));
            assertNull(sub1.recv(SHORT_MS), "manual: a subscription is not applied by itself");

            xpub.setOption(Option.SUBSCRIBE, b("A")); // applies to sub1: its message was read last
            xpub.send(b("A applied"));
            List<byte[]> got = sub1.recv(WAIT_MS);
            assertNotNull(got, "the applied subscription lets A through");
            assertEquals("A applied", str(got.get(0)));

            PeerSocket sub2 = peer.socket(SocketType.SUB);
            sub2.setOption("SUBSCRIBE", b("A"));
            sub2.setOption("SUBSCRIBE", b("B"));
            sub2.connect(xpub.lastEndpoint());
            assertArrayEquals(new byte[] {1, 'A'}, xpub.recv(), "manual: repeated topics are passed up too");
            assertArrayEquals(new byte[] {1, 'B'}, xpub.recv());
            sub2.setOption("UNSUBSCRIBE", b("A"));
            assertArrayEquals(new byte[] {0, 'A'}, xpub.recv(), "manual: cancellations are passed up");
            sub2.close();
            assertArrayEquals(new byte[] {0, 'B'}, xpub.recv(), "a leaving subscriber's remaining topics come up as cancellations");

            xpub.setOption(Option.UNSUBSCRIBE, b("A")); // applies to sub1 again? no: the last message came from sub2, gone
            xpub.send(b("A still flows"));
            got = sub1.recv(WAIT_MS);
            assertNotNull(got, "unsubscribing the departed subscriber must not touch sub1");
            assertEquals("A still flows", str(got.get(0)));
        }
    }

    @Test
    void subscribeOnAnXpubNeedsManualMode() {
        Socket xpub = socket(ctx, SocketType.XPUB);
        ZmqException e = assertThrows(ZmqException.class, () -> xpub.setOption(Option.SUBSCRIBE, b("A")));
        assertEquals(ZmqException.Errno.EINVAL, e.errno());
        Socket pub = socket(ctx, SocketType.PUB);
        assertEquals(ZmqException.Errno.EINVAL,
                assertThrows(ZmqException.class, () -> pub.setOption(Option.XPUB_MANUAL, true)).errno());
    }

    /** Inproc pipe capacity is SNDHWM + RCVHWM, as libzmq: 5 + 5 here. */
    private Socket[] inprocPair(boolean nodrop) {
        Socket xpub = socket(ctx, SocketType.XPUB);
        xpub.setOption(Option.SNDHWM, 5);
        xpub.setOption(Option.XPUB_NODROP, nodrop);
        xpub.bind("inproc://nodrop-" + nodrop);
        Socket sub = socket(ctx, SocketType.SUB);
        sub.setOption(Option.RCVHWM, 5);
        sub.setOption(Option.SUBSCRIBE, new byte[0]);
        sub.connect("inproc://nodrop-" + nodrop);
        assertEquals(1, xpub.recv()[0], "subscription arrived");
        return new Socket[] {xpub, sub};
    }

    @Test
    void nodropRefusesInsteadOfDropping() {
        Socket[] pair = inprocPair(true);
        Socket xpub = pair[0];
        Socket sub = pair[1];
        int sent = 0;
        while (xpub.send(seq(sent), Socket.DONTWAIT)) {
            sent++;
            assertTrue(sent <= 10, "NODROP must stop at the HWM");
        }
        assertEquals(10, sent);
        xpub.setOption(Option.SNDTIMEO, 100);
        assertFalse(xpub.send(seq(sent)), "a blocking send times out at the HWM");
        for (int i = 0; i < sent; i++) {
            assertEquals(i, ByteBuffer.wrap(sub.recv()).getInt(), "no gaps");
        }
        assertTrue(xpub.send(seq(sent), Socket.DONTWAIT), "room again once the subscriber read");
    }

    @Test
    void withoutNodropMessagesBeyondTheHwmAreDropped() {
        Socket[] pair = inprocPair(false);
        for (int i = 0; i < 100; i++) {
            assertTrue(pair[0].send(seq(i), Socket.DONTWAIT), "PUB/XPUB never blocks without NODROP");
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(i, ByteBuffer.wrap(pair[1].recv()).getInt());
        }
        pair[1].setOption(Option.RCVTIMEO, SHORT_MS);
        assertNull(pair[1].recv(), "the rest was dropped");
    }

    @Test
    void nodropSendBlockedAtTheHwmWakesWhenTheSubscriberReads() throws Exception {
        Socket[] pair = inprocPair(true);
        Socket xpub = pair[0];
        for (int i = 0; i < 10; i++) {
            assertTrue(xpub.send(seq(i), Socket.DONTWAIT));
        }
        xpub.setOption(Option.SNDTIMEO, WAIT_MS);
        CompletableFuture<Boolean> blocked = Msgs.async(() -> xpub.send(seq(10))); // hands the XPUB over
        // the subscriber catches up (credit may come back in batches, as libzmq's LWM): the 11th
        // message arrives only because the blocked send was woken and went through
        for (int i = 0; i <= 10; i++) {
            assertEquals(i, ByteBuffer.wrap(pair[1].recv()).getInt());
        }
        assertTrue(blocked.get(WAIT_MS, TimeUnit.MILLISECONDS), "the blocked send completed once there was room");
    }

    /** Over tcp to a libzmq SUB that is not reading: NODROP sends stop, and what was sent all arrives. */
    @Test
    void nodropLosesNothingOnTheWayToALibzmqSubscriber() {
        try (LibzmqPeer peer = LibzmqPeer.start()) {
            Socket xpub = socket(ctx, SocketType.XPUB);
            xpub.setOption(Option.XPUB_NODROP, true);
            xpub.setOption(Option.SNDHWM, 10);
            xpub.setOption(Option.SNDBUF, 16_384);
            xpub.bind("tcp://127.0.0.1:*");
            PeerSocket sub = peer.socket(SocketType.SUB);
            sub.setOption("RCVHWM", 10);
            sub.setOption("RCVBUF", 16_384);
            sub.setOption("SUBSCRIBE", new byte[0]);
            sub.connect(xpub.lastEndpoint());
            assertEquals(1, xpub.recv()[0], "subscription arrived");

            byte[] filler = new byte[8_192];
            xpub.setOption(Option.SNDTIMEO, SHORT_MS); // the send that times out marks "everything is full"
            int sent = 0;
            while (true) {
                byte[] msg = ByteBuffer.allocate(filler.length).putInt(sent).put(filler, 4, filler.length - 4).array();
                if (!xpub.send(msg)) {
                    break;
                }
                sent++;
                assertTrue(sent < 20_000, "NODROP never pushed back");
            }
            assertTrue(sent > 20, "the HWMs and socket buffers fill before NODROP pushes back, sent " + sent);
            for (int i = 0; i < sent; i++) {
                List<byte[]> got = sub.recv(WAIT_MS);
                assertNotNull(got, "message " + i + " of " + sent + " missing");
                assertEquals(i, ByteBuffer.wrap(got.get(0)).getInt(), "no gaps");
            }
        }
    }

    private static byte[] seq(int i) {
        return ByteBuffer.allocate(4).putInt(i).array();
    }
}
