package org.zmq4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.wire.Command;
import org.zmq4j.wire.FrameEncoder;
import org.zmq4j.wire.Greeting;

/**
 * Hostile bytes on a real tcp connection: each must drop that connection only, and leave the
 * socket serving its other peers.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileInputTest {
    private Context ctx;
    private Socket pull;
    private Socket goodPush;

    @BeforeEach
    void setUp() {
        ctx = new Context();
        pull = ctx.socket(SocketType.PULL);
        pull.setOption(Option.LINGER, 0);
        pull.setOption(Option.RCVTIMEO, 5000);
        pull.setOption(Option.MAXMSGSIZE, 1_000_000L);
        pull.setOption(Option.HANDSHAKE_IVL, 500);
        pull.bind("tcp://127.0.0.1:*");
        goodPush = ctx.socket(SocketType.PUSH);
        goodPush.setOption(Option.LINGER, 0);
        goodPush.connect(pull.lastEndpoint());
    }

    @AfterEach
    void tearDown() {
        pull.close();
        goodPush.close();
        ctx.close();
    }

    private void assertOtherPeerStillServed(String label) {
        byte[] msg = ("still alive after " + label).getBytes(StandardCharsets.UTF_8);
        assertTrue(goodPush.send(msg));
        assertArrayEquals(msg, pull.recv(), "the well-behaved peer must keep working after " + label);
    }

    @Test
    void garbageBytesDropTheConnection() throws Exception {
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        junk[0] = 0x47; // not 0xFF: not a ZMTP greeting
        try (RawPeer raw = new RawPeer(pull.lastEndpoint())) {
            raw.send(junk);
            assertTrue(raw.closedByPeerWithin(5000));
        }
        assertOtherPeerStillServed("garbage");
    }

    @Test
    void frameHeaderClaiming2Pow62BytesDropsTheConnection() throws Exception {
        try (RawPeer raw = new RawPeer(pull.lastEndpoint())) {
            raw.handshake("PUSH", 1);
            raw.send(ByteBuffer.allocate(9).put((byte) 0x02).putLong(1L << 62).array());
            assertTrue(raw.closedByPeerWithin(5000));
        }
        assertOtherPeerStillServed("a 2^62-byte header");
    }

    @Test
    void frameAboveMaxMsgSizeDropsTheConnectionAndIsNotDelivered() throws Exception {
        try (RawPeer raw = new RawPeer(pull.lastEndpoint())) {
            raw.handshake("PUSH", 1);
            try {
                raw.send(FrameEncoder.message(new byte[1_000_001], false));
            } catch (java.io.IOException droppedMidWrite) {
                // expected: zmq4j closes as soon as it has read the oversized header
            }
            assertTrue(raw.closedByPeerWithin(5000));
        }
        assertOtherPeerStillServed("an oversized frame");
    }

    @Test
    void truncatedFrameThenVanishingPeerDeliversNothing() throws Exception {
        try (RawPeer raw = new RawPeer(pull.lastEndpoint())) {
            raw.handshake("PUSH", 1);
            byte[] frame = FrameEncoder.message(new byte[1000], false);
            raw.send(java.util.Arrays.copyOf(frame, 500));
        }
        assertOtherPeerStillServed("a truncated frame");
        pull.setOption(Option.RCVTIMEO, 100);
        assertNull(pull.recv(), "half a frame must never be delivered");
    }

    @Test
    void handshakeThatStopsHalfWayIsDroppedAfterHandshakeIvl() throws Exception {
        try (RawPeer raw = new RawPeer(pull.lastEndpoint())) {
            raw.send(java.util.Arrays.copyOf(Greeting.encode("NULL", false), 30));
            assertTrue(raw.closedByPeerWithin(5000), "HANDSHAKE_IVL=500 must drop a silent half handshake");
        }
        assertOtherPeerStillServed("a half handshake");
    }

    @Test
    void wrongSocketTypeGetsAnErrorCommandThenClose() throws Exception {
        try (RawPeer raw = new RawPeer(pull.lastEndpoint())) {
            raw.send(Greeting.encode("NULL", false));
            raw.send(FrameEncoder.command("READY", new org.zmq4j.wire.Metadata.Builder().add("Socket-Type", "SUB").build()));
            // the peer's greeting, then its READY, then ERROR
            raw.readGreeting();
            byte[] ready = raw.readFrame();
            byte[] error = raw.readFrame();
            assertEquals("READY", Command.parse(java.util.Arrays.copyOfRange(ready, 1, ready.length)).name());
            assertEquals("ERROR", Command.parse(java.util.Arrays.copyOfRange(error, 1, error.length)).name());
            assertTrue(raw.closedByPeerWithin(5000));
        }
        assertOtherPeerStillServed("a wrong socket type");
    }

    @Test
    void mechanismMismatchDropsTheConnection() throws Exception {
        try (RawPeer raw = new RawPeer(pull.lastEndpoint())) {
            raw.send(Greeting.encode("PLAIN", false));
            assertTrue(raw.closedByPeerWithin(5000));
        }
        assertOtherPeerStillServed("a mechanism mismatch");
    }

    @Test
    void pingIsAnsweredWithPongCarryingTheContext() throws Exception {
        try (RawPeer raw = new RawPeer(pull.lastEndpoint())) {
            raw.handshake("PUSH", 1);
            byte[] ready = raw.readFrame();
            assertEquals(0x04, ready[0]);
            raw.send(FrameEncoder.command("PING", new byte[] {0, 10, 'c', 't', 'x'}));
            byte[] pong = raw.readFrame();
            Command c = Command.parse(java.util.Arrays.copyOfRange(pong, 1, pong.length));
            assertEquals("PONG", c.name());
            assertArrayEquals("ctx".getBytes(), c.data());
        }
    }

    @Test
    void thousandsOfConnectDisconnectCyclesLeaveTheSocketHealthy() throws Exception {
        for (int i = 0; i < 1000; i++) {
            try (RawPeer raw = new RawPeer(pull.lastEndpoint())) {
                if (i % 2 == 0) {
                    raw.send(Greeting.encode("NULL", false));
                }
            }
        }
        assertOtherPeerStillServed("1000 connect/disconnect cycles");
    }
}
