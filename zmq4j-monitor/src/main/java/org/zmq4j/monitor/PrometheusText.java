package org.zmq4j.monitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import org.zmq4j.ComponentMetrics;
import org.zmq4j.ConnectionMetrics;
import org.zmq4j.ContextMetrics;
import org.zmq4j.HandshakeFailureReason;
import org.zmq4j.IoThreadMetrics;
import org.zmq4j.Measurement;
import org.zmq4j.SocketMetrics;

/**
 * A Context's metrics in Prometheus' text exposition format (version 0.0.4), as {@code /metrics}
 * serves them. Names follow Prometheus' conventions: {@code zmq4j_} first, base units (seconds,
 * bytes), counters ending in {@code _total}; sockets are told apart by {@code socket_id} and
 * {@code socket_type}, connections also by {@code endpoint}, {@code remote} and {@code direction}.
 * A component's measurements become {@code zmq4j_<kind>_<name>} with a {@code component} label.
 * The output passes {@code promtool check metrics}.
 *
 * <p>Thread-safety: stateless; thread-safe.
 */
public final class PrometheusText {
    /** The content type of the format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    /** One metric family: its samples are written together under one HELP and TYPE. */
    private static final class Family {
        final String name;
        final String help;
        final String type;
        final List<String> samples = new ArrayList<>();

        Family(String name, String help, String type) {
            this.name = name;
            this.help = help;
            this.type = type;
        }
    }

    private final static class Families {
        private final Map<String, Family> byName = new LinkedHashMap<>();

        void add(String name, String help, String type, Map<String, String> labels, double value) {
            Family f = byName.computeIfAbsent(name, n -> new Family(n, help, type));
            if (!f.type.equals(type)) {
                return; // two sources disagree on a name's type: the first one wins
            }
            StringBuilder b = new StringBuilder(name);
            if (!labels.isEmpty()) {
                b.append('{');
                boolean first = true;
                for (Map.Entry<String, String> l : labels.entrySet()) {
                    if (!first) {
                        b.append(',');
                    }
                    first = false;
                    b.append(l.getKey()).append("=\"");
                    escape(b, l.getValue(), true);
                    b.append('"');
                }
                b.append('}');
            }
            b.append(' ').append(number(value));
            f.samples.add(b.toString());
        }

        String render() {
            StringBuilder out = new StringBuilder(8192);
            for (Family f : byName.values()) {
                out.append("# HELP ").append(f.name).append(' ');
                escape(out, f.help, false);
                out.append('\n').append("# TYPE ").append(f.name).append(' ').append(f.type).append('\n');
                for (String s : f.samples) {
                    out.append(s).append('\n');
                }
            }
            return out.toString();
        }
    }

    /**
     * Renders the metrics.
     *
     * @param metrics the snapshot
     * @return the exposition text
     */
    public static String render(ContextMetrics metrics) {
        return render(metrics, true);
    }

