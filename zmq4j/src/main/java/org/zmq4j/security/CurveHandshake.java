package org.zmq4j.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;

import org.zmq4j.wire.Command;
import org.zmq4j.wire.ProtocolError;
import org.zmq4j.wire.ProtocolException;

/**
 * What the CURVE client and server share (rfc-26, as libzmq 4.3's curve_mechanism_base): the
 * command names and nonce prefixes, our short-nonce counter, the check of the peer's short nonces,
 * and the boxing of MESSAGE commands under the session key (C' and S').
 * <p>
 * Short nonces are big-endian 64-bit counters starting at 1, never reused: the client spends 1 on
 * HELLO and 2 on INITIATE, the server 1 on READY, and messages take the following ones. A peer's
 * short nonce must be greater than the last one accepted from it (libzmq allows gaps, so do we).
 * <p>
 * Threads. The handshake runs on the connection's I/O thread. Once READY, the state is split by
 * direction, and the two directions share nothing mutable:
 * <ul>
 * <li>sending ({@link #boxMessage(byte[], boolean, boolean)}: our short-nonce counter, the send
 * nonce, and {@link #sealer}, a box of its own under the session key) is used by one thread at a
 * time, whichever holds the engine's write exclusion: the I/O thread, or an application thread
 * writing to an idle connection itself. That exclusion (an atomic flag taken and released around
 * each write) orders successive users, and since a MESSAGE is sealed when it goes into the output
 * buffer, short nonces go out on the wire in the order they were taken;</li>
 * <li>receiving ({@link #unboxMessage}: the peer's last short nonce, the receive nonce, the flags of
 * the last message, and {@link #session}) stays on the I/O thread, and may run while a message is
 * sealed on another thread.</li>
 * </ul>
 * {@link #destroy()} runs on the I/O thread once no other thread can be sealing (the engine waits
 * out a direct write when it closes). Nothing here is thread-safe beyond that division.
 */
abstract class CurveHandshake extends Handshake {
    static final String HELLO = "HELLO";
    static final String WELCOME = "WELCOME";
    static final String INITIATE = "INITIATE";
    static final String MESSAGE = "MESSAGE";

    static final byte[] HELLO_NONCE = ascii("CurveZMQHELLO---");
    static final byte[] WELCOME_NONCE = ascii("WELCOME-");
    static final byte[] COOKIE_NONCE = ascii("COOKIE--");
    static final byte[] INITIATE_NONCE = ascii("CurveZMQINITIATE");
    static final byte[] VOUCH_NONCE = ascii("VOUCH---");
    static final byte[] READY_NONCE = ascii("CurveZMQREADY---");
    static final byte[] CLIENT_MESSAGE_NONCE = ascii("CurveZMQMESSAGEC");
    static final byte[] SERVER_MESSAGE_NONCE = ascii("CurveZMQMESSAGES");

    /** MESSAGE payload flag: more frames follow. */
    static final int FLAG_MORE = 0x01;
    /** MESSAGE payload flag: the payload is a ZMTP command body (libzmq 4.3). */
    static final int FLAG_COMMAND = 0x02;

    /** "\7MESSAGE": the first 8 bytes of a MESSAGE command body. */
    private static final byte[] MESSAGE_HEADER = Command.body(MESSAGE, new byte[0]);
    /** Command name, short nonce, tag, flags. */
    private static final int MESSAGE_OVERHEAD = MESSAGE_HEADER.length + 8 + CryptoBox.MAC_BYTES + 1;

    private final boolean server;
    private final byte[] sendNonce = new byte[CryptoBox.NONCE_BYTES];
    private final byte[] receiveNonce = new byte[CryptoBox.NONCE_BYTES];
    private final byte[] flags = new byte[1];
    private long nextShortNonce = 1;
    private long peerShortNonce;
    private boolean peerShortNonceSeen;
    private boolean lastMore;
    private boolean lastCommand;

    /**
     * The session box between C' and S', once both transient keys are known: the handshake's boxes
     * (INITIATE, READY) and the opening of the peer's MESSAGEs, on the I/O thread.
     */
    CryptoBox session;
    /** The same key as {@link #session}, in a box of its own: sealing our MESSAGEs (see the class comment). */
    private CryptoBox sealer;

