package org.zmq4j.patterns.mdp;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;

/**
 * A Majordomo worker (rfc 7 / rfc 18): registers for one service with a broker, takes its requests
 * and answers them, heartbeating meanwhile; when the broker goes silent for {@code liveness}
 * heartbeats, or tells it to, it opens a new socket and registers again (after a back-off that
 * doubles up to 32 times the heartbeat).
 * <pre>{@code
 * try (MajordomoWorker worker = new MajordomoWorker(ctx, "tcp://localhost:5555", "echo")) {
 *     worker.serve(request -> request);            // until interrupted or closed
 * }
 * }</pre>
 * Thread-safety: one thread uses a worker (its socket is a classic one). {@link #close()} from
 * another thread is allowed: it interrupts a thread blocked in {@link #receive()}.
 */
public final class MajordomoWorker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.mdp.worker");
    private static final AtomicLong MONITORS = new AtomicLong();

    /** A request taken from the broker, to answer with {@link #reply} (and, MDP/0.2, {@link #partial}). */
    public static final class Request {
        private final byte[] client;
        private final List<byte[]> body;
        private boolean answered;

        Request(byte[] client, List<byte[]> body) {
            this.client = client;
            this.body = body;
        }

        /** The request's frames. */
        public List<byte[]> body() {
            return body;
        }
    }

    private final Context ctx;
    private final String broker;
    private final String service;
    private final MdpVersion version;
    private final long heartbeatMillis;
    private final int liveness;
    private final Poller poller = new Poller();
    private Socket socket;
    /** The socket's monitor: DISCONNECTED events, so that a dropped connection wakes the worker. */
    private Socket events;
    private boolean brokerLost;
    private int livesLeft;
    private long nextHeartbeat;
    private long reconnectMillis;
    private volatile Thread user;
    private volatile boolean closed;

    /** An MDP/0.1 worker with MDP's heartbeat (2.5 s, liveness 3). */
    public MajordomoWorker(Context ctx, String broker, String service) {
        this(ctx, broker, service, MdpVersion.MDP01, Duration.ofMillis(2500), 3);
    }

    /**
     * @param ctx       the context
     * @param broker    the broker's endpoint
     * @param service   the service to serve (not in the reserved {@code mmi.} namespace)
     * @param version   MDP/0.1 or MDP/0.2
     * @param heartbeat the heartbeat interval, as the broker's
     * @param liveness  heartbeats the broker may miss before the worker reconnects
     */
    public MajordomoWorker(Context ctx, String broker, String service, MdpVersion version, Duration heartbeat, int liveness) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.broker = Objects.requireNonNull(broker, "broker");
        this.service = Objects.requireNonNull(service, "service");
        this.version = Objects.requireNonNull(version, "version");
        this.heartbeatMillis = heartbeat.toMillis();
        this.liveness = liveness;
        if (heartbeatMillis <= 0 || liveness < 1) {
            throw new IllegalArgumentException("heartbeat must be positive and liveness at least 1");
        }
        if (service.startsWith("mmi.")) {
            throw new IllegalArgumentException("service '" + service + "' is in the broker's reserved mmi. namespace");
        }
        connect();
    }

    private void connect() {
        closeSocket();
        brokerLost = false;
        socket = ctx.socket(SocketType.DEALER);
        socket.setOption(Option.LINGER, 0);
        // when the connection drops, the broker that answers the reconnection does not know this
        // worker (its routing id is new): start over with a fresh socket whose first word is READY
        String monitor = "inproc://zmq4j-mdp-worker-monitor-" + MONITORS.incrementAndGet();
        socket.monitor(monitor, SocketEvent.Type.DISCONNECTED.code());
        events = ctx.socket(SocketType.PAIR);
        events.connect(monitor);
        socket.connect(broker);
        poller.register(socket, Poller.POLLIN);
        poller.register(events, Poller.POLLIN);
        send(Mdp.W_READY, List.of(Mdp.ascii(service)));
        livesLeft = liveness;
        nextHeartbeat = now() + heartbeatMillis;
        LOG.log(Level.DEBUG, () -> "worker for '" + service + "' registering with " + broker + " (" + version + ")");
    }

    private void send(byte command, List<byte[]> rest) {
        Multipart.send(socket, null, Mdp.toWorker(version, version == MdpVersion.MDP01, command, rest));
    }

    /**
     * Waits for the next request, heartbeating and reconnecting as needed.
     *
     * @return the request, or null when the worker was closed or the thread interrupted
     */
    public Request receive() {
        if (!enter()) {
            return null;
        }
        try {
            while (!closed) {
                poller.poll(Math.max(0, nextHeartbeat - now()));
                if (brokerLost()) {
                    LOG.log(Level.INFO, "lost the connection to " + broker + "; registering again");
                    connect();
                    continue;
                }
                if (poller.isReadable(socket)) {
                    Request r = handle(Multipart.rest(socket, socket.recv()));
                    if (r != null) {
                        return r;
                    }
                }
                if (now() - nextHeartbeat >= 0) {
                    if (--livesLeft <= 0) {
                        backOff();
                        connect();
                        continue;
                    }
                    send(Mdp.heartbeat(version), List.of());
                    nextHeartbeat = now() + heartbeatMillis;
                }
            }
            return null;
        } catch (ZmqException e) {
            if (e.errno() == ZmqException.Errno.EINTR || e.errno() == ZmqException.Errno.ETERM) {
                return null;
            }
            throw e;
        } finally {
            exit();
        }
    }

    /**
     * Marks the calling thread as the one using the socket; false when the worker is closed. With
     * {@link #close()} writing {@code closed} before reading {@code user}, and this writing {@code user}
     * before reading {@code closed}, either close sees the user (and interrupts it) or the user sees
     * closed: never both using the socket.
     */
    private boolean enter() {
        user = Thread.currentThread();
        if (closed) {
            exit();
            return false;
        }
        return true;
    }

    /** The user is done; if the worker was closed meanwhile, this thread shuts it down. */
    private void exit() {
        user = null;
        if (closed) {
            shutdown();
        }
    }

    /** Whether the connection to the broker dropped since {@link #connect()} (reads the monitor). */
    private boolean brokerLost() {
        byte[] first;
        while (!brokerLost && (first = events.recv(Socket.DONTWAIT)) != null) {
            Multipart.rest(events, first);
            brokerLost = true;
        }
        return brokerLost;
    }

    /** Sleeps before reconnecting: the heartbeat, doubling per silent broker up to 32 times it. */
    private void backOff() throws ZmqException {
        reconnectMillis = reconnectMillis == 0 ? heartbeatMillis : Math.min(reconnectMillis * 2, heartbeatMillis * 32);
        LOG.log(Level.WARNING, "broker " + broker + " silent for " + liveness + " heartbeats; reconnecting in "
                + reconnectMillis + " ms");
        try {
            Thread.sleep(reconnectMillis); // the back-off itself: nothing to wait for
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZmqException(ZmqException.Errno.EINTR, "worker interrupted while waiting to reconnect");
        }
    }

    /** One message from the broker; a request to hand to the application, or null. */
    private Request handle(List<byte[]> frames) {
        livesLeft = liveness;
        reconnectMillis = 0;
        int i = frames.size() > 0 && frames.get(0).length == 0 ? 1 : 0;
        if (frames.size() < i + 2 || !Mdp.is(frames.get(i), version.worker())) {
            LOG.log(Level.WARNING, "dropping a message that is not " + version + " from the broker");
            return null;
        }
        byte[] command = frames.get(i + 1);
        if (Mdp.isCode(command, Mdp.W_REQUEST) && frames.size() >= i + 4 && frames.get(i + 3).length == 0) {
            return new Request(frames.get(i + 2), new ArrayList<>(frames.subList(i + 4, frames.size())));
        }
        if (Mdp.isCode(command, Mdp.disconnect(version))) {
            LOG.log(Level.INFO, "broker " + broker + " sent DISCONNECT; registering again");
            connect();
        }
        return null; // HEARTBEAT, or anything else: a sign of life only
    }

    /**
     * Answers a request: its final (MDP/0.1: its only) reply.
     *
     * @param request the request
     * @param body    the reply's frames
     */
    public void reply(Request request, List<byte[]> body) {
        answer(request, version == MdpVersion.MDP01 ? Mdp.W01_REPLY : Mdp.W02_FINAL, body);
        request.answered = true;
    }

    /**
     * MDP/0.2: a partial reply; the final one comes with {@link #reply}.
     *
     * @param request the request
     * @param body    the partial reply's frames
     * @throws IllegalStateException for an MDP/0.1 worker, or once the request was answered
     */
    public void partial(Request request, List<byte[]> body) {
        if (version != MdpVersion.MDP02) {
            throw new IllegalStateException("partial replies are MDP/0.2's; this worker speaks " + version);
        }
        answer(request, Mdp.W02_PARTIAL, body);
    }

    private void answer(Request request, byte command, List<byte[]> body) {
        if (request.answered) {
            throw new IllegalStateException("the request was answered already");
        }
        if (!enter()) {
            throw new IllegalStateException("the worker was closed");
        }
        try {
            sendAnswer(request, command, body);
        } finally {
            exit();
        }
    }

    private void sendAnswer(Request request, byte command, List<byte[]> body) {
        if (brokerLost()) {
            // the broker that gave the request is gone (its client will retry); a reply queued on
            // this socket would reach its successor as a command from an unknown worker
            LOG.log(Level.INFO, "dropping a reply: the broker that sent the request is gone");
            return;
        }
        List<byte[]> rest = new ArrayList<>(body.size() + 2);
        rest.add(request.client);
        rest.add(Mdp.EMPTY);
        rest.addAll(body);
        send(command, rest);
        nextHeartbeat = now() + heartbeatMillis; // any command is a heartbeat
    }

    /**
     * Serves requests with {@code handler} (request frames to reply frames) until the worker is
     * closed or the thread interrupted.
     *
     * @param handler computes each reply
     */
    public void serve(Function<List<byte[]>, List<byte[]>> handler) {
        Request r;
        while ((r = receive()) != null) {
            reply(r, handler.apply(r.body()));
        }
    }

    private static long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    /**
     * Tells the broker (DISCONNECT) and closes the socket. From another thread while the worker's
     * thread is in {@link #receive()} (or {@link #serve}), it interrupts that thread: {@code receive}
     * returns null and the worker's thread does the closing as it leaves. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        Thread t = user;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt(); // it shuts the worker down as it leaves
            return;
        }
        shutdown();
    }

    private synchronized void shutdown() {
        if (socket != null) {
            try {
                socket.setOption(Option.LINGER, (int) Math.min(heartbeatMillis, 1000)); // let DISCONNECT leave
                send(Mdp.disconnect(version), List.of());
            } catch (ZmqException e) {
                // closing anyway
            }
            closeSocket();
            poller.close();
        }
    }

    private void closeSocket() {
        if (socket != null) {
            poller.unregister(socket);
            poller.unregister(events);
            socket.close();
            events.close();
            socket = null;
            events = null;
        }
    }
}