    /**
     * Renders the metrics, with or without the per-connection series (one set per connection,
     * labeled by endpoint, remote address and direction: a broker with thousands of peers may want
     * the socket-level series only).
     *
     * @param metrics     the snapshot
     * @param connections whether to include the {@code zmq4j_connection_*} series
     * @return the exposition text
     */
    public static String render(ContextMetrics metrics, boolean connections) {
        Families fs = new Families();
        fs.add("zmq4j_sockets", "Open sockets", "gauge", Map.of(), metrics.sockets().size());
        fs.add("zmq4j_connections", "Connections of every socket (tcp, ipc, inproc peers)", "gauge", Map.of(), metrics.connections());
        fs.add("zmq4j_io_threads", "I/O threads of the Context", "gauge", Map.of(), metrics.ioThreads());
        for (IoThreadMetrics t : metrics.ioThreadLoad()) {
            Map<String, String> l = Map.of("thread", t.name());
            fs.add("zmq4j_io_thread_busy_seconds_total", "Time the I/O thread spent working rather than waiting", "counter", l,
                    t.busy().toNanos() / 1e9);
            fs.add("zmq4j_io_thread_wakeups_total", "Times the I/O thread came out of its selector", "counter", l, t.wakeups());
            fs.add("zmq4j_io_thread_connections", "Connections the I/O thread serves", "gauge", l, t.connections());
        }
        for (SocketMetrics s : metrics.sockets()) {
            socket(fs, s);
        }
        for (SocketMetrics s : connections ? metrics.sockets() : List.<SocketMetrics>of()) {
            for (ConnectionMetrics c : s.connections()) {
                connection(fs, s, c);
            }
        }
        for (ComponentMetrics c : metrics.components()) {
            for (Measurement m : c.measurements()) {
                Map<String, String> l = new LinkedHashMap<>();
                l.put("component", c.name());
                for (Map.Entry<String, String> e : m.labels().entrySet()) {
                    if (!e.getKey().equals("component") && e.getKey().matches("[a-zA-Z_][a-zA-Z0-9_]*") && !e.getKey().startsWith("__")) {
                        l.put(e.getKey(), e.getValue());
                    }
                }
                fs.add("zmq4j_" + c.kind() + "_" + m.name(), m.help(), m.kind() == Measurement.Kind.COUNTER ? "counter" : "gauge", l,
                        m.value());
            }
        }
        return fs.render();
    }

