package org.zmq4j.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.zmq4j.CurveKeyPair;
import org.zmq4j.SocketType;
import org.zmq4j.wire.Command;
import org.zmq4j.wire.Metadata;
import org.zmq4j.wire.ProtocolException;

class CurveMechanismTest {
    private static final CurveKeyPair SERVER = CurveKeyPair.generate();
    private static final CurveKeyPair CLIENT = CurveKeyPair.generate();
    private static final Function<ZapRequest, ZapReply> ALLOW =
            r -> new ZapReply("200", "OK", "carol", Metadata.empty());

    private static HandshakeIdentity id(SocketType type, String routingId) {
        return new HandshakeIdentity(type, routingId == null ? null : routingId.getBytes(StandardCharsets.US_ASCII));
    }

    private static CurveMechanism client(SocketType type, byte[] serverKey) {
        return new CurveMechanism(id(type, "C1"), false, CLIENT.publicKey(), CLIENT.secretKey(), serverKey);
    }

    private static CurveMechanism client() {
        return client(SocketType.DEALER, SERVER.publicKey());
    }

    private static CurveMechanism server(SocketType type) {
        return new CurveMechanism(id(type, null), true, SERVER.publicKey(), SERVER.secretKey(), null);
    }

    private static CurveMechanism server() {
        return server(SocketType.ROUTER);
    }

    private static Exchange handshake() throws ProtocolException {
        Exchange x = new Exchange(client(), server(), ALLOW).run();
        assertEquals(Mechanism.Status.READY, x.client.status(), () -> "client: " + x.client.errorReason());
        assertEquals(Mechanism.Status.READY, x.server.status(), () -> "server: " + x.server.errorReason());
        return x;
    }

    private static long nonceAt(byte[] body, int offset) {
        return CurveHandshake.getLong(body, offset);
    }

    // ------------------------------------------------------------------ the handshake

    @Test
    void handshakeCommandsHaveRfc26Layout() throws Exception {
        Exchange x = handshake();
        CurveMechanism client = (CurveMechanism) x.client;
        CurveMechanism server = (CurveMechanism) x.server;
        int clientMetadata = id(SocketType.DEALER, "C1").encodeProperties().length;
        int serverMetadata = id(SocketType.ROUTER, null).encodeProperties().length;

        assertEquals(2, x.fromClient.size());
        assertEquals(2, x.fromServer.size());
        byte[] hello = x.fromClient.get(0);
        byte[] welcome = x.fromServer.get(0);
        byte[] initiate = x.fromClient.get(1);
        byte[] ready = x.fromServer.get(1);

        assertEquals(200, hello.length);
        assertEquals(168, welcome.length);
        assertEquals(257 + clientMetadata, initiate.length);
        assertEquals(30 + serverMetadata, ready.length);

        assertEquals("\u0005HELLO\u0001\u0000", new String(hello, 0, 8, StandardCharsets.ISO_8859_1));
        assertArrayEquals(new byte[72], Arrays.copyOfRange(hello, 8, 80), "anti-amplification padding");
        assertEquals(1, nonceAt(hello, 112), "HELLO short nonce");
        assertEquals("\u0007WELCOME", new String(welcome, 0, 8, StandardCharsets.ISO_8859_1));
        assertEquals("\u0008INITIATE", new String(initiate, 0, 9, StandardCharsets.ISO_8859_1));
        assertEquals(2, nonceAt(initiate, 105), "INITIATE short nonce");
        assertEquals("\u0005READY", new String(ready, 0, 6, StandardCharsets.ISO_8859_1));
        assertEquals(1, nonceAt(ready, 6), "READY short nonce");

        assertEquals("CURVE", client.name());
        assertFalse(client.asServer());
        assertTrue(server.asServer());
        assertTrue(client.boxesMessages());
        assertEquals("DEALER", server.peerMetadata().getString(Metadata.SOCKET_TYPE));
        assertEquals("C1", server.peerMetadata().getString(Metadata.IDENTITY));
        assertEquals("carol", server.peerMetadata().getString("User-Id"));
        assertEquals("carol", server.userId());
        assertEquals("ROUTER", client.peerMetadata().getString(Metadata.SOCKET_TYPE));
        assertArrayEquals(CLIENT.publicKey(), server.peerPublicKey());
        assertArrayEquals(SERVER.publicKey(), client.peerPublicKey());
        assertNull(client.nextCommand());
        assertNull(server.nextCommand());
    }

