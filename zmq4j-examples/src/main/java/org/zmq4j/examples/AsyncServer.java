package org.zmq4j.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.zmq4j.Context;
import org.zmq4j.ContextConfig;
import org.zmq4j.Multipart;
import org.zmq4j.Option;
import org.zmq4j.Proxy;
import org.zmq4j.ProxyHandle;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * An asynchronous ROUTER/DEALER server (the zguide's {@code asyncsrv}) with whole messages: three
 * DEALER clients send requests without waiting for replies; the server's ROUTER frontend hands
 * them, through a proxy, to two DEALER workers on inproc; a worker gets {@code [client id,
 * request]} as one {@link Multipart}, answers with as many replies as it likes under the same id,
 * and the ROUTER routes each back. No frame-by-frame loops anywhere.
 */
public final class AsyncServer {
    private static final int CLIENTS = 3;
    private static final int REQUESTS = 4;

    private AsyncServer() {
    }

    public static void main(String[] args) throws Exception {
        try (Context ctx = new Context(ContextConfig.builder().linger(Duration.ZERO).build());
             Socket frontend = ctx.socket(SocketType.ROUTER);
             Socket backend = ctx.socket(SocketType.DEALER)) {
            frontend.bind("tcp://127.0.0.1:*");
            backend.bind("inproc://async-workers");
            ProxyHandle proxy = Proxy.start(frontend, backend, null, null);
            List<Thread> threads = new ArrayList<>();
            for (int w = 1; w <= 2; w++) {
                String name = "worker-" + w;
                threads.add(start(name, () -> work(ctx, name)));
            }
            List<Thread> clients = new ArrayList<>();
            for (int c = 1; c <= CLIENTS; c++) {
                String name = "client-" + c;
                clients.add(start(name, () -> ask(ctx, name, frontend.lastEndpoint())));
            }
            for (Thread t : clients) {
                t.join();
            }
            proxy.close();
            System.out.println("all clients answered");
        } // the context closing ends the workers' recv with ETERM
    }

    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.start();
        return t;
    }

    /** Sends all requests first, then collects the replies, two per request. */
    private static void ask(Context ctx, String name, String endpoint) {
        try (Socket client = ctx.socket(SocketType.DEALER)) {
            client.setOption(Option.ROUTING_ID, name.getBytes());
            client.setOption(Option.RCVTIMEO, 5_000);
            client.connect(endpoint);
            for (int i = 1; i <= REQUESTS; i++) {
                client.send(Multipart.of("request " + i, "from " + name));
            }
            int replies = 0;
            while (replies < 2 * REQUESTS) {
                Multipart reply = client.recvMultipart();
                if (reply == null) {
                    throw new IllegalStateException(name + " missed replies: " + replies + " of " + 2 * REQUESTS);
                }
                replies++;
            }
            System.out.println(name + " got " + replies + " replies");
        }
    }

    /** [client id, request frames...] in, two replies out under the same id. */
    private static void work(Context ctx, String name) {
        try (Socket worker = ctx.socket(SocketType.DEALER)) {
            worker.connect("inproc://async-workers");
            while (true) {
                Multipart request = worker.recvMultipart();
                byte[] client = request.pop();
                String text = request.string(0);
                worker.send(Multipart.of("ack of " + text, "by " + name).push(client));
                worker.send(Multipart.of("done: " + text.toUpperCase(java.util.Locale.ROOT)).push(client));
            }
        } catch (org.zmq4j.ZmqException e) {
            if (e.errno() != org.zmq4j.ZmqException.Errno.ETERM) {
                throw e;
            }
        }
    }
}
