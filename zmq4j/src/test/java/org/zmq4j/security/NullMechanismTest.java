package org.zmq4j.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.zmq4j.SocketType;
import org.zmq4j.wire.Command;
import org.zmq4j.wire.Metadata;
import org.zmq4j.wire.ProtocolException;

class NullMechanismTest {

    private static NullMechanism mech(SocketType t, String id) {
        return new NullMechanism(new HandshakeIdentity(t, id == null ? null : id.getBytes()));
    }

    @Test
    void twoPeersCompleteTheHandshake() throws Exception {
        NullMechanism dealer = mech(SocketType.DEALER, "D1");
        NullMechanism router = mech(SocketType.ROUTER, null);
        router.process(Command.parse(dealer.nextCommand()));
        dealer.process(Command.parse(router.nextCommand()));
        assertEquals(Mechanism.Status.READY, dealer.status());
        assertEquals(Mechanism.Status.READY, router.status());
        assertEquals("DEALER", router.peerMetadata().getString(Metadata.SOCKET_TYPE));
        assertEquals("D1", router.peerMetadata().getString(Metadata.IDENTITY));
        assertNull(dealer.nextCommand());
    }

    @Test
    void identityIsSentOnlyByReqDealerRouter() throws Exception {
        Metadata pub = Metadata.parse(Command.parse(mech(SocketType.PUB, null).nextCommand()).data(), 0);
        assertNull(pub.get(Metadata.IDENTITY));
        Metadata req = Metadata.parse(Command.parse(mech(SocketType.REQ, null).nextCommand()).data(), 0);
        assertNotNull(req.get(Metadata.IDENTITY));
    }

    @Test
    void incompatibleSocketTypeIsAnsweredWithError() throws Exception {
        NullMechanism push = mech(SocketType.PUSH, null);
        NullMechanism sub = mech(SocketType.SUB, null);
        push.nextCommand();
        push.process(Command.parse(sub.nextCommand()));
        assertEquals(Mechanism.Status.ERROR, push.status());
        assertTrue(push.errorReason().contains("PUSH cannot talk to SUB"), push.errorReason());
        Command error = Command.parse(push.nextCommand());
        assertEquals("ERROR", error.name());
    }

    @Test
    void peerErrorFailsTheHandshake() throws Exception {
        NullMechanism m = mech(SocketType.REQ, null);
        m.nextCommand();
        m.process(Command.parse(Command.body("ERROR", new byte[] {3, 'b', 'a', 'd'})));
        assertEquals(Mechanism.Status.ERROR, m.status());
        assertTrue(m.errorReason().contains("bad"));
    }

    @Test
    void malformedErrorCommandsAreProtocolErrors() throws Exception {
        // found by HandshakeFuzzTest: an ERROR with no reason-length byte
        NullMechanism m = mech(SocketType.REQ, null);
        m.nextCommand();
        assertThrows(ProtocolException.class, () -> m.process(Command.parse(Command.body("ERROR", new byte[0]))));
        NullMechanism n = mech(SocketType.REQ, null);
        n.nextCommand();
        assertThrows(ProtocolException.class, () -> n.process(Command.parse(Command.body("ERROR", new byte[] {9, 'x'}))));
    }

    @Test
    void missingSocketTypeFails() throws Exception {
        NullMechanism m = mech(SocketType.REQ, null);
        m.nextCommand();
        m.process(Command.parse(Command.body("READY", new byte[0])));
        assertEquals(Mechanism.Status.ERROR, m.status());
    }

    @Test
    void unexpectedCommandsAreProtocolErrors() throws Exception {
        NullMechanism m = mech(SocketType.REQ, null);
        m.nextCommand();
        assertThrows(ProtocolException.class, () -> m.process(Command.parse(Command.body("HELLO", new byte[0]))));
    }
}
