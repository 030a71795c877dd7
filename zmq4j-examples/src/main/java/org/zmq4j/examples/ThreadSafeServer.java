package org.zmq4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.zmq4j.Context;
import org.zmq4j.Message;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * Thread-safe sockets: one SERVER socket is served by three threads at once, answering four
 * CLIENT sockets.
 * <p>
 * SERVER and CLIENT (libzmq's draft types, stable in zmq4j) may be used by many threads
 * concurrently, unlike the classic types. Their messages are single frames; instead of an envelope,
 * each message received by the SERVER carries the {@link Message#routingId()} of the client it
 * came from, and a reply goes back to that client by setting the same id
 * ({@link Message#withRoutingId(int)}). Any server thread may answer any client. The serving
 * threads stop on a "STOP" message: each thread takes one message at a time, so three STOPs stop
 * all three.
 */
public final class ThreadSafeServer {
    private static final int SERVING_THREADS = 3;
    private static final int CLIENTS = 4;
    private static final int REQUESTS_PER_CLIENT = 3;
    private static final int TIMEOUT_MS = 5_000;

    private ThreadSafeServer() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (Context context = new Context();
             Socket server = context.socket(SocketType.SERVER)) {
            server.setOption(Option.RCVTIMEO, TIMEOUT_MS);
            server.bind("tcp://127.0.0.1:*");
            String endpoint = server.lastEndpoint();

            Map<String, Integer> servedBy = new ConcurrentHashMap<>();
            List<Thread> servers = new ArrayList<>();
            for (int i = 1; i <= SERVING_THREADS; i++) {
                Thread t = new Thread(() -> serve(server, servedBy), "server-thread-" + i);
                servers.add(t);
                t.start(); // all of them share the one socket
            }

            AtomicInteger replies = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            for (int i = 1; i <= CLIENTS; i++) {
                String name = "client-" + i;
                Thread t = new Thread(() -> request(context, name, endpoint, replies), name);
                clients.add(t);
                t.start();
            }
            for (Thread t : clients) {
                t.join();
            }

            try (Socket stopper = context.socket(SocketType.CLIENT)) {
                stopper.connect(endpoint);
                for (int i = 0; i < SERVING_THREADS; i++) {
                    stopper.send(Message.of("STOP"));
                }
                for (Thread t : servers) {
                    t.join(TIMEOUT_MS);
                }
            }
            System.out.println(replies.get() + " of " + CLIENTS * REQUESTS_PER_CLIENT + " requests answered by "
                    + SERVING_THREADS + " threads sharing one SERVER socket; requests per thread: " + new TreeMap<>(servedBy));
        }
    }

    private static void serve(Socket server, Map<String, Integer> servedBy) {
        String me = Thread.currentThread().getName();
        while (true) {
            Message request = server.recvMessage();
            if (request == null || request.text().equals("STOP")) {
                return;
            }
            servedBy.merge(me, 1, Integer::sum);
            String reply = "'" + request.text() + "' (routing id " + Integer.toUnsignedString(request.routingId())
                    + ") answered by " + me;
            server.send(Message.of(reply).withRoutingId(request.routingId()));
        }
    }

    private static void request(Context context, String name, String endpoint, AtomicInteger replies) {
        try (Socket client = context.socket(SocketType.CLIENT)) {
            client.setOption(Option.RCVTIMEO, TIMEOUT_MS);
            client.connect(endpoint);
            for (int i = 1; i <= REQUESTS_PER_CLIENT; i++) {
                client.send(Message.of(name + " request " + i));
                Message reply = client.recvMessage();
                if (reply == null) {
                    System.out.println(name + ": no reply within " + TIMEOUT_MS + " ms");
                    return;
                }
                System.out.println(name + " got: " + reply.text());
                replies.incrementAndGet();
            }
        }
    }
}