    @Test
    void zapIsAskedForTheClientsLongTermKey() throws Exception {
        Exchange x = handshake();
        assertEquals(1, x.zapRequests.size());
        assertEquals("CURVE", x.zapRequests.get(0).mechanism());
        assertEquals(1, x.zapRequests.get(0).credentials().size());
        assertArrayEquals(CLIENT.publicKey(), x.zapRequests.get(0).credentials().get(0));
    }

    @Test
    void clientLongTermKeyNeverTravelsInClear() throws Exception {
        Exchange x = handshake();
        byte[] key = CLIENT.publicKey();
        for (byte[] body : x.fromClient) {
            for (int i = 0; i + key.length <= body.length; i++) {
                assertFalse(Arrays.equals(key, 0, 32, body, i, i + 32), "client key in clear at " + i);
            }
        }
    }

    @Test
    void eachConnectionUsesFreshTransientKeysAndNonces() throws Exception {
        Exchange a = handshake();
        Exchange b = handshake();
        assertFalse(Arrays.equals(a.fromClient.get(0), b.fromClient.get(0)), "HELLO carries a fresh C'");
        assertFalse(Arrays.equals(a.fromServer.get(0), 8, 24, b.fromServer.get(0), 8, 24), "WELCOME long nonce is random");
    }

    @Test
    void clientMayDeriveItsPublicKey() throws Exception {
        CurveMechanism client = new CurveMechanism(id(SocketType.REQ, null), false, null, CLIENT.secretKey(), SERVER.publicKey());
        Exchange x = new Exchange(client, server(SocketType.REP), ALLOW).run();
        assertEquals(Mechanism.Status.READY, client.status());
        assertArrayEquals(CLIENT.publicKey(), x.zapRequests.get(0).credentials().get(0));
    }

    @Test
    void wrongServerKeyFailsAtHello() throws Exception {
        CurveMechanism client = client(SocketType.DEALER, CurveKeyPair.generate().publicKey());
        CurveMechanism server = server();
        ProtocolException e = assertThrows(ProtocolException.class, () -> new Exchange(client, server, ALLOW).run());
        assertTrue(e.getMessage().contains("wrong server key"), e.getMessage());
        assertEquals(Mechanism.Status.ERROR, server.status());
        assertTrue(server.errorReason().contains("wrong server key"));
        assertNull(server.nextCommand(), "no answer to a HELLO we cannot open");
    }

    @Test
    void unusableServerKeyFailsTheClientAtOnce() {
        CurveMechanism client = client(SocketType.DEALER, new byte[32]);
        assertEquals(Mechanism.Status.ERROR, client.status());
        assertTrue(client.errorReason().contains("server key"), client.errorReason());
        assertNull(client.nextCommand());
    }

    @Test
    void badKeyLengthsAreIllegalArguments() {
        assertThrows(IllegalArgumentException.class,
                () -> new CurveMechanism(id(SocketType.REQ, null), false, new byte[31], CLIENT.secretKey(), SERVER.publicKey()));
        assertThrows(IllegalArgumentException.class,
                () -> new CurveMechanism(id(SocketType.REQ, null), false, null, CLIENT.secretKey(), new byte[33]));
        assertThrows(NullPointerException.class,
                () -> new CurveMechanism(id(SocketType.REQ, null), false, null, CLIENT.secretKey(), null));
        assertThrows(IllegalArgumentException.class,
                () -> new CurveMechanism(id(SocketType.REP, null), true, null, new byte[16], null));
    }

    // ------------------------------------------------------------------ ZAP

    @Test
    void zapRefusal400IsAnsweredWithError400() throws Exception {
        CurveMechanism client = client();
        CurveMechanism server = server();
        Exchange x = new Exchange(client, server, r -> new ZapReply("400", "No access", "", Metadata.empty())).run();
        assertEquals(Mechanism.Status.ERROR, server.status());
        assertTrue(server.errorReason().contains("400"));
        assertArrayEquals("\u0005ERROR\u0003400".getBytes(StandardCharsets.ISO_8859_1), x.fromServer.get(x.fromServer.size() - 1));
        assertEquals(Mechanism.Status.ERROR, client.status());
        assertEquals("peer sent ERROR: 400", client.errorReason());
        assertThrows(IllegalStateException.class, () -> client.boxMessage(new byte[1], false));
    }

