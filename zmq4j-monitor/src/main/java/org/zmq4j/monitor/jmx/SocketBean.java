package org.zmq4j.monitor.jmx;

import java.util.Date;
import java.util.Map;

import org.zmq4j.SocketMetrics;

/**
 * The {@link SocketMXBean} of one socket. Thread-safe: reads the shared snapshot, and keeps the
 * last metrics it found in a volatile field for when the socket has gone.
 */
final class SocketBean implements SocketMXBean {
    private final String context;
    private final int id;
    private final Snapshots snapshots;
    private volatile SocketMetrics last;

    SocketBean(String context, SocketMetrics first, Snapshots snapshots) {
        this.context = context;
        this.id = first.id();
        this.snapshots = snapshots;
        this.last = first;
    }

    private SocketMetrics m() {
        SocketMetrics now = snapshots.get().sockets().get(id);
        if (now != null) {
            last = now;
            return now;
        }
        return last;
    }

    @Override public int getId() { return id; }
    @Override public String getContext() { return context; }
    @Override public String getType() { return last.type().name(); }
    @Override public boolean isOpen() { return snapshots.get().sockets().containsKey(id); }
    @Override public String[] getEndpoints() { return m().endpoints().toArray(String[]::new); }
    @Override public int getPeers() { return m().peers(); }
    @Override public long getMessagesSent() { return m().messagesSent(); }
    @Override public long getMessagesReceived() { return m().messagesReceived(); }
    @Override public long getBytesSent() { return m().bytesSent(); }
    @Override public long getBytesReceived() { return m().bytesReceived(); }
    @Override public long getDroppedAtHwm() { return m().droppedAtHwm(); }
    @Override public long getUnroutable() { return m().unroutable(); }
    @Override public long getSendWouldBlock() { return m().sendWouldBlock(); }
    @Override public long getReceiveWouldBlock() { return m().receiveWouldBlock(); }
    @Override public double getSendBlockedSeconds() { return Views.seconds(m().sendBlocked()); }
    @Override public int getSendHwm() { return m().sendHwm(); }
    @Override public int getReceiveHwm() { return m().receiveHwm(); }
    @Override public long getQueuedOut() { return m().queuedOut(); }
    @Override public long getQueuedIn() { return m().queuedIn(); }
    @Override public int getConnectionCount() { return m().connections().size(); }
    @Override public long getConnectionsConnected() { return m().events().connected(); }
    @Override public long getConnectionsAccepted() { return m().events().accepted(); }
    @Override public long getConnectionsDisconnected() { return m().events().disconnected(); }
    @Override public long getConnectRetries() { return m().events().connectRetries(); }
    @Override public long getHeartbeatTimeouts() { return m().events().heartbeatTimeouts(); }
    @Override public long getHandshakeFailures() { return m().events().totalHandshakeFailures(); }

    @Override
    public Map<String, Long> getHandshakeFailuresByReason() {
        return Views.byReason(m().events().handshakeFailures());
    }

    @Override
    public ConnectionInfo[] getConnections() {
        return m().connections().stream().map(Views.Connection::new).toArray(ConnectionInfo[]::new);
    }

    @Override
    public Date getSnapshotTime() {
        return Date.from(snapshots.get().takenAt());
    }
}
