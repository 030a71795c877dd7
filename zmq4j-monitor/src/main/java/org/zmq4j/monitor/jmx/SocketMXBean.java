package org.zmq4j.monitor.jmx;

import java.util.Date;
import java.util.Map;

/**
 * One open socket as JMX shows it, registered by {@link ZmqJmx} under
 * {@code org.zmq4j:type=Socket,context="<context name>",id=<id>,socketType=<TYPE>}: every field of
 * its {@link org.zmq4j.SocketMetrics}. Counters count from the socket's creation. Read-only.
 * <p>
 * The values come from the snapshot of {@link org.zmq4j.Context#metrics()} the Context's beans
 * share (see {@link ContextMXBean}); {@link #getSnapshotTime()} says when it was taken. Once the
 * socket is closed the bean keeps its last values and {@link #isOpen()} turns false, until the
 * next {@link ZmqJmx#refresh()} unregisters it.
 * <p>
 * Thread-safety: every getter may be called from any thread at any time.
 */
public interface SocketMXBean {
    /** The socket's id, unique in the process ({@link org.zmq4j.SocketMetrics#id()}). */
    int getId();

    /** The name its Context was registered with. */
    String getContext();

    /** Its type ({@code PUSH}, {@code ROUTER}...). */
    String getType();

    /** Whether the socket was open when the snapshot was taken. */
    boolean isOpen();

    /** Its endpoints: bound (as resolved) and connected (as given). */
    String[] getEndpoints();

    /** The peers it has: connections past their handshake, inproc peers. */
    int getPeers();

    /** Whole messages sent. */
    long getMessagesSent();

    /** Whole messages received. */
    long getMessagesReceived();

    /** Payload bytes sent, all frames. */
    long getBytesSent();

    /** Payload bytes received, all frames. */
    long getBytesReceived();

    /** Copies of messages dropped because a peer's queue was at SNDHWM. */
    long getDroppedAtHwm();

    /** ROUTER messages for a routing id no peer has, dropped. */
    long getUnroutable();

    /** Sends that returned without sending (EAGAIN). */
    long getSendWouldBlock();

    /** Receives that returned nothing (EAGAIN). */
    long getReceiveWouldBlock();

    /** Time sends spent waiting for room, in seconds. */
    double getSendBlockedSeconds();

    /** Its SNDHWM (0: none). */
    int getSendHwm();

    /** Its RCVHWM (0: none). */
    int getReceiveHwm();

    /** Messages queued for peers and not yet taken by their connections, all connections. */
    long getQueuedOut();

    /** Messages received and not yet read by the application, all connections. */
    long getQueuedIn();

    /** Its connections now. */
    int getConnectionCount();

    /** Connections made by connect(), first ones and reconnects, over its life. */
    long getConnectionsConnected();

    /** Connections accepted on its bound endpoints, over its life. */
    long getConnectionsAccepted();

    /** Connections lost or closed, over its life. */
    long getConnectionsDisconnected();

    /** Reconnects scheduled (libzmq's CONNECT_RETRIED), over its life. */
    long getConnectRetries();

    /** Connections dropped because heartbeats went unanswered, over its life. */
    long getHeartbeatTimeouts();

    /** Failed handshakes, every reason added up. */
    long getHandshakeFailures();

    /**
     * Failed handshakes by reason: every {@link org.zmq4j.HandshakeFailureReason} name is a key.
     * A {@code TabularData} of {@code key} and {@code value} to a JMX client.
     */
    Map<String, Long> getHandshakeFailuresByReason();

    /** Its connections now, each with its state and queues against the HWMs. */
    ConnectionInfo[] getConnections();

    /** When the snapshot the values come from was taken. */
    Date getSnapshotTime();
}