    @Test
    void zapTemporaryFailureClosesSilently() throws Exception {
        CurveMechanism server = server();
        Exchange x = new Exchange(client(), server, r -> new ZapReply("300", "Busy", "", Metadata.empty())).run();
        assertEquals(Mechanism.Status.ERROR, server.status());
        assertEquals(1, x.fromServer.size(), "WELCOME only");
    }

    @Test
    void withoutZapHandlerAnyClientIsLetIn() throws Exception {
        CurveMechanism client = client();
        CurveMechanism server = server();
        new Exchange(client, server, r -> null).run();
        assertEquals(Mechanism.Status.READY, server.status());
        assertEquals("", server.userId());
    }

    @Test
    void whileZapDecidesNothingMoves() throws Exception {
        CurveMechanism client = client();
        CurveMechanism server = server();
        server.process(Command.parse(client.nextCommand()));
        assertNull(server.takeZapRequest(), "no ZAP before INITIATE");
        client.process(Command.parse(server.nextCommand()));
        server.process(Command.parse(client.nextCommand()));
        assertNotNull(server.takeZapRequest());
        assertNull(server.nextCommand());
        assertEquals(Mechanism.Status.HANDSHAKING, server.status());
        assertThrows(IllegalStateException.class, () -> server.boxMessage(new byte[0], false));
        server.zapUnavailable();
        byte[] ready = server.nextCommand();
        assertNotNull(ready);
        assertEquals(Mechanism.Status.READY, server.status(), "READY once READY has been taken");
        client.process(Command.parse(ready));
        assertEquals(Mechanism.Status.READY, client.status());
    }

    @Test
    void incompatibleSocketTypeIsAnsweredWithError() throws Exception {
        CurveMechanism client = client(SocketType.REQ, SERVER.publicKey());
        CurveMechanism server = server(SocketType.PUB);
        Exchange x = new Exchange(client, server, ALLOW).run();
        assertEquals(Mechanism.Status.ERROR, server.status());
        assertTrue(x.zapRequests.isEmpty(), "no ZAP request for a peer that cannot talk to us anyway");
        assertArrayEquals(Handshake.errorCommand("Invalid socket type"), x.fromServer.get(x.fromServer.size() - 1));
        assertEquals(Mechanism.Status.ERROR, client.status());
    }

    // ------------------------------------------------------------------ MESSAGE boxing

    @Test
    void messagesRoundTripBothWays() throws Exception {
        Exchange x = handshake();
        CurveMechanism client = (CurveMechanism) x.client;
        CurveMechanism server = (CurveMechanism) x.server;
        int[] sizes = {0, 1, 16, 255, 256, 65536, 1 << 20};
        for (int size : sizes) {
            byte[] frame = new byte[size];
            for (int i = 0; i < size; i++) {
                frame[i] = (byte) (i * 31 + size);
            }
            for (int flags = 0; flags < 4; flags++) {
                boolean more = (flags & 1) != 0;
                boolean command = (flags & 2) != 0;
                byte[] c2s = client.boxMessage(frame, more, command);
                assertEquals(33 + size, c2s.length);
                assertEquals("\u0007MESSAGE", new String(c2s, 0, 8, StandardCharsets.ISO_8859_1));
                assertArrayEquals(frame, server.unboxMessage(c2s), "opened in place from the frame body");
                assertEquals(more, server.lastUnboxedMore());
                assertEquals(command, server.lastUnboxedCommand());

                byte[] s2c = command ? server.boxMessage(frame, more, true) : server.boxMessage(frame, more);
                assertArrayEquals(frame, client.unboxMessage(Command.parse(s2c)));
                assertEquals(more, client.lastUnboxedMore());
                assertEquals(command, client.lastUnboxedCommand());
            }
        }
    }

