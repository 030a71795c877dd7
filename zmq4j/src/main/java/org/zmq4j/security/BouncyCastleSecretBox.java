package org.zmq4j.security;

import java.util.Arrays;

import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.util.Pack;

/**
 * {@code crypto_secretbox} from Bouncy Castle's {@link XSalsa20Engine} and {@link Poly1305}: the
 * implementation {@code -Dorg.zmq4j.curve.crypto=bouncycastle} selects (see {@link SecretBox}).
 * <p>
 * HSalsa20 is not a public Bouncy Castle API, but {@link XSalsa20Engine} computes exactly
 * HSalsa20(key, nonce[0..16]) (with Bouncy Castle's own {@code Salsa20Engine.salsaCore}) when it
 * is keyed, and keeps the result as its Salsa20 key in state words 1-4 and 11-14; {@link #hsalsa20}
 * keys a private subclass and reads those words back (see {@link HSalsa20Tap}).
 * <p>
 * Not thread-safe: an instance reuses its cipher, its MAC and scratch arrays.
 */
final class BouncyCastleSecretBox implements SecretBox {
    private static final int TAG = 16;

    /** Our key; KeyParameter copies it in and getKey() hands out that copy, which destroy() wipes. */
    private final KeyParameter key;
    private final XSalsa20Engine cipher = new XSalsa20Engine();
    private final Poly1305 mac = new Poly1305();
    private final byte[] zeros = new byte[32];
    /** The one-time Poly1305 key, rewritten for every box and wiped once the MAC has taken it. */
    private final KeyParameter macKeyParameter = new KeyParameter(new byte[32]);
    private final byte[] macKey = macKeyParameter.getKey();
    private final byte[] tag = new byte[TAG];

    BouncyCastleSecretBox(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("a box key is 32 bytes, got " + key.length);
        }
        this.key = new KeyParameter(key);
    }

    @Override
    public void seal(byte[] nonce, byte[] buf, int offset, int length) {
        startStream(nonce);
        int text = offset + TAG;
        cipher.processBytes(buf, text, length, buf, text);
        mac.init(macKeyParameter);
        Arrays.fill(macKey, (byte) 0);
        mac.update(buf, text, length);
        mac.doFinal(buf, offset);
    }

    @Override
    public boolean open(byte[] nonce, byte[] box, int offset, int length, byte[] header, byte[] rest) {
        startStream(nonce);
        int text = offset + TAG;
        mac.init(macKeyParameter);
        Arrays.fill(macKey, (byte) 0);
        mac.update(box, text, length - TAG);
        mac.doFinal(tag, 0);
        boolean authentic = org.bouncycastle.util.Arrays.constantTimeAreEqual(TAG, tag, 0, box, offset);
        Arrays.fill(tag, (byte) 0);
        if (!authentic) {
            return false;
        }
        cipher.processBytes(box, text, header.length, header, 0);
        cipher.processBytes(box, text + header.length, rest.length, rest, 0);
        return true;
    }

    @Override
    public void destroy() {
        Arrays.fill(key.getKey(), (byte) 0);
        cipher.init(true, new ParametersWithIV(new KeyParameter(zeros), new byte[24]));
    }

    @Override
    public byte[] hsalsa20(byte[] key, byte[] input) {
        return HSalsa20Tap.derive(key, input);
    }

    /** Keys XSalsa20 with our key and {@code nonce}; the first 32 keystream bytes become the MAC key. */
    private void startStream(byte[] nonce) {
        cipher.init(true, new ParametersWithIV(key, nonce));
        cipher.processBytes(zeros, 0, 32, macKey, 0);
    }

    /**
     * Bouncy Castle's XSalsa20 key setup, used for its HSalsa20 step. When keyed with (k, n),
     * {@code XSalsa20Engine.setKey} loads the Salsa20 state with "expand 32-byte k", k and n[0..16],
     * runs {@code Salsa20Engine.salsaCore(20, state, x)} (20 rounds plus the feed-forward sum) and
     * then subtracts the input words again, leaving HSalsa20(k, n[0..16]) = the raw round output's
     * words 0, 5, 10, 15, 6, 7, 8, 9 in state words 1-4 and 11-14 (where Salsa20 keeps its key).
     * We read those eight words back, little-endian, exactly as {@code crypto_core_hsalsa20}
     * serialises them. A libsodium cross-check and NaCl's published vector guard this against any
     * change of Bouncy Castle's internal layout.
     */
    private static final class HSalsa20Tap extends XSalsa20Engine {
        static byte[] derive(byte[] key, byte[] input) {
            HSalsa20Tap tap = new HSalsa20Tap();
            byte[] nonce = new byte[24];
            System.arraycopy(input, 0, nonce, 0, 16);
            tap.setKey(key, nonce);
            byte[] out = new byte[32];
            Pack.intToLittleEndian(tap.engineState, 1, 4, out, 0);
            Pack.intToLittleEndian(tap.engineState, 11, 4, out, 16);
            Arrays.fill(tap.engineState, 0);
            return out;
        }
    }
}
