package org.zmq4j.monitor;

import java.util.List;
import java.util.Map;

import org.zmq4j.ComponentMetrics;
import org.zmq4j.ConnectionEvents;
import org.zmq4j.ConnectionMetrics;
import org.zmq4j.ContextEvent;
import org.zmq4j.ContextMetrics;
import org.zmq4j.HandshakeFailureReason;
import org.zmq4j.IoThreadMetrics;
import org.zmq4j.Measurement;
import org.zmq4j.SocketMetrics;

/**
 * The JSON API's documents (docs/monitor.md has the schema): a Context's metrics as
 * {@code /api/metrics} serves them, and its recent events. Times are epoch milliseconds,
 * durations seconds.
 *
 * <p>Thread-safety: stateless; thread-safe.
 */
public final class MetricsJson {
    private MetricsJson() {
    }

    /**
     * The {@code /api/metrics} document.
     *
     * @param metrics       the snapshot
     * @param processName   what the page calls the process
     * @param uptimeSeconds how long the process has run
     * @param nowMillis     the snapshot's time
     * @return the document
     */
    public static String metrics(ContextMetrics metrics, String processName, double uptimeSeconds, long nowMillis) {
        Json j = new Json().beginObject();
        j.field("time", nowMillis);
        j.name("process").beginObject().field("name", processName).field("pid", ProcessHandle.current().pid())
                .field("uptimeSeconds", uptimeSeconds).endObject();
        j.name("ioThreads").beginArray();
        for (IoThreadMetrics t : metrics.ioThreadLoad()) {
            j.beginObject().field("name", t.name()).field("busySeconds", seconds(t.busy().toNanos()))
                    .field("uptimeSeconds", seconds(t.uptime().toNanos())).field("wakeups", t.wakeups())
                    .field("connections", t.connections()).endObject();
        }
        j.endArray();
        j.name("sockets").beginArray();
        for (SocketMetrics s : metrics.sockets()) {
            socket(j, s);
        }
        j.endArray();
        j.name("components").beginArray();
        for (ComponentMetrics c : metrics.components()) {
            component(j, c);
        }
        j.endArray();
        return j.endObject().toString();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void socket(Json j, SocketMetrics s) {
        j.beginObject().field("id", s.id()).field("type", s.type().name());
        j.name("endpoints").beginArray();
        for (String e : s.endpoints()) {
            j.value(e);
        }
        j.endArray();
        j.field("peers", s.peers()).field("messagesSent", s.messagesSent()).field("messagesReceived", s.messagesReceived())
                .field("bytesSent", s.bytesSent()).field("bytesReceived", s.bytesReceived()).field("droppedAtHwm", s.droppedAtHwm())
                .field("unroutable", s.unroutable()).field("sendWouldBlock", s.sendWouldBlock())
                .field("receiveWouldBlock", s.receiveWouldBlock()).field("sendBlockedSeconds", seconds(s.sendBlocked().toNanos()))
                .field("sendHwm", s.sendHwm()).field("receiveHwm", s.receiveHwm()).field("queuedOut", s.queuedOut())
                .field("queuedIn", s.queuedIn());
        ConnectionEvents e = s.events();
        j.name("events").beginObject().field("connected", e.connected()).field("accepted", e.accepted())
                .field("disconnected", e.disconnected()).field("connectRetries", e.connectRetries())
                .field("heartbeatTimeouts", e.heartbeatTimeouts());
        j.name("handshakeFailures").beginObject();
        for (Map.Entry<HandshakeFailureReason, Long> f : e.handshakeFailures().entrySet()) {
            j.field(f.getKey().name(), f.getValue());
        }
        j.endObject().endObject();
        j.name("connections").beginArray();
        for (ConnectionMetrics c : s.connections()) {
            j.beginObject();
            connection(j, c);
            j.endObject();
        }
        j.endArray().endObject();
    }

    private static void connection(Json j, ConnectionMetrics c) {
        j.field("endpoint", c.endpoint()).field("transport", c.transport()).field("direction", c.direction().name())
                    .field("state", c.state().name()).field("remoteAddress", c.remoteAddress()).field("mechanism", c.mechanism())
                    .field("peerType", c.peerType()).field("connects", c.connects()).field("disconnects", c.disconnects())
                    .field("connectRetries", c.connectRetries()).field("backoffMillis", c.backoffMillis())
                    .field("handshakeFailures", c.handshakeFailures()).field("heartbeatTimeouts", c.heartbeatTimeouts())
                    .field("lastActivity", c.lastActivity().toEpochMilli()).field("bytesIn", c.bytesIn()).field("bytesOut", c.bytesOut())
                    .field("queuedOut", c.queuedOut()).field("sendHwm", c.sendHwm()).field("queuedIn", c.queuedIn())
                    .field("receiveHwm", c.receiveHwm());
    }

    /**
     * The {@code /api/sockets} document: {@code {"time": ..., "sockets": [...]}}, each socket as in
     * {@link #metrics}.
     *
     * @param metrics   the snapshot
     * @param nowMillis the snapshot's time
     * @return the document
     */
    public static String sockets(ContextMetrics metrics, long nowMillis) {
        Json j = new Json().beginObject().field("time", nowMillis).name("sockets").beginArray();
        for (SocketMetrics s : metrics.sockets()) {
            socket(j, s);
        }
        return j.endArray().endObject().toString();
    }

    /**
     * The {@code /api/connections} document: every socket's connections in one list, each with its
     * socket's {@code socketId} and {@code socketType}.
     *
     * @param metrics   the snapshot
     * @param nowMillis the snapshot's time
     * @return the document
     */
    public static String connections(ContextMetrics metrics, long nowMillis) {
        Json j = new Json().beginObject().field("time", nowMillis).name("connections").beginArray();
        for (SocketMetrics s : metrics.sockets()) {
            for (ConnectionMetrics c : s.connections()) {
                j.beginObject().field("socketId", s.id()).field("socketType", s.type().name());
                connection(j, c);
                j.endObject();
            }
        }
        return j.endArray().endObject().toString();
    }

    private static void component(Json j, ComponentMetrics c) {
        j.beginObject().field("kind", c.kind()).field("name", c.name());
        j.name("measurements").beginArray();
        for (Measurement m : c.measurements()) {
            j.beginObject().field("name", m.name()).field("help", m.help()).field("kind", m.kind().name());
            j.name("labels").beginObject();
            for (Map.Entry<String, String> l : m.labels().entrySet()) {
                j.field(l.getKey(), l.getValue());
            }
            j.endObject().field("value", m.value()).endObject();
        }
        j.endArray().endObject();
    }

    /**
     * The {@code /api/events} document: {@code {"events": [...]}}.
     *
     * @param events the events, oldest first
     * @return the document
     */
    public static String events(List<ContextEvent> events) {
        Json j = new Json().beginObject().name("events").beginArray();
        for (ContextEvent e : events) {
            event(j, e);
        }
        return j.endArray().endObject().toString();
    }

    /**
     * One event as an object (a {@code socket-event} of the stream).
     *
     * @param e the event
     * @return the object
     */
    public static String event(ContextEvent e) {
        Json j = new Json();
        event(j, e);
        return j.toString();
    }

    private static void event(Json j, ContextEvent e) {
        j.beginObject().field("sequence", e.sequence()).field("time", e.time().toEpochMilli()).field("socketId", e.socketId())
                .field("socketType", e.socketType().name()).field("type", e.event().type().name()).field("value", e.event().value())
                .field("endpoint", e.event().endpoint()).field("reason", e.event().reason()).endObject();
    }
}
