package org.zmq4j.tools.monitor;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code zmq4j top} prints for one snapshot of a monitor's JSON API: a header, the I/O
 * threads, a table of sockets (rates from the previous snapshot), each socket's connections with
 * their queues against the HWMs, the components, and the latest events. Sans-IO: it turns parsed
 * JSON into text.
 *
 * <p>Thread-safety: not thread-safe (it remembers the previous snapshot).
 */
final class TopView {
    private static final int EVENTS_SHOWN = 8;

    /** Per socket id: {time ms, messages in, messages out, bytes in, bytes out}. */
    private Map<Long, double[]> previous = new HashMap<>();
    /** Per I/O thread: {busy s, uptime s}. */
    private Map<String, double[]> previousThreads = new HashMap<>();
    private boolean shownOnce;
    private final java.util.ArrayDeque<String> events = new java.util.ArrayDeque<>();
    private long lastEvent;

    boolean shownOnce() {
        return shownOnce;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> obj(Object o) {
        return o instanceof Map ? (Map<String, Object>) o : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o instanceof List ? (List<Object>) o : List.of();
    }

    private static double num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Double d ? d : 0;
    }

    private static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : v.toString();
    }

    /**
     * The screen for one snapshot.
     *
     * @param document the parsed {@code /api/metrics} document
     * @param source   where it came from (shown in the header)
     * @return the text, lines ending in newlines
     */
    String render(Object document, String source) {
        Map<String, Object> doc = obj(document);
        StringBuilder b = new StringBuilder();
        double now = num(doc, "time");
        Map<String, Object> process = obj(doc.get("process"));
        List<Object> sockets = list(doc.get("sockets"));
        int connections = 0;
        for (Object s : sockets) {
            connections += list(obj(s).get("connections")).size();
        }
        b.append(String.format(Locale.ROOT, "zmq4j top - %s (pid %d), up %s - %s - %d sockets, %d connections%n",
                str(process, "name"), (long) num(process, "pid"), uptime(num(process, "uptimeSeconds")), source, sockets.size(),
                connections));
        Map<String, double[]> threads = new HashMap<>();
        b.append("I/O threads:");
        for (Object o : list(doc.get("ioThreads"))) {
            Map<String, Object> t = obj(o);
            String name = str(t, "name");
            double busy = num(t, "busySeconds");
            double up = num(t, "uptimeSeconds");
            threads.put(name, new double[] {busy, up});
            double[] before = previousThreads.get(name);
            double ratio = before != null && up > before[1] ? (busy - before[0]) / (up - before[1]) : (up > 0 ? busy / up : 0);
            b.append(String.format(Locale.ROOT, "  %s %3.0f%% busy, %d conn", name, Math.max(0, Math.min(1, ratio)) * 100,
                    (long) num(t, "connections")));
        }
        b.append('\n');
        previousThreads = threads;
        b.append('\n');
        b.append(String.format(Locale.ROOT, "%4s %-7s %5s %9s %9s %10s %10s %11s %11s %8s %12s %12s  %s%n", "ID", "TYPE", "PEERS",
                "MSG/S IN", "MSG/S OUT", "MSGS IN", "MSGS OUT", "BYTES/S IN", "BYTES/S OUT", "DROPPED", "QUEUE OUT", "QUEUE IN",
                "ENDPOINTS"));
        Map<Long, double[]> seen = new HashMap<>();
        for (Object o : sockets) {
            Map<String, Object> s = obj(o);
            long id = (long) num(s, "id");
            double[] cur = {now, num(s, "messagesReceived"), num(s, "messagesSent"), num(s, "bytesReceived"), num(s, "bytesSent")};
            seen.put(id, cur);
            double[] before = previous.get(id);
            String[] rates = new String[4];
            for (int i = 0; i < 4; i++) {
                rates[i] = before == null || cur[0] <= before[0] ? "-"
                        : human((cur[i + 1] - before[i + 1]) * 1000 / (cur[0] - before[0]));
            }
            b.append(String.format(Locale.ROOT, "%4d %-7s %5d %9s %9s %10s %10s %11s %11s %8s %12s %12s  %s%n", id, str(s, "type"),
                    (long) num(s, "peers"), rates[0], rates[1], human(cur[1]), human(cur[2]), rates[2], rates[3],
                    human(num(s, "droppedAtHwm")), queue(num(s, "queuedOut"), num(s, "sendHwm")),
                    queue(num(s, "queuedIn"), num(s, "receiveHwm")), String.join(" ", list(s.get("endpoints")).stream()
                            .map(Object::toString).toList())));
            for (Object co : list(s.get("connections"))) {
                Map<String, Object> c = obj(co);
                double idle = Math.max(0, (now - num(c, "lastActivity")) / 1000);
                b.append(String.format(Locale.ROOT, "       %-6s %-21s %-6s %-20s %-7s %-6s out %-10s %s in %-10s %s  last %s ago%s%n",
                        str(c, "direction").toLowerCase(Locale.ROOT), str(c, "remoteAddress").isEmpty() ? str(c, "endpoint")
                                : str(c, "remoteAddress"), str(c, "transport"), str(c, "state"), str(c, "peerType"),
                        str(c, "mechanism"), queue(num(c, "queuedOut"), num(c, "sendHwm")), bar(num(c, "queuedOut"), num(c, "sendHwm")),
                        queue(num(c, "queuedIn"), num(c, "receiveHwm")), bar(num(c, "queuedIn"), num(c, "receiveHwm")),
                        seconds(idle), num(c, "connectRetries") > 0
                                ? String.format(Locale.ROOT, ", %d retries, backoff %d ms", (long) num(c, "connectRetries"),
                                        (long) num(c, "backoffMillis")) : ""));
            }
        }
        previous = seen;
        components(b, list(doc.get("components")));
        shownOnce = true;
        return b.toString();
    }

    private static void components(StringBuilder b, List<Object> components) {
        for (Object o : components) {
            Map<String, Object> c = obj(o);
            b.append('\n').append(str(c, "kind")).append(' ').append(str(c, "name")).append(':');
            Map<String, StringBuilder> rows = new java.util.LinkedHashMap<>();
            for (Object mo : list(c.get("measurements"))) {
                Map<String, Object> m = obj(mo);
                Map<String, Object> labels = obj(m.get("labels"));
                String value = human(num(m, "value"));
                if (labels.isEmpty()) {
                    b.append(' ').append(str(m, "name")).append('=').append(value);
                } else {
                    StringBuilder key = new StringBuilder();
                    labels.forEach((k, v) -> key.append(k).append('=').append(v).append(' '));
                    rows.computeIfAbsent(key.toString().trim(), k -> new StringBuilder()).append(' ').append(str(m, "name"))
                            .append('=').append(value);
                }
            }
            b.append('\n');
            rows.forEach((k, v) -> b.append("    ").append(k).append(':').append(v).append('\n'));
        }
    }

    /**
     * Adds events of the {@code /api/events} document to the list shown under the table.
     *
     * @param document the parsed document
     */
    void addEvents(Object document) {
        for (Object o : list(obj(document).get("events"))) {
            Map<String, Object> e = obj(o);
            long seq = (long) num(e, "sequence");
            if (seq <= lastEvent) {
                continue;
            }
            lastEvent = seq;
            String time = java.time.format.DateTimeFormatter.ISO_LOCAL_TIME.withZone(java.time.ZoneId.systemDefault())
                    .format(java.time.Instant.ofEpochMilli((long) num(e, "time"))).replaceAll("\\.\\d+$", "");
            events.addFirst(String.format(Locale.ROOT, "  %s #%d %-6s %-22s %s  %s", time, (long) num(e, "socketId"), str(e, "socketType"),
                    str(e, "type"), str(e, "endpoint"), str(e, "reason")));
            while (events.size() > EVENTS_SHOWN) {
                events.removeLast();
            }
        }
    }

    /** The recent events, newest first (empty when none were added). */
    String eventsText() {
        if (events.isEmpty()) {
            return "";
        }
        return "\nRecent events:\n" + String.join("\n", events) + "\n";
    }

    long lastEvent() {
        return lastEvent;
    }

    private static String queue(double queued, double hwm) {
        return hwm > 0 ? String.format(Locale.ROOT, "%s/%s", human(queued), human(hwm)) : human(queued) + "/-";
    }

    /** A bar of 8 cells: how full a queue is against its HWM ([########] when full). */
    private static String bar(double queued, double hwm) {
        int cells = hwm > 0 ? (int) Math.round(Math.min(1, queued / hwm) * 8) : 0;
        return "[" + "#".repeat(cells) + ".".repeat(8 - cells) + "]";
    }

    static String human(double v) {
        double a = Math.abs(v);
        if (a < 1000) {
            return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
        }
        String[] units = {"k", "M", "G", "T"};
        int u = -1;
        while (a >= 1000 && u < units.length - 1) {
            a /= 1000;
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f%s", v, units[u]);
    }

    private static String seconds(double s) {
        return s < 10 ? String.format(Locale.ROOT, "%.1fs", s) : String.format(Locale.ROOT, "%.0fs", s);
    }

    private static String uptime(double seconds) {
        long s = (long) seconds;
        return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
