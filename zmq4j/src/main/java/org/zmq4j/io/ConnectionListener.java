package org.zmq4j.io;

import org.zmq4j.wire.Metadata;

/** Told by a {@link Connection} when it is ready for pipes and when it ends (I/O thread). */
public interface ConnectionListener {
    /**
     * The connection is ready (ZMTP: the handshake completed; raw: at once); the listener must
     * {@link Connection#attach} a peer.
     *
     * @param connection the connection
     * @param metadata   the peer's properties
     */
    void engineReady(Connection connection, Metadata metadata);

    /**
     * The connection ended.
     *
     * @param connection the connection
     * @param reason     why, for logs and monitor events
     * @param handshaked whether it had become ready
     */
    void engineClosed(Connection connection, String reason, boolean handshaked);
}
