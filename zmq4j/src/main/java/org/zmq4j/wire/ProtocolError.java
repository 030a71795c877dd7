package org.zmq4j.wire;

import org.zmq4j.SocketEvent;

/**
 * What kind of protocol violation a {@link ProtocolException} reports, with the ZMQ_PROTOCOL_ERROR_*
 * code libzmq puts in a HANDSHAKE_FAILED_PROTOCOL monitor event for it.
 */
public enum ProtocolError {
    /** Anything else that broke ZMTP. */
    UNSPECIFIED(SocketEvent.PROTOCOL_ERROR_ZMTP_UNSPECIFIED),
    /** A command that does not belong at this point of the handshake. */
    UNEXPECTED_COMMAND(SocketEvent.PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND),
    /** A malformed greeting, frame, command or property. */
    MALFORMED(SocketEvent.PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED),
    /** Metadata the handshake cannot accept (an incompatible Socket-Type). */
    INVALID_METADATA(SocketEvent.PROTOCOL_ERROR_ZMTP_INVALID_METADATA),
    /** A CURVE box that does not open, or a key that cannot be used. */
    CRYPTOGRAPHIC(SocketEvent.PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC),
    /** The peer's greeting names another security mechanism. */
    MECHANISM_MISMATCH(SocketEvent.PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH),
    /** The ZAP handler's reply was malformed or never came. */
    ZAP_MALFORMED_REPLY(SocketEvent.PROTOCOL_ERROR_ZAP_MALFORMED_REPLY);

    private final int code;

    ProtocolError(int code) {
        this.code = code;
    }

    /** The ZMQ_PROTOCOL_ERROR_* value libzmq reports. */
    public int code() {
        return code;
    }
}
