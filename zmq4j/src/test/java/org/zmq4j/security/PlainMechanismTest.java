package org.zmq4j.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.zmq4j.SocketType;
import org.zmq4j.wire.Command;
import org.zmq4j.wire.Metadata;
import org.zmq4j.wire.ProtocolException;

class PlainMechanismTest {
    private static final Function<ZapRequest, ZapReply> ALLOW =
            r -> new ZapReply("200", "OK", "admin", Metadata.empty());

    private static HandshakeIdentity id(SocketType type, String routingId) {
        return new HandshakeIdentity(type, routingId == null ? null : routingId.getBytes(StandardCharsets.US_ASCII));
    }

    private static PlainMechanism client(SocketType type) {
        return PlainMechanism.client(id(type, "D1"), "admin", "secret");
    }

    private static PlainMechanism server(SocketType type) {
        return PlainMechanism.server(id(type, null));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void handshakeWithZapApproval() throws Exception {
        PlainMechanism client = client(SocketType.DEALER);
        PlainMechanism server = server(SocketType.ROUTER);
        Metadata zapProps = Metadata.parse(new Metadata.Builder().add("Hello", "World").build(), 0);
        Exchange x = new Exchange(client, server, r -> new ZapReply("200", "OK", "admin", zapProps)).run();

        assertEquals(Mechanism.Status.READY, client.status());
        assertEquals(Mechanism.Status.READY, server.status());
        assertEquals(1, x.zapRequests.size());
        ZapRequest zap = x.zapRequests.get(0);
        assertEquals("PLAIN", zap.mechanism());
        assertEquals(2, zap.credentials().size());
        assertArrayEquals(ascii("admin"), zap.credentials().get(0));
        assertArrayEquals(ascii("secret"), zap.credentials().get(1));

        // HELLO, INITIATE from the client; WELCOME, READY from the server: exactly rfc-24's bytes
        assertEquals(2, x.fromClient.size());
        assertEquals(2, x.fromServer.size());
        assertArrayEquals(ascii("\u0005HELLO\u0005admin\u0006secret"), x.fromClient.get(0));
        assertArrayEquals(ascii("\u0007WELCOME"), x.fromServer.get(0));
        assertArrayEquals(Command.body("INITIATE", id(SocketType.DEALER, "D1").encodeProperties()), x.fromClient.get(1));
        assertArrayEquals(Command.body("READY", id(SocketType.ROUTER, null).encodeProperties()), x.fromServer.get(1));

        assertEquals("DEALER", server.peerMetadata().getString(Metadata.SOCKET_TYPE));
        assertEquals("D1", server.peerMetadata().getString(Metadata.IDENTITY));
        assertEquals("World", server.peerMetadata().getString("hello"));
        assertEquals("admin", server.peerMetadata().getString("User-Id"));
        assertEquals("admin", server.userId());
        assertEquals("ROUTER", client.peerMetadata().getString(Metadata.SOCKET_TYPE));
        assertEquals("", client.userId());
        assertNull(client.nextCommand());
        assertNull(server.nextCommand());
    }

    @Test
    void nameAndAsServerBit() {
        assertEquals("PLAIN", client(SocketType.REQ).name());
        assertFalse(client(SocketType.REQ).asServer());
        assertTrue(server(SocketType.REP).asServer());
        assertFalse(client(SocketType.REQ).boxesMessages());
    }

    @Test
    void withoutZapHandlerTheServerRefusesTheClientAsLibzmqDoes() throws Exception {
        PlainMechanism client = client(SocketType.REQ);
        PlainMechanism server = server(SocketType.REP);
        new Exchange(client, server, r -> null).run();
        assertEquals(Mechanism.Status.ERROR, server.status(), "libzmq 4.3 fails every PLAIN handshake without a ZAP handler");
        assertTrue(server.errorReason().contains("ZAP handler"), server.errorReason());
        assertNotEquals(Mechanism.Status.READY, client.status());
    }

    @Test
    void zapRefusal400IsAnsweredWithError400() throws Exception {
        PlainMechanism client = client(SocketType.REQ);
        PlainMechanism server = server(SocketType.REP);
        Exchange x = new Exchange(client, server, r -> new ZapReply("400", "Denied", "", Metadata.empty())).run();
        assertEquals(Mechanism.Status.ERROR, server.status());
        assertTrue(server.errorReason().contains("400"), server.errorReason());
        assertEquals(1, x.fromServer.size());
        assertArrayEquals(ascii("\u0005ERROR\u0003400"), x.fromServer.get(0));
        assertEquals(Mechanism.Status.ERROR, client.status());
        assertEquals("peer sent ERROR: 400", client.errorReason());
        assertEquals(1, x.fromClient.size(), "no INITIATE after a refusal");
    }

    @Test
    void zapRefusal500IsAnsweredWithError500() throws Exception {
        PlainMechanism server = server(SocketType.REP);
        Exchange x = new Exchange(client(SocketType.REQ), server, r -> new ZapReply("500", "Oops", "", Metadata.empty())).run();
        assertArrayEquals(ascii("\u0005ERROR\u0003500"), x.fromServer.get(0));
    }

    @Test
    void zapTemporaryFailure300ClosesSilently() throws Exception {
        PlainMechanism client = client(SocketType.REQ);
        PlainMechanism server = server(SocketType.REP);
        Exchange x = new Exchange(client, server, r -> new ZapReply("300", "Later", "", Metadata.empty())).run();
        assertEquals(Mechanism.Status.ERROR, server.status());
        assertTrue(x.fromServer.isEmpty(), "libzmq sends no ERROR for 300");
        assertEquals(Mechanism.Status.HANDSHAKING, client.status());
    }

    @Test
    void invalidZapStatusCodeFailsSilently() throws Exception {
        PlainMechanism server = server(SocketType.REP);
        Exchange x = new Exchange(client(SocketType.REQ), server, r -> new ZapReply("999", "?", "", Metadata.empty())).run();
        assertEquals(Mechanism.Status.ERROR, server.status());
        assertTrue(x.fromServer.isEmpty());
    }

    @Test
    void whileZapDecidesTheServerWaitsAndRefusesCommands() throws Exception {
        PlainMechanism client = client(SocketType.REQ);
        PlainMechanism server = server(SocketType.REP);
        server.process(Command.parse(client.nextCommand()));
        assertEquals(Mechanism.Status.HANDSHAKING, server.status());
        assertNull(server.nextCommand());
        ZapRequest request = server.takeZapRequest();
        assertEquals("PLAIN", request.mechanism());
        assertNull(server.takeZapRequest(), "taken once");
        assertNull(server.nextCommand());
        assertThrows(ProtocolException.class, () -> server.process(Command.parse(Command.body("INITIATE", new byte[0]))));
        assertEquals(Mechanism.Status.ERROR, server.status());
        server.zapReply(new ZapReply("200", "OK", "", Metadata.empty())); // late reply: ignored
        assertNull(server.nextCommand());
    }

    @Test
    void zapAnswerWithoutRequestIsAProgrammingError() {
        PlainMechanism server = server(SocketType.REP);
        assertThrows(IllegalStateException.class, server::zapUnavailable);
        assertThrows(IllegalStateException.class, () -> server.zapReply(new ZapReply("200", "", "", Metadata.empty())));
        assertNull(server.takeZapRequest());
        assertNull(client(SocketType.REQ).takeZapRequest());
    }

    @Test
    void emptyCredentialsAreAllowed() throws Exception {
        PlainMechanism client = PlainMechanism.client(id(SocketType.REQ, null), "", "");
        assertArrayEquals(ascii("\u0005HELLO\u0000\u0000"), client.nextCommand());
        assertThrows(IllegalArgumentException.class,
                () -> PlainMechanism.client(id(SocketType.REQ, null), "x".repeat(256), ""));
        assertThrows(IllegalArgumentException.class,
                () -> new PlainMechanism(id(SocketType.REQ, null), false, new byte[0], new byte[256]));
    }

    @Test
    void malformedHellosAreProtocolErrors() {
        String[] bad = {
            "", // no username length
            "\u0005admi", // username runs past the end
            "\u0005admin", // no password length
            "\u0005admin\u0006secre", // password too short
            "\u0005admin\u0006secret!", // extraneous data
        };
        for (String data : bad) {
            PlainMechanism server = server(SocketType.REP);
            assertThrows(ProtocolException.class,
                    () -> server.process(Command.parse(Command.body("HELLO", ascii(data)))), data);
            assertEquals(Mechanism.Status.ERROR, server.status());
        }
    }

    @Test
    void everyTruncationOfEveryCommandIsRefused() throws Exception {
        Exchange full = new Exchange(client(SocketType.DEALER), server(SocketType.ROUTER), ALLOW).run();
        // HELLO and WELCOME: any shorter version is malformed. INITIATE and READY: the metadata
        // is then cut inside a property (malformed), or right after Socket-Type, which is a valid
        // command without the Identity property.
        for (int step = 0; step < 4; step++) {
            byte[] original = (step % 2 == 0 ? full.fromClient : full.fromServer).get(step / 2);
            int nameEnd = 1 + (original[0] & 0xFF);
            int afterSocketType = nameEnd + 1 + "Socket-Type".length() + 4 + (step == 2 ? "DEALER" : "ROUTER").length();
            for (int len = 0; len < original.length; len++) {
                Mechanism receiver = deliverAfter(step, Arrays.copyOf(original, len));
                boolean refused = receiver == null || receiver.status() == Mechanism.Status.ERROR;
                assertTrue(refused || (step >= 2 && len == afterSocketType), "step " + step + " cut at " + len + " was accepted");
            }
        }
    }

    /**
     * Replays a fresh handshake up to command {@code step} (0 HELLO, 1 WELCOME, 2 INITIATE,
     * 3 READY), delivers {@code body} in its place, and returns the receiver; null when it threw
     * ProtocolException. Any other exception fails the test.
     */
    private static Mechanism deliverAfter(int step, byte[] body) {
        PlainMechanism client = client(SocketType.DEALER);
        PlainMechanism server = server(SocketType.ROUTER);
        try {
            for (int i = 0; i < step; i++) {
                if (i % 2 == 0) {
                    server.process(Command.parse(client.nextCommand()));
                    if (server.takeZapRequest() != null) {
                        server.zapReply(new ZapReply("200", "OK", "", Metadata.empty()));
                    }
                } else {
                    client.process(Command.parse(server.nextCommand()));
                }
            }
            Mechanism receiver = step % 2 == 0 ? server : client;
            (step % 2 == 0 ? client : server).nextCommand(); // the command we replace
            Command command;
            try {
                command = Command.parse(body);
            } catch (ProtocolException e) {
                return null; // the engine drops the connection before a mechanism sees it
            }
            try {
                receiver.process(command);
            } catch (ProtocolException e) {
                assertEquals(Mechanism.Status.ERROR, receiver.status(), "a protocol error fails the handshake");
                return null;
            }
            return receiver;
        } catch (ProtocolException e) {
            fail("the honest prefix failed", e);
            return null;
        }
    }

    @Test
    void bitFlipsNeverThrowAnythingButProtocolException() throws Exception {
        Exchange full = new Exchange(client(SocketType.DEALER), server(SocketType.ROUTER), ALLOW).run();
        for (int step = 0; step < 4; step++) {
            byte[] original = (step % 2 == 0 ? full.fromClient : full.fromServer).get(step / 2);
            for (int i = 0; i < original.length; i++) {
                for (int bit = 0; bit < 8; bit++) {
                    byte[] flipped = original.clone();
                    flipped[i] ^= (byte) (1 << bit);
                    deliverAfter(step, flipped); // fails the test on any other exception
                }
            }
        }
    }

    @Test
    void commandsOutOfOrderAreProtocolErrors() throws Exception {
        byte[] hello = Command.body("HELLO", ascii("\u0001a\u0001b"));
        byte[] welcome = Command.body("WELCOME", new byte[0]);
        byte[] initiate = Command.body("INITIATE", id(SocketType.REQ, null).encodeProperties());
        byte[] ready = Command.body("READY", id(SocketType.REP, null).encodeProperties());

        expectProtocolError(server(SocketType.REP), initiate);
        expectProtocolError(server(SocketType.REP), ready);
        expectProtocolError(server(SocketType.REP), Command.body("ERROR", ascii("\u0003bad")));
        PlainMechanism client = client(SocketType.REQ);
        client.nextCommand();
        expectProtocolError(client, ready);
        client = client(SocketType.REQ);
        client.nextCommand();
        expectProtocolError(client, hello);
        client = client(SocketType.REQ);
        client.nextCommand();
        client.process(Command.parse(welcome));
        expectProtocolError(client, welcome);
        client = client(SocketType.REQ);
        client.nextCommand();
        expectProtocolError(client, Command.body("WELCOME", new byte[] {1}));

        // a second HELLO, and anything after READY
        PlainMechanism server = server(SocketType.REP);
        server.process(Command.parse(hello));
        server.takeZapRequest();
        server.zapUnavailable();
        expectProtocolError(server, hello);
        Exchange done = new Exchange(client(SocketType.REQ), server(SocketType.REP), ALLOW).run();
        assertThrows(ProtocolException.class, () -> done.server.process(Command.parse(initiate)));
        assertThrows(ProtocolException.class, () -> done.client.process(Command.parse(ready)));
        assertEquals(Mechanism.Status.READY, done.server.status(), "a finished handshake stays finished");
    }

    private static void expectProtocolError(Mechanism m, byte[] body) {
        assertThrows(ProtocolException.class, () -> m.process(Command.parse(body)));
        assertEquals(Mechanism.Status.ERROR, m.status());
    }

    @Test
    void malformedErrorFromServerIsAProtocolError() {
        PlainMechanism client = client(SocketType.REQ);
        client.nextCommand();
        expectProtocolError(client, Command.body("ERROR", new byte[0]));
        PlainMechanism other = client(SocketType.REQ);
        other.nextCommand();
        expectProtocolError(other, Command.body("ERROR", ascii("\u0005abc")));
    }

    @Test
    void incompatibleClientSocketTypeIsAnsweredWithError() throws Exception {
        PlainMechanism client = client(SocketType.REQ);
        PlainMechanism server = server(SocketType.PUB);
        Exchange x = new Exchange(client, server, ALLOW).run();
        assertEquals(Mechanism.Status.ERROR, server.status());
        assertTrue(server.errorReason().contains("PUB cannot talk to REQ"), server.errorReason());
        assertArrayEquals(Handshake.errorCommand("Invalid socket type"), x.fromServer.get(x.fromServer.size() - 1));
        assertEquals(Mechanism.Status.ERROR, client.status());
    }

    @Test
    void incompatibleServerSocketTypeFailsTheClientSilently() throws Exception {
        PlainMechanism client = client(SocketType.PUSH);
        client.nextCommand();
        client.process(Command.parse(Command.body("WELCOME", new byte[0])));
        client.nextCommand();
        client.process(Command.parse(Command.body("READY", id(SocketType.PUSH, null).encodeProperties())));
        assertEquals(Mechanism.Status.ERROR, client.status());
        assertNull(client.nextCommand(), "a client never sends ERROR");
    }

    @Test
    void libzmqsMalformedErrorIsRepaired() throws Exception {
        // the bytes libzmq 4.3.4's PLAIN server sends for a ZAP 400, captured on the wire
        byte[] libzmq = Libsodium.hex("5e52524f5203343030");
        assertThrows(ProtocolException.class, () -> Command.parse(libzmq));
        byte[] repaired = PlainMechanism.repairLibzmqError(libzmq);
        assertArrayEquals(ascii("\u0005ERROR\u0003400"), repaired);
        PlainMechanism client = client(SocketType.REQ);
        client.nextCommand();
        client.process(Command.parse(repaired));
        assertEquals("peer sent ERROR: 400", client.errorReason());
        byte[] welcome = Command.body("WELCOME", new byte[0]);
        assertTrue(welcome == PlainMechanism.repairLibzmqError(welcome), "other commands pass through untouched");
    }

    @Test
    void zapRequestCarriesTheCredentialsOnly() throws Exception {
        PlainMechanism server = server(SocketType.REP);
        server.process(Command.parse(PlainMechanism.client(id(SocketType.REQ, null), "u\u00e9", "p w").nextCommand()));
        List<byte[]> creds = server.takeZapRequest().credentials();
        assertArrayEquals("u\u00e9".getBytes(StandardCharsets.UTF_8), creds.get(0));
        assertArrayEquals(ascii("p w"), creds.get(1));
    }
}
