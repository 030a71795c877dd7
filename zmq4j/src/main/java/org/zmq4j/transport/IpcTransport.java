package org.zmq4j.transport;

import org.zmq4j.common.Endpoint;
import org.zmq4j.common.Errors;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.io.Connector;
import org.zmq4j.io.SessionHost;
import org.zmq4j.common.SocketOptions;

/**
 * ipc:// — real Unix domain sockets (AF_UNIX, JDK 16+), so libzmq processes can talk to us over
 * {@code ipc://path}. Path rules as libzmq: relative or absolute paths; {@code ipc://*} makes a fresh
 * path in a new temporary directory; a stale socket file from a dead process is replaced on bind; the
 * file is removed on unbind/close. Linux abstract names ({@code ipc://@name}) are not available
 * through the JDK and are refused with EPROTONOSUPPORT.
 */
final class IpcTransport {
    private IpcTransport() {
    }

    static void configure(SocketChannel ch, SocketOptions options) throws IOException {
        ch.configureBlocking(false);
    }

    private static Path pathOf(Endpoint ep) {
        String address = ep.address();
        if (address.startsWith("@")) {
            throw new ZmqException(Errno.EPROTONOSUPPORT, "abstract ipc names ('" + ep.text()
                    + "') are not supported: the JDK's Unix domain sockets only use file paths");
        }
        if (address.isEmpty()) {
            throw new ZmqException(Errno.EINVAL, "empty ipc path in '" + ep.text() + "'");
        }
        return Path.of(address);
    }

    static EndpointHandle bind(Endpoint ep, SessionHost host, SocketOptions options) {
        Path path;
        boolean tempDir = false;
        if (ep.address().equals("*")) {
            try {
                path = Files.createTempDirectory("zmq4j-ipc-").resolve("socket");
                tempDir = true;
            } catch (IOException e) {
                throw new ZmqException(Errno.EIO, "cannot create a directory for '" + ep.text() + "': " + e.getMessage(), e);
            }
        } else {
            path = pathOf(ep);
            removeIfStale(path, ep);
        }
        ServerSocketChannel server = null;
        try {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(path), options.backlog);
            server.configureBlocking(false);
        } catch (IOException e) {
            StreamListener.closeQuietly(server);
            throw new ZmqException(Errors.ofBind(e, Errno.EADDRNOTAVAIL), "cannot bind to '" + ep.text() + "': " + e.getMessage(), e);
        }
        Path bound = path;
        boolean removeDir = tempDir;
        String resolved = "ipc://" + path;
        return new StreamListener(ep.text(), resolved, server, host, options, IpcTransport::configure, () -> {
            try {
                Files.deleteIfExists(bound);
                if (removeDir) {
                    Files.deleteIfExists(bound.getParent());
                }
            } catch (IOException ignored) {
                // best effort, as libzmq
            }
        });
    }

    /**
     * A socket file left by a dead process refuses connections: remove it so bind succeeds. A
     * file that accepts connections belongs to a live listener: EADDRINUSE.
     */
    private static void removeIfStale(Path path, Endpoint ep) {
        if (!Files.exists(path)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new ZmqException(Errno.EADDRINUSE, "'" + ep.text() + "' is in use by a live listener");
        } catch (ConnectException stale) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new ZmqException(Errno.EADDRINUSE, "cannot replace stale ipc file for '" + ep.text() + "': " + e.getMessage(), e);
            }
        } catch (IOException other) {
            throw new ZmqException(Errno.EADDRINUSE, "'" + ep.text() + "' exists and is not a usable socket: " + other.getMessage(), other);
        }
    }

    static Connector connector(Endpoint ep, SocketOptions options) {
        Path path = pathOf(ep);
        if (ep.address().equals("*")) {
            throw new ZmqException(Errno.EINVAL, "connect needs a path, got '" + ep.text() + "'");
        }
        return new StreamConnector(new StreamConnector.Dialer() {
            @Override
            public SocketAddress target() {
                return UnixDomainSocketAddress.of(path);
            }

            @Override
            public SocketChannel open() throws IOException {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                ch.configureBlocking(false);
                return ch;
            }
        });
    }
}
