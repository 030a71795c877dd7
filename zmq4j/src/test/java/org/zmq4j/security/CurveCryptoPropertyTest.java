package org.zmq4j.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zmq4j.Context;
import org.zmq4j.CurveKeyPair;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;

/** The system property that chooses CURVE's XSalsa20-Poly1305: its values, and a wrong one refused at bind. */
class CurveCryptoPropertyTest {
    @AfterEach
    void restore() {
        CurveCrypto.restore();
    }

    @Test
    void eachValueMakesItsImplementation() throws Exception {
        byte[] key = new byte[32];
        CurveCrypto.use("bouncycastle");
        assertEquals("bouncycastle", CryptoBox.withKey(key).implementation());
        CurveCrypto.use(" ZMQ4J ");
        assertEquals("zmq4j", CryptoBox.withKey(key).implementation());
        CurveCrypto.use("");
        assertEquals("zmq4j", CryptoBox.withKey(key).implementation());
        CurveCrypto.use(CurveCrypto.ZMQ4J_SCALAR);
        assertEquals("zmq4j-scalar", CryptoBox.withKey(key).implementation());
        CurveCrypto.use(CurveCrypto.ZMQ4J_LOOPS);
        assertEquals("zmq4j-loops", CryptoBox.withKey(key).implementation());
        CurveCrypto.use(null);
        assertEquals("zmq4j", CryptoBox.withKey(key).implementation(), "the default, with this suite's vector lanes");
    }

    @Test
    void anUnknownValueIsRefusedWhenACurveSocketBinds() {
        CurveCrypto.use("libsodium");
        try (Context ctx = new Context(); Socket s = ctx.socket(SocketType.PULL)) {
            s.setOption(Option.CURVE_SERVER, true);
            s.setOption(Option.CURVE_SECRETKEY, CurveKeyPair.generate().secretKey());
            ZmqException e = assertThrows(ZmqException.class, () -> s.bind("tcp://127.0.0.1:*"));
            assertTrue(e.getMessage().contains(SecretBox.PROPERTY), e.getMessage());
        }
    }

    @Test
    void anUnknownVectorSwitchIsRefusedWhenACurveSocketConnects() {
        CurveCrypto.useVectorSwitch("maybe");
        try (Context ctx = new Context(); Socket s = ctx.socket(SocketType.PUSH)) {
            s.setOption(Option.CURVE_SERVERKEY, CurveKeyPair.generate().publicKey());
            CurveKeyPair client = CurveKeyPair.generate();
            s.setOption(Option.CURVE_PUBLICKEY, client.publicKey());
            s.setOption(Option.CURVE_SECRETKEY, client.secretKey());
            ZmqException e = assertThrows(ZmqException.class, () -> s.connect("tcp://127.0.0.1:5"));
            assertEquals(ZmqException.Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains(SalsaBatch.PROPERTY) && e.getMessage().contains("tcp://127.0.0.1:5"), e.getMessage());
        }
    }
}
