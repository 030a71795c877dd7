package org.zmq4j.patterns.freelance;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.patterns.NoReplyException;
import org.zmq4j.patterns.internal.Inbox;
import org.zmq4j.patterns.internal.Multipart;

/**
 * A Freelance client (rfc 10, the zguide's model three): one ROUTER connected to every server,
 * each server addressed by its public endpoint (its identity); every server pinged at an interval
 * and taken for dead after a TTL of silence; each request sent to the first live server of the
 * list with its sequence number as the Client Control Frame, and, when that server stays silent for
 * the attempt timeout or dies, to the next one too (the first reply wins). No broker: any server
 * can answer any request, so requests must be idempotent.
 * <pre>{@code
 * try (FreelanceClient client = new FreelanceClient(ctx, FreelanceConfig.of("tcp://a:5555", "tcp://b:5555"))) {
 *     List<byte[]> reply = client.request("hello");
 * }
 * }</pre>
 * Many requests may be in flight ({@link #submit}); the CCF matches each reply to its request.
 *
 * <p>Thread-safety: thread-safe; any thread may call {@link #request}, {@link #submit} and
 * {@link #close()}. One thread, {@code zmq4j-freelance-client}, owns the socket, pings, and
 * completes the futures.
 */
public final class FreelanceClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.freelance.client");

    private record Submission(List<byte[]> body, CompletableFuture<List<byte[]>> future) {
    }

    private final Context ctx;
    private final FreelanceConfig config;
    private final Inbox<Submission> inbox;
    private final Thread loop;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile boolean closed;
    private volatile List<String> alive = List.of();

    /** Connects to the servers and starts the client's thread. */
    public FreelanceClient(Context ctx, FreelanceConfig config) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.config = Objects.requireNonNull(config, "config");
        this.inbox = new Inbox<>(ctx, "freelance-client");
        loop = new Thread(this::run, "zmq4j-freelance-client");
        loop.setDaemon(true);
        loop.start();
    }

    /**
     * Sends a request and waits for its reply (at most the configured timeout).
     *
     * @return the reply's frames, the CCF removed
     * @throws NoReplyException when no server answered in time
     * @throws ZmqException     ETERM when the client or its context closed first
     */
    public List<byte[]> request(String... frames) {
        return request(Arrays.stream(frames).map(f -> f.getBytes(StandardCharsets.UTF_8)).toList());
    }

    /** {@link #request(String...)} with the request's frames as bytes. */
    public List<byte[]> request(List<byte[]> body) {
        try {
            return submit(body).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                r.addSuppressed(new Exception("waited for the reply here"));
                throw r;
            }
            throw e;
        }
    }

    /**
     * Sends a request without waiting.
     *
     * @return completes with the reply's frames (CCF removed), or exceptionally with
     *         {@link NoReplyException} after the timeout, or {@link ZmqException} ETERM when the
     *         client closes first
     */
    public CompletableFuture<List<byte[]>> submit(List<byte[]> body) {
        if (body.isEmpty()) {
            throw new IllegalArgumentException("a Freelance request has at least one frame after its CCF (rfc 10)");
        }
        Submission s = new Submission(List.copyOf(body), new CompletableFuture<>());
        if (closed) {
            s.future.completeExceptionally(closedError());
            return s.future;
        }
        inbox.offer(s);
        if (closed) {
            failQueued(); // raced with close: answer what the loop may not have seen
        }
        return s.future;
    }

    /** The servers taken for alive (as of the client thread's last round), in the configured order. */
    public List<String> aliveServers() {
        return alive;
    }

    private void run() {
        Map<Long, CompletableFuture<List<byte[]>>> futures = new HashMap<>();
        ClientCore core = new ClientCore(config, now());
        List<ClientCore.Out> out = new ArrayList<>();
        try (Poller poller = new Poller(); Socket router = ctx.socket(SocketType.ROUTER)) {
            router.setOption(Option.LINGER, 0);
            router.setOption(Option.ROUTER_MANDATORY, true); // an unconnected server is reported, not a silent drop
            for (String server : config.servers()) {
                router.connect(server);
            }
            poller.register(router, Poller.POLLIN);
            inbox.register(poller);
            while (!closed) {
                inbox.drain(s -> futures.put(core.submit(s.body, now(), out), s.future));
                List<byte[]> m;
                for (int i = 0; i < 1000 && (m = Multipart.recvNow(router)) != null; i++) {
                    if (m.size() >= 2) {
                        core.onMessage(new String(m.get(0), StandardCharsets.UTF_8), m.subList(1, m.size()), now(), out);
                    }
                }
                core.onTick(now(), out);
                send(router, core, out);
                complete(core, futures);
                alive = core.aliveServers();
                poller.poll(Math.max(0, core.nextTick() - now()));
            }
        } catch (ZmqException e) {
            if (e.errno() != ZmqException.Errno.ETERM && e.errno() != ZmqException.Errno.EINTR) {
                LOG.log(Level.ERROR, "Freelance client loop failed", e);
            }
        } finally {
            closed = true;
            core.failAll("closed");
            complete(core, futures);
            inbox.closeReceiver();
            failQueued();
            ended.complete(null);
        }
    }

    /** Sends what the core asked for; a server that cannot be reached goes back to the core (which may ask for more). */
    private static void send(Socket router, ClientCore core, List<ClientCore.Out> out) {
        for (int i = 0; i < out.size(); i++) {
            ClientCore.Out o = out.get(i);
            try {
                if (!Multipart.send(router, o.server().getBytes(StandardCharsets.UTF_8), o.frames())) {
                    LOG.log(Level.DEBUG, () -> "dropping a message for " + o.server() + ": its pipe is full");
                }
            } catch (ZmqException e) {
                if (e.errno() != ZmqException.Errno.EHOSTUNREACH) {
                    throw e;
                }
                core.unreachable(o.server(), now(), out);
            }
        }
        out.clear();
    }

    private void complete(ClientCore core, Map<Long, CompletableFuture<List<byte[]>>> futures) {
        ClientCore.Done d;
        while ((d = core.takeDone()) != null) {
            CompletableFuture<List<byte[]>> f = futures.remove(d.id());
            if (f == null) {
                continue;
            }
            if (d.reply() != null) {
                f.complete(d.reply());
            } else if (closed) {
                f.completeExceptionally(closedError());
            } else {
                f.completeExceptionally(new NoReplyException(String.join(", ", config.servers()), d.attempts(), d.failure()));
            }
        }
    }

    private void failQueued() {
        Submission s;
        while ((s = inbox.poll()) != null) {
            s.future.completeExceptionally(closedError());
        }
    }

    private static ZmqException closedError() {
        return new ZmqException(ZmqException.Errno.ETERM, "the Freelance client was closed");
    }

    private static long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    /**
     * Stops the client: requests not answered yet complete with {@link ZmqException} ETERM. Waits up
     * to 5 s for its thread. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        inbox.wake();
        if (Thread.currentThread() != loop) {
            try {
                ended.get(5, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                LOG.log(Level.WARNING, "the Freelance client's thread did not end within 5 s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        inbox.closeSender();
    }
}
