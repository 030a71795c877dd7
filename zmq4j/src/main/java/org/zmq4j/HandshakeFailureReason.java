package org.zmq4j;

/**
 * Why a ZMTP handshake failed, as {@link ConnectionEvents#handshakeFailures()} counts them. Finer
 * than libzmq's three HANDSHAKE_FAILED_* monitor events, which stay as they are.
 */
public enum HandshakeFailureReason {
    /** The greeting was not ZMTP 3.x: a bad signature or an older major version. */
    GREETING,
    /** The peers asked for different security mechanisms (NULL against CURVE...). */
    MECHANISM,
    /** The ZAP handler refused the peer, or the peer's server refused us (ERROR with a ZAP status). */
    AUTH,
    /** A CURVE box did not open (wrong keys, a tampered or replayed message). */
    CRYPTOGRAPHIC,
    /** Any other protocol violation during the handshake (malformed or unexpected commands, metadata). */
    PROTOCOL,
    /** The connection ended before the handshake did, with nothing more specific known. */
    INCOMPLETE
}
