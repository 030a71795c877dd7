package org.zmq4j.patterns.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;

/**
 * A worker's link to its broker or queue: a DEALER that says hello (READY) first on every new
 * socket, heartbeats while nothing else is sent, counts the peer's silence in heartbeats and, after
 * {@code liveness} of them, starts over on a new socket after a back-off (the heartbeat, doubling up
 * to 32 times it). A dropped connection is noticed at once (a socket monitor in the poller) and also
 * starts over, without back-off: whoever answers a reconnection does not know this worker's new
 * routing id, so its first word must be the hello again. With several endpoints (an HA pair), each
 * start-over after silence moves to the next. Used by the Majordomo and Paranoid Pirate workers.
 * <p>
 * Thread-safety: one thread at a time (the owner's); see {@link OwnerGuard}.
 */
public final class PeerLink {
    private static final AtomicLong MONITORS = new AtomicLong();

    private final Context ctx;
    private final List<String> endpoints;
    private int current;
    private final List<byte[]> hello;
    private final List<byte[]> heartbeat;
    private final long heartbeatMillis;
    private final int liveness;
    private final Logger log;
    private final String what;
    private final Poller poller = new Poller();
    private Socket socket;
    private Socket events;
    private boolean lost;
    private int livesLeft;
    private long nextHeartbeat;
    private long backOffMillis;

    /**
     * Opens the first socket and says hello.
     *
     * @param ctx       the context
     * @param endpoints the peer's endpoints: the first, then, each time the peer stays silent, the
     *                  next (an HA pair)
     * @param hello     the first message on every new socket (READY)
     * @param heartbeat the heartbeat message
     * @param interval  the heartbeat interval
     * @param liveness  heartbeats the peer may miss before the link starts over
     * @param log       where reconnections are told
     * @param what      names this link in log lines, e.g. "worker for 'echo'"
     */
    public PeerLink(Context ctx, List<String> endpoints, List<byte[]> hello, List<byte[]> heartbeat, Duration interval, int liveness,
            Logger log, String what) {
        this.ctx = ctx;
        this.endpoints = List.copyOf(endpoints);
        if (this.endpoints.isEmpty()) {
            throw new IllegalArgumentException("a link needs at least one endpoint");
        }
        this.hello = List.copyOf(hello);
        this.heartbeat = List.copyOf(heartbeat);
        this.heartbeatMillis = interval.toMillis();
        this.liveness = liveness;
        this.log = log;
        this.what = what;
        if (heartbeatMillis <= 0 || liveness < 1) {
            throw new IllegalArgumentException("the heartbeat must be positive and the liveness at least 1, not "
                    + interval + " and " + liveness);
        }
        open();
    }

    /** The endpoint the link uses now. */
    public String endpoint() {
        return endpoints.get(current);
    }

    /** Starts over: a new socket, hello first. */
    public void open() {
        closeSocket();
        lost = false;
        socket = ctx.socket(SocketType.DEALER);
        socket.setOption(Option.LINGER, 0);
        String monitor = "inproc://zmq4j-patterns-link-monitor-" + MONITORS.incrementAndGet();
        socket.monitor(monitor, SocketEvent.Type.DISCONNECTED.code());
        events = ctx.socket(SocketType.PAIR);
        events.connect(monitor);
        socket.connect(endpoint());
        poller.register(socket, Poller.POLLIN);
        poller.register(events, Poller.POLLIN);
        send(hello);
        livesLeft = liveness;
    }

    /** Sends a message to the peer; it counts as a heartbeat. */
    public void send(List<byte[]> frames) {
        Multipart.send(socket, null, frames);
        nextHeartbeat = now() + heartbeatMillis;
    }

    /**
     * Waits for the peer's next message, heartbeating meanwhile and starting over when the peer is
     * lost.
     *
     * @return the message (any message resets the peer's liveness)
     * @throws ZmqException EINTR when the thread is interrupted, ETERM when the context closes
     */
    public List<byte[]> receive() {
        while (true) {
            poller.poll(Math.max(0, nextHeartbeat - now()));
            if (lost()) {
                log.log(Level.INFO, what + ": lost the connection to " + endpoint() + "; saying hello again");
                open();
                continue;
            }
            if (poller.isReadable(socket)) {
                List<byte[]> message = Multipart.rest(socket, socket.recv());
                livesLeft = liveness;
                backOffMillis = 0;
                return message;
            }
            if (now() - nextHeartbeat >= 0) {
                if (--livesLeft <= 0) {
                    backOffMillis = backOffMillis == 0 ? heartbeatMillis : Math.min(backOffMillis * 2, heartbeatMillis * 32);
                    String silent = endpoint();
                    current = (current + 1) % endpoints.size();
                    log.log(Level.WARNING, what + ": " + silent + " silent for " + liveness + " heartbeats; starting over"
                            + (endpoints.size() > 1 ? " with " + endpoint() : "") + " in " + backOffMillis + " ms");
                    sleep(backOffMillis);
                    open();
                    continue;
                }
                send(heartbeat);
            }
        }
    }

    /** Whether the connection dropped since the socket was opened (reads the monitor). */
    public boolean lost() {
        byte[] first;
        while (!lost && (first = events.recv(Socket.DONTWAIT)) != null) {
            Multipart.rest(events, first);
            lost = true;
        }
        return lost;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis); // the back-off itself: nothing to wait for
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZmqException(ZmqException.Errno.EINTR, "interrupted while waiting to reconnect");
        }
    }

    /**
     * Closes the link, sending {@code goodbye} first (when not null) with up to a second for it to
     * leave.
     */
    public void close(List<byte[]> goodbye) {
        if (socket == null) {
            return;
        }
        if (goodbye != null) {
            try {
                if (!lost()) {
                    socket.setOption(Option.LINGER, (int) Math.min(heartbeatMillis, 1000));
                    Multipart.send(socket, null, goodbye);
                }
            } catch (ZmqException e) {
                // closing anyway (ETERM when the context closed first)
            }
        }
        closeSocket();
        poller.close();
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

    private static long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }
}
