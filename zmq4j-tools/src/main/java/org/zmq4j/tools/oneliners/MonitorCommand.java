package org.zmq4j.tools.oneliners;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.zmq4j.Context;
import org.zmq4j.Socket;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketType;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code zmq4j monitor}: opens a socket and prints its monitor events as they happen, one line
 * each, like a live {@code zmq_socket_monitor}. Thread-safety: a picocli command, run once on one
 * thread; events arrive on zmq4j's threads through a queue.
 */
@Command(name = "monitor",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        header = "Opens a socket and prints its monitor events as they happen (a live zmq_socket_monitor).",
        description = {
            "Opens a socket (DEALER unless --type), binds and/or connects it and prints each of its monitor events"
                    + " on standard output, one line each, fields separated by tabs: the event (libzmq's name without"
                    + " ZMQ_EVENT_, e.g. CONNECTED, HANDSHAKE_SUCCEEDED, DISCONNECTED), the endpoint, the value"
                    + " (a connection number, an errno, a reconnect interval in ms, a ZAP status or protocol error"
                    + " code), and the reason.",
            "Messages that arrive on the socket are not read. Runs until --count events were printed, a"
                    + " SIGINT/SIGTERM (exit 0), or --timeout passed without an event (exit 3)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:--count events printed, or stopped by SIGINT/SIGTERM", ExitCodes.FAILURE_LINE,
            ExitCodes.USAGE_LINE, "3:timed out: no event within --timeout"})
public final class MonitorCommand extends SocketCommand {
    @Option(names = "--type", order = 1, paramLabel = "TYPE", defaultValue = "dealer", converter = SocketTypes.class,
            description = "Socket type, libzmq's name in any case (default: ${DEFAULT-VALUE}).")
    SocketType type;

    @Option(names = "--events", order = 4, paramLabel = "NAME", split = ",",
            description = "Print only these events, e.g. --events connected,handshake_succeeded,disconnected"
                    + " (names as printed, any case; default: all).")
    List<String> eventNames = new ArrayList<>();

    @Option(names = "--count", order = 5, paramLabel = "N", defaultValue = "0",
            description = "Exit 0 after N events were printed (default: 0, no end).")
    long count;

    @Option(names = "--timeout", order = 6, paramLabel = "MS", defaultValue = "-1", converter = Millis.class,
            description = "How long to wait for each event; then exit 3 (default: forever).")
    long timeoutMillis;

    private final BlockingQueue<SocketEvent> events = new LinkedBlockingQueue<>();
    private int mask = SocketEvent.ALL;

    /** Used by picocli. */
    public MonitorCommand() {
    }

    @Override
    protected SocketType type() {
        return type;
    }

    @Override
    protected Set<SocketType> allowedTypes() {
        return EnumSet.allOf(SocketType.class);
    }

    @Override
    protected String purpose() {
        return "be monitored";
    }

    @Override
    protected void checkMore() {
        if (count < 0) {
            throw usage("--count must be 0 (no end) or more, got " + count);
        }
        if (eventNames.isEmpty()) {
            return;
        }
        mask = 0;
        for (String name : eventNames) {
            mask |= eventType(name).code();
        }
    }

    private SocketEvent.Type eventType(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        for (String prefix : new String[] {"ZMQ_EVENT_", "EVENT_"}) {
            if (n.startsWith(prefix)) {
                n = n.substring(prefix.length());
            }
        }
        try {
            return SocketEvent.Type.valueOf(n);
        } catch (IllegalArgumentException e) {
            List<String> known = new ArrayList<>();
            for (SocketEvent.Type t : SocketEvent.Type.values()) {
                known.add(t.name().toLowerCase(Locale.ROOT));
            }
            throw usage("--events: unknown event '" + name + "'; one of " + String.join(", ", known));
        }
    }

    @Override
    protected boolean notesHandshakeFailures() {
        return false;
    }

    @Override
    protected void beforeAttach(Socket socket) {
        closeAtEnd(socket.addMonitor(events::add, mask));
    }

    @Override
    protected int execute(Context context) throws Exception {
        open(context, type);
        long printed = 0;
        while (count == 0 || printed < count) {
            SocketEvent e = timeoutMillis < 0 ? events.take() : events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            if (e == null) {
                throw new Timeout("timed out after " + timeoutMillis + " ms without an event on " + endpointList());
            }
            if (e.type() == SocketEvent.Type.MONITOR_STOPPED) {
                continue;
            }
            out().println(e.type().name() + "\t" + e.endpoint() + "\t" + e.value() + "\t" + e.reason());
            out().flush();
            checkOutput();
            printed++;
        }
        return ExitCodes.OK;
    }
}