    @Test
    void shortNoncesNeverRepeat() throws Exception {
        Exchange x = handshake();
        CurveMechanism client = (CurveMechanism) x.client;
        CurveMechanism server = (CurveMechanism) x.server;
        Set<Long> seen = new HashSet<>();
        long previous = 2; // INITIATE's
        for (int i = 0; i < 20_000; i++) {
            byte[] m = client.boxMessage(new byte[] {(byte) i}, false);
            long n = nonceAt(m, 8);
            assertTrue(n > previous, "client nonces increase");
            assertTrue(seen.add(n));
            previous = n;
            server.unboxMessage(Command.parse(m));
        }
        assertEquals(3L, seen.stream().mapToLong(Long::longValue).min().getAsLong(), "first client MESSAGE nonce");
        previous = 1; // READY's
        for (int i = 0; i < 20_000; i++) {
            byte[] m = server.boxMessage(new byte[] {(byte) i}, i % 2 == 0);
            long n = nonceAt(m, 8);
            assertEquals(previous + 1, n, "server nonces count up from 2");
            previous = n;
            client.unboxMessage(Command.parse(m));
        }
    }

    @Test
    void replayedOrReorderedMessagesAreRefused() throws Exception {
        Exchange x = handshake();
        CurveMechanism client = (CurveMechanism) x.client;
        CurveMechanism server = (CurveMechanism) x.server;
        byte[] first = client.boxMessage("one".getBytes(StandardCharsets.US_ASCII), false);
        byte[] second = client.boxMessage("two".getBytes(StandardCharsets.US_ASCII), false);
        byte[] third = client.boxMessage("three".getBytes(StandardCharsets.US_ASCII), false);
        server.unboxMessage(Command.parse(second)); // a gap is allowed, as in libzmq
        assertThrows(ProtocolException.class, () -> server.unboxMessage(Command.parse(second)), "replay");
        assertThrows(ProtocolException.class, () -> server.unboxMessage(Command.parse(first)), "out of order");
        assertArrayEquals("three".getBytes(StandardCharsets.US_ASCII), server.unboxMessage(Command.parse(third)));
    }

    /**
     * Once READY, a connection seals on whichever thread writes (an application thread writing to
     * an idle connection itself) while its I/O thread opens what the peer sent: one side seals on
     * one thread while it opens on another, at the same time, and every message on both ways must
     * come out whole, in order, with increasing nonces. With one box per connection for both
     * directions, the two threads corrupted each other's cipher state.
     */
    @Test
    void sealingOnOneThreadWhileOpeningOnAnotherKeepsBothDirectionsWhole() throws Exception {
        Exchange x = handshake();
        CurveMechanism client = (CurveMechanism) x.client;
        CurveMechanism server = (CurveMechanism) x.server;
        int count = 20_000;
        byte[][] fromServer = new byte[count][];
        for (int i = 0; i < count; i++) {
            fromServer[i] = server.boxMessage(payload(i), false);
        }
        byte[][] fromClient = new byte[count][];
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(2);
        java.util.concurrent.atomic.AtomicReference<Throwable> sealFailure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread sealer = new Thread(() -> {
            try {
                start.countDown();
                start.await();
                for (int i = 0; i < count; i++) {
                    fromClient[i] = client.boxMessage(payload(i), i % 3 == 0, false);
                }
            } catch (Throwable t) {
                sealFailure.set(t);
            }
        }, "sealer");
        sealer.start();
        start.countDown();
        start.await();
        for (int i = 0; i < count; i++) {
            assertArrayEquals(payload(i), client.unboxMessage(fromServer[i]), "server message " + i + " opened while the client sealed");
        }
        sealer.join(60_000);
        assertFalse(sealer.isAlive(), "the sealing thread did not finish");
        assertNull(sealFailure.get(), () -> "sealing failed: " + sealFailure.get());
        long previous = 2; // INITIATE's
        for (int i = 0; i < count; i++) {
            long n = nonceAt(fromClient[i], 8);
            assertTrue(n > previous, "client nonces increase");
            previous = n;
            assertArrayEquals(payload(i), server.unboxMessage(fromClient[i]), "client message " + i + " sealed while the client opened");
            assertEquals(i % 3 == 0, server.lastUnboxedMore());
        }
    }

    /** Message {@code i}: 0 to 1,499 bytes of a pattern that depends on {@code i}. */
    private static byte[] payload(int i) {
        byte[] b = new byte[(i * 37) % 1500];
        for (int j = 0; j < b.length; j++) {
            b[j] = (byte) (i * 13 + j);
        }
        return b;
    }

