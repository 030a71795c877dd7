package org.zmq4j.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A ZMTP command (rfc-37): a name of 1..255 ASCII octets and data. */
public final class Command {
    /** NULL mechanism handshake. */
    public static final String READY = "READY";
    /** Fatal handshake error. */
    public static final String ERROR = "ERROR";
    /** ZMTP 3.1 subscription. */
    public static final String SUBSCRIBE = "SUBSCRIBE";
    /** ZMTP 3.1 subscription cancel. */
    public static final String CANCEL = "CANCEL";
    /** ZMTP 3.1 RADIO/DISH group join (rfc-37 section on RADIO and DISH). */
    public static final String JOIN = "JOIN";
    /** ZMTP 3.1 RADIO/DISH group leave. */
    public static final String LEAVE = "LEAVE";
    /** ZMTP 3.1 heartbeat request. */
    public static final String PING = "PING";
    /** ZMTP 3.1 heartbeat reply. */
    public static final String PONG = "PONG";

    private final String name;
    private final byte[] data;

    private Command(String name, byte[] data) {
        this.name = name;
        this.data = data;
    }

    /** The command name. */
    public String name() {
        return name;
    }

    /** The command data (after the name). */
    public byte[] data() {
        return data;
    }

    /** Whether this command is named {@code other} (case-sensitive, as libzmq compares). */
    public boolean is(String other) {
        return name.equals(other);
    }

    /**
     * The reason carried by an ERROR command (rfc-37: a length octet, then 0..255 octets).
     *
     * @return the reason text
     * @throws ProtocolException when the reason's length runs past the command
     */
    public String errorReason() throws ProtocolException {
        if (data.length < 1 || (data[0] & 0xFF) > data.length - 1) {
            throw new ProtocolException(ProtocolError.MALFORMED, "malformed ERROR command");
        }
        return new String(data, 1, data[0] & 0xFF, StandardCharsets.US_ASCII);
    }

    /**
     * Parses a command frame body.
     *
     * @param body the body of a frame with the COMMAND flag
     * @return the command
     * @throws ProtocolException when the name length is zero or runs past the body
     */
    public static Command parse(byte[] body) throws ProtocolException {
        if (body.length < 1) {
            throw new ProtocolException(ProtocolError.MALFORMED, "empty command frame");
        }
        int len = body[0] & 0xFF;
        if (len == 0 || len + 1 > body.length) {
            throw new ProtocolException(ProtocolError.MALFORMED, "malformed command: name length " + len + " in a " + body.length + "-byte frame");
        }
        String name = new String(body, 1, len, StandardCharsets.US_ASCII);
        return new Command(name, Arrays.copyOfRange(body, len + 1, body.length));
    }

    /**
     * Encodes a command body: name length, name, data.
     *
     * @param name the name
     * @param data the data
     * @return the body bytes
     */
    public static byte[] body(String name, byte[] data) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[1 + n.length + data.length];
        body[0] = (byte) n.length;
        System.arraycopy(n, 0, body, 1, n.length);
        System.arraycopy(data, 0, body, 1 + n.length, data.length);
        return body;
    }
}
