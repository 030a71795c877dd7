package org.zmq4j.transport;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.zmq4j.SocketEvent;
import org.zmq4j.io.IoHandler;
import org.zmq4j.io.IoThread;
import org.zmq4j.io.Session;
import org.zmq4j.io.SessionHost;
import org.zmq4j.common.SocketOptions;

/**
 * Accepts stream connections (tcp or ipc) on one bound server channel; each becomes a
 * {@link Session} on an I/O thread. The transport-specific parts (opening, binding, per-channel
 * settings, cleaning up an ipc file) come from the transport that made it.
 */
final class StreamListener implements EndpointHandle, IoHandler {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.transport");

    /** Applies per-connection settings to an accepted channel. */
    interface ChannelSetup {
        void configure(SocketChannel channel, SocketOptions options) throws IOException;
    }

    private final String endpoint;
    private final String resolved;
    private final ServerSocketChannel server;
    private final IoThread io;
    private final SessionHost host;
    private final SocketOptions options;
    private final ChannelSetup setup;
    private final Runnable onClosed;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private static final java.util.concurrent.atomic.AtomicInteger NUMBERS = new java.util.concurrent.atomic.AtomicInteger();
    private final int number = NUMBERS.incrementAndGet();

    /**
     * Starts accepting on an I/O thread.
     *
     * @param endpoint the endpoint as given to bind
     * @param resolved the endpoint as LAST_ENDPOINT reports it
     * @param server   a bound, non-blocking server channel
     * @param host     the socket
     * @param options  options copied at bind time
     * @param setup    settings for each accepted channel
     * @param onClosed run on the I/O thread after the server channel is closed (e.g. unlink the ipc file)
     */
    StreamListener(String endpoint, String resolved, ServerSocketChannel server, SessionHost host, SocketOptions options,
                   ChannelSetup setup, Runnable onClosed) {
        this.endpoint = endpoint;
        this.resolved = resolved;
        this.server = server;
        this.host = host;
        this.options = options;
        this.setup = setup;
        this.onClosed = onClosed;
        this.io = host.context().chooseThread();
        io.execute(this::register);
    }

    private void register() {
        if (closed) {
            return;
        }
        try {
            io.register(server, SelectionKey.OP_ACCEPT, this);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot listen on " + resolved, e);
        }
    }

    @Override
    public int number() {
        return number;
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public String resolvedEndpoint() {
        return resolved;
    }

    @Override
    public boolean isBind() {
        return true;
    }

    @Override
    public void onReady(SelectionKey key) throws IOException {
        for (int i = 0; i < 64; i++) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "accept failed on " + resolved + ": " + e.getMessage());
                host.monitor().emit(SocketEvent.Type.ACCEPT_FAILED, 24, endpoint, "accept failed: " + e.getMessage()); // EMFILE-like
                return;
            }
            if (ch == null) {
                return;
            }
            try {
                setup.configure(ch, options);
            } catch (IOException e) {
                closeQuietly(ch);
                continue;
            }
            IoThread target = host.context().chooseThread();
            Session s = Session.accepted(target, host, options, resolved, ch, sessions::remove);
            sessions.add(s);
            target.execute(s::start);
        }
    }

    @Override
    public void onFailure(Throwable cause) {
        LOG.log(Level.WARNING, "listener " + resolved + " failed", cause);
    }

    @Override
    public void close(int linger) {
        closed = true;
        host.context().lingerBegin();
        io.execute(() -> {
            try {
                closeQuietly(server);
                host.monitor().emit(SocketEvent.Type.CLOSED, number, resolved, "listener closed");
                onClosed.run();
                for (Session s : new ArrayList<>(sessions)) {
                    s.terminateLater(linger);
                }
            } finally {
                host.context().lingerEnd();
            }
        });
    }

    static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