    @Test
    void reflectedMessagesAreRefused() throws Exception {
        Exchange x = handshake();
        CurveMechanism client = (CurveMechanism) x.client;
        byte[] mine = client.boxMessage(new byte[] {1, 2, 3}, false);
        // our own MESSAGE sent back to us: the nonce prefix differs by direction, so it cannot open
        assertThrows(ProtocolException.class, () -> client.unboxMessage(Command.parse(mine)));
    }

    @Test
    void alteredOrTruncatedMessagesAreRefused() throws Exception {
        Exchange x = handshake();
        CurveMechanism client = (CurveMechanism) x.client;
        CurveMechanism server = (CurveMechanism) x.server;
        byte[] m = client.boxMessage("payload".getBytes(StandardCharsets.US_ASCII), true);
        for (int i = 0; i < m.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] altered = m.clone();
                altered[i] ^= (byte) (1 << bit);
                expectRefusedMessage(server, altered, "byte " + i + " bit " + bit);
            }
        }
        for (int len = 0; len < m.length; len++) {
            expectRefusedMessage(server, Arrays.copyOf(m, len), "cut at " + len);
        }
        assertArrayEquals("payload".getBytes(StandardCharsets.US_ASCII), server.unboxMessage(Command.parse(m)), "the original still opens");
    }

    private static void expectRefusedMessage(CurveMechanism receiver, byte[] body, String what) {
        try {
            receiver.unboxMessage(Command.parse(body));
            fail(what + " was accepted");
        } catch (ProtocolException expected) {
            // refused
        }
        try {
            receiver.unboxMessage(body); // the engine's way: straight from the frame body
            fail(what + " was accepted from the frame body");
        } catch (ProtocolException expected) {
            // refused
        }
    }

    @Test
    void messagesBeforeTheHandshakeAreRefused() throws Exception {
        CurveMechanism client = client();
        assertThrows(IllegalStateException.class, () -> client.boxMessage(new byte[0], false));
        assertThrows(ProtocolException.class,
                () -> client.unboxMessage(Command.parse(Command.body("MESSAGE", new byte[40]))));
        Exchange x = handshake();
        assertThrows(ProtocolException.class,
                () -> x.server.unboxMessage(Command.parse(Command.body("PING", new byte[40]))));
        assertThrows(ProtocolException.class, () -> x.server.unboxMessage(Command.body("PING", new byte[40])), "named as PING");
        assertThrows(ProtocolException.class, () -> client.unboxMessage(Command.body("MESSAGE", new byte[40])), "before the handshake");
        assertThrows(ProtocolException.class,
                () -> x.server.process(Command.parse(x.client.boxMessage(new byte[0], false))),
                "MESSAGE goes to unboxMessage, not process");
        assertEquals(Mechanism.Status.READY, x.server.status());
    }

    @Test
    void destroyEndsMessaging() throws Exception {
        Exchange x = handshake();
        CurveMechanism client = (CurveMechanism) x.client;
        CurveMechanism server = (CurveMechanism) x.server;
        byte[] m = client.boxMessage(new byte[] {1}, false);
        server.destroy();
        assertThrows(ProtocolException.class, () -> server.unboxMessage(Command.parse(m)));
        assertThrows(IllegalStateException.class, () -> server.boxMessage(new byte[] {1}, false));
        client.destroy();
        client.destroy(); // idempotent
        CurveMechanism early = client();
        early.destroy(); // before any handshake
    }

    // ------------------------------------------------------------------ hostile handshakes

    /**
     * Replays a fresh handshake up to command {@code step} (0 HELLO, 1 WELCOME, 2 INITIATE, 3 READY),
     * delivers {@code body} in its place and reports whether the receiver accepted it (false when
     * Command.parse or process threw ProtocolException or the handshake failed). Any other
     * exception fails the test.
     */
    private static boolean acceptedAfter(int step, byte[] body) {
        CurveMechanism client = client();
        CurveMechanism server = server();
        try {
            for (int i = 0; i < step; i++) {
                if (i % 2 == 0) {
                    server.process(Command.parse(client.nextCommand()));
                    if (server.takeZapRequest() != null) {
                        server.zapUnavailable();
                    }
                } else {
                    client.process(Command.parse(server.nextCommand()));
                }
            }
        } catch (ProtocolException e) {
            throw new AssertionError("the honest prefix failed", e);
        }
        Mechanism sender = step % 2 == 0 ? client : server;
        Mechanism receiver = step % 2 == 0 ? server : client;
        assertNotNull(sender.nextCommand()); // the command we replace
        try {
            Command command = Command.parse(body);
            receiver.process(command);
        } catch (ProtocolException e) {
            return false;
        }
        return receiver.status() != Mechanism.Status.ERROR;
    }

    @Test
    void everyBitFlipInTheHandshakeIsRefused() throws Exception {
        Exchange honest = handshake();
        for (int step = 0; step < 4; step++) {
            byte[] original = (step % 2 == 0 ? honest.fromClient : honest.fromServer).get(step / 2);
            for (int i = 0; i < original.length; i++) {
                int bit = (i * 5 + step) % 8;
                byte[] flipped = original.clone();
                flipped[i] ^= (byte) (1 << bit);
                boolean accepted = acceptedAfter(step, flipped);
                assertFalse(accepted, "step " + step + ": flipping byte " + i + " bit " + bit + " was accepted");
            }
        }
    }

    @Test
    void theOnlyMalleableHandshakeBitIsBit255OfTheTransientKey() throws Exception {
        // X25519 ignores bit 255 of a public key (RFC 7748), so HELLO's C' with that bit flipped is
        // the same key to libsodium and to us: the HELLO still opens. That is the whole of it.
        byte[] hello = client().nextCommand();
        byte[] flipped = hello.clone();
        flipped[80 + 31] ^= (byte) 0x80;
        assertTrue(acceptedAfter(0, flipped));
    }

    @Test
    void everyTruncationOfTheHandshakeIsRefused() throws Exception {
        Exchange honest = handshake();
        for (int step = 0; step < 4; step++) {
            byte[] original = (step % 2 == 0 ? honest.fromClient : honest.fromServer).get(step / 2);
            for (int len = 0; len < original.length; len++) {
                assertFalse(acceptedAfter(step, Arrays.copyOf(original, len)), "step " + step + " cut at " + len);
            }
            byte[] longer = Arrays.copyOf(original, original.length + 1);
            assertFalse(acceptedAfter(step, longer), "step " + step + " with an extra byte");
        }
    }

    @Test
    void commandsFromAnotherConnectionAreRefused() throws Exception {
        // WELCOME of connection A given to the client of connection B
        Exchange a = handshake();
        assertFalse(acceptedAfter(1, a.fromServer.get(0)), "foreign WELCOME");
        // INITIATE of connection A replayed to a server connection B with the same keys
        assertFalse(acceptedAfter(2, a.fromClient.get(1)), "foreign INITIATE (cookie)");
        // READY of connection A given to client B
        assertFalse(acceptedAfter(3, a.fromServer.get(1)), "foreign READY");
    }

    @Test
    void commandsOutOfOrderAreRefused() throws Exception {
        Exchange honest = handshake();
        byte[] hello = honest.fromClient.get(0);
        byte[] welcome = honest.fromServer.get(0);
        byte[] initiate = honest.fromClient.get(1);
        byte[] ready = honest.fromServer.get(1);

        expectRefused(server(), initiate);
        expectRefused(server(), ready);
        expectRefused(server(), Command.body("ERROR", new byte[] {3, '4', '0', '0'}));
        CurveMechanism client = client();
        client.nextCommand();
        expectRefused(client, ready);
        client = client();
        client.nextCommand();
        expectRefused(client, hello);
        client = client();
        client.nextCommand();
        expectRefused(client, Command.body("ERROR", new byte[] {9, 'x'}));

        // a second HELLO; a WELCOME after INITIATE
        CurveMechanism server = server();
        CurveMechanism c = client();
        byte[] h = c.nextCommand();
        server.process(Command.parse(h));
        expectRefused(server, h);
        Exchange x = new Exchange(client(), server(), ALLOW);
        x.server.process(Command.parse(x.client.nextCommand()));
        byte[] w = x.server.nextCommand();
        x.client.process(Command.parse(w));
        expectRefused(x.client, w);

        // after the handshake, handshake commands are refused and the status stays READY
        Exchange done = handshake();
        assertThrows(ProtocolException.class, () -> done.server.process(Command.parse(initiate)));
        assertThrows(ProtocolException.class, () -> done.client.process(Command.parse(welcome)));
        assertEquals(Mechanism.Status.READY, done.client.status());
    }

    private static void expectRefused(Mechanism m, byte[] body) {
        assertThrows(ProtocolException.class, () -> m.process(Command.parse(body)));
        assertEquals(Mechanism.Status.ERROR, m.status());
    }

    @Test
    void aFailedHandshakeStaysFailed() throws Exception {
        // the server refuses a forged INITIATE; a later honest INITIATE must not revive it
        CurveMechanism client = client();
        CurveMechanism server = server();
        server.process(Command.parse(client.nextCommand()));
        client.process(Command.parse(server.nextCommand()));
        byte[] initiate = client.nextCommand();
        byte[] forged = initiate.clone();
        forged[forged.length - 1] ^= 1;
        assertThrows(ProtocolException.class, () -> server.process(Command.parse(forged)));
        assertThrows(ProtocolException.class, () -> server.process(Command.parse(initiate)));
        assertEquals(Mechanism.Status.ERROR, server.status());
    }

    // ------------------------------------------------------------------ a client written from rfc-26

    /**
     * A client assembled by hand from rfc-26's grammar with CryptoBox, choosing its own short
     * nonces: checks our server against an independent encoding, and that INITIATE's short nonce
     * must be greater than HELLO's.
     */
    @Test
    void handWrittenRfc26ClientIsAcceptedAndItsNoncesChecked() throws Exception {
        assertEquals(Mechanism.Status.READY, handWrittenClient(7, 8).status());
        CurveMechanism replaying = handWrittenClient(7, 7);
        assertEquals(Mechanism.Status.ERROR, replaying.status());
        assertTrue(replaying.errorReason().contains("short nonce"), replaying.errorReason());
    }

    /** Runs the hand-written client against a server and returns the server. */
    private static CurveMechanism handWrittenClient(long helloNonce, long initiateNonce) throws Exception {
        CurveMechanism server = server(SocketType.REP);
        byte[] cs = CryptoBox.newSecretKey();
        byte[] cp = CryptoBox.publicKey(cs);
        byte[] serverKey = SERVER.publicKey();

        byte[] helloBox = CryptoBox.beforenm(serverKey, cs).seal(CurveHandshake.shortNonce(ascii("CurveZMQHELLO---"), helloNonce), new byte[64]);
        byte[] hello = CurveHandshake.concat(new byte[] {1, 0}, new byte[72], cp, longBytes(helloNonce), helloBox);
        server.process(Command.parse(Command.body("HELLO", hello)));

        Command welcome = Command.parse(server.nextCommand());
        byte[] w = welcome.data();
        byte[] plain = CryptoBox.beforenm(serverKey, cs).open(CurveHandshake.longNonce(ascii("WELCOME-"), w, 0), w, 16, 144);
        assertNotNull(plain);
        byte[] serverTransient = Arrays.copyOfRange(plain, 0, 32);
        byte[] cookie = Arrays.copyOfRange(plain, 32, 128);

        byte[] vouchNonce = CryptoBox.randomBytes(16);
        byte[] vouch = CryptoBox.beforenm(serverTransient, CLIENT.secretKey())
                .seal(CurveHandshake.longNonce(ascii("VOUCH---"), vouchNonce, 0), CurveHandshake.concat(cp, serverKey));
        byte[] metadata = id(SocketType.REQ, null).encodeProperties();
        byte[] box = CryptoBox.beforenm(serverTransient, cs).seal(CurveHandshake.shortNonce(ascii("CurveZMQINITIATE"), initiateNonce),
                CurveHandshake.concat(CLIENT.publicKey(), vouchNonce, vouch, metadata));
        try {
            server.process(Command.parse(Command.body("INITIATE", CurveHandshake.concat(cookie, longBytes(initiateNonce), box))));
        } catch (ProtocolException e) {
            return server;
        }
        server.takeZapRequest();
        server.zapUnavailable();
        Command ready = Command.parse(server.nextCommand());
        byte[] r = ready.data();
        byte[] serverMetadata = CryptoBox.beforenm(serverTransient, cs)
                .open(CurveHandshake.shortNonce(ascii("CurveZMQREADY---"), CurveHandshake.getLong(r, 0)), r, 8, r.length - 8);
        assertArrayEquals(id(SocketType.REP, null).encodeProperties(), serverMetadata);
        return server;
    }

    private static byte[] longBytes(long n) {
        byte[] b = new byte[8];
        CurveHandshake.putLong(b, 0, n);
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
