package org.zmq4j.testsuite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.zmq4j.support.Checks.awaitTrue;
import static org.zmq4j.testsuite.Payloads.MIB;
import static org.zmq4j.testsuite.Suite.AWAIT_MS;
import static org.zmq4j.testsuite.Suite.b;
import static org.zmq4j.testsuite.Suite.bound;
import static org.zmq4j.testsuite.Suite.connected;
import static org.zmq4j.testsuite.Suite.inproc;
import static org.zmq4j.testsuite.Suite.passes;
import static org.zmq4j.testsuite.Suite.recvWhole;
import static org.zmq4j.testsuite.Suite.socket;
import static org.zmq4j.testsuite.Suite.str;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.support.ContextPerTest;

/**
 * inproc:// behaviour beyond plain message flow: zero copy, connect before bind, the HWM of an
 * inproc pipe (sender SNDHWM + receiver RCVHWM), many threads each owning a socket, what the peer
 * sees when one side closes, re-binding a name, bind/connect errors and context termination.
 * <p>
 * Where the expected numbers or errors come from libzmq, they were checked against libzmq 4.3.4
 * through pyzmq 24 (the Debian python3-zmq) and the test says so.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InprocBehaviourTest extends ContextPerTest {
    @Override
    protected Duration contextCloseBound() {
        return Duration.ofSeconds(10);
    }

    // ------------------------------------------------------------------ zero copy

    /** The byte[] given to send is the very byte[] the peer's recv returns, frame by frame. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PUSH_PULL", "PAIR", "DEALER_ROUTER", "PUB_SUB"})
    void zeroCopy(String pair) {
        String ep = inproc("zero-copy");
        Socket tx;
        Socket rx;
        switch (pair) {
            case "PUSH_PULL":
                tx = socket(ctx, SocketType.PUSH);
                rx = socket(ctx, SocketType.PULL);
                break;
            case "PAIR":
                tx = socket(ctx, SocketType.PAIR);
                rx = socket(ctx, SocketType.PAIR);
                break;
            case "DEALER_ROUTER":
                tx = socket(ctx, SocketType.DEALER);
                tx.setOption(Option.ROUTING_ID, b("d"));
                rx = socket(ctx, SocketType.ROUTER);
                break;
            case "PUB_SUB":
                tx = socket(ctx, SocketType.PUB);
                rx = socket(ctx, SocketType.SUB);
                rx.setOption(Option.SUBSCRIBE, new byte[0]);
                break;
            default:
                throw new IllegalArgumentException(pair);
        }
        rx.bind(ep);
        tx.connect(ep);
        byte[] big = Payloads.bytes(MIB, 7);
        byte[] small = b("small");
        byte[] empty = new byte[0];
        if (pair.equals("PUB_SUB")) {
            // inproc subscription: wait until the PUB has it (probe), then drain the probes
            awaitTrue("SUB subscription reaches PUB", AWAIT_MS, () -> {
                tx.send(b("probe"), Socket.DONTWAIT);
                return rx.recv(Socket.DONTWAIT) != null;
            });
            while (rx.recv(Socket.DONTWAIT) != null) {
                // drain remaining probes (inproc: all are queued already)
            }
        }
        assertTrue(tx.sendMore(small));
        assertTrue(tx.sendMore(empty));
        assertTrue(tx.send(big));
        List<byte[]> got = recvWhole(rx);
        int offset = pair.equals("DEALER_ROUTER") ? 1 : 0;
        assertEquals(3 + offset, got.size());
        if (offset == 1) {
            assertArrayEquals(b("d"), got.get(0));
        }
        assertSame(small, got.get(offset), "frame 0 must be the sender's array (zero copy)");
        assertSame(empty, got.get(offset + 1), "frame 1 must be the sender's array (zero copy)");
        assertSame(big, got.get(offset + 2), "frame 2 must be the sender's array (zero copy)");
    }

    // ------------------------------------------------------------------ connect before bind

    /** Messages sent on a connect whose name is not bound yet are queued and delivered on bind. */
    @Test
    void connectBeforeBindQueuesMessages() {
        String ep = inproc("cbb");
        Socket push = connected(ctx, SocketType.PUSH, ep);
        for (int i = 0; i < 100; i++) {
            assertTrue(push.send(b("m" + i), Socket.DONTWAIT), "send " + i + " before bind must be queued");
        }
        Socket pull = bound(ctx, SocketType.PULL, ep);
        for (int i = 0; i < 100; i++) {
            byte[] m = pull.recv();
            assertNotNull(m, "message " + i + " sent before bind");
            assertEquals("m" + i, str(m));
        }
        assertNull(pull.recv(Socket.DONTWAIT));
        // and the connection then works normally in both directions of use
        passes(push, pull, "after");
    }

    /** Connect before bind with multipart and a request/reply round trip (REQ queued before REP exists). */
    @Test
    void connectBeforeBindRequestReply() {
        String ep = inproc("cbb-req");
        Socket req = connected(ctx, SocketType.REQ, ep);
        assertTrue(req.sendMore(b("a")));
        assertTrue(req.send(b("b")));
        Socket rep = bound(ctx, SocketType.REP, ep);
        List<byte[]> got = recvWhole(rep);
        assertEquals(List.of("a", "b"), got.stream().map(Suite::str).toList());
        passes(rep, req, "r");
    }

    // ------------------------------------------------------------------ HWM

    private static int sendUntilFull(Socket s, int cap) {
        int n = 0;
        while (n < cap && s.send(b("x" + n), Socket.DONTWAIT)) {
            n++;
        }
        return n;
    }

    /**
     * An inproc pipe holds sender SNDHWM + receiver RCVHWM messages (0 on either side: no limit).
     * Checked against libzmq 4.3.4 with PUSH/PULL and DONTWAIT sends, nothing read, both orders:
     * (5,5) -> 10, (1,1) -> 2, (3,7) -> 10, (5,0) and (0,5) -> unlimited (stopped at the cap).
     * libzmq's own tests/test_hwm.cpp asserts the same (test_inproc_bind_first(1, 1) == 2).
     */
    @ParameterizedTest(name = "SNDHWM={0} RCVHWM={1} bindFirst={2} -> {3}")
    @CsvSource({
            "5, 5, true, 10", "5, 5, false, 10",
            "1, 1, true, 2", "1, 1, false, 2",
            "3, 7, true, 10", "3, 7, false, 10",
            "5, 0, true, 20000", "0, 5, true, 20000",
            "5, 0, false, 20000", "0, 5, false, 20000"})
    void hwmCountsBothSides(int sndHwm, int rcvHwm, boolean bindFirst, int expected) {
        String ep = inproc("hwm");
        Socket push = socket(ctx, SocketType.PUSH);
        push.setOption(Option.SNDHWM, sndHwm);
        Socket pull = socket(ctx, SocketType.PULL);
        pull.setOption(Option.RCVHWM, rcvHwm);
        join(pull, push, ep, bindFirst);
        int cap = 20_000;
        assertEquals(expected, sendUntilFull(push, cap),
                "DONTWAIT sends accepted with SNDHWM=" + sndHwm + " RCVHWM=" + rcvHwm + " and nothing read");
        if (expected < cap) {
            assertFalse(push.send(b("one more"), Socket.DONTWAIT), "send " + (expected + 1) + " must fail");
            // reading everything makes room for exactly as many again (libzmq 4.3.4: same)
            for (int i = 0; i < expected; i++) {
                assertEquals("x" + i, str(pull.recv()), "queued message " + i);
            }
            assertNull(pull.recv(Socket.DONTWAIT));
            assertEquals(expected, sendUntilFull(push, cap), "after draining, the pipe takes as many again");
        }
    }

    /**
     * Before the name is bound, the receiver's RCVHWM is unknown: libzmq 4.3.4 queues exactly SNDHWM
     * messages on the pending pipe (PUSH SNDHWM=5 connected to an unbound name: 5 DONTWAIT sends
     * succeed, the 6th fails with EAGAIN). After the bind (PULL RCVHWM=5) the pipe never holds more
     * than SNDHWM + RCVHWM = 10 (libzmq accepts 0 more until the reader drains it), and after the
     * reader drains it, exactly 10 sends succeed.
     */
    @Test
    void hwmBeforeBindIsTheSendersOwn() {
        String ep = inproc("hwm-pending");
        Socket push = socket(ctx, SocketType.PUSH);
        push.setOption(Option.SNDHWM, 5);
        push.connect(ep);
        int beforeBind = sendUntilFull(push, 5000);
        Socket pull = socket(ctx, SocketType.PULL);
        pull.setOption(Option.RCVHWM, 5);
        pull.bind(ep);
        int afterBind = sendUntilFull(push, 5000);
        int queued = beforeBind + afterBind;
        for (int i = 0; i < queued; i++) {
            assertNotNull(pull.recv(), "queued message " + i);
        }
        assertNull(pull.recv(Socket.DONTWAIT));
        int afterDrain = sendUntilFull(push, 5000);
        assertEquals(5, beforeBind, "DONTWAIT sends accepted before the bind with SNDHWM=5 (libzmq 4.3.4: 5)");
        assertTrue(queued <= 10, "the pipe must never hold more than SNDHWM+RCVHWM=10 messages, held " + queued);
        assertEquals(10, afterDrain, "after draining, SNDHWM+RCVHWM=10 sends fit");
    }

    // ------------------------------------------------------------------ threads

    /**
     * Eight threads, each owning its own PUSH socket, send 10 000 messages each to one PULL; every
     * message arrives and each sender's messages arrive in the order sent. The PUSH sockets stay
     * open until the PULL has everything.
     */
    @ParameterizedTest(name = "bindFirst={0}")
    @ValueSource(booleans = {true, false})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void manyThreadsEachOwningASocket(boolean bindFirst) throws Exception {
        int senders = 8;
        int perSender = 10_000;
        String ep = inproc("threads");
        Socket pull = socket(ctx, SocketType.PULL);
        pull.setOption(Option.RCVTIMEO, 10_000);
        if (bindFirst) {
            pull.bind(ep);
        }
        CountDownLatch connected = new CountDownLatch(senders);
        CountDownLatch receiverDone = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < senders; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    Socket push = ctx.socket(SocketType.PUSH);
                    try {
                        push.setOption(Option.LINGER, 0);
                        push.setOption(Option.SNDTIMEO, 20_000);
                        push.connect(ep);
                        connected.countDown();
                        for (int i = 0; i < perSender; i++) {
                            byte[] m = ByteBuffer.allocate(8).putInt(id).putInt(i).array();
                            if (!push.send(m)) {
                                throw new AssertionError("sender " + id + " blocked at message " + i);
                            }
                        }
                        // keep the socket (and its queue) until the receiver has everything
                        if (!receiverDone.await(50, TimeUnit.SECONDS)) {
                            throw new AssertionError("receiver never finished");
                        }
                    } finally {
                        push.close();
                    }
                    return null;
                }));
            }
            if (!bindFirst) {
                assertTrue(connected.await(20, TimeUnit.SECONDS), "senders connected");
                pull.bind(ep);
            }
            int[] next = new int[senders];
            for (int n = 0; n < senders * perSender; n++) {
                byte[] m = pull.recv();
                assertNotNull(m, "message " + n + " of " + senders * perSender + " never arrived; per sender: "
                        + java.util.Arrays.toString(next));
                ByteBuffer bb = ByteBuffer.wrap(m);
                int id = bb.getInt();
                int seq = bb.getInt();
                assertEquals(next[id], seq, "sender " + id + " out of order");
                next[id]++;
            }
            assertNull(pull.recv(Socket.DONTWAIT), "no extra messages");
            receiverDone.countDown();
            for (Future<?> f : futures) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            receiverDone.countDown();
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
    }

    // ------------------------------------------------------------------ close of one side

    /**
     * When the sending side closes (LINGER 0), the receiver still gets every message already
     * queued in the inproc pipe, then nothing. Same in libzmq 4.3.4 (PUSH connecter or binder).
     */
    @ParameterizedTest(name = "senderBinds={0}")
    @ValueSource(booleans = {true, false})
    void senderCloseLeavesQueuedMessagesReadable(boolean senderBinds) {
        String ep = inproc("close-sender");
        Socket push = socket(ctx, SocketType.PUSH);
        Socket pull = socket(ctx, SocketType.PULL);
        if (senderBinds) {
            push.bind(ep);
            pull.connect(ep);
        } else {
            pull.bind(ep);
            push.connect(ep);
        }
        for (int i = 0; i < 5; i++) {
            assertTrue(push.send(b("q" + i)));
        }
        push.close();
        for (int i = 0; i < 5; i++) {
            assertEquals("q" + i, str(pull.recv()), "message queued before the close");
        }
        pull.setOption(Option.RCVTIMEO, 200);
        assertNull(pull.recv(), "nothing after the queued messages");
    }

    /** PAIR: the survivor reads what was queued, then nothing; it then cannot send (no peer). */
    @Test
    void pairPeerCloses() {
        String ep = inproc("close-pair");
        Socket a = socket(ctx, SocketType.PAIR);
        Socket b = socket(ctx, SocketType.PAIR);
        a.bind(ep);
        b.connect(ep);
        for (int i = 0; i < 3; i++) {
            assertTrue(a.send(b("p" + i)));
        }
        a.close();
        for (int i = 0; i < 3; i++) {
            assertEquals("p" + i, str(b.recv()));
        }
        b.setOption(Option.RCVTIMEO, 200);
        assertNull(b.recv());
        // libzmq 4.3.4: the survivor's DONTWAIT send fails with EAGAIN once the pipe is gone
        awaitTrue("PAIR send with the peer closed must fail (EAGAIN)", AWAIT_MS,
                () -> !b.send(b("to nobody"), Socket.DONTWAIT));
    }

    /** When the only PULL closes, the PUSH eventually has no peer: DONTWAIT sends fail (libzmq: EAGAIN). */
    @Test
    void receiverCloses() {
        String ep = inproc("close-receiver");
        Socket pull = bound(ctx, SocketType.PULL, ep);
        Socket push = connected(ctx, SocketType.PUSH, ep);
        passes(push, pull, "1");
        pull.close();
        awaitTrue("PUSH send with its only PULL closed must fail (EAGAIN)", AWAIT_MS,
                () -> !push.send(b("to nobody"), Socket.DONTWAIT));
    }

    /**
     * The same numbers when the PUSH binds and the PULL connects (the pending pipe of a PULL that
     * connects first is re-sized on bind).
     */
    /** Binds {@code binder} and connects {@code connecter} to it, in the order the case asks for. */
    private static void join(Socket binder, Socket connecter, String ep, boolean bindFirst) {
        if (bindFirst) {
            binder.bind(ep);
            connecter.connect(ep);
        } else {
            connecter.connect(ep);
            binder.bind(ep);
        }
    }

    @ParameterizedTest(name = "PUSH binds, SNDHWM={0} RCVHWM={1} bindFirst={2} -> {3}")
    @CsvSource({"5, 5, true, 10", "5, 5, false, 10", "1, 1, true, 2", "1, 1, false, 2", "3, 7, false, 10"})
    void hwmCountsBothSidesWhenThePusherBinds(int sndHwm, int rcvHwm, boolean bindFirst, int expected) {
        String ep = inproc("hwm-push-binds");
        Socket push = socket(ctx, SocketType.PUSH);
        push.setOption(Option.SNDHWM, sndHwm);
        Socket pull = socket(ctx, SocketType.PULL);
        pull.setOption(Option.RCVHWM, rcvHwm);
        join(push, pull, ep, bindFirst);
        assertEquals(expected, sendUntilFull(push, 20_000),
                "DONTWAIT sends accepted with SNDHWM=" + sndHwm + " RCVHWM=" + rcvHwm + " and nothing read");
        for (int i = 0; i < expected; i++) {
            assertEquals("x" + i, str(pull.recv()), "queued message " + i);
        }
    }

    // ------------------------------------------------------------------ names

    /**
     * After the binder closes, the name can be bound again at once by another socket, and new
     * connects reach the new binder. (zmq4j releases the name synchronously in close(); libzmq 4.3.4
     * releases it asynchronously on its reaper thread, so an immediate re-bind there sometimes fails
     * with EADDRINUSE.) As in libzmq, a connection to the old binder is not re-made to the new one:
     * inproc has no reconnect.
     */
    @Test
    void rebindAfterBinderCloses() {
        String ep = inproc("rebind");
        Socket first = bound(ctx, SocketType.PULL, ep);
        Socket oldPush = connected(ctx, SocketType.PUSH, ep);
        passes(oldPush, first, "to first");
        first.close();

        Socket second = bound(ctx, SocketType.PULL, ep);
        Socket newPush = connected(ctx, SocketType.PUSH, ep);
        passes(newPush, second, "to second");

        // the old connecter is not re-attached (libzmq 4.3.4: same; its send fails with EAGAIN)
        assertFalse(oldPush.send(b("stale"), Socket.DONTWAIT), "old connection must not reach the new binder");
        second.setOption(Option.RCVTIMEO, 100);
        assertNull(second.recv());
    }

    /** unbind releases the name at once: the same or another socket can bind it again. */
    @Test
    void rebindAfterUnbind() {
        String ep = inproc("unbind");
        Socket a = bound(ctx, SocketType.PULL, ep);
        a.unbind(ep);
        Socket b = bound(ctx, SocketType.PULL, ep);
        Socket push = connected(ctx, SocketType.PUSH, ep);
        passes(push, b, "b");
        assertThrows(ZmqException.class, () -> a.unbind(ep), "a is no longer bound there");
    }

    /**
     * unbind releases the name but, as libzmq 4.3.4 does for inproc (checked through pyzmq), leaves
     * connections already made working.
     */
    @Test
    void unbindKeepsExistingInprocConnections() {
        String ep = inproc("unbind-keeps");
        Socket pull = bound(ctx, SocketType.PULL, ep);
        Socket push = connected(ctx, SocketType.PUSH, ep);
        passes(push, pull, "1");
        pull.unbind(ep);
        assertTrue(push.send(b("2"), Socket.DONTWAIT));
        assertEquals("2", str(pull.recv()));
        // and a new connect to the released name waits for a new binder instead of reaching pull
        Socket late = connected(ctx, SocketType.PUSH, ep);
        assertTrue(late.send(b("queued for a future binder"), Socket.DONTWAIT));
        pull.setOption(Option.RCVTIMEO, 100);
        assertNull(pull.recv());
    }

    /**
     * disconnect drops the inproc connection at once: the PUSH has no peer (DONTWAIT send fails),
     * the PULL gets nothing more, and connecting again works. libzmq 4.3.4 (pyzmq): the send right
     * after zmq_disconnect fails with EAGAIN and the PULL receives nothing, on inproc, ipc and tcp.
     */
    @Test
    void disconnectAndReconnect() {
        String ep = inproc("disconnect");
        Socket pull = bound(ctx, SocketType.PULL, ep);
        Socket push = connected(ctx, SocketType.PUSH, ep);
        passes(push, pull, "1");
        push.disconnect(ep);
        boolean sent = push.send(b("2"), Socket.DONTWAIT);
        pull.setOption(Option.RCVTIMEO, 100);
        byte[] leaked = pull.recv();
        assertFalse(sent, "DONTWAIT send right after disconnect must fail (libzmq: EAGAIN), but it was accepted"
                + (leaked == null ? " (and lost)" : " and still delivered to the disconnected PULL"));
        assertNull(leaked, "the disconnected PULL must receive nothing");
        ZmqException e = assertThrows(ZmqException.class, () -> push.disconnect(ep));
        assertEquals(Errno.ENOENT, e.errno(), e.getMessage());
        push.connect(ep);
        assertTrue(push.send(b("3")));
        pull.setOption(Option.RCVTIMEO, Suite.TIMEOUT_MS);
        assertEquals("3", str(pull.recv()));
    }

    /**
     * A PUSH connected to two PULLs disconnects from one: every later message goes to the other.
     * libzmq 4.3.4 (pyzmq, same steps, sends right after zmq_disconnect): 10 of 10 reach the
     * remaining PULL on inproc, ipc and tcp.
     */
    @Test
    void disconnectOneOfTwoPeers() {
        String ep1 = inproc("disconnect-1");
        String ep2 = inproc("disconnect-2");
        Socket pull1 = bound(ctx, SocketType.PULL, ep1);
        Socket pull2 = socket(ctx, SocketType.PULL);
        pull2.bind(ep2);
        Socket push = connected(ctx, SocketType.PUSH, ep1);
        push.connect(ep2);
        assertTrue(push.send(b("a")));
        assertTrue(push.send(b("b")));
        assertNotNull(pull1.recv(), "round robin reaches the first PULL");
        assertNotNull(pull2.recv(), "round robin reaches the second PULL");
        push.disconnect(ep1);
        int accepted = 0;
        for (int i = 0; i < 10; i++) {
            if (push.send(b("m" + i))) {
                accepted++;
            }
        }
        pull1.setOption(Option.RCVTIMEO, 100);
        pull2.setOption(Option.RCVTIMEO, 100);
        int toDisconnected = 0;
        while (pull1.recv() != null) {
            toDisconnected++;
        }
        List<String> toRemaining = new ArrayList<>();
        byte[] m;
        while ((m = pull2.recv()) != null) {
            toRemaining.add(str(m));
        }
        assertEquals(10, accepted, "sends accepted after the disconnect");
        assertEquals(0, toDisconnected, "messages delivered to the disconnected PULL");
        assertEquals(10, toRemaining.size(), "all 10 messages sent after disconnect must reach the remaining PULL; got "
                + toRemaining + ", " + toDisconnected + " went to the disconnected PULL, "
                + (10 - toRemaining.size() - toDisconnected) + " were lost");
    }

    /** A second bind of a bound name fails with EADDRINUSE, from another socket or the same one (libzmq: same). */
    @Test
    void secondBindIsAddressInUse() {
        String ep = inproc("inuse");
        Socket a = bound(ctx, SocketType.PULL, ep);
        Socket b = socket(ctx, SocketType.PULL);
        ZmqException other = assertThrows(ZmqException.class, () -> b.bind(ep));
        assertEquals(Errno.EADDRINUSE, other.errno(), other.getMessage());
        ZmqException same = assertThrows(ZmqException.class, () -> a.bind(ep));
        assertEquals(Errno.EADDRINUSE, same.errno(), same.getMessage());
        // the first binding is unharmed
        Socket push = connected(ctx, SocketType.PUSH, ep);
        passes(push, a, "ok");
    }

    /** Names are per Context: the same name in two contexts are two different endpoints. */
    @Test
    void namesArePerContext() {
        String ep = inproc("per-context");
        try (Context other = new Context()) {
            Socket a = bound(ctx, SocketType.PULL, ep);
            Socket b = socket(other, SocketType.PULL);
            b.bind(ep); // no EADDRINUSE: another context
            Socket push = socket(other, SocketType.PUSH);
            push.connect(ep);
            passes(push, b, "other");
            a.setOption(Option.RCVTIMEO, 100);
            assertNull(a.recv());
        }
    }

    /**
     * Connecting to a bound socket whose type cannot talk to this one throws EINVAL (zmq4j's inproc
     * contract; note libzmq 4.3.4 does not check types on inproc and accepts such a connect).
     */
    @ParameterizedTest(name = "{0} bound, {1} connects")
    @CsvSource({"PUSH, PUSH", "PULL, PULL", "PUB, PUSH", "REP, REP", "ROUTER, PULL", "PAIR, DEALER", "SUB, SUB"})
    void incompatibleTypesAreInvalid(SocketType bound, SocketType connecting) {
        String ep = inproc("incompatible");
        Socket binder = socket(ctx, bound);
        binder.bind(ep);
        Socket connecter = socket(ctx, connecting);
        ZmqException e = assertThrows(ZmqException.class, () -> connecter.connect(ep));
        assertEquals(Errno.EINVAL, e.errno(), e.getMessage());
    }

    /**
     * Connect-before-bind to a name later bound by an incompatible type: the bind succeeds (the
     * connecter cannot be told synchronously) and no message crosses between the two.
     */
    @Test
    void incompatibleConnectBeforeBindCarriesNothing() {
        String ep = inproc("incompatible-late");
        Socket dealer = connected(ctx, SocketType.DEALER, ep);
        dealer.send(b("queued before bind"), Socket.DONTWAIT);
        Socket pull = bound(ctx, SocketType.PULL, ep);
        pull.setOption(Option.RCVTIMEO, 200);
        assertNull(pull.recv(), "a DEALER's message must not reach a PULL");
        // a compatible connect to the same name still works
        Socket push = connected(ctx, SocketType.PUSH, ep);
        passes(push, pull, "ok");
    }

    // ------------------------------------------------------------------ context close

    /**
     * Context.close() with inproc sockets at their default LINGER (-1), unread messages in a full
     * pipe, a connect pending on a name nobody binds (with queued messages), and a thread blocked in
     * recv: close finishes promptly, and the blocked recv throws ETERM. (libzmq 4.3.4: ctx.destroy()
     * of the same set-up returns at once.)
     */
    @Test
    void contextCloseWithInprocSocketsIsPrompt() throws Exception {
        Context c = new Context();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            String ep = inproc("term");
            Socket pull = c.socket(SocketType.PULL);
            pull.setOption(Option.RCVHWM, 5);
            pull.bind(ep);
            Socket push = c.socket(SocketType.PUSH);
            push.setOption(Option.SNDHWM, 5);
            push.connect(ep);
            while (push.send(b("unread"), Socket.DONTWAIT)) {
                // fill the pipe
            }
            Socket pending = c.socket(SocketType.PUSH);
            pending.connect(inproc("never-bound"));
            for (int i = 0; i < 10; i++) {
                assertTrue(pending.send(b("never delivered"), Socket.DONTWAIT));
            }
            String blockedEp = inproc("term-blocked");
            CountDownLatch started = new CountDownLatch(1);
            Future<ZmqException> blocked = pool.submit(() -> {
                Socket s = c.socket(SocketType.PULL);
                s.bind(blockedEp);
                started.countDown();
                try {
                    byte[] m = s.recv();
                    fail("recv returned " + (m == null ? "null" : "a message") + " instead of throwing ETERM");
                    return null;
                } catch (ZmqException e) {
                    return e;
                } finally {
                    s.close();
                }
            });
            assertTrue(started.await(10, TimeUnit.SECONDS));
            long t0 = System.nanoTime();
            java.util.concurrent.CompletableFuture<Void> closing = new java.util.concurrent.CompletableFuture<>();
            Thread closer = new Thread(() -> {
                try {
                    c.close();
                    closing.complete(null);
                } catch (Throwable t) {
                    closing.completeExceptionally(t);
                }
            }, "context-close");
            closer.setDaemon(true);
            closer.start();
            try {
                closing.get(5, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                fail("Context.close() with inproc sockets did not finish within 5 s");
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(c.isClosed());
            ZmqException e = blocked.get(5, TimeUnit.SECONDS);
            assertEquals(Errno.ETERM, e.errno(), e.getMessage());
            assertTrue(ms < 5_000, "close took " + ms + " ms");
            // sockets are unusable afterwards and closing them again is harmless
            assertThrows(ZmqException.class, () -> push.send(b("late"), Socket.DONTWAIT));
            push.close();
            pull.close();
            pending.close();
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        } finally {
            pool.shutdownNow();
            c.close();
        }
    }
}