    /**
     * @param identity what we announce, and how we check the peer
     * @param server   which side we are
     */
    CurveHandshake(HandshakeIdentity identity, boolean server) {
        super(identity);
        this.server = server;
        System.arraycopy(server ? SERVER_MESSAGE_NONCE : CLIENT_MESSAGE_NONCE, 0, sendNonce, 0, 16);
        System.arraycopy(server ? CLIENT_MESSAGE_NONCE : SERVER_MESSAGE_NONCE, 0, receiveNonce, 0, 16);
    }

    @Override
    public final String name() {
        return CurveMechanism.NAME;
    }

    @Override
    public final boolean asServer() {
        return server;
    }

    @Override
    public final boolean boxesMessages() {
        return true;
    }

    /**
     * Makes the session boxes between C' and S' ({@code crypto_box_beforenm}): {@link #session} and
     * the sealer of MESSAGEs, under one key.
     *
     * @param theirTransient the peer's transient public key
     * @param ourTransient   our transient secret key
     * @throws InvalidKeyException when their key is a point of small order
     */
    final void startSession(byte[] theirTransient, byte[] ourTransient) throws InvalidKeyException {
        CryptoBox[] boxes = CryptoBox.beforenm(theirTransient, ourTransient, 2);
        session = boxes[0];
        sealer = boxes[1];
    }

    // ------------------------------------------------------------------ short nonces

    /** Our next short nonce; never the same twice on one connection. */
    final long takeShortNonce() {
        long n = nextShortNonce;
        if (n == 0) {
            throw new IllegalStateException("CURVE short nonces exhausted on this connection");
        }
        nextShortNonce = n + 1;
        return n;
    }

    /**
     * Checks that the peer's short nonce is greater than the last one accepted (unsigned); the
     * first one (HELLO's on the server, READY's on the client) is taken as it comes, as libzmq does.
     * Call {@link #acceptPeerShortNonce} once the box it protects has opened.
     */
    final void checkPeerShortNonce(long n, String command) throws ProtocolException {
        if (peerShortNonceSeen && Long.compareUnsigned(n, peerShortNonce) <= 0) {
            throw new ProtocolException(ProtocolError.MALFORMED, "CURVE " + command + " short nonce " + Long.toUnsignedString(n)
                    + " is not greater than the last one, " + Long.toUnsignedString(peerShortNonce) + " (replayed or reordered)");
        }
    }

    /** Records the peer's short nonce as the last one accepted. */
    final void acceptPeerShortNonce(long n) {
        peerShortNonce = n;
        peerShortNonceSeen = true;
    }

    /** A 24-byte nonce: a 16-byte prefix and a big-endian 8-byte short nonce. */
    static byte[] shortNonce(byte[] prefix16, long n) {
        byte[] nonce = new byte[CryptoBox.NONCE_BYTES];
        System.arraycopy(prefix16, 0, nonce, 0, 16);
        putLong(nonce, 16, n);
        return nonce;
    }

    /** A 24-byte nonce: an 8-byte prefix and 16 bytes from {@code src[offset..]}. */
    static byte[] longNonce(byte[] prefix8, byte[] src, int offset) {
        byte[] nonce = new byte[CryptoBox.NONCE_BYTES];
        System.arraycopy(prefix8, 0, nonce, 0, 8);
        System.arraycopy(src, offset, nonce, 8, 16);
        return nonce;
    }

    // ------------------------------------------------------------------ secrets

    /** Wipes whatever handshake secrets this side still holds (transient and long-term keys). */
    abstract void wipeHandshakeSecrets();

    @Override
    final void onFailure() {
        destroy();
    }

    /** Wipes every secret, the session key included; no message can be boxed or opened afterwards. */
    @Override
    public final void destroy() {
        wipeHandshakeSecrets();
        if (session != null) {
            session.destroy();
            session = null;
        }
        if (sealer != null) {
            sealer.destroy();
            sealer = null;
        }
    }

    // ------------------------------------------------------------------ MESSAGE (rfc-26)

    @Override
    public final byte[] boxMessage(byte[] frame, boolean more) {
        return boxMessage(frame, more, false);
    }

