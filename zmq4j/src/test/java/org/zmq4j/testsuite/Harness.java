package org.zmq4j.testsuite;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.zmq4j.Context;
import org.zmq4j.SocketType;
import org.zmq4j.testsuite.End.Impl;

/**
 * What one scenario runs in: a zmq4j {@link Context}, a {@link LibzmqPeer} process started the
 * first time a libzmq end is asked for, and fresh endpoints of one {@link Transport} (tcp on
 * 127.0.0.1, ipc files in a temporary directory removed on {@link #close()}, inproc names unique
 * in this JVM).
 */
final class Harness implements AutoCloseable {
    private static final AtomicInteger NAMES = new AtomicInteger();

    final Transport transport;
    private final Context ctx = new Context();
    private LibzmqPeer peer;
    private Path ipcDir;

    Harness(Transport transport) {
        this.transport = transport;
    }

    /** The zmq4j context. */
    Context ctx() {
        return ctx;
    }

    /** The libzmq process, started on first use (skips the test when pyzmq is missing). */
    LibzmqPeer peer() {
        if (peer == null) {
            peer = LibzmqPeer.start();
        }
        return peer;
    }

    /** A new socket of {@code type} on {@code impl}, LINGER 0. */
    End open(Impl impl, SocketType type) {
        return impl == Impl.ZMQ4J ? new Zmq4jEnd(ctx, type) : new LibzmqEnd(peer(), type);
    }

    /** An endpoint to bind: tcp://127.0.0.1:*, a fresh ipc path or a fresh inproc name. */
    String bindable() {
        switch (transport) {
            case TCP:
                return "tcp://127.0.0.1:*";
            case IPC:
                return "ipc://" + ipcDir().resolve("e" + NAMES.incrementAndGet() + ".ipc");
            default:
                return "inproc://zmq4j-suite-" + NAMES.incrementAndGet();
        }
    }

    /**
     * A concrete endpoint nothing is bound to yet, to connect to before the bind: a tcp port that
     * was free a moment ago, a fresh ipc path or a fresh inproc name.
     */
    String unbound() {
        return transport == Transport.TCP ? "tcp://127.0.0.1:" + freePort() : bindable();
    }

    /** Binds {@code end} to {@link #bindable()} and returns the resolved endpoint. */
    String bind(End end) {
        return end.bind(bindable());
    }

    private Path ipcDir() {
        if (ipcDir == null) {
            try {
                ipcDir = Files.createTempDirectory("zmq4j-suite-");
            } catch (IOException e) {
                throw new AssertionError("cannot make a directory for ipc endpoints", e);
            }
        }
        return ipcDir;
    }

    private static int freePort() {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return ss.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError("cannot find a free port", e);
        }
    }

    /** Closes the context and the peer process, then removes the ipc directory. */
    @Override
    public void close() {
        try {
            ctx.close();
        } finally {
            try {
                if (peer != null) {
                    peer.close();
                }
            } finally {
                deleteIpcDir();
            }
        }
    }

    private void deleteIpcDir() {
        if (ipcDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(ipcDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover file in the temporary directory does no harm
        }
    }
}
