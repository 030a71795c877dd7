package org.zmq4j.security;

import java.security.InvalidKeyException;
import java.util.Arrays;
import java.util.List;

import org.zmq4j.wire.Command;
import org.zmq4j.wire.ProtocolError;
import org.zmq4j.wire.ProtocolException;

/**
 * The server side of CURVE (rfc-26), byte for byte as libzmq 4.3's curve_server (see
 * {@link CurveClient} for the command layouts):
 * <ul>
 * <li>HELLO must be exactly 200 bytes, version 1.0, zero padding, and its signature box must open
 * with our secret key (if not, the client most likely holds the wrong server key);</li>
 * <li>WELCOME carries a fresh transient key S' and a cookie Box[C' + s'] under a random cookie key
 * made for this connection, with random long nonces;</li>
 * <li>INITIATE's cookie must open and hold this connection's C' and s' (the cookie key is wiped
 * once it has been checked), its short nonce must be greater than HELLO's, and its vouch must open
 * with the client's long-term key C and hold C' and our public key S;</li>
 * <li>then the ZAP handler is asked ("CURVE", [C]), and READY is sent once it agrees.</li>
 * </ul>
 * Malformed or forged commands are {@link ProtocolException}s (libzmq closes without ERROR); only a
 * ZAP refusal (400, 500) or an incompatible socket type is answered with ERROR.
 */
final class CurveServer extends CurveHandshake {
    private static final int HELLO_DATA = 200 - 6;
    private static final int INITIATE_MIN_DATA = 257 - 9;

    private enum State { WAITING_FOR_HELLO, WAITING_FOR_INITIATE }

    private final byte[] publicKey;
    private final byte[] secretKey;
    private State state = State.WAITING_FOR_HELLO;
    private byte[] clientTransient;
    private byte[] transientSecret;
    private byte[] cookieKey;
    private byte[] clientKey;

    /**
     * @param identity  what we announce, and how we check clients
     * @param secretKey our long-term secret key s (32 bytes), copied; the public key S is derived
     */
    CurveServer(HandshakeIdentity identity, byte[] secretKey) {
        super(identity, true);
        this.secretKey = secretKey.clone();
        this.publicKey = CryptoBox.publicKey(this.secretKey);
    }

    /** The client's long-term public key C, once INITIATE has been verified; else null. */
    byte[] clientKey() {
        return clientKey == null ? null : clientKey.clone();
    }

    @Override
    void handle(Command command) throws ProtocolException {
        if (state == State.WAITING_FOR_HELLO && command.is(HELLO)) {
            processHello(command.data());
        } else if (state == State.WAITING_FOR_INITIATE && command.is(INITIATE)) {
            processInitiate(command.data());
        } else {
            throw unexpected(command, state == State.WAITING_FOR_HELLO ? "HELLO" : "INITIATE");
        }
    }

    /** HELLO: version, padding, C', short nonce, Box[64 zeros](C'->S); answered with WELCOME. */
    private void processHello(byte[] d) throws ProtocolException {
        if (d.length != HELLO_DATA) {
            throw malformed(HELLO, d.length, "expected " + HELLO_DATA);
        }
        if (d[0] != 1 || d[1] != 0) {
            throw new ProtocolException(ProtocolError.MALFORMED, "CURVE HELLO has unknown version " + (d[0] & 0xFF) + "." + (d[1] & 0xFF));
        }
        for (int i = 2; i < 74; i++) {
            if (d[i] != 0) {
                throw new ProtocolException(ProtocolError.MALFORMED, "CURVE HELLO padding is not all zeros");
            }
        }
        clientTransient = Arrays.copyOfRange(d, 74, 106);
        long n = getLong(d, 106);
        CryptoBox helloBox;
        try {
            helloBox = CryptoBox.beforenm(clientTransient, secretKey);
        } catch (InvalidKeyException e) {
            throw new ProtocolException(ProtocolError.MALFORMED, "CURVE HELLO carries an unusable client transient key: " + e.getMessage());
        }
        try {
            byte[] signature = helloBox.open(shortNonce(HELLO_NONCE, n), d, 114, 80);
            if (signature == null || !isAllZero(signature)) {
                throw new ProtocolException(ProtocolError.CRYPTOGRAPHIC, "CURVE HELLO signature box does not open: the client may be using the wrong server key");
            }
            acceptPeerShortNonce(n);
            send(welcome(helloBox));
            state = State.WAITING_FOR_INITIATE;
        } finally {
            helloBox.destroy();
            CryptoBox.wipe(secretKey); // s is not needed again on this connection
        }
    }

