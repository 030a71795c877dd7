package org.zmq4j;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;

import org.zmq4j.ZmqException.Errno;

/**
 * The loop behind {@link org.zmq4j.Proxy}: forwards whole messages between a frontend and a
 * backend, copies every frame to an optional capture socket, and obeys an optional control socket.
 * <p>
 * Like libzmq's, it reads from a side only while the other side can take a message (so a slow
 * consumer pushes back on the producer instead of filling memory), forwards in bursts of up to
 * {@value #BURST} messages, and sends with the sockets' own blocking rules. While paused it waits
 * on the control socket alone.
 */
final class ProxyLoop {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.proxy");
    private static final int BURST = 1000;

    private enum State { ACTIVE, PAUSED, TERMINATED }

    private final SocketHandle frontend;
    private final SocketHandle backend;
    private final SocketHandle capture;
    private final SocketHandle control;
    private final boolean sameSocket;
    private final ProxyStatistics statistics = new ProxyStatistics();
    private final Poller waiting = new Poller();
    private State state = State.ACTIVE;
    private boolean requestsBlocked;
    private boolean repliesBlocked;
    private int frontInterest = -1;
    private int backInterest = -1;

    /**
     * @param frontend the frontend socket
     * @param backend  the backend socket (may be the frontend itself)
     * @param capture  gets a copy of every frame, or null
     * @param control  takes PAUSE, RESUME, TERMINATE and STATISTICS, or null
     * @throws ZmqException EINVAL for a null or foreign frontend/backend
     */
    ProxyLoop(Socket frontend, Socket backend, Socket capture, Socket control) {
        this.frontend = SocketHandle.of(frontend, "the proxy's frontend");
        this.backend = SocketHandle.of(backend, "the proxy's backend");
        this.capture = capture == null ? null : SocketHandle.of(capture, "the proxy's capture socket");
        this.control = control == null ? null : SocketHandle.of(control, "the proxy's control socket");
        this.sameSocket = frontend == backend;
    }

    /**
     * Runs until TERMINATE arrives on the control socket or the context is closed.
     *
     * @throws ZmqException EINTR when the thread is interrupted, ENOTSOCK when a socket was closed,
     *                      EAGAIN when a send timed out (SNDTIMEO), other errors of the sockets
     */
    void run() {
        try {
            while (state != State.TERMINATED) {
                waitForWork();
                if (control != null && (control.pollEvents() & Poller.POLLIN) != 0) {
                    handleControl();
                }
                if (state == State.ACTIVE) {
                    forwardReady();
                }
            }
        } catch (ZmqException e) {
            if (e.errno() != Errno.ETERM) {
                throw e;
            }
            LOG.log(Level.DEBUG, "proxy ends: context closed");
        } finally {
            waiting.close();
        }
    }

    /** Blocks until a side has something to forward (or room for what is waiting), or a command. */
    private void waitForWork() {
        boolean active = state == State.ACTIVE;
        int front = 0;
        int back = 0;
        if (active) {
            front = (requestsBlocked ? 0 : Poller.POLLIN) | (repliesBlocked ? Poller.POLLOUT : 0);
            back = (repliesBlocked ? 0 : Poller.POLLIN) | (requestsBlocked ? Poller.POLLOUT : 0);
        }
        if (sameSocket) {
            front |= back;
            back = front;
        }
        if (front != frontInterest || back != backInterest) { // re-register only on a change
            frontInterest = front;
            backInterest = back;
            waiting.register(frontend, front);
            if (!sameSocket) {
                waiting.register(backend, back);
            }
            if (control != null) {
                waiting.register(control, Poller.POLLIN);
            }
        }
        waiting.poll(-1);
        checkOpen(frontend);
        checkOpen(backend);
        checkOpen(control);
    }

    private void checkOpen(SocketHandle s) {
        if (s != null && waiting.isError(s)) {
            throw new ZmqException(Errno.ENOTSOCK, "a " + s.type() + " socket of the proxy was closed while it ran");
        }
    }

    private void forwardReady() {
        requestsBlocked = false;
        repliesBlocked = false;
        if ((frontend.pollEvents() & Poller.POLLIN) != 0) {
            requestsBlocked = !forward(frontend, backend, true);
        }
        if (!sameSocket && (backend.pollEvents() & Poller.POLLIN) != 0) {
            repliesBlocked = !forward(backend, frontend, false);
        }
    }

    /**
     * Forwards up to a burst of whole messages while the destination can take them.
     *
     * @return false when messages are waiting but the destination has no room
     */
    private boolean forward(SocketHandle from, SocketHandle to, boolean fromFrontend) {
        for (int i = 0; i < BURST; i++) {
            if (!sameSocket && (to.pollEvents() & Poller.POLLOUT) == 0) {
                return false;
            }
            byte[] frame = from.recv(Socket.DONTWAIT);
            if (frame == null) {
                return true;
            }
            long bytes = 0;
            while (true) {
                boolean more = from.hasMore();
                bytes += frame.length;
                if (capture != null) {
                    send(capture, frame.clone(), more);
                }
                send(to, frame, more);
                if (!more) {
                    break;
                }
                frame = from.recv();
                if (frame == null) {
                    throw new ZmqException(Errno.EAGAIN, "the rest of a multipart message did not arrive within RCVTIMEO");
                }
            }
            statistics.forwarded(fromFrontend, bytes);
        }
        return true;
    }

    private static void send(SocketHandle to, byte[] frame, boolean more) {
        if (!to.send(frame, more ? Socket.SNDMORE : 0)) {
            throw new ZmqException(Errno.EAGAIN, "the proxy could not send to its " + to.type() + " socket within SNDTIMEO");
        }
    }

    /**
     * One command from the control socket. As libzmq 4.3.4, the command is copied to the capture
     * socket and STATISTICS is answered with eight frames; unlike it, an unknown or multipart
     * command is ignored (libzmq asserts), and a REP control socket gets an empty reply to every
     * other command so that it can take the next one (as later libzmq versions do).
     */
    private void handleControl() {
        byte[] command = control.recv(Socket.DONTWAIT);
        if (command == null) {
            return;
        }
        boolean multipart = control.hasMore();
        while (control.hasMore()) {
            control.recv();
        }
        if (capture != null && !multipart) {
            send(capture, command.clone(), false);
        }
        String name = multipart ? "" : new String(command, StandardCharsets.US_ASCII);
        switch (name) {
            case "PAUSE":
                state = State.PAUSED;
                break;
            case "RESUME":
                state = State.ACTIVE;
                break;
            case "TERMINATE":
                state = State.TERMINATED;
                break;
            case "STATISTICS":
                replyStatistics();
                return;
            default:
                LOG.log(Level.WARNING, "proxy ignores an unknown control command ("
                        + (multipart ? "multipart" : command.length + " bytes") + ")");
                break;
        }
        if (control.type() == SocketType.REP) {
            send(control, new byte[0], false);
        }
    }

    /** Eight frames, or nothing when the control socket cannot take a message now. */
    private void replyStatistics() {
        byte[][] frames = statistics.frames();
        try {
            if (!control.send(frames[0], Socket.SNDMORE | Socket.DONTWAIT)) {
                LOG.log(Level.WARNING, "proxy could not reply to STATISTICS: control socket has no room");
                return;
            }
        } catch (ZmqException e) {
            if (e.errno() == Errno.ENOTSUP) {
                return; // a receive-only control socket (SUB, PULL): nowhere to reply
            }
            throw e;
        }
        for (int i = 1; i < frames.length; i++) {
            send(control, frames[i], i < frames.length - 1);
        }
    }
}
