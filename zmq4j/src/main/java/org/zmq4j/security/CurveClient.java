package org.zmq4j.security;

import java.security.InvalidKeyException;
import java.util.Arrays;

import org.zmq4j.wire.Command;
import org.zmq4j.wire.ProtocolError;
import org.zmq4j.wire.ProtocolException;

/**
 * The client side of CURVE (rfc-26), byte for byte as libzmq 4.3's curve_client:
 * <pre>
 * HELLO    = "\5HELLO" 1 0 | 72 zeros | C' | short nonce | Box[64 zeros](C'->S)        200 bytes
 * WELCOME  = "\7WELCOME" long nonce | Box[S' + cookie](S->C')                        168 bytes
 * INITIATE = "\10INITIATE" cookie | short nonce | Box[C + vouch + metadata](C'->S')  257 + metadata
 *            vouch = long nonce | Box[C' + S](C->S')
 * READY    = "\5READY" short nonce | Box[metadata](S'->C')                          30 + metadata
 * </pre>
 * A server key that is not a usable Curve25519 point fails the handshake at once (status ERROR,
 * nothing to send). The transient secret c' and our copy of the long-term secret c are wiped once
 * INITIATE is built. The client never sends ERROR (rfc-26).
 */
final class CurveClient extends CurveHandshake {
    private static final int WELCOME_DATA = 16 + 144;
    private static final int READY_MIN_DATA = 8 + CryptoBox.MAC_BYTES;

    private enum State { WAITING_FOR_WELCOME, WAITING_FOR_READY }

    private final byte[] publicKey;
    private final byte[] secretKey;
    private final byte[] serverKey;
    private final byte[] transientPublic;
    private final byte[] transientSecret;
    /** C' and S, for HELLO's signature and WELCOME. */
    private CryptoBox helloBox;
    private State state = State.WAITING_FOR_WELCOME;

    /**
     * Prepares HELLO.
     *
     * @param identity  what we announce, and how we check the server
     * @param publicKey our long-term public key C (32 bytes)
     * @param secretKey our long-term secret key c (32 bytes), copied
     * @param serverKey the server's long-term public key S (32 bytes)
     */
    CurveClient(HandshakeIdentity identity, byte[] publicKey, byte[] secretKey, byte[] serverKey) {
        super(identity, false);
        this.publicKey = publicKey.clone();
        this.secretKey = secretKey.clone();
        this.serverKey = serverKey.clone();
        this.transientSecret = CryptoBox.newSecretKey();
        this.transientPublic = CryptoBox.publicKey(transientSecret);
        try {
            helloBox = CryptoBox.beforenm(this.serverKey, transientSecret);
        } catch (InvalidKeyException e) {
            fail(HandshakeFailure.protocol(ProtocolError.UNSPECIFIED), "the CURVE server key is not a usable Curve25519 public key: " + e.getMessage());
            wipeSecrets();
            return;
        }
        send(hello());
    }

    /** The server's long-term public key S. */
    byte[] serverKey() {
        return serverKey.clone();
    }

    private byte[] hello() {
        long n = takeShortNonce();
        byte[] signature = helloBox.seal(shortNonce(HELLO_NONCE, n), new byte[64]);
        byte[] data = new byte[2 + 72 + 32 + 8 + 80];
        data[0] = 1; // CurveZMQ version 1.0
        data[1] = 0;
        System.arraycopy(transientPublic, 0, data, 74, 32);
        putLong(data, 106, n);
        System.arraycopy(signature, 0, data, 114, 80);
        return Command.body(HELLO, data);
    }

    @Override
    void handle(Command command) throws ProtocolException {
        if (command.is(Command.ERROR)) {
            failOnPeerError(command);
            wipeSecrets();
        } else if (state == State.WAITING_FOR_WELCOME && command.is(WELCOME)) {
            processWelcome(command.data());
        } else if (state == State.WAITING_FOR_READY && command.is(Command.READY)) {
            processReady(command.data());
        } else {
            throw unexpected(command, state == State.WAITING_FOR_WELCOME ? "WELCOME or ERROR" : "READY or ERROR");
        }
    }

    /** WELCOME: long nonce, Box[S' + cookie](S->C'); answered with INITIATE. */
    private void processWelcome(byte[] d) throws ProtocolException {
        if (d.length != WELCOME_DATA) {
            throw malformed(WELCOME, d.length, "expected " + WELCOME_DATA);
        }
        byte[] plain = helloBox.open(longNonce(WELCOME_NONCE, d, 0), d, 16, 144);
        if (plain == null) {
            throw new ProtocolException(ProtocolError.CRYPTOGRAPHIC, "CURVE WELCOME box does not open: not from the server whose key we hold");
        }
        helloBox.destroy();
        helloBox = null;
        byte[] serverTransient = Arrays.copyOfRange(plain, 0, 32);
        byte[] cookie = Arrays.copyOfRange(plain, 32, 128);
        try {
            startSession(serverTransient, transientSecret);
            send(initiate(serverTransient, cookie));
        } catch (InvalidKeyException e) {
            throw new ProtocolException(ProtocolError.MALFORMED, "CURVE WELCOME carries an unusable server transient key: " + e.getMessage());
        } finally {
            wipeSecrets();
        }
        state = State.WAITING_FOR_READY;
    }

    /** INITIATE: cookie, short nonce, Box[C + vouch + metadata](C'->S'). */
    private byte[] initiate(byte[] serverTransient, byte[] cookie) throws InvalidKeyException {
        byte[] vouchNonce = CryptoBox.randomBytes(16);
        CryptoBox vouchBox = CryptoBox.beforenm(serverTransient, secretKey);
        byte[] vouch = vouchBox.seal(longNonce(VOUCH_NONCE, vouchNonce, 0), concat(transientPublic, serverKey));
        vouchBox.destroy();
        byte[] plain = concat(publicKey, vouchNonce, vouch, ourProperties());
        long n = takeShortNonce();
        byte[] box = session.seal(shortNonce(INITIATE_NONCE, n), plain);
        byte[] nonce = new byte[8];
        putLong(nonce, 0, n);
        return Command.body(INITIATE, concat(cookie, nonce, box));
    }

    /** READY: short nonce, Box[metadata](S'->C'). */
    private void processReady(byte[] d) throws ProtocolException {
        if (d.length < READY_MIN_DATA) {
            throw malformed(Command.READY, d.length, "at least " + READY_MIN_DATA + " expected");
        }
        long n = getLong(d, 0);
        checkPeerShortNonce(n, Command.READY);
        byte[] metadata = session.open(shortNonce(READY_NONCE, n), d, 8, d.length - 8);
        if (metadata == null) {
            throw new ProtocolException(ProtocolError.CRYPTOGRAPHIC, "CURVE READY box does not open");
        }
        acceptPeerShortNonce(n);
        if (acceptPeerMetadata(metadata, 0)) {
            becomeReady();
        }
    }

    @Override
    void wipeHandshakeSecrets() {
        wipeSecrets();
    }

    private void wipeSecrets() {
        CryptoBox.wipe(transientSecret, secretKey);
        if (helloBox != null) {
            helloBox.destroy();
            helloBox = null;
        }
    }
}
