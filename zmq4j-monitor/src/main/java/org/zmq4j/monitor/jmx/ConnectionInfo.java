package org.zmq4j.monitor.jmx;

import java.util.Date;

/**
 * One connection of a socket ({@link org.zmq4j.ConnectionMetrics}) as a {@code CompositeData} item
 * of {@link SocketMXBean#getConnections()}. Immutable; thread-safe.
 */
public interface ConnectionInfo {
    /** The endpoint it belongs to: the bound one (resolved) or the one given to connect(). */
    String getEndpoint();

    /** {@code tcp}, {@code ipc}, {@code inproc}... */
    String getTransport();

    /** {@code CONNECT}, {@code ACCEPT} or {@code INPROC}. */
    String getDirection();

    /** {@code CONNECTING}, {@code HANDSHAKING}, {@code ACTIVE}, {@code WAITING_TO_RECONNECT} or {@code CLOSED}. */
    String getState();

    /** The peer's address as the transport reports it; empty while there is no connection. */
    String getRemoteAddress();

    /** The security mechanism ({@code NULL}, {@code PLAIN}, {@code CURVE}). */
    String getMechanism();

    /** The peer's socket type from its handshake; empty before the handshake. */
    String getPeerType();

    /** Connections made (a connect()'s first and every reconnect; 1 for an accepted one). */
    long getConnects();

    /** Connections lost or closed. */
    long getDisconnects();

    /** Reconnects scheduled. */
    long getConnectRetries();

    /** The reconnect interval the next retry waits, in milliseconds (0 for an accepted connection). */
    int getBackoffMillis();

    /** Handshakes that failed on it. */
    long getHandshakeFailures();

    /** Times it was dropped because heartbeats went unanswered. */
    long getHeartbeatTimeouts();

    /** When bytes last went in or out; when it was made if none did yet. */
    Date getLastActivity();

    /** Bytes read from it, ZMTP framing and handshake included. */
    long getBytesIn();

    /** Bytes written to it, framing included. */
    long getBytesOut();

    /** Messages queued for this peer and not yet taken by the connection. */
    long getQueuedOut();

    /** That queue's limit (SNDHWM; 0: none). */
    int getSendHwm();

    /** Messages from this peer the application has not received yet. */
    long getQueuedIn();

    /** That queue's limit (RCVHWM; 0: none). */
    int getReceiveHwm();
}
