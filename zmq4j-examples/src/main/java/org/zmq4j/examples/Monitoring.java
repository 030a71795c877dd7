package org.zmq4j.examples;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.zmq4j.Context;
import org.zmq4j.MonitorHandle;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketType;

/**
 * Watching connections: {@link Socket#addMonitor} reports what happens underneath a socket
 * (listening, connecting, handshakes, disconnections) as {@link SocketEvent}s, the events of
 * libzmq's {@code zmq_socket_monitor}.
 * <p>
 * A server and a client each get a monitor; the client connects, exchanges one request and reply,
 * and closes; then the server unbinds. The listener runs on zmq4j's threads and must return
 * quickly, so it only queues the events; the main thread prints them. Events of the two sockets
 * come from different threads, so their relative order may vary from run to run.
 */
public final class Monitoring {
    private static final int TIMEOUT_MS = 5_000;

    private Monitoring() {
    }

    public static void main(String[] args) throws InterruptedException {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (Context context = new Context();
             Socket server = context.socket(SocketType.REP);
             MonitorHandle serverMonitor = server.addMonitor(e -> events.add("server: " + describe(e)), SocketEvent.ALL)) {
            server.setOption(Option.RCVTIMEO, TIMEOUT_MS);
            server.bind("tcp://127.0.0.1:*");
            String endpoint = server.lastEndpoint();
            await(events, "server: LISTENING");

            try (Socket client = context.socket(SocketType.REQ);
                 MonitorHandle clientMonitor = client.addMonitor(e -> events.add("client: " + describe(e)), SocketEvent.ALL)) {
                client.setOption(Option.RCVTIMEO, TIMEOUT_MS);
                client.connect(endpoint);
                client.send("ping");
                server.recv();
                server.send("pong");
                System.out.println("Client got " + client.recvString());
                await(events, "client: HANDSHAKE_SUCCEEDED", "server: HANDSHAKE_SUCCEEDED");
            }
            await(events, "server: DISCONNECTED"); // the client closed its connection

            server.unbind(endpoint);
            await(events, "server: CLOSED");
        }
        events.forEach(System.out::println); // whatever came after
    }

    private static String describe(SocketEvent e) {
        String where = e.endpoint().isEmpty() ? "" : " " + e.endpoint();
        return e.type() + where + " (value " + e.value() + (e.reason().isEmpty() ? "" : ", " + e.reason()) + ")";
    }

    /** Prints events as they come until, for each prefix, one started with it; fails after the timeout. */
    private static void await(BlockingQueue<String> events, String... prefixes) throws InterruptedException {
        Set<String> missing = new HashSet<>(List.of(prefixes));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (!missing.isEmpty()) {
            String event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (event == null) {
                throw new IllegalStateException("no " + missing + " event within " + TIMEOUT_MS + " ms");
            }
            System.out.println(event);
            missing.removeIf(event::startsWith);
        }
    }
}
