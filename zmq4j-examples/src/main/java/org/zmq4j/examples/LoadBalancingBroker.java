package org.zmq4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Proxy;
import org.zmq4j.ProxyHandle;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;

/**
 * A shared queue (request-reply broker): REQ clients and REP workers never see each other; they
 * all connect to a broker in the middle, a ROUTER frontend for the clients and a DEALER backend
 * for the workers, joined by {@link Proxy}.
 * <p>
 * The ROUTER prefixes each request with the routing id of the client it came from; the DEALER
 * passes it on to the next worker in turn; the REP worker sends its reply back with the same
 * envelope, and the ROUTER uses the routing id to return it to the right client. Clients and
 * workers can come and go without knowing about each other; only the broker's address is fixed.
 * The proxy runs on its own thread and stops on a TERMINATE command sent to its control socket.
 */
public final class LoadBalancingBroker {
    private static final int CLIENTS = 4;
    private static final int WORKERS = 3;
    private static final int REQUESTS_PER_CLIENT = 3;
    private static final int TIMEOUT_MS = 5_000;
    private static final String CONTROL = "inproc://broker-control";

    private LoadBalancingBroker() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        try (Context context = new Context();
             Socket frontend = context.socket(SocketType.ROUTER);
             Socket backend = context.socket(SocketType.DEALER);
             Socket control = context.socket(SocketType.PAIR);
             Socket controller = context.socket(SocketType.PAIR)) {
            frontend.bind("tcp://127.0.0.1:*");
            backend.bind("tcp://127.0.0.1:*");
            String clientsEndpoint = frontend.lastEndpoint();
            String workersEndpoint = backend.lastEndpoint();
            control.bind(CONTROL);
            controller.connect(CONTROL);
            System.out.println("Broker: clients connect to " + clientsEndpoint + ", workers to " + workersEndpoint);

            // The four sockets now belong to the proxy thread until it ends.
            ProxyHandle broker = Proxy.start(frontend, backend, null, control);

            for (int i = 1; i <= WORKERS; i++) {
                String name = "worker-" + i;
                Thread worker = new Thread(() -> work(context, name, workersEndpoint), name);
                workers.add(worker);
                worker.start();
            }

            AtomicInteger replies = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            for (int i = 1; i <= CLIENTS; i++) {
                String name = "client-" + i;
                Thread client = new Thread(() -> request(context, name, clientsEndpoint, replies), name);
                clients.add(client);
                client.start();
            }
            for (Thread client : clients) {
                client.join();
            }
            System.out.println("All clients done: " + replies.get() + " of " + CLIENTS * REQUESTS_PER_CLIENT
                    + " requests answered through the broker");

            controller.send("TERMINATE");
            if (!broker.await(TIMEOUT_MS)) {
                throw new IllegalStateException("the broker did not stop within " + TIMEOUT_MS + " ms");
            }
            System.out.println("Broker stopped");
        } // closing the context makes the workers' recv throw ETERM
        for (Thread worker : workers) {
            worker.join();
        }
    }

    private static void request(Context context, String name, String endpoint, AtomicInteger replies) {
        try (Socket client = context.socket(SocketType.REQ)) {
            client.setOption(Option.RCVTIMEO, TIMEOUT_MS);
            client.connect(endpoint);
            for (int i = 1; i <= REQUESTS_PER_CLIENT; i++) {
                client.send(name + " request " + i);
                String reply = client.recvString();
                if (reply == null) {
                    System.out.println(name + ": no reply within " + TIMEOUT_MS + " ms");
                    return;
                }
                System.out.println(name + " got: " + reply);
                replies.incrementAndGet();
            }
        }
    }

    private static void work(Context context, String name, String endpoint) {
        try (Socket worker = context.socket(SocketType.REP)) {
            worker.connect(endpoint);
            while (true) {
                String request = worker.recvString();
                worker.send("reply to '" + request + "' from " + name);
            }
        } catch (ZmqException e) {
            if (e.errno() != ZmqException.Errno.ETERM) {
                throw e;
            }
        }
    }
}
