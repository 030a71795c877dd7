package org.zmq4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zmq4j.support.Python;

class CurveKeyPairTest {
    /** The client key pair from libzmq's zmq_curve(7) manual and test suite. */
    private static final String MANUAL_PUBLIC = "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID";
    private static final String MANUAL_SECRET = "D:)Q[IlAW!ahhC2ac:9*A}h:p?([4%wOTJ%JR%cs";

    @Test
    void generatedKeysAre32Bytes() {
        CurveKeyPair pair = CurveKeyPair.generate();
        assertEquals(32, pair.publicKey().length);
        assertEquals(32, pair.secretKey().length);
        assertEquals(40, pair.publicKeyZ85().length());
        assertEquals(40, pair.secretKeyZ85().length());
    }

    @Test
    void generatedKeysDifferBetweenCalls() {
        CurveKeyPair first = CurveKeyPair.generate();
        CurveKeyPair second = CurveKeyPair.generate();
        assertFalse(Arrays.equals(first.publicKey(), second.publicKey()));
        assertFalse(Arrays.equals(first.secretKey(), second.secretKey()));
        assertNotEquals(first, second);
    }

    @Test
    void generatedPublicKeyBelongsToItsSecretKey() {
        CurveKeyPair pair = CurveKeyPair.generate();
        assertEquals(pair, CurveKeyPair.fromSecretKey(pair.secretKey()));
    }

    @Test
    void derivesThePublicKeyOfLibzmqsManualExample() {
        CurveKeyPair pair = CurveKeyPair.fromSecretKey(Z85.decode(MANUAL_SECRET));
        assertEquals(MANUAL_PUBLIC, pair.publicKeyZ85());
        assertEquals(MANUAL_SECRET, pair.secretKeyZ85());
    }

    @Test
    void keysAreCopiedOnTheWayInAndOut() {
        byte[] publicKey = Z85.decode(MANUAL_PUBLIC);
        byte[] secretKey = Z85.decode(MANUAL_SECRET);
        CurveKeyPair pair = new CurveKeyPair(publicKey, secretKey);
        publicKey[0] ^= 1;
        secretKey[0] ^= 1;
        pair.publicKey()[1] ^= 1;
        pair.secretKey()[1] ^= 1;
        assertEquals(MANUAL_PUBLIC, pair.publicKeyZ85());
        assertEquals(MANUAL_SECRET, pair.secretKeyZ85());
    }

    @Test
    void equalityComparesKeyContents() {
        CurveKeyPair pair = new CurveKeyPair(Z85.decode(MANUAL_PUBLIC), Z85.decode(MANUAL_SECRET));
        CurveKeyPair same = new CurveKeyPair(Z85.decode(MANUAL_PUBLIC), Z85.decode(MANUAL_SECRET));
        byte[] otherSecret = Z85.decode(MANUAL_SECRET);
        otherSecret[31] ^= 1;
        assertEquals(pair, same);
        assertEquals(pair.hashCode(), same.hashCode());
        assertNotEquals(pair, new CurveKeyPair(Z85.decode(MANUAL_PUBLIC), otherSecret));
        assertNotEquals(pair, null);
    }

    @Test
    void toStringShowsThePublicKeyButNeverTheSecretKey() {
        CurveKeyPair pair = new CurveKeyPair(Z85.decode(MANUAL_PUBLIC), Z85.decode(MANUAL_SECRET));
        String text = pair.toString();
        assertTrue(text.contains(MANUAL_PUBLIC), text);
        assertFalse(text.contains(MANUAL_SECRET), text);
        assertFalse(text.contains(Arrays.toString(pair.secretKey())), text);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 31, 33, 64})
    void keysOfTheWrongLengthAreRejected(int length) {
        byte[] good = new byte[32];
        byte[] bad = new byte[length];
        assertInvalid(() -> new CurveKeyPair(bad, good), length);
        assertInvalid(() -> new CurveKeyPair(good, bad), length);
        assertInvalid(() -> CurveKeyPair.fromSecretKey(bad), length);
    }

    @Test
    void nullKeysAreRejected() {
        assertThrows(NullPointerException.class, () -> new CurveKeyPair(null, new byte[32]));
        assertThrows(NullPointerException.class, () -> new CurveKeyPair(new byte[32], null));
        assertThrows(NullPointerException.class, () -> CurveKeyPair.fromSecretKey(null));
    }

    /** libzmq (through pyzmq's zmq.curve_public) derives the same public key from our secret key. */
    @Test
    void libzmqDerivesOurPublicKeyFromOurSecretKey() {
        Python.assumePyzmq();
        for (int i = 0; i < 5; i++) {
            CurveKeyPair pair = CurveKeyPair.generate();
            List<String> lines = Python.run(
                    "import sys, zmq\nprint(zmq.curve_public(sys.argv[1].encode()).decode())",
                    List.of(pair.secretKeyZ85()));
            assertEquals(List.of(pair.publicKeyZ85()), lines);
        }
    }

    /** A key pair made by libzmq (pyzmq's zmq.curve_keypair) is rebuilt exactly from its secret key. */
    @Test
    void rebuildsLibzmqKeyPairsFromTheirSecretKeys() {
        Python.assumePyzmq();
        List<String> lines = Python.run(String.join("\n",
                "import zmq",
                "for _ in range(5):",
                "    public, secret = zmq.curve_keypair()",
                "    print(public.decode() + ' ' + secret.decode())"), List.of());
        assertEquals(5, lines.size(), lines::toString);
        for (String line : lines) {
            String[] keys = line.split(" ");
            CurveKeyPair pair = CurveKeyPair.fromSecretKey(Z85.decode(keys[1]));
            assertEquals(keys[0], pair.publicKeyZ85(), "public key for libzmq secret " + keys[1]);
            assertArrayEquals(Z85.decode(keys[1]), pair.secretKey());
        }
    }

    private static void assertInvalid(Executable call, int length) {
        ZmqException e = assertThrows(ZmqException.class, call);
        assertEquals(ZmqException.Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().contains("got " + length), e.getMessage());
    }
}