    /**
     * Boxes a frame in a MESSAGE command: name, short nonce, then Box[flags + frame](ours->peer's).
     * Called by one thread at a time, each call ordered after the previous one (see the class
     * comment); the caller sends the results in the order of the calls.
     *
     * @param frame   the frame body (a command body when {@code command})
     * @param more    whether more frames follow
     * @param command whether the frame is a ZMTP command (PING, SUBSCRIBE...), flag 0x02
     * @return the MESSAGE command body, {@code 33 + frame.length} bytes
     * @throws IllegalStateException before the handshake is READY
     */
    @Override
    public final byte[] boxMessage(byte[] frame, boolean more, boolean command) {
        if (status() != Status.READY || sealer == null) {
            throw new IllegalStateException("CURVE boxes messages only once the handshake is READY (and until destroyed)");
        }
        long n = takeShortNonce();
        byte[] body = new byte[MESSAGE_OVERHEAD + frame.length];
        System.arraycopy(MESSAGE_HEADER, 0, body, 0, MESSAGE_HEADER.length);
        putLong(body, MESSAGE_HEADER.length, n);
        int box = MESSAGE_HEADER.length + 8;
        body[box + CryptoBox.MAC_BYTES] = (byte) ((more ? FLAG_MORE : 0) | (command ? FLAG_COMMAND : 0));
        System.arraycopy(frame, 0, body, MESSAGE_OVERHEAD, frame.length);
        putLong(sendNonce, 16, n);
        sealer.sealInPlace(sendNonce, body, box, 1 + frame.length);
        return body;
    }

    @Override
    public final byte[] unboxMessage(Command message) throws ProtocolException {
        if (status() != Status.READY || session == null) {
            throw new ProtocolException(ProtocolError.MALFORMED, "CURVE MESSAGE before the handshake completed (or after the mechanism was destroyed)");
        }
        if (!message.is(MESSAGE)) {
            throw new ProtocolException(ProtocolError.MALFORMED, "CURVE expected MESSAGE, got " + message.name());
        }
        byte[] d = message.data();
        return open(d, 0);
    }

    /**
     * Opens a MESSAGE straight from its frame body: the name is checked in place and the box opened
     * where it lies, without the copy a {@link Command} makes. Anything else goes the long way,
     * which names what it got.
     */
    @Override
    public final byte[] unboxMessage(byte[] body) throws ProtocolException {
        if (status() != Status.READY || session == null || !startsWithMessageHeader(body)) {
            return unboxMessage(Command.parse(body));
        }
        return open(body, MESSAGE_HEADER.length);
    }

    private static boolean startsWithMessageHeader(byte[] body) {
        if (body.length < MESSAGE_HEADER.length) {
            return false;
        }
        for (int i = 0; i < MESSAGE_HEADER.length; i++) {
            if (body[i] != MESSAGE_HEADER[i]) {
                return false;
            }
        }
        return true;
    }

    /** Opens the MESSAGE data that starts at {@code at} in {@code d}: the short nonce, then the box. */
    private byte[] open(byte[] d, int at) throws ProtocolException {
        int length = d.length - at;
        if (length < MESSAGE_OVERHEAD - MESSAGE_HEADER.length) {
            throw new ProtocolException(ProtocolError.MALFORMED, "malformed CURVE MESSAGE: " + length + " bytes of data, at least "
                    + (MESSAGE_OVERHEAD - MESSAGE_HEADER.length) + " needed");
        }
        long n = getLong(d, at);
        checkPeerShortNonce(n, MESSAGE);
        putLong(receiveNonce, 16, n);
        byte[] frame = session.open(receiveNonce, d, at + 8, length - 8, flags);
        if (frame == null) {
            throw new ProtocolException(ProtocolError.CRYPTOGRAPHIC, "CURVE MESSAGE box does not open (altered, or not from our peer)");
        }
        acceptPeerShortNonce(n);
        // libzmq transports only these two bits and ignores the rest
        lastMore = (flags[0] & FLAG_MORE) != 0;
        lastCommand = (flags[0] & FLAG_COMMAND) != 0;
        return frame;
    }

    @Override
    public final boolean lastUnboxedMore() {
        return lastMore;
    }

    /** Whether the frame last returned by {@link #unboxMessage} is a ZMTP command body. */
    @Override
    public final boolean lastUnboxedCommand() {
        return lastCommand;
    }

    // ------------------------------------------------------------------ helpers

    /** Command data shorter or longer than rfc-26 allows. */
    static ProtocolException malformed(String command, int length, String expected) {
        return new ProtocolException(ProtocolError.MALFORMED, "malformed CURVE " + command + ": " + length + " bytes of data, " + expected);
    }

    static void putLong(byte[] b, int offset, long v) {
        for (int i = 7; i >= 0; i--) {
            b[offset + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long getLong(byte[] b, int offset) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[offset + i] & 0xFF);
        }
        return v;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
