package org.zmq4j.monitor.jmx;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

import org.zmq4j.ComponentMetrics;
import org.zmq4j.ConnectionMetrics;
import org.zmq4j.HandshakeFailureReason;
import org.zmq4j.IoThreadMetrics;
import org.zmq4j.Measurement;

/** The metrics records seen through the MXBean-mappable interfaces. All immutable; thread-safe. */
final class Views {
    private Views() {
    }

    static double seconds(java.time.Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }

    static Map<String, Long> byReason(Map<HandshakeFailureReason, Long> failures) {
        Map<String, Long> m = new LinkedHashMap<>();
        failures.forEach((reason, n) -> m.put(reason.name(), n));
        return m;
    }

    record Connection(ConnectionMetrics m) implements ConnectionInfo {
        @Override public String getEndpoint() { return m.endpoint(); }
        @Override public String getTransport() { return m.transport(); }
        @Override public String getDirection() { return m.direction().name(); }
        @Override public String getState() { return m.state().name(); }
        @Override public String getRemoteAddress() { return m.remoteAddress(); }
        @Override public String getMechanism() { return m.mechanism(); }
        @Override public String getPeerType() { return m.peerType(); }
        @Override public long getConnects() { return m.connects(); }
        @Override public long getDisconnects() { return m.disconnects(); }
        @Override public long getConnectRetries() { return m.connectRetries(); }
        @Override public int getBackoffMillis() { return m.backoffMillis(); }
        @Override public long getHandshakeFailures() { return m.handshakeFailures(); }
        @Override public long getHeartbeatTimeouts() { return m.heartbeatTimeouts(); }
        @Override public Date getLastActivity() { return m.lastActivity() == null ? null : Date.from(m.lastActivity()); }
        @Override public long getBytesIn() { return m.bytesIn(); }
        @Override public long getBytesOut() { return m.bytesOut(); }
        @Override public long getQueuedOut() { return m.queuedOut(); }
        @Override public int getSendHwm() { return m.sendHwm(); }
        @Override public long getQueuedIn() { return m.queuedIn(); }
        @Override public int getReceiveHwm() { return m.receiveHwm(); }
    }

    record IoThread(IoThreadMetrics m) implements IoThreadInfo {
        @Override public String getName() { return m.name(); }
        @Override public double getBusyRatio() { return m.busyRatio(); }
        @Override public double getBusySeconds() { return seconds(m.busy()); }
        @Override public double getUptimeSeconds() { return seconds(m.uptime()); }
        @Override public long getWakeups() { return m.wakeups(); }
        @Override public int getConnections() { return m.connections(); }
    }

    record Component(ComponentMetrics m) implements ComponentInfo {
        @Override public String getKind() { return m.kind(); }
        @Override public String getName() { return m.name(); }
        @Override public MeasurementInfo[] getMeasurements() {
            return m.measurements().stream().map(Views.MeasurementView::new).toArray(MeasurementInfo[]::new);
        }
    }

    record MeasurementView(Measurement m) implements MeasurementInfo {
        @Override public String getName() { return m.name(); }
        @Override public String getHelp() { return m.help(); }
        @Override public String getKind() { return m.kind().name(); }
        @Override public Map<String, String> getLabels() { return m.labels(); }
        @Override public double getValue() { return m.value(); }
    }
}