    /** WELCOME: long nonce, Box[S' + cookie](S->C'); cookie = long nonce, Box[C' + s'](cookie key). */
    private byte[] welcome(CryptoBox helloBox) {
        transientSecret = CryptoBox.newSecretKey();
        byte[] transientPublic = CryptoBox.publicKey(transientSecret);
        cookieKey = CryptoBox.randomBytes(CryptoBox.KEY_BYTES);
        byte[] cookieNonce = CryptoBox.randomBytes(16);
        byte[] cookiePlain = concat(clientTransient, transientSecret);
        CryptoBox cookieBox = CryptoBox.withKey(cookieKey);
        byte[] cookie = cookieBox.seal(longNonce(COOKIE_NONCE, cookieNonce, 0), cookiePlain);
        cookieBox.destroy();
        CryptoBox.wipe(cookiePlain);
        byte[] welcomeNonce = CryptoBox.randomBytes(16);
        byte[] box = helloBox.seal(longNonce(WELCOME_NONCE, welcomeNonce, 0), concat(transientPublic, cookieNonce, cookie));
        return Command.body(WELCOME, concat(welcomeNonce, box));
    }

    /** INITIATE: cookie, short nonce, Box[C + vouch + metadata](C'->S'). */
    private void processInitiate(byte[] d) throws ProtocolException {
        if (d.length < INITIATE_MIN_DATA) {
            throw malformed(INITIATE, d.length, "at least " + INITIATE_MIN_DATA + " expected");
        }
        checkCookie(d);
        long n = getLong(d, 96);
        checkPeerShortNonce(n, INITIATE);
        byte[] plain;
        try {
            startSession(clientTransient, transientSecret);
            plain = session.open(shortNonce(INITIATE_NONCE, n), d, 104, d.length - 104);
            if (plain == null) {
                throw new ProtocolException(ProtocolError.CRYPTOGRAPHIC, "CURVE INITIATE box does not open");
            }
            acceptPeerShortNonce(n);
            clientKey = checkVouch(plain);
        } catch (InvalidKeyException e) {
            throw new ProtocolException(ProtocolError.MALFORMED, "CURVE INITIATE carries an unusable key: " + e.getMessage());
        } finally {
            CryptoBox.wipe(transientSecret);
        }
        if (acceptPeerMetadata(plain, 128)) {
            askZap(new ZapRequest(CurveMechanism.NAME, List.of(clientKey.clone())));
        }
    }

    /** The cookie must open under this connection's cookie key and hold C' and s'; the key is then wiped. */
    private void checkCookie(byte[] d) throws ProtocolException {
        CryptoBox cookieBox = CryptoBox.withKey(cookieKey);
        CryptoBox.wipe(cookieKey);
        byte[] cookie = cookieBox.open(longNonce(COOKIE_NONCE, d, 0), d, 16, 80);
        cookieBox.destroy();
        if (cookie == null) {
            throw new ProtocolException(ProtocolError.CRYPTOGRAPHIC, "CURVE INITIATE cookie does not open");
        }
        boolean ours = org.bouncycastle.util.Arrays.constantTimeAreEqual(32, cookie, 0, clientTransient, 0)
                & org.bouncycastle.util.Arrays.constantTimeAreEqual(32, cookie, 32, transientSecret, 0);
        CryptoBox.wipe(cookie);
        if (!ours) {
            throw new ProtocolException(ProtocolError.MALFORMED, "CURVE INITIATE cookie is not this connection's");
        }
    }

    /** Opens the vouch Box[C' + S](C->S') with the client's long-term key; returns that key C. */
    private byte[] checkVouch(byte[] plain) throws ProtocolException, InvalidKeyException {
        byte[] client = Arrays.copyOfRange(plain, 0, 32);
        CryptoBox vouchBox = CryptoBox.beforenm(client, transientSecret);
        byte[] vouch = vouchBox.open(longNonce(VOUCH_NONCE, plain, 32), plain, 48, 80);
        vouchBox.destroy();
        if (vouch == null) {
            throw new ProtocolException(ProtocolError.CRYPTOGRAPHIC, "CURVE INITIATE vouch does not open with the client's public key");
        }
        if (!Arrays.equals(vouch, 0, 32, clientTransient, 0, 32)) {
            throw new ProtocolException(ProtocolError.MALFORMED, "CURVE INITIATE vouch is for another transient key");
        }
        if (!Arrays.equals(vouch, 32, 64, publicKey, 0, 32)) {
            throw new ProtocolException(ProtocolError.MALFORMED, "CURVE INITIATE vouch is for another server");
        }
        return client;
    }

    @Override
    void zapAccepted() {
        long n = takeShortNonce();
        byte[] box = session.seal(shortNonce(READY_NONCE, n), ourProperties());
        byte[] nonce = new byte[8];
        putLong(nonce, 0, n);
        sendLast(Command.body(Command.READY, concat(nonce, box)));
    }

    @Override
    void wipeHandshakeSecrets() {
        CryptoBox.wipe(secretKey, transientSecret, cookieKey);
    }

    private static boolean isAllZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }
}
