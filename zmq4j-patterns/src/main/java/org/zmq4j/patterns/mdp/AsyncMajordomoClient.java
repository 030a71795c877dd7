package org.zmq4j.patterns.mdp;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.zmq4j.Context;
import org.zmq4j.patterns.NoReplyException;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.patterns.internal.Inbox;
import org.zmq4j.patterns.internal.Multipart;

/**
 * An asynchronous Majordomo client: many requests in flight at once, each reply matched to its
 * request, with the same timeout, retries and broker failover per request as
 * {@link MajordomoClient}. MDP carries no request id, so each request in flight has a lane of its
 * own, a DEALER connection to the broker that holds one request at a time; up to
 * {@code maxInFlight} lanes are opened as needed and reused, and further requests wait their
 * turn. A lane whose request timed out is closed and opened again to the next broker (Lazy
 * Pirate), so a late reply can never be taken for another request's.
 * <pre>{@code
 * try (AsyncMajordomoClient client = new AsyncMajordomoClient(ctx, ClientConfig.of(endpoint), 64)) {
 *     List<CompletableFuture<Reply>> replies = new ArrayList<>();
 *     for (int i = 0; i < 1000; i++) {
 *         replies.add(client.submit("echo", List.of(("#" + i).getBytes())));
 *     }
 *     for (CompletableFuture<Reply> r : replies) {
 *         System.out.println(r.join().strings());
 *     }
 * }
 * }</pre>
 * Thread-safety: thread-safe; any thread may {@link #submit} and {@link #close()}. One thread,
 * {@code zmq4j-mdp-client}, owns the sockets; futures complete on it, and partial-reply handlers
 * run on it (keep them short).
 */
