package org.zmq4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketType;
import org.zmq4j.common.ConnectionRules;
import org.zmq4j.common.SocketOptions;
import org.zmq4j.pipe.Pipe;
import org.zmq4j.wire.Command;
import org.zmq4j.wire.FrameDecoder;
import org.zmq4j.wire.FrameEncoder;
import org.zmq4j.wire.Greeting;
import org.zmq4j.wire.ProtocolError;

/**
 * The ZMTP engine driven without a socket or an I/O thread ({@link EmbeddedEngine}): greetings and
 * version fallback, heartbeats on a fake clock, subscription translation both ways, hostile input,
 * partial writes. The real-socket and libzmq interop tests cover the same ground over the wire.
 */
class EmbeddedEngineTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // ------------------------------------------------------------------ greeting and handshake

    @Test
    void greetsAsZmtp31AndCompletesTheNullHandshake() throws Exception {
        EmbeddedEngine e = new EmbeddedEngine(SocketType.DEALER);
        Greeting ours = e.engineGreeting();
        assertEquals(3, ours.major());
        assertEquals(1, ours.minor());
        assertEquals("NULL", ours.mechanism());
        assertFalse(ours.asServer());
        assertNull(e.peer, "no peer before the peer's READY");

        e.handshake(1, SocketType.ROUTER);
        List<Command> sent = e.writtenCommands();
        assertEquals(1, sent.size());
        assertTrue(sent.get(0).is(Command.READY));
        assertEquals("DEALER", org.zmq4j.wire.Metadata.parse(sent.get(0).data(), 0).getString("Socket-Type"));
        assertEquals("ROUTER", e.peerMetadata.getString("Socket-Type"));
        assertEquals("127.0.0.1", e.peerMetadata.getString("Peer-Address"));
    }

    @Test
    void theGreetingAndReadyMayArriveOneByteAtATime() {
        EmbeddedEngine e = new EmbeddedEngine(SocketType.PULL);
        e.io.feedByteByByte(EmbeddedEngine.greeting(3, 1));
        assertNull(e.peer);
        e.io.feedByteByByte(EmbeddedEngine.ready(SocketType.PUSH));
        assertNotNull(e.peer, () -> "handshake did not complete: " + e.closeReason);
        e.io.feedByteByByte(FrameEncoder.message(bytes("hello"), false));
        assertArrayEquals(bytes("hello"), e.peer.in().read());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void framesFlowBothWaysWithZmtp3x(int minor) throws Exception {
        EmbeddedEngine e = new EmbeddedEngine(SocketType.DEALER).handshake(minor, SocketType.DEALER);
        e.writtenFrames(); // READY
        e.io.feed(FrameEncoder.message(bytes("a"), true));
        e.io.feed(FrameEncoder.message(new byte[300], false)); // a long frame (8-byte size)
        assertArrayEquals(bytes("a"), e.peer.in().read());
        assertEquals(Pipe.MORE, e.peer.in().lastFlags() & Pipe.MORE);
        assertEquals(300, e.peer.in().read().length);
        assertEquals(0, e.peer.in().lastFlags() & Pipe.MORE);

        e.peer.out().write(bytes("x"), Pipe.MORE);
        e.peer.out().write(bytes("yz"), 0);
        e.io.pump();
        List<EmbeddedEngine.Frame> out = e.writtenFrames();
        assertEquals(2, out.size());
        assertArrayEquals(bytes("x"), out.get(0).body());
        assertEquals(FrameDecoder.FLAG_MORE, out.get(0).flags());
        assertArrayEquals(bytes("yz"), out.get(1).body());
        assertEquals(0, out.get(1).flags());
    }

    @Test
    void aPeerOlderThanZmtp3IsRefused() {
        EmbeddedEngine e = new EmbeddedEngine(SocketType.DEALER);
        e.io.feed(EmbeddedEngine.greeting(2, 0));
        assertTrue(e.assertClosed().contains("ZMTP major version 2"), e.closeReason);
        assertEquals(SocketEvent.Type.HANDSHAKE_FAILED_PROTOCOL, e.engine.failure().event());
        assertEquals(ProtocolError.MALFORMED.code(), e.engine.failure().value());
        assertNull(e.peer);
    }

    @Test
    void garbageInsteadOfAGreetingIsRefusedAtTheFirstByte() {
        EmbeddedEngine e = new EmbeddedEngine(SocketType.REP);
        e.io.feed(bytes("GET / HTTP/1.1\r\n"));
        assertTrue(e.assertClosed().contains("not a ZMTP 3.x peer"), e.closeReason);
    }

    @Test
    void anotherSecurityMechanismIsAMechanismMismatch() {
        EmbeddedEngine e = new EmbeddedEngine(SocketType.REQ);
        byte[] plain = Greeting.encode("PLAIN", true);
        e.io.feed(plain);
        e.assertClosed();
        assertEquals(SocketEvent.Type.HANDSHAKE_FAILED_PROTOCOL, e.engine.failure().event());
        assertEquals(SocketEvent.PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH, e.engine.failure().value());
    }

    @Test
    void anIncompatibleSocketTypeIsToldWithAnErrorCommand() throws Exception {
        EmbeddedEngine e = new EmbeddedEngine(SocketType.PUSH);
        e.io.feed(EmbeddedEngine.greeting(3, 1));
        e.io.feed(EmbeddedEngine.ready(SocketType.PUB));
        List<Command> sent = e.writtenCommands();
        assertTrue(sent.stream().anyMatch(c -> c.is(Command.ERROR)), "an ERROR command goes to the peer");
        e.assertClosed();
        assertFalse(e.closedAfterHandshake);
        assertEquals(SocketEvent.PROTOCOL_ERROR_ZMTP_INVALID_METADATA, e.engine.failure().value());
    }

    @Test
    void aHandshakeThatDoesNotCompleteEndsAtHandshakeIvl() {
        SocketOptions o = new SocketOptions(SocketType.DEALER);
        o.handshakeIvl = 1_000;
        EmbeddedEngine e = new EmbeddedEngine(o);
        e.io.feed(EmbeddedEngine.greeting(3, 1)); // and then nothing
        e.io.advance(999);
        assertFalse(e.io.isClosed(), "not yet");
        e.io.advance(2);
        assertTrue(e.assertClosed().contains("HANDSHAKE_IVL"), e.closeReason);
    }

    // ------------------------------------------------------------------ heartbeats (fake clock)

    private static EmbeddedEngine heartbeating(int ivl, int timeout) {
        SocketOptions o = new SocketOptions(SocketType.DEALER);
        o.heartbeatIvl = ivl;
        o.heartbeatTimeout = timeout;
        o.heartbeatTtl = 2_000;
        return new EmbeddedEngine(o).handshake(1, SocketType.DEALER);
    }

    @Test
    void aSilentPeerIsDroppedAtHeartbeatTimeout() throws Exception {
        EmbeddedEngine e = heartbeating(100, 300);
        e.writtenFrames(); // READY
        e.io.advance(100);
        List<Command> sent = e.writtenCommands();
        assertEquals(1, sent.size());
        assertTrue(sent.get(0).is(Command.PING));
        assertArrayEquals(new byte[] {0, 20}, sent.get(0).data(), "PING carries HEARTBEAT_TTL in deciseconds");
        e.io.advance(299);
        assertFalse(e.io.isClosed(), "the timeout runs 300 ms from the PING");
        e.io.advance(2);
        assertTrue(e.assertClosed().contains("HEARTBEAT_TIMEOUT"), e.closeReason);
        assertTrue(e.closedAfterHandshake);
    }

    @Test
    void anyTrafficKeepsAHeartbeatingConnectionAlive() throws Exception {
        EmbeddedEngine e = heartbeating(100, 300);
        for (int i = 0; i < 10; i++) {
            e.io.advance(150);
            e.io.feed(FrameEncoder.command(Command.PONG, new byte[0]));
        }
        assertFalse(e.io.isClosed(), () -> "closed: " + e.closeReason);
        long pings = e.writtenCommands().stream().filter(c -> c.is(Command.PING)).count();
        assertTrue(pings >= 10, "a PING every HEARTBEAT_IVL: " + pings);
    }

    @Test
    void aPingIsAnsweredWithItsContextAndItsTtlIsKept() throws Exception {
        EmbeddedEngine e = new EmbeddedEngine(SocketType.DEALER).handshake(1, SocketType.DEALER);
        e.writtenFrames();
        e.io.feed(FrameEncoder.command(Command.PING, new byte[] {0, 3, 'c', 't', 'x'})); // TTL 300 ms
        List<Command> sent = e.writtenCommands();
        assertEquals(1, sent.size());
        assertTrue(sent.get(0).is(Command.PONG));
        assertArrayEquals(bytes("ctx"), sent.get(0).data());
        e.io.advance(299);
        assertFalse(e.io.isClosed());
        e.io.advance(2);
        assertTrue(e.assertClosed().contains("TTL"), e.closeReason);
    }

    // ------------------------------------------------------------------ subscriptions

    @Test
    void aSubscriptionGoesToA31PeerAsACommandAndToA30PeerAsAMessage() throws Exception {
        for (int minor : new int[] {0, 1}) {
            EmbeddedEngine e = new EmbeddedEngine(SocketType.SUB).handshake(minor, SocketType.PUB);
            e.writtenFrames();
            e.peer.out().write(new byte[] {1, 'w', 'x'}, Pipe.SUBSCRIBE);
            e.peer.out().write(new byte[] {0, 'w', 'x'}, Pipe.CANCEL);
            e.io.pump();
            List<EmbeddedEngine.Frame> out = e.writtenFrames();
            assertEquals(2, out.size(), "minor " + minor);
            if (minor == 1) {
                assertTrue(out.get(0).command().is(Command.SUBSCRIBE));
                assertArrayEquals(bytes("wx"), out.get(0).command().data());
                assertTrue(out.get(1).command().is(Command.CANCEL));
            } else {
                assertFalse(out.get(0).isCommand(), "ZMTP 3.0 has no SUBSCRIBE command");
                assertArrayEquals(new byte[] {1, 'w', 'x'}, out.get(0).body());
                assertArrayEquals(new byte[] {0, 'w', 'x'}, out.get(1).body());
            }
        }
    }

    @Test
    void subscriptionCommandsBecomeSubscriptionFramesForAPublisher() {
        EmbeddedEngine e = new EmbeddedEngine(new SocketOptions(SocketType.PUB, ConnectionRules.DEFAULT.publishing()))
                .handshake(1, SocketType.SUB);
        assertArrayEquals(new byte[0], e.peer.in().read(), "a new connection starts with the reset marker");
        assertEquals(Pipe.RESET, e.peer.in().lastFlags() & Pipe.RESET);
        e.io.feed(FrameEncoder.command(Command.SUBSCRIBE, bytes("abc")));
        e.io.feed(FrameEncoder.command(Command.CANCEL, bytes("abc")));
        assertArrayEquals(new byte[] {1, 'a', 'b', 'c'}, e.peer.in().read());
        assertEquals(Pipe.SUBSCRIBE, e.peer.in().lastFlags() & Pipe.SUBSCRIBE);
        assertArrayEquals(new byte[] {0, 'a', 'b', 'c'}, e.peer.in().read());
        assertEquals(Pipe.CANCEL, e.peer.in().lastFlags() & Pipe.CANCEL);
    }

    @Test
    void aSocketTypeWithoutSubscriptionsIgnoresSubscribeCommands() {
        EmbeddedEngine e = new EmbeddedEngine(SocketType.DEALER).handshake(1, SocketType.DEALER);
        e.io.feed(FrameEncoder.command(Command.SUBSCRIBE, bytes("abc")));
        e.io.feed(FrameEncoder.message(bytes("data"), false));
        assertArrayEquals(bytes("data"), e.peer.in().read(), "the command left nothing in the pipe");
        assertFalse(e.io.isClosed());
    }

    // ------------------------------------------------------------------ hostile input

    private static byte[] longHeader(long size) {
        ByteBuffer b = ByteBuffer.allocate(9);
        b.put((byte) FrameDecoder.FLAG_LONG).putLong(size);
        return b.array();
    }

    @Test
    void aFrameHeaderClaiming2To62BytesEndsTheConnectionWithoutAllocatingIt() {
        EmbeddedEngine e = new EmbeddedEngine(SocketType.PULL).handshake(1, SocketType.PUSH);
        long before = usedHeap();
        e.io.feed(longHeader(1L << 62));
        assertTrue(e.assertClosed().contains("exceeds"), e.closeReason);
        assertNull(e.peer.in().read(), "nothing was delivered");
        assertTrue(usedHeap() - before < 64L << 20, "no large allocation");
    }

    @Test
    void aHugeHeaderDuringTheHandshakeIsAProtocolFailure() {
        EmbeddedEngine e = new EmbeddedEngine(SocketType.PULL);
        e.io.feed(EmbeddedEngine.greeting(3, 1));
        e.io.feed(longHeader(1L << 62));
        e.assertClosed();
        assertEquals(SocketEvent.Type.HANDSHAKE_FAILED_PROTOCOL, e.engine.failure().event());
        assertEquals(SocketEvent.PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED, e.engine.failure().value());
    }

    @Test
    void aFrameOverMaxMsgSizeEndsTheConnection() {
        SocketOptions o = new SocketOptions(SocketType.PULL);
        o.maxMsgSize = 100;
        EmbeddedEngine e = new EmbeddedEngine(o).handshake(1, SocketType.PUSH);
        e.io.feed(FrameEncoder.message(new byte[100], false));
        assertEquals(100, e.peer.in().read().length);
        e.io.feed(FrameEncoder.message(new byte[101], false));
        assertTrue(e.assertClosed().contains("MAXMSGSIZE"), e.closeReason);
    }

    @Test
    void reservedFlagBitsEndTheConnection() {
        EmbeddedEngine e = new EmbeddedEngine(SocketType.PULL).handshake(1, SocketType.PUSH);
        e.io.feed(new byte[] {(byte) 0x80, 1, 'x'});
        assertTrue(e.assertClosed().contains("reserved"), e.closeReason);
    }

    @Test
    void aDataFrameBeforeTheHandshakeCompletesIsRefused() {
        EmbeddedEngine e = new EmbeddedEngine(SocketType.PULL);
        e.io.feed(EmbeddedEngine.greeting(3, 1));
        e.io.feed(FrameEncoder.message(bytes("early"), false));
        assertTrue(e.assertClosed().contains("before the handshake"), e.closeReason);
    }

    @Test
    void thePeerClosingItsEndClosesTheConnection() {
        EmbeddedEngine e = new EmbeddedEngine(SocketType.PULL).handshake(1, SocketType.PUSH);
        e.io.endOfStream();
        assertTrue(e.assertClosed().contains("closed by peer"), e.closeReason);
        assertTrue(e.closedAfterHandshake);
    }

    // ------------------------------------------------------------------ writing

    @Test
    void aKernelThatTakesTenBytesAtATimeStillGetsEveryFrameInOrder() throws Exception {
        EmbeddedEngine e = new EmbeddedEngine(SocketType.PUSH).handshake(1, SocketType.PULL);
        e.writtenFrames();
        e.io.writeRoom(10);
        for (int i = 0; i < 50; i++) {
            e.peer.out().write(bytes("message-" + i), 0);
        }
        e.io.pump();
        assertTrue(e.io.isWaitingToWrite(), "the engine waits for room (OP_WRITE)");
        for (int round = 0; round < 1_000 && e.io.isWaitingToWrite(); round++) {
            e.io.writeRoom(10);
        }
        List<EmbeddedEngine.Frame> out = e.writtenFrames();
        assertEquals(50, out.size());
        for (int i = 0; i < 50; i++) {
            assertArrayEquals(bytes("message-" + i), out.get(i).body());
        }
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