    private static Map<String, String> socketLabels(SocketMetrics s) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("socket_id", Integer.toString(s.id()));
        l.put("socket_type", s.type().name());
        return l;
    }

    private static void socket(Families fs, SocketMetrics s) {
        Map<String, String> l = socketLabels(s);
        counter(fs, "zmq4j_socket_sent_messages_total", "Whole messages the socket sent", l, s, SocketMetrics::messagesSent);
        counter(fs, "zmq4j_socket_received_messages_total", "Whole messages the socket received", l, s, SocketMetrics::messagesReceived);
        counter(fs, "zmq4j_socket_sent_bytes_total", "Payload bytes the socket sent (all frames)", l, s, SocketMetrics::bytesSent);
        counter(fs, "zmq4j_socket_received_bytes_total", "Payload bytes the socket received (all frames)", l, s,
                SocketMetrics::bytesReceived);
        counter(fs, "zmq4j_socket_hwm_dropped_messages_total", "Message copies dropped because a peer's queue was at SNDHWM", l, s,
                SocketMetrics::droppedAtHwm);
        counter(fs, "zmq4j_socket_unroutable_messages_total", "ROUTER messages for an unknown routing id, dropped", l, s,
                SocketMetrics::unroutable);
        counter(fs, "zmq4j_socket_send_would_block_total", "Sends that returned EAGAIN", l, s, SocketMetrics::sendWouldBlock);
        counter(fs, "zmq4j_socket_receive_would_block_total", "Receives that returned EAGAIN", l, s, SocketMetrics::receiveWouldBlock);
        counter(fs, "zmq4j_socket_send_blocked_seconds_total", "Time sends spent waiting for room", l, s,
                m -> m.sendBlocked().toNanos() / 1e9);
        gauge(fs, "zmq4j_socket_peers", "Peers attached to the socket", l, s.peers());
        gauge(fs, "zmq4j_socket_send_hwm_messages", "The socket's SNDHWM (0: none)", l, s.sendHwm());
        gauge(fs, "zmq4j_socket_receive_hwm_messages", "The socket's RCVHWM (0: none)", l, s.receiveHwm());
        gauge(fs, "zmq4j_socket_queued_out_messages", "Messages queued for the socket's peers, not yet taken by a connection", l,
                s.queuedOut());
        gauge(fs, "zmq4j_socket_queued_in_messages", "Messages received from peers, not yet read by the application", l, s.queuedIn());
        gauge(fs, "zmq4j_socket_connections", "The socket's connections now", l, s.connections().size());
        counter(fs, "zmq4j_socket_connects_total", "Connections made by connect(), reconnects included", l, s,
                m -> m.events().connected());
        counter(fs, "zmq4j_socket_accepts_total", "Connections accepted on bound endpoints", l, s, m -> m.events().accepted());
        counter(fs, "zmq4j_socket_disconnects_total", "Connections lost or closed", l, s, m -> m.events().disconnected());
        counter(fs, "zmq4j_socket_connect_retries_total", "Reconnects scheduled", l, s, m -> m.events().connectRetries());
        counter(fs, "zmq4j_socket_heartbeat_timeouts_total", "Connections dropped because heartbeats went unanswered", l, s,
                m -> m.events().heartbeatTimeouts());
        for (Map.Entry<HandshakeFailureReason, Long> f : s.events().handshakeFailures().entrySet()) {
            Map<String, String> fl = new LinkedHashMap<>(l);
            fl.put("reason", f.getKey().name().toLowerCase(java.util.Locale.ROOT));
            fs.add("zmq4j_socket_handshake_failures_total", "Failed ZMTP handshakes by reason", "counter", fl, f.getValue());
        }
    }

    private static void counter(Families fs, String name, String help, Map<String, String> labels, SocketMetrics s,
                                ToDoubleFunction<SocketMetrics> value) {
        fs.add(name, help, "counter", labels, value.applyAsDouble(s));
    }

    private static void gauge(Families fs, String name, String help, Map<String, String> labels, double value) {
        fs.add(name, help, "gauge", labels, value);
    }

    private static void connection(Families fs, SocketMetrics s, ConnectionMetrics c) {
        Map<String, String> l = socketLabels(s);
        l.put("endpoint", c.endpoint());
        l.put("remote", c.remoteAddress());
        l.put("direction", c.direction().name().toLowerCase(java.util.Locale.ROOT));
        gauge(fs, "zmq4j_connection_queued_out_messages", "Messages queued for this peer, not yet taken by its connection", l,
                c.queuedOut());
        gauge(fs, "zmq4j_connection_send_hwm_messages", "The limit of that queue (0: none)", l, c.sendHwm());
        gauge(fs, "zmq4j_connection_queued_in_messages", "Messages from this peer the application has not read", l, c.queuedIn());
        gauge(fs, "zmq4j_connection_receive_hwm_messages", "The limit of that queue (0: none)", l, c.receiveHwm());
        fs.add("zmq4j_connection_received_bytes_total", "Bytes read from the connection, framing included", "counter", l, c.bytesIn());
        fs.add("zmq4j_connection_sent_bytes_total", "Bytes written to the connection, framing included", "counter", l, c.bytesOut());
        fs.add("zmq4j_connection_connects_total", "Connections made on this slot (reconnects included)", "counter", l, c.connects());
        fs.add("zmq4j_connection_disconnects_total", "Connections lost on this slot", "counter", l, c.disconnects());
        gauge(fs, "zmq4j_connection_reconnect_backoff_seconds", "What the next reconnect waits", l, c.backoffMillis() / 1000.0);
        gauge(fs, "zmq4j_connection_last_activity_timestamp_seconds", "When bytes last went in or out (Unix time)", l,
                c.lastActivity().toEpochMilli() / 1000.0);
        for (ConnectionMetrics.State st : ConnectionMetrics.State.values()) {
            Map<String, String> sl = new LinkedHashMap<>(l);
            sl.put("state", st.name().toLowerCase(java.util.Locale.ROOT));
            gauge(fs, "zmq4j_connection_state", "1 for the state the connection is in, 0 for the others", sl, c.state() == st ? 1 : 0);
        }
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static void escape(StringBuilder b, String s, boolean quote) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                b.append("\\\\");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '"' && quote) {
                b.append("\\\"");
            } else {
                b.append(c);
            }
        }
    }
}
