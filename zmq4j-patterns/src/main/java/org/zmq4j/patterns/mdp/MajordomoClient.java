package org.zmq4j.patterns.mdp;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.zmq4j.Context;
import org.zmq4j.patterns.NoReplyException;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.patterns.internal.OwnerGuard;
import org.zmq4j.patterns.internal.Multipart;

/**
 * A synchronous Majordomo client (rfc 7 / rfc 18) with the Lazy Pirate pattern inside: each call
 * waits up to the timeout for its reply; without one it closes its socket (dropping whatever the
 * old attempt might still bring), opens a new one to the next broker of its list and sends again,
 * up to {@code retries} more times, then throws {@link NoReplyException}.
 * <pre>{@code
 * try (MajordomoClient client = new MajordomoClient(ctx, ClientConfig.of("tcp://localhost:5555"))) {
 *     Reply reply = client.call("echo", "hello");
 *     System.out.println(reply.strings());
 * }
 * }</pre>
 * A retried request may run twice on the workers (the first attempt may have been served and its
 * reply lost): Majordomo gives at-least-once delivery; make services idempotent or use Titanic.
 * With MDP/0.2, partial replies reach a handler as they arrive, and the timeout runs from the last
 * message received.
 * <p>
 * Thread-safety: not thread-safe; one thread calls at a time (give each thread its own client, or
 * use {@link AsyncMajordomoClient}). {@link #close()} from another thread interrupts a call in
 * progress, which then throws {@link ZmqException} {@code EINTR}.
 */
public final class MajordomoClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.mdp.client");

    private final Context ctx;
    private final ClientConfig config;
    private final Poller poller = new Poller();
    private final OwnerGuard guard = new OwnerGuard(this::shutdown);
    private Socket socket;
    private int broker;

    /**
     * @param ctx    the context
     * @param config brokers, version, timeout and retries
     */
    public MajordomoClient(Context ctx, ClientConfig config) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** The configuration. */
    public ClientConfig config() {
        return config;
    }

    /**
     * Calls a service with UTF-8 frames.
     *
     * @see #call(String, List, Consumer)
     */
    public Reply call(String service, String... frames) {
        return call(service, Arrays.stream(frames).map(Mdp::ascii).toList(), null);
    }

    /**
     * Calls a service.
     *
     * @see #call(String, List, Consumer)
     */
    public Reply call(String service, List<byte[]> body) {
        return call(service, body, null);
    }

    /**
     * Sends a request and waits for its reply, retrying as configured.
     *
     * @param service  the service's name ({@code mmi.service} and the like go to the broker itself)
     * @param body     the request's frames
     * @param partials receives each MDP/0.2 partial reply's frames as it arrives (may be null);
     *                 after a retry, partials of the new attempt come again
     * @return the reply
     * @throws NoReplyException when no attempt got a final reply in time
     * @throws ZmqException     {@code EINTR} when interrupted or closed meanwhile, {@code ETERM} when the
     *                          context closed
     */
    public Reply call(String service, List<byte[]> body, Consumer<List<byte[]>> partials) {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(body, "body");
        if (!guard.enter()) {
            throw new ZmqException(ZmqException.Errno.ENOTSOCK, "the Majordomo client was closed");
        }
        try {
            List<byte[]> request = ClientFrames.request(config.version(), service, body);
            int attempts = config.retries() + 1;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                if (socket == null) {
                    open();
                }
                Multipart.send(socket, null, request);
                Reply r = await(service, partials);
                if (r != null) {
                    return r;
                }
                String at = config.brokers().get(broker);
                reopen();
                if (attempt < attempts) {
                    LOG.log(Level.WARNING, "no reply from '" + service + "' at " + at + " within "
                            + config.timeout().toMillis() + " ms; retrying via " + config.brokers().get(broker)
                            + " (" + (attempts - attempt) + " left)");
                }
            }
            throw new NoReplyException(service, attempts, "no reply from service '" + service + "' after "
                    + attempts + (attempts == 1 ? " attempt" : " attempts") + " of " + config.timeout().toMillis()
                    + " ms each via " + String.join(", ", config.brokers()));
        } finally {
            guard.exit();
        }
    }

    /** Waits for the final reply; null when the timeout passes with no message. */
    private Reply await(String service, Consumer<List<byte[]>> partialHandler) {
        List<List<byte[]>> partials = new ArrayList<>();
        long deadline = now() + config.timeout().toMillis();
        while (true) {
            long left = deadline - now();
            if (left <= 0 || poller.poll(left) == 0) {
                return null;
            }
            List<byte[]> frames;
            while ((frames = Multipart.recvNow(socket)) != null) {
                ClientFrames.Read read = ClientFrames.read(config.version(), service, frames);
                switch (read.kind()) {
                    case FINAL:
                        return new Reply(service, partials, read.body());
                    case PARTIAL:
                        partials.add(read.body());
                        if (partialHandler != null) {
                            partialHandler.accept(read.body());
                        }
                        deadline = now() + config.timeout().toMillis();
                        break;
                    default:
                        LOG.log(Level.WARNING, "dropping a message from " + config.brokers().get(broker)
                                + " that is not a " + config.version() + " reply from '" + service + "'");
                }
            }
        }
    }

    private void open() {
        socket = ctx.socket(SocketType.DEALER);
        socket.setOption(Option.LINGER, 0);
        socket.connect(config.brokers().get(broker));
        poller.register(socket, Poller.POLLIN);
    }

    /** Lazy Pirate: a new socket, to the next broker. */
    private void reopen() {
        closeSocket();
        broker = (broker + 1) % config.brokers().size();
    }

    private void closeSocket() {
        if (socket != null) {
            poller.unregister(socket);
            socket.close();
            socket = null;
        }
    }

    private static long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    private void shutdown() {
        closeSocket();
        poller.close();
    }

    /** Closes the socket; from another thread, interrupts the call in progress (which closes it). Idempotent. */
    @Override
    public void close() {
        guard.close();
    }
}
