package org.zmq4j.transport;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.io.IoHandler;
import org.zmq4j.io.IoThread;
import org.zmq4j.io.Session;
import org.zmq4j.io.SessionHost;
import org.zmq4j.io.SocketOptions;

/** Accepts tcp connections on one bound address; each becomes a {@link Session} on an I/O thread. */
final class TcpListener implements Listener, IoHandler {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.transport");

    private final String endpoint;
    private final String resolved;
    private final ServerSocketChannel server;
    private final IoThread io;
    private final SessionHost host;
    private final SocketOptions options;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private TcpListener(String endpoint, ServerSocketChannel server, IoThread io, SessionHost host, SocketOptions options)
            throws IOException {
        this.endpoint = endpoint;
        this.server = server;
        this.io = io;
        this.host = host;
        this.options = options;
        this.resolved = TcpAddress.format((InetSocketAddress) server.getLocalAddress());
    }

    /**
     * Binds now (so errors reach the caller) and starts accepting on an I/O thread.
     */
    static TcpListener bind(Endpoint ep, SessionHost host, SocketOptions options) {
        TcpAddress addr = TcpAddress.parse(ep.address(), ep.text(), true);
        InetSocketAddress local = addr.resolveForBind(options.ipv6, ep.text());
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (options.rcvBuf > 0) {
                server.setOption(StandardSocketOptions.SO_RCVBUF, options.rcvBuf);
            }
            server.bind(local, options.backlog);
            server.configureBlocking(false);
            IoThread io = host.context().chooseThread();
            TcpListener listener = new TcpListener(ep.text(), server, io, host, options);
            io.execute(listener::register);
            return listener;
        } catch (BindException e) {
            closeQuietly(server);
            String msg = String.valueOf(e.getMessage());
            Errno errno = msg.contains("in use") ? Errno.EADDRINUSE : Errno.EADDRNOTAVAIL;
            throw new ZmqException(errno, "cannot bind to '" + ep.text() + "': " + msg, e);
        } catch (IOException e) {
            closeQuietly(server);
            throw new ZmqException(Errno.EIO, "cannot bind to '" + ep.text() + "': " + e.getMessage(), e);
        }
    }

    private void register() {
        if (closed) {
            closeQuietly(server);
            return;
        }
        try {
            io.register(server, SelectionKey.OP_ACCEPT, this);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot listen on " + resolved, e);
        }
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
    public void onReady(SelectionKey key) throws IOException {
        for (int i = 0; i < 64; i++) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "accept failed on " + resolved + ": " + e.getMessage());
                return;
            }
            if (ch == null) {
                return;
            }
            try {
                TcpConnector.configure(ch, options);
            } catch (IOException e) {
                closeQuietly(ch);
                continue;
            }
            IoThread target = host.context().chooseThread();
            Session s = Session.accepted(target, host, options, endpoint, ch, sessions::remove);
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
                for (Session s : new ArrayList<>(sessions)) {
                    s.terminateLater(linger);
                }
            } finally {
                host.context().lingerEnd();
            }
        });
    }

    static void closeQuietly(java.io.Closeable c) {
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
