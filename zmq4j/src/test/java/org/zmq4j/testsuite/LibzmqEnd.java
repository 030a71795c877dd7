package org.zmq4j.testsuite;

import java.time.Duration;

import org.zmq4j.SocketType;

/** An {@link End} backed by a libzmq socket in a {@link LibzmqPeer} process. */
final class LibzmqEnd implements End {
    private final LibzmqPeer.PeerSocket socket;

    LibzmqEnd(LibzmqPeer peer, SocketType type) {
        this.socket = peer.socket(type);
    }

    @Override
    public Impl impl() {
        return Impl.LIBZMQ;
    }

    @Override
    public SocketType type() {
        return socket.type();
    }

    LibzmqPeer peer() {
        return socket.peer();
    }

    @Override
    public void option(String name, Object value) {
        if (value instanceof byte[] b) {
            socket.setOption(name, b);
        } else if (value instanceof Boolean b) {
            socket.setOption(name, b ? 1 : 0);
        } else if (value instanceof Integer i) {
            socket.setOption(name, i);
        } else {
            throw new IllegalArgumentException("option " + name + ": unsupported value " + value);
        }
    }

    @Override
    public String bind(String endpoint) {
        return socket.bind(endpoint, 10_000);
    }

    @Override
    public void connect(String endpoint) {
        socket.connect(endpoint);
    }

    @Override
    public void unbind(String endpoint) {
        socket.unbind(endpoint);
    }

    @Override
    public String trySend(Msg m, int timeoutMs) {
        return socket.send(m.frames(), timeoutMs, false);
    }

    @Override
    public void sendWhenReachable(Msg m, Duration max) {
        String error = socket.send(m.frames(), (int) max.toMillis(), true);
        if (error != null) {
            throw new AssertionError(this + " could not send " + m + " within " + max + ": " + error);
        }
    }

    @Override
    public Msg recv(int timeoutMs) {
        var frames = socket.recv(timeoutMs);
        return frames == null ? null : new Msg(frames);
    }

    @Override
    public void poke() {
        socket.getOption("EVENTS");
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return "libzmq " + type();
    }
}
