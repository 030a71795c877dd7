package org.zmq4j.examples;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * Request-reply: a REQ client sends "Hello" three times over tcp, and a REP server on another
 * thread answers each with "World".
 * <p>
 * REQ and REP enforce strict alternation: the client must receive a reply before its next send,
 * the server must reply before its next receive (otherwise {@code ZmqException(EFSM)}). The server
 * binds to {@code tcp://127.0.0.1:*}, a free port, and the client connects to the port it got
 * ({@link Socket#lastEndpoint()}).
 */
public final class HelloWorld {
    private static final int REQUESTS = 3;
    private static final int TIMEOUT_MS = 5_000;

    private HelloWorld() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (Context context = new Context();
             Socket server = context.socket(SocketType.REP);
             Socket client = context.socket(SocketType.REQ)) {
            server.setOption(Option.RCVTIMEO, TIMEOUT_MS);
            server.bind("tcp://127.0.0.1:*");
            String endpoint = server.lastEndpoint();
            System.out.println("Server listening on " + endpoint);

            // From here on the server socket belongs to the server thread (Thread.start hands it over).
            Thread serverThread = new Thread(() -> serve(server), "hello-server");
            serverThread.start();

            client.setOption(Option.RCVTIMEO, TIMEOUT_MS);
            client.connect(endpoint);
            for (int i = 1; i <= REQUESTS; i++) {
                client.send("Hello");
                String reply = client.recvString();
                if (reply == null) {
                    throw new IllegalStateException("no reply within " + TIMEOUT_MS + " ms");
                }
                System.out.println("Client received reply " + i + ": " + reply);
            }
            serverThread.join();
        }
    }

    private static void serve(Socket server) {
        for (int i = 1; i <= REQUESTS; i++) {
            String request = server.recvString();
            if (request == null) {
                System.out.println("Server: no request within " + TIMEOUT_MS + " ms, stopping");
                return;
            }
            System.out.println("Server received request " + i + ": " + request);
            server.send("World");
        }
    }
}