public final class AsyncMajordomoClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.mdp.client");

    private static final class Call {
        final String service;
        final List<byte[]> request;
        final Consumer<List<byte[]>> partialHandler;
        final CompletableFuture<Reply> future = new CompletableFuture<>();
        final List<List<byte[]>> partials = new ArrayList<>();
        int attempts;

        Call(String service, List<byte[]> request, Consumer<List<byte[]>> partialHandler) {
            this.service = service;
            this.request = request;
            this.partialHandler = partialHandler;
        }
    }

    /** One DEALER with at most one request in flight. */
    private final class Lane {
        Socket socket;
        int broker;
        Call call;
        long deadline;

        void open() {
            socket = ctx.socket(SocketType.DEALER);
            socket.setOption(Option.LINGER, 0);
            socket.connect(config.brokers().get(broker));
            poller.register(socket, Poller.POLLIN);
        }

        void close() {
            poller.unregister(socket);
            socket.close();
        }

        void send(Call c, long now) {
            call = c;
            c.attempts++;
            c.partials.clear();
            deadline = now + config.timeout().toMillis();
            Multipart.send(socket, null, c.request);
        }
    }

    private final Context ctx;
    private final ClientConfig config;
    private final int maxInFlight;
    private final Inbox<Call> inbox;
    private final Poller poller = new Poller();
    private final List<Lane> lanes = new ArrayList<>();
    private final ArrayDeque<Lane> free = new ArrayDeque<>();
    private final ArrayDeque<Call> waiting = new ArrayDeque<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread loop;
    private volatile boolean closed;

    /**
     * Starts the client's thread.
     *
     * @param ctx         the context
     * @param config      brokers, version, timeout and retries (per request)
     * @param maxInFlight requests in flight at most (lanes, and so connections to the broker)
     */
    public AsyncMajordomoClient(Context ctx, ClientConfig config, int maxInFlight) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.config = Objects.requireNonNull(config, "config");
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, not " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        inbox = new Inbox<>(ctx, "mdp-client");
        inbox.register(poller);
        loop = new Thread(this::run, "zmq4j-mdp-client");
        loop.setDaemon(true);
        loop.start();
    }

    /** Submits a request with UTF-8 frames. */
    public CompletableFuture<Reply> submit(String service, String... frames) {
        return submit(service, java.util.Arrays.stream(frames).map(Mdp::ascii).toList(), null);
    }

    /** Submits a request. */
    public CompletableFuture<Reply> submit(String service, List<byte[]> body) {
        return submit(service, body, null);
    }

    /**
     * Submits a request.
     *
     * @param service  the service's name
     * @param body     the request's frames
     * @param partials receives each MDP/0.2 partial reply's frames, on the client's thread (may be null)
     * @return completes with the reply, or exceptionally with {@link NoReplyException} after the last
     *         attempt, or with {@link ZmqException} {@code ETERM} when the client closes first
     */
    public CompletableFuture<Reply> submit(String service, List<byte[]> body, Consumer<List<byte[]>> partials) {
        Objects.requireNonNull(service, "service");
        Call c = new Call(service, ClientFrames.request(config.version(), service, List.copyOf(body)), partials);
        if (closed) {
            c.future.completeExceptionally(new ZmqException(ZmqException.Errno.ETERM, "the Majordomo client was closed"));
            return c.future;
        }
        inbox.offer(c); // closed meanwhile: failAll below answers the call
        if (closed) {
            failAll(); // raced with close: make sure nothing is left hanging
        }
        return c.future;
    }

    private void run() {
        try {
            while (!closed) {
                long now = now();
                inbox.drain(waiting::addLast);
                assign(now);
                long wait = nextDeadline(now);
                if (poller.poll(wait) > 0) {
                    readReplies(); // what the inbox brought is taken at the top of the loop
                }
                expire(now());
            }
        } catch (ZmqException e) {
            if (e.errno() != ZmqException.Errno.ETERM && e.errno() != ZmqException.Errno.EINTR) {
                LOG.log(Level.ERROR, "Majordomo client loop failed", e);
            }
        } finally {
            closed = true;
            for (Lane l : lanes) {
                l.close();
            }
            inbox.closeReceiver();
            poller.close();
            failAll();
            ended.countDown();
        }
    }

    private void assign(long now) {
        while (!waiting.isEmpty()) {
            Lane l = free.pollFirst();
            if (l == null) {
                if (lanes.size() >= maxInFlight) {
                    return;
                }
                l = new Lane();
                l.broker = lanes.size() % config.brokers().size();
                l.open();
                lanes.add(l);
            }
            l.send(waiting.pollFirst(), now);
        }
    }

    private long nextDeadline(long now) {
        long wait = -1;
        for (Lane l : lanes) {
            if (l.call != null) {
                long left = Math.max(0, l.deadline - now);
                wait = wait < 0 ? left : Math.min(wait, left);
            }
        }
        return wait;
    }

    private void readReplies() {
        for (Lane l : lanes) {
            List<byte[]> frames;
            while ((frames = Multipart.recvNow(l.socket)) != null) {
                Call c = l.call;
                if (c == null) {
                    continue; // nothing asked on this lane: stray
                }
                ClientFrames.Read read = ClientFrames.read(config.version(), c.service, frames);
                if (read.kind() == ClientFrames.Kind.FINAL) {
                    l.call = null;
                    free.addLast(l);
                    c.future.complete(new Reply(c.service, c.partials, read.body()));
                } else if (read.kind() == ClientFrames.Kind.PARTIAL) {
                    c.partials.add(read.body());
                    l.deadline = now() + config.timeout().toMillis();
                    if (c.partialHandler != null) {
                        try {
                            c.partialHandler.accept(read.body());
                        } catch (RuntimeException e) {
                            LOG.log(Level.WARNING, "a partial-reply handler for '" + c.service + "' threw", e);
                        }
                    }
                }
            }
        }
    }

    /** Lazy Pirate per lane: a request past its deadline goes again on a new socket to the next broker. */
    private void expire(long now) {
        for (Lane l : lanes) {
            Call c = l.call;
            if (c == null || now - l.deadline < 0) {
                continue;
            }
            String at = config.brokers().get(l.broker);
            l.close();
            l.broker = (l.broker + 1) % config.brokers().size();
            l.open();
            if (c.attempts > config.retries()) {
                l.call = null;
                free.addLast(l);
                c.future.completeExceptionally(new NoReplyException(c.service, c.attempts, "no reply from service '"
                        + c.service + "' after " + c.attempts + " attempts of " + config.timeout().toMillis() + " ms each"));
            } else {
                LOG.log(Level.WARNING, "no reply from '" + c.service + "' at " + at + "; retrying via "
                        + config.brokers().get(l.broker));
                l.send(c, now);
            }
        }
    }

    private void failAll() {
        ZmqException e = new ZmqException(ZmqException.Errno.ETERM, "the Majordomo client was closed");
        Call c;
        while ((c = inbox.poll()) != null) {
            c.future.completeExceptionally(e);
        }
        if (Thread.currentThread() == loop) {
            while ((c = waiting.poll()) != null) {
                c.future.completeExceptionally(e);
            }
            for (Lane l : lanes) {
                if (l.call != null) {
                    l.call.future.completeExceptionally(e);
                    l.call = null;
                }
            }
        }
    }

    private static long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    /**
     * Stops the client: requests not answered yet complete with {@link ZmqException} {@code ETERM}.
     * Waits up to 5 s for its thread. Idempotent.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            inbox.wake();
        }
        if (Thread.currentThread() != loop) {
            try {
                ended.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        inbox.closeSender();
    }
}
