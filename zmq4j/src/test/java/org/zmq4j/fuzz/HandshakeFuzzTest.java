package org.zmq4j.fuzz;

import java.nio.ByteBuffer;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.zmq4j.CurveKeyPair;
import org.zmq4j.SocketType;
import org.zmq4j.security.CurveMechanism;
import org.zmq4j.security.HandshakeIdentity;
import org.zmq4j.security.Mechanism;
import org.zmq4j.security.NullMechanism;
import org.zmq4j.security.PlainMechanism;
import org.zmq4j.security.ZapReply;
import org.zmq4j.wire.Command;
import org.zmq4j.wire.FrameDecoder;
import org.zmq4j.wire.Greeting;
import org.zmq4j.wire.Metadata;
import org.zmq4j.wire.ProtocolException;

/**
 * Coverage-guided fuzzing of what a hostile peer can send before its handshake completes: the
 * greeting, then command frames into the NULL, PLAIN server and CURVE server mechanisms. Property:
 * only ProtocolException (or an ERROR status) may come out; nothing else may be thrown.
 */
class HandshakeFuzzTest {
    private static final CurveKeyPair SERVER = CurveKeyPair.generate();

    private static Mechanism mechanism(int which) {
        HandshakeIdentity id = new HandshakeIdentity(SocketType.ROUTER, null);
        switch (which) {
            case 0:
                return new NullMechanism(id, true);
            case 1:
                return PlainMechanism.server(id);
            default:
                return new CurveMechanism(id, true, null, SERVER.secretKey(), null);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void handshake(FuzzedDataProvider data) {
        Mechanism m = mechanism(data.consumeInt(0, 2));
        Greeting.Parser greeting = new Greeting.Parser();
        FrameDecoder decoder = new FrameDecoder(1 << 16);
        boolean greeted = data.consumeBoolean(); // skip straight to commands half the time
        try {
            m.nextCommand();
            while (data.remainingBytes() > 0 && m.status() == Mechanism.Status.HANDSHAKING) {
                ByteBuffer in = ByteBuffer.wrap(data.consumeBytes(1 + data.consumeInt(0, 400)));
                if (!greeted) {
                    greeted = greeting.feed(in) != null;
                }
                while (greeted && decoder.decode(in)) {
                    m.process(Command.parse(m.repairHandshakeCommand(decoder.body())));
                    if (m.takeZapRequest() != null) {
                        if (data.consumeBoolean()) {
                            m.zapReply(new ZapReply(data.pickValue(new String[] {"200", "300", "400", "500"}), "fuzz",
                                    data.consumeString(8), Metadata.empty()));
                        } else {
                            m.zapUnavailable();
                        }
                    }
                    while (m.nextCommand() != null) {
                        // drain what the mechanism wants to send
                    }
                }
            }
        } catch (ProtocolException expected) {
            // a clean refusal
        }
    }
}
