package org.zmq4j.security;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.zmq4j.wire.Command;

/**
 * The PLAIN mechanism (rfc-24), wire-compatible with libzmq 4.3: the client sends
 * HELLO(username, password); the server asks the ZAP handler and answers WELCOME (or ERROR with the
 * ZAP status code, e.g. "400"); the client sends INITIATE(metadata); the server answers
 * READY(metadata). The greeting's as-server bit is set on the server side only.
 * <p>
 * The engine drives it like every {@link Mechanism}: send each {@link #nextCommand()}, feed each
 * peer command to {@link #process(Command)}, and on the server call {@link #takeZapRequest()} after
 * each {@code process} and answer a request with {@link #zapReply} or {@link #zapUnavailable()}.
 * <p>
 * Without a ZAP handler ({@link #zapUnavailable()}) the server lets every client in, per
 * {@link Mechanism#zapUnavailable()}'s contract. (libzmq 4.3 instead fails every PLAIN handshake
 * when no ZAP handler is bound.)
 * <p>
 * Not thread-safe: one connection's I/O thread drives it.
 */
public final class PlainMechanism extends DelegatingMechanism {
    /** The mechanism name in the greeting. */
    public static final String NAME = "PLAIN";
    static final String HELLO = "HELLO";
    static final String WELCOME = "WELCOME";
    static final String INITIATE = "INITIATE";

    /**
     * Makes one side of a PLAIN handshake.
     *
     * @param identity what we announce, and how we check the peer
     * @param server   true for the server (PLAIN_SERVER), false for the client
     * @param username the client's username, 0..255 octets (ignored, may be null, on the server)
     * @param password the client's password, 0..255 octets (ignored, may be null, on the server)
     * @throws IllegalArgumentException when a client's username or password is longer than 255 octets
     * @throws NullPointerException     when identity is null, or a client's username or password is
     */
    public PlainMechanism(HandshakeIdentity identity, boolean server, byte[] username, byte[] password) {
        super(server ? new PlainServer(identity)
                : new PlainClient(identity, checked(username, "username"), checked(password, "password")));
    }

    /**
     * The client side.
     *
     * @param identity what we announce, and how we check the server
     * @param username the username, at most 255 octets in UTF-8
     * @param password the password, at most 255 octets in UTF-8
     * @return the mechanism
     * @throws IllegalArgumentException when the username or password is too long
     */
    public static PlainMechanism client(HandshakeIdentity identity, String username, String password) {
        return new PlainMechanism(identity, false, utf8(username, "username"), utf8(password, "password"));
    }

    /**
     * The server side (PLAIN_SERVER).
     *
     * @param identity what we announce, and how we check the client
     * @return the mechanism
     */
    public static PlainMechanism server(HandshakeIdentity identity) {
        return new PlainMechanism(identity, true, null, null);
    }

    /** {@inheritDoc} Always "PLAIN". */
    @Override
    public String name() {
        return NAME;
    }


    /**
     * Repairs the ERROR command libzmq 4.3.x's PLAIN server sends. libzmq writes its name as the C
     * literal {@code "\x05ERROR"}, which C reads as the byte 0x5E followed by "RROR" (a hex escape
     * takes every hex digit after it, and 'E' is one), so the body on the wire is
     * {@code 5E 'R' 'R' 'O' 'R' len reason}: a name length of 94 that runs past the body, which
     * {@link Command#parse(byte[])} rightly refuses. libzmq's own PLAIN client expects exactly
     * those bytes (and in turn does not recognise a correct ERROR). An engine speaking PLAIN as a
     * client should pass each handshake command body through this method before parsing it, so
     * that a refusal by a libzmq server reads as "peer sent ERROR: 400" rather than a protocol error.
     *
     * @param body a command body received during the PLAIN handshake
     * @return {@code body} itself, or for libzmq's malformed ERROR the well-formed ERROR body with
     *         the same reason
     */
    @Override
    public byte[] repairHandshakeCommand(byte[] body) {
        return repairLibzmqError(body);
    }

    public static byte[] repairLibzmqError(byte[] body) {
        if (body.length >= 6 && (body[0] & 0xFF) == 0x5E && body[1] == 'R' && body[2] == 'R' && body[3] == 'O'
                && body[4] == 'R') {
            return Command.body(Command.ERROR, java.util.Arrays.copyOfRange(body, 5, body.length));
        }
        return body;
    }

    private static byte[] checked(byte[] value, String what) {
        Objects.requireNonNull(value, what);
        if (value.length > 255) {
            throw new IllegalArgumentException("a PLAIN " + what + " is at most 255 octets, got " + value.length);
        }
        return value;
    }

    private static byte[] utf8(String value, String what) {
        return Objects.requireNonNull(value, what).getBytes(StandardCharsets.UTF_8);
    }
}
