package org.zmq4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.io.DirectWriteTest.GAP_NANOS;
import static org.zmq4j.io.DirectWriteTest.assertDirectWrites;
import static org.zmq4j.io.DirectWriteTest.idle;
import static org.zmq4j.io.DirectWriteTest.link;
import static org.zmq4j.io.DirectWriteTest.message;
import static org.zmq4j.io.DirectWriteTest.sendBursts;
import static org.zmq4j.io.DirectWriteTest.stats;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zmq4j.Context;
import org.zmq4j.CurveKeyPair;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.testsuite.LibzmqPeer;

/**
 * Direct writes over CURVE: a socket's thread seals (short nonce and box) and writes a message to
 * an idle connection itself, while the I/O thread seals and writes everything else (the rest of a
 * burst, bodies of 16 KiB and more, heartbeats' PINGs and PONGs, sealed as commands). CurveZMQ
 * peers drop the connection at the first short nonce that does not increase, and a box sealed with
 * the wrong nonce or a corrupted cipher state does not open: so every message arriving whole and in
 * order, at a zmq4j peer and at libzmq, with either side the CURVE server, shows that nonce order
 * is wire order whichever thread sealed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CurveDirectWriteTest {
    private static final CurveKeyPair SERVER = CurveKeyPair.generate();
    private static final CurveKeyPair CLIENT = CurveKeyPair.generate();
    /**
     * Idle time between bursts: sealing and opening a burst (up to 20 messages of up to 300 KB,
     * about 170 KB on average) keeps the I/O thread busy for longer than plain bursts do, and a
     * burst that finds its connection still writing is queued whole.
     */
    private static final long BURST_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(4);

    /**
     * Seals and opens some 50 MB first: a cold JIT seals a burst in longer than the idle gap after
     * it, which leaves no idle connection for the next burst to find (the test that ran first in
     * its JVM saw no direct write at all).
     */
    @BeforeAll
    static void warmUp() {
        try (Context ctx = new Context(); Socket pull = ctx.socket(SocketType.PULL); Socket push = ctx.socket(SocketType.PUSH)) {
            curveServer(pull);
            curveClient(push);
            pull.setOption(Option.RCVTIMEO, 10_000);
            pull.bind("tcp://127.0.0.1:*");
            push.connect(pull.lastEndpoint());
            for (int i = 0; i < 3_000; i++) {
                assertTrue(push.send(message(i)));
                if (i % 100 == 99) { // at most 100 messages queued
                    for (int k = i - 99; k <= i; k++) {
                        assertArrayEquals(message(k), pull.recv(), "warm-up message " + k);
                    }
                }
            }
        }
    }

    private static void curveServer(Socket s) {
        s.setOption(Option.CURVE_SERVER, true);
        s.setOption(Option.CURVE_SECRETKEY, SERVER.secretKey());
    }

    private static void curveClient(Socket s) {
        s.setOption(Option.CURVE_SERVERKEY, SERVER.publicKey());
        s.setOption(Option.CURVE_PUBLICKEY, CLIENT.publicKey());
        s.setOption(Option.CURVE_SECRETKEY, CLIENT.secretKey());
    }

    private static void curve(Socket s, boolean server) {
        if (server) {
            curveServer(s);
        } else {
            curveClient(s);
        }
    }

    /** A libzmq socket, the CURVE server or a client, with heartbeats each millisecond. */
    private static LibzmqPeer.PeerSocket libzmqSocket(LibzmqPeer peer, SocketType type, boolean server) {
        LibzmqPeer.PeerSocket s = peer.socket(type);
        s.setOption("HEARTBEAT_IVL", 1);
        s.setOption("HEARTBEAT_TIMEOUT", 30_000);
        if (server) {
            s.setOption("CURVE_SERVER", 1);
            s.setOption("CURVE_SECRETKEY", SERVER.secretKey());
        } else {
            s.setOption("CURVE_SERVERKEY", SERVER.publicKey());
            s.setOption("CURVE_PUBLICKEY", CLIENT.publicKey());
            s.setOption("CURVE_SECRETKEY", CLIENT.secretKey());
        }
        return s;
    }

    /**
     * Joins two zmq4j sockets over tcp, configured by {@link #configure}.
     *
     * @param bound         binds
     * @param connecting    connects
     * @param boundIsServer whether {@code bound} is the CURVE server (else {@code connecting} is)
     */
    private static void linkCurve(Socket bound, Socket connecting, boolean boundIsServer) {
        configure(bound, boundIsServer);
        configure(connecting, !boundIsServer);
        bound.bind("tcp://127.0.0.1:*");
        connecting.connect(bound.lastEndpoint());
    }

    /**
     * A zmq4j socket as the CURVE server or a client, with a PING each millisecond (and a PONG for
     * each of the peer's: sealed by the I/O thread between the messages) and 10 s timeouts (a
     * dropped connection fails a send or receive instead of blocking it).
     */
    private static void configure(Socket s, boolean server) {
        curve(s, server);
        s.setOption(Option.HEARTBEAT_IVL, 1);
        s.setOption(Option.HEARTBEAT_TIMEOUT, 30_000);
        s.setOption(Option.SNDTIMEO, 10_000);
        s.setOption(Option.RCVTIMEO, 10_000);
    }

    @ParameterizedTest(name = "sender is the CURVE {0}")
    @ValueSource(strings = {"client", "server"})
    void zmq4jReceivesSealedBurstsAndSparseMessagesInOrder(String senderRole) {
        boolean senderIsServer = senderRole.equals("server");
        try (Context ctx = new Context(); Socket pull = ctx.socket(SocketType.PULL); Socket push = ctx.socket(SocketType.PUSH)) {
            push.setOption(Option.LINGER, 5_000);
            linkCurve(pull, push, !senderIsServer);
            long before = stats(ctx).directWrites();
            int count = 3_000;
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread sender = new Thread(() -> {
                try {
                    sendBursts(push, count, 13, BURST_GAP_NANOS);
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "curve-sender");
            sender.start();
            for (int i = 0; i < count && failure.get() == null; i++) {
                byte[] got = pull.recv();
                assertNotNull(got, "message " + i + " did not arrive (a refused nonce or box drops the connection)");
                assertArrayEquals(message(i), got, "message " + i);
            }
            DirectWriteTest.join(sender);
            assertNull(failure.get(), "the sender failed");
            assertDirectWrites(ctx, before, 50, "CURVE " + senderRole + " sending, about 290 bursts");
        }
    }

    @ParameterizedTest(name = "REP is the CURVE {0}")
    @ValueSource(strings = {"server", "client"})
    void requestsAndRepliesAreSealedAndWrittenByTheSocketsThreads(String repRole) {
        boolean repIsServer = repRole.equals("server");
        try (Context ctx = new Context(); Socket rep = ctx.socket(SocketType.REP); Socket req = ctx.socket(SocketType.REQ)) {
            linkCurve(rep, req, repIsServer);
            long before = stats(ctx).directWrites();
            for (int i = 0; i < 300; i++) {
                idle(GAP_NANOS);
                req.send(message(i));
                assertArrayEquals(message(i), rep.recv(), "request " + i);
                idle(GAP_NANOS);
                rep.send(message(i + 1));
                assertArrayEquals(message(i + 1), req.recv(), "reply " + i);
            }
            long direct = stats(ctx).directWrites() - before;
            System.out.println("CurveDirectWriteTest REQ/REP, REP the CURVE " + repRole + ": " + direct + " direct writes of 600 sends");
            // 600 sends after idle time; those of 16 KiB and more are sealed by the sending thread
            // but written by the I/O thread, and the I/O thread takes a few when it is writing a
            // PING or PONG at that moment
            assertTrue(direct >= 200, "only " + direct + " of 600 sparse CURVE sends were written by the sending thread");
        }
    }

    @ParameterizedTest(name = "zmq4j is the CURVE server: {0}")
    @ValueSource(booleans = {true, false})
    void libzmqReceivesSealedBurstsAndSparseMessagesInOrder(boolean zmq4jIsServer) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Socket push = ctx.socket(SocketType.PUSH)) {
            LibzmqPeer.PeerSocket pull = libzmqSocket(peer, SocketType.PULL, !zmq4jIsServer);
            pull.setOption("RCVHWM", 100_000);
            configure(push, zmq4jIsServer);
            push.setOption(Option.LINGER, 5_000);
            link(push, pull, zmq4jIsServer); // the CURVE server binds
            long before = stats(ctx).directWrites();
            int count = 400;
            sendBursts(push, count, 17, BURST_GAP_NANOS);
            for (int i = 0; i < count; i++) {
                List<byte[]> frames = pull.recv(10_000);
                assertNotNull(frames, "libzmq did not receive message " + i + " (a nonce out of order or a box that does not open"
                        + " drops the connection)");
                assertEquals(1, frames.size(), "message " + i);
                assertArrayEquals(message(i), frames.get(0), "message " + i);
            }
            assertDirectWrites(ctx, before, 5, "CURVE to libzmq, about 40 bursts");
        }
    }

    @ParameterizedTest(name = "zmq4j is the CURVE server: {0}")
    @ValueSource(booleans = {true, false})
    void libzmqRequesterGetsRepliesSealedAndWrittenByTheRepliersThread(boolean zmq4jIsServer) {
        try (LibzmqPeer peer = LibzmqPeer.start(); Context ctx = new Context(); Socket rep = ctx.socket(SocketType.REP)) {
            LibzmqPeer.PeerSocket req = libzmqSocket(peer, SocketType.REQ, !zmq4jIsServer);
            configure(rep, zmq4jIsServer);
            link(rep, req, zmq4jIsServer);
            long before = stats(ctx).directWrites();
            for (int i = 0; i < 100; i++) {
                assertNull(req.send(List.of(("q" + i).getBytes()), 10_000, false), "request " + i);
                assertArrayEquals(("q" + i).getBytes(), rep.recv(), "request " + i);
                idle(GAP_NANOS); // the reply finds the connection idle even if the request came fast
                rep.send(message(i));
                List<byte[]> reply = req.recv(10_000);
                assertNotNull(reply, "reply " + i + " (libzmq drops the connection on a nonce out of order)");
                assertArrayEquals(message(i), reply.get(0), "reply " + i);
            }
            long direct = stats(ctx).directWrites() - before;
            assertTrue(direct >= 50, "replies after idle time must be sealed and written by the replier's thread: " + direct + " of 100");
        }
    }
}
