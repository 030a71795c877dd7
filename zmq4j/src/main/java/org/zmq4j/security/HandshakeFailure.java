package org.zmq4j.security;

import org.zmq4j.SocketEvent;
import org.zmq4j.wire.ProtocolError;

/**
 * How a handshake failed, as libzmq's monitor reports it: HANDSHAKE_FAILED_PROTOCOL with a
 * ZMQ_PROTOCOL_ERROR_* code, or HANDSHAKE_FAILED_AUTH with the ZAP status code that refused the peer.
 *
 * @param event the monitor event
 * @param value its value
 */
public record HandshakeFailure(SocketEvent.Type event, int value) {
    /** Nothing more specific is known (a connection that ended during the handshake). */
    public static final HandshakeFailure NO_DETAIL = new HandshakeFailure(SocketEvent.Type.HANDSHAKE_FAILED_NO_DETAIL, 0);

    /**
     * @param error the protocol violation
     * @return a HANDSHAKE_FAILED_PROTOCOL failure
     */
    public static HandshakeFailure protocol(ProtocolError error) {
        return new HandshakeFailure(SocketEvent.Type.HANDSHAKE_FAILED_PROTOCOL, error.code());
    }

    /**
     * @param zapStatus the ZAP status code ("300", "400", "500")
     * @return a HANDSHAKE_FAILED_AUTH failure
     */
    public static HandshakeFailure auth(String zapStatus) {
        return new HandshakeFailure(SocketEvent.Type.HANDSHAKE_FAILED_AUTH, Integer.parseInt(zapStatus));
    }

    /**
     * The peer ended the handshake with an ERROR command. A reason that starts with a ZAP status
     * code (what a libzmq or zmq4j server sends when its ZAP handler refused us) is an AUTH
     * failure with that code, as libzmq reports it; any other reason is a protocol failure.
     *
     * @param reason the reason the ERROR command carried
     * @return the failure
     */
    public static HandshakeFailure peerError(String reason) {
        if (reason.length() >= 3 && reason.charAt(0) >= '2' && reason.charAt(0) <= '5'
                && isDigit(reason.charAt(1)) && isDigit(reason.charAt(2))) {
            return auth(reason.substring(0, 3));
        }
        return protocol(ProtocolError.UNSPECIFIED);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
