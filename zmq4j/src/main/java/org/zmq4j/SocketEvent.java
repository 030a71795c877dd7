package org.zmq4j;

/**
 * A socket monitor event, as libzmq's {@code zmq_socket_monitor} reports them.
 * <p>
 * Receive them either as a typed callback ({@link Socket#addMonitor(java.util.function.Consumer, int)})
 * or the libzmq way ({@link Socket#monitor(String, int)}): a PAIR socket at an inproc endpoint
 * delivering two-frame messages in libzmq's layout — frame 1 is 6 bytes, the event number as a
 * little-endian uint16 then the value as a little-endian int32; frame 2 is the endpoint — so code
 * ported from libzmq, or pyzmq's {@code zmq.utils.monitor.parse_monitor_message}, reads them as is.
 * <p>
 * Where libzmq reports a file descriptor (CONNECTED, LISTENING, ACCEPTED, CLOSED, DISCONNECTED),
 * zmq4j reports a connection or listener number unique within the process: the JVM has no portable
 * file descriptors.
 *
 * @param type     what happened
 * @param value    the event's value: a connection number, an errno, a reconnect interval in ms, a
 *                 protocol error code or a ZAP status code, as libzmq defines per event
 * @param endpoint the endpoint concerned
 * @param reason   a human-readable reason (zmq4j's addition; not on the wire)
 */
public record SocketEvent(Type type, int value, String endpoint, String reason) {
    /** Mask selecting every event. */
    public static final int ALL = 0xFFFF;

    /** The events, with libzmq's numbers (ZMQ_EVENT_*). */
    public enum Type {
        /** A connect() completed its TCP/IPC connection. Value: connection number. */
        CONNECTED(0x0001),
        /** A connect() is in progress (asynchronous). Value: EINPROGRESS. */
        CONNECT_DELAYED(0x0002),
        /** A reconnect was scheduled. Value: the interval in ms. */
        CONNECT_RETRIED(0x0004),
        /** A bind is listening. Value: listener number. */
        LISTENING(0x0008),
        /** A bind failed. Value: errno. */
        BIND_FAILED(0x0010),
        /** A connection was accepted. Value: connection number. */
        ACCEPTED(0x0020),
        /** Accepting a connection failed. Value: errno. */
        ACCEPT_FAILED(0x0040),
        /** A listener was closed. Value: listener number. */
        CLOSED(0x0080),
        /** Closing failed. Value: errno. */
        CLOSE_FAILED(0x0100),
        /** An established connection ended. Value: connection number. */
        DISCONNECTED(0x0200),
        /** The monitor stopped; the last event it sends. Value: 0. */
        MONITOR_STOPPED(0x0400),
        /** The handshake failed for another reason. Value: errno. */
        HANDSHAKE_FAILED_NO_DETAIL(0x0800),
        /** The handshake completed. Value: 0. */
        HANDSHAKE_SUCCEEDED(0x1000),
        /** The handshake failed: the peer broke the protocol. Value: a ZMQ_PROTOCOL_ERROR_* code. */
        HANDSHAKE_FAILED_PROTOCOL(0x2000),
        /** The handshake failed: authentication refused. Value: the ZAP status code (e.g. 400). */
        HANDSHAKE_FAILED_AUTH(0x4000);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        /** libzmq's event number, also the bit that selects it in an event mask. */
        public int code() {
            return code;
        }

        /**
         * The type with libzmq's event number {@code code}.
         *
         * @param code an event number
         * @return the type
         * @throws ZmqException EINVAL for an unknown number
         */
        public static Type of(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw new ZmqException(ZmqException.Errno.EINVAL, "unknown monitor event number " + code);
        }
    }

    /** libzmq's protocol error code: unspecified ZMTP error. */
    public static final int PROTOCOL_ERROR_ZMTP_UNSPECIFIED = 0x10000000;
    /** libzmq's protocol error code: unexpected command. */
    public static final int PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND = 0x10000001;
    /** libzmq's protocol error code: malformed command. */
    public static final int PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED = 0x10000011;
    /** libzmq's protocol error code: invalid metadata (e.g. incompatible Socket-Type). */
    public static final int PROTOCOL_ERROR_ZMTP_INVALID_METADATA = 0x10000018;
    /** libzmq's protocol error code: a cryptographic check failed. */
    public static final int PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC = 0x11000001;
    /** libzmq's protocol error code: the peers use different security mechanisms. */
    public static final int PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH = 0x11000002;
    /** libzmq's protocol error code: the ZAP handler's reply was malformed (or it went away). */
    public static final int PROTOCOL_ERROR_ZAP_MALFORMED_REPLY = 0x20000001;

    /**
     * libzmq's first monitor frame for this event: event number (uint16 LE) and value (int32 LE).
     *
     * @return 6 bytes
     */
    public byte[] encodeFrame() {
        int c = type.code();
        return new byte[] {(byte) c, (byte) (c >>> 8), (byte) value, (byte) (value >>> 8), (byte) (value >>> 16),
                (byte) (value >>> 24)};
    }

    /**
     * Parses a two-frame monitor message in libzmq's layout.
     *
     * @param first    the 6-byte event frame
     * @param endpoint the endpoint frame
     * @return the event (reason empty: it does not travel on the wire)
     * @throws ZmqException EINVAL when the first frame is not 6 bytes
     */
    public static SocketEvent decode(byte[] first, byte[] endpoint) {
        if (first.length != 6) {
            throw new ZmqException(ZmqException.Errno.EINVAL, "a monitor event frame is 6 bytes, got " + first.length);
        }
        int code = (first[0] & 0xFF) | ((first[1] & 0xFF) << 8);
        int value = (first[2] & 0xFF) | ((first[3] & 0xFF) << 8) | ((first[4] & 0xFF) << 16) | ((first[5] & 0xFF) << 24);
        return new SocketEvent(Type.of(code), value, new String(endpoint, java.nio.charset.StandardCharsets.UTF_8), "");
    }
}
