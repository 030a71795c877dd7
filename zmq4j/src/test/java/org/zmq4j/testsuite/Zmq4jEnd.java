package org.zmq4j.testsuite;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;

/** An {@link End} backed by a zmq4j socket. */
final class Zmq4jEnd implements End {
    private final Socket socket;
    private final SocketType type;
    private int rcvtimeo = Integer.MIN_VALUE;
    private int sndtimeo = Integer.MIN_VALUE;

    Zmq4jEnd(Context ctx, SocketType type) {
        this.type = type;
        this.socket = ctx.socket(type);
        socket.setOption(Option.LINGER, 0);
    }

    /** The zmq4j socket, for tests that need the API directly. */
    Socket socket() {
        return socket;
    }

    @Override
    public Impl impl() {
        return Impl.ZMQ4J;
    }

    @Override
    public SocketType type() {
        return type;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void option(String name, Object value) {
        Option<Object> option = (Option<Object>) Option.valueOf(name);
        Object v = value;
        if (Boolean.class.equals(option.type()) && value instanceof Integer i) {
            v = i != 0;
        }
        socket.setOption(option, v);
    }

    @Override
    public String bind(String endpoint) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                socket.bind(endpoint);
                break;
            } catch (ZmqException e) {
                if (e.errno() != ZmqException.Errno.EADDRINUSE || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                pause();
            }
        }
        String resolved = socket.lastEndpoint();
        if (resolved == null || resolved.isEmpty() || resolved.endsWith(":*")) {
            throw new AssertionError(this + ": lastEndpoint() after bind(" + endpoint + ") is '" + resolved + "'");
        }
        return resolved;
    }

    @Override
    public void connect(String endpoint) {
        socket.connect(endpoint);
    }

    @Override
    public void unbind(String endpoint) {
        socket.unbind(endpoint);
    }

    private void setSndtimeo(int ms) {
        if (ms != sndtimeo) {
            socket.setOption(Option.SNDTIMEO, ms);
            sndtimeo = ms;
        }
    }

    private void setRcvtimeo(int ms) {
        if (ms != rcvtimeo) {
            socket.setOption(Option.RCVTIMEO, ms);
            rcvtimeo = ms;
        }
    }

    @Override
    public String trySend(Msg m, int timeoutMs) {
        setSndtimeo(timeoutMs);
        List<byte[]> frames = m.frames();
        try {
            for (int i = 0; i < frames.size(); i++) {
                boolean last = i == frames.size() - 1;
                boolean queued = last ? socket.send(frames.get(i)) : socket.sendMore(frames.get(i));
                if (!queued) {
                    if (i > 0) {
                        throw new AssertionError(this + ": send timed out at frame " + i + " of " + m
                                + " (a multipart message must be accepted whole or not at all)");
                    }
                    return "EAGAIN";
                }
            }
            return null;
        } catch (ZmqException e) {
            if (e.errno() == ZmqException.Errno.EHOSTUNREACH || e.errno() == ZmqException.Errno.EAGAIN) {
                return e.errno().name();
            }
            throw e;
        }
    }

    @Override
    public void sendWhenReachable(Msg m, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        String error;
        while ((error = trySend(m, SEND_TIMEOUT_MS)) != null) {
            if (!error.equals("EHOSTUNREACH") || System.nanoTime() - deadline > 0) {
                throw new AssertionError(this + " could not send " + m + " within " + max + ": " + error);
            }
            pause();
        }
    }

    /** The polling interval of a bounded retry loop (never used to wait for a specific event). */
    private static void pause() {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }

    @Override
    public Msg recv(int timeoutMs) {
        setRcvtimeo(timeoutMs);
        byte[] first = socket.recv();
        return first == null ? null : Suite.rest(socket, first, this);
    }

    @Override
    public void poke() {
        try (Poller poller = new Poller()) {
            poller.register(socket, Poller.POLLIN);
            poller.poll(0);
        }
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return "zmq4j " + type;
    }
}
