package org.zmq4j.patterns.lazypirate;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.patterns.NoReplyException;
import org.zmq4j.patterns.internal.Multipart;
import org.zmq4j.patterns.internal.OwnerGuard;

/**
 * The Lazy Pirate client (the zguide's {@code lpclient}) for plain REQ/REP servers, or a Paranoid
 * Pirate queue: a REQ socket that waits up to a timeout for each reply; without one it closes the
 * socket (a REQ that lost its reply is stuck) and opens a new one, to the next server of its list,
 * and sends again, up to {@code retries} more times.
 * <pre>{@code
 * try (LazyPirateClient client = new LazyPirateClient(ctx, List.of("tcp://localhost:5555"), Duration.ofMillis(2500), 3)) {
 *     List<byte[]> reply = client.request(List.of("hello".getBytes()));
 * }
 * }</pre>
 * A retried request may run twice on the server. Thread-safety: one thread at a time;
 * {@link #close()} from another thread interrupts a request in progress (which throws
 * {@link ZmqException} EINTR and closes the client).
 */
public final class LazyPirateClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.lazypirate");

    private final Context ctx;
    private final List<String> servers;
    private final long timeoutMillis;
    private final int retries;
    private final Poller poller = new Poller();
    private final OwnerGuard guard = new OwnerGuard(this::shutdown);
    private Socket socket;
    private int server;

    /**
     * @param ctx     the context
     * @param servers the servers' endpoints, at least one; each retry goes to the next
     * @param timeout how long each attempt waits for the reply
     * @param retries attempts after the first (the zguide uses 2: three attempts)
     */
    public LazyPirateClient(Context ctx, List<String> servers, Duration timeout, int retries) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.servers = List.copyOf(servers);
        this.timeoutMillis = timeout.toMillis();
        this.retries = retries;
        if (this.servers.isEmpty() || timeoutMillis <= 0 || retries < 0) {
            throw new IllegalArgumentException("a Lazy Pirate client needs a server, a positive timeout and 0 or more retries");
        }
    }

    /** Sends a request of UTF-8 frames; see {@link #request(List)}. */
    public List<byte[]> request(String... frames) {
        return request(Arrays.stream(frames).map(f -> f.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toList());
    }

    /**
     * Sends a request and waits for its reply, retrying as configured.
     *
     * @param body the request's frames, at least one
     * @return the reply's frames
     * @throws NoReplyException when no attempt got a reply in time
     * @throws ZmqException     EINTR when interrupted or closed meanwhile, ETERM when the context closed
     */
    public List<byte[]> request(List<byte[]> body) {
        if (body.isEmpty()) {
            throw new IllegalArgumentException("a request has one or more frames");
        }
        if (!guard.enter()) {
            throw new ZmqException(ZmqException.Errno.ENOTSOCK, "the Lazy Pirate client was closed");
        }
        try {
            for (int attempt = 1; attempt <= retries + 1; attempt++) {
                if (socket == null) {
                    open();
                }
                Multipart.send(socket, null, body);
                if (poller.poll(timeoutMillis) > 0) {
                    return Multipart.rest(socket, socket.recv());
                }
                String at = servers.get(server);
                closeSocket(); // a REQ without its reply can send no more
                server = (server + 1) % servers.size();
                if (attempt <= retries) {
                    LOG.log(Level.WARNING, "no reply from " + at + " within " + timeoutMillis + " ms; retrying via "
                            + servers.get(server) + " (" + (retries + 1 - attempt) + " left)");
                }
            }
            throw new NoReplyException(String.join(", ", servers), retries + 1, "no reply after " + (retries + 1)
                    + (retries == 0 ? " attempt" : " attempts") + " of " + timeoutMillis + " ms each via " + String.join(", ", servers));
        } finally {
            guard.exit();
        }
    }

    private void open() {
        socket = ctx.socket(SocketType.REQ);
        socket.setOption(Option.LINGER, 0);
        socket.connect(servers.get(server));
        poller.register(socket, Poller.POLLIN);
    }

    private void closeSocket() {
        if (socket != null) {
            poller.unregister(socket);
            socket.close();
            socket = null;
        }
    }

    private void shutdown() {
        closeSocket();
        poller.close();
    }

    /** Closes the socket; from another thread, interrupts the request in progress. Idempotent. */
    @Override
    public void close() {
        guard.close();
    }
}
