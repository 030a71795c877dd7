package org.zmq4j.patterns.freelance;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.patterns.internal.Multipart;
import org.zmq4j.patterns.internal.ServiceLoop;

/**
 * A Freelance server (rfc 10): a ROUTER whose identity is its public endpoint, the address its
 * clients connect to; it answers {@code PING} with {@code PONG} and a request (a Client Control
 * Frame and a body) with the same CCF and the handler's reply body.
 * <pre>{@code
 * try (FreelanceServer server = new FreelanceServer(ctx, "tcp://192.168.1.10:5555")) {
 *     server.start(request -> request);   // echo
 *     ...
 * }
 * }</pre>
 * A server bound to port 0 takes the port the system gives as part of its identity; a server behind
 * NAT, or bound to a wildcard ({@code tcp://*:5555}), names the endpoint its clients use with
 * {@link #FreelanceServer(Context, String, String)}.
 *
 * <p>Thread-safety: construct on any thread; the socket belongs to the serving thread from
 * {@link #start} or {@link #run} on; {@link #close()} from any thread.
 */
public final class FreelanceServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.freelance.server");

    private final Socket router;
    private final String endpoint;
    private final ServiceLoop loop = new ServiceLoop("zmq4j-freelance-server");

    /** Binds {@code endpoint}, which is also the identity clients address (a concrete host; port 0 allowed). */
    public FreelanceServer(Context ctx, String endpoint) {
        this(ctx, endpoint, null);
    }

    /**
     * Binds {@code bind} and answers as {@code publicEndpoint} (what clients connect to; null: the
     * endpoint bound).
     */
    public FreelanceServer(Context ctx, String bind, String publicEndpoint) {
        Objects.requireNonNull(bind, "bind");
        router = ctx.socket(SocketType.ROUTER);
        try {
            router.setOption(Option.LINGER, 0);
            endpoint = publicEndpoint != null ? publicEndpoint : concrete(router, bind);
            // a listener takes the socket's options when it is bound, as libzmq's does: set first
            router.setOption(Option.ROUTING_ID, endpoint.getBytes(StandardCharsets.UTF_8));
            bindRetrying(router, publicEndpoint != null ? bind : endpoint);
        } catch (RuntimeException e) {
            router.close();
            throw e;
        }
        LOG.log(Level.INFO, "Freelance server " + endpoint + " listening");
    }

    /**
     * The endpoint {@code bind} will have: itself, or for port 0 the port the system gives (found
     * by binding once and unbinding; the port is then bound again with the identity set).
     */
    private static String concrete(Socket router, String bind) {
        if (bind.contains("*")) {
            throw new IllegalArgumentException("a Freelance server's identity is the endpoint its clients connect to (rfc 10); "
                    + "'" + bind + "' binds a wildcard: name the public endpoint too");
        }
        if (!bind.endsWith(":0")) {
            return bind;
        }
        router.bind(bind);
        String resolved = router.lastEndpoint();
        router.unbind(resolved);
        return resolved;
    }

    /** Binds, retrying (bounded) while a listener just unbound from the same port finishes closing. */
    private static void bindRetrying(Socket router, String endpoint) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (true) {
            try {
                router.bind(endpoint);
                return;
            } catch (ZmqException e) {
                if (e.errno() != ZmqException.Errno.EADDRINUSE || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
            }
        }
    }

    /** The public endpoint: this server's identity. */
    public String endpoint() {
        return endpoint;
    }

    /**
     * Serves on a new thread, {@code zmq4j-freelance-server}.
     *
     * @param handler the reply body for a request body; null sends no reply
     */
    public void start(Function<List<byte[]>, List<byte[]>> handler) {
        Objects.requireNonNull(handler, "handler");
        loop.start(() -> run(handler));
    }

    /** Serves on the calling thread until {@link #close()}, an interrupt, or the context closes. */
    public void run(Function<List<byte[]>, List<byte[]>> handler) {
        Objects.requireNonNull(handler, "handler");
        loop.run(() -> serve(handler), () -> {
            router.close();
            LOG.log(Level.INFO, "Freelance server " + endpoint + " stopped");
        });
    }

    private void serve(Function<List<byte[]>, List<byte[]>> handler) {
        try (Poller poller = new Poller()) {
            poller.register(router, Poller.POLLIN);
            while (!Thread.currentThread().isInterrupted()) {
                poller.poll(-1);
                List<byte[]> m;
                while ((m = Multipart.recvNow(router)) != null) {
                    answer(m.get(0), m.subList(1, m.size()), handler);
                }
            }
        }
    }

    private void answer(byte[] client, List<byte[]> frames, Function<List<byte[]>, List<byte[]>> handler) {
        if (Flp.is(frames, Flp.PING)) {
            Multipart.send(router, client, List.of(Flp.PONG));
        } else if (frames.size() >= 2) {
            List<byte[]> body = handler.apply(List.copyOf(frames.subList(1, frames.size())));
            if (body == null) {
                return;
            }
            List<byte[]> reply = new ArrayList<>(body.size() + 1);
            reply.add(frames.get(0)); // the CCF, unmodified
            reply.addAll(body);
            if (!Multipart.send(router, client, reply)) {
                LOG.log(Level.DEBUG, "dropping a reply: the client's pipe is full");
            }
        } else {
            LOG.log(Level.WARNING, "dropping a message that is neither PING nor a request with a CCF (rfc 10)");
        }
    }

    /** Stops serving and closes the socket; waits up to 5 s for the serving thread. Idempotent. */
    @Override
    public void close() {
        if (!loop.stop()) {
            router.close();
        }
    }
}
