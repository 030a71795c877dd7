package org.zmq4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.CurveKeyPair;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * A CURVE stream through the engine's output buffer: a sealed MESSAGE that does not fit in what is
 * left of the buffer waits for the next write, and must go out as it was sealed, before anything
 * sealed after it (it used to be sealed a second time: 80 of 5,000 1,000-byte messages arrived as
 * 1,033 bytes holding the inner MESSAGE), and heartbeats' PINGs and PONGs, sealed meanwhile, must
 * not overtake it (the peer refuses a short nonce that does not increase).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CurveOutputTest {
    @Test
    void messagesThatWaitForRoomInTheOutputBufferArriveWholeAndInOrder() {
        CurveKeyPair server = CurveKeyPair.generate();
        CurveKeyPair client = CurveKeyPair.generate();
        try (Context ctx = new Context(); Socket pull = ctx.socket(SocketType.PULL); Socket push = ctx.socket(SocketType.PUSH)) {
            for (Socket s : List.of(pull, push)) {
                s.setOption(Option.HEARTBEAT_IVL, 1); // PINGs and PONGs sealed between the messages
                s.setOption(Option.HEARTBEAT_TIMEOUT, 30_000);
            }
            pull.setOption(Option.CURVE_SERVER, true);
            pull.setOption(Option.CURVE_SECRETKEY, server.secretKey());
            push.setOption(Option.CURVE_SERVERKEY, server.publicKey());
            push.setOption(Option.CURVE_PUBLICKEY, client.publicKey());
            push.setOption(Option.CURVE_SECRETKEY, client.secretKey());
            push.setOption(Option.SNDTIMEO, 10_000);
            pull.setOption(Option.RCVTIMEO, 10_000);
            pull.bind("tcp://127.0.0.1:*");
            push.connect(pull.lastEndpoint());
            int count = 5_000;
            int window = 500; // messages queued at most: 1,000-byte ones fill the 64 KiB buffer many times
            int received = 0;
            for (int i = 0; i < count; i++) {
                assertTrue(push.send(message(i)), "send " + i);
                if (i - received + 1 >= window || i == count - 1) {
                    for (; received <= i; received++) {
                        byte[] got = pull.recv();
                        assertNotNull(got, "message " + received + " did not arrive (a refused MESSAGE drops the connection)");
                        assertArrayEquals(message(received), got, "message " + received);
                    }
                }
            }
        }
    }

    /** 900 to 1,099 bytes: its number, then a pattern that depends on it. */
    private static byte[] message(int i) {
        byte[] m = new byte[900 + i % 200];
        ByteBuffer.wrap(m).putInt(i);
        for (int j = 4; j < m.length; j++) {
            m[j] = (byte) (i * 31 + j);
        }
        return m;
    }
}
