package org.zmq4j.io;

import org.zmq4j.wire.Metadata;

/** Told by an {@link Engine} when its handshake completes and when its connection ends (I/O thread). */
public interface EngineListener {
    /**
     * The handshake completed; the listener must {@link Engine#attach} pipes.
     *
     * @param engine   the engine
     * @param metadata the peer's properties
     */
    void engineReady(Engine engine, Metadata metadata);

    /**
     * The connection ended.
     *
     * @param engine      the engine
     * @param reason      why, for logs and monitor events
     * @param handshaked  whether the handshake had completed
     */
    void engineClosed(Engine engine, String reason, boolean handshaked);
}
