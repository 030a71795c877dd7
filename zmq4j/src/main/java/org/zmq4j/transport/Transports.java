package org.zmq4j.transport;

import java.io.IOException;
import java.nio.channels.DatagramChannel;

import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.common.Endpoint;
import org.zmq4j.common.SocketOptions;
import org.zmq4j.inproc.InprocRegistry;
import org.zmq4j.io.Connector;
import org.zmq4j.io.DatagramEngine;
import org.zmq4j.io.IoThread;
import org.zmq4j.io.Session;
import org.zmq4j.io.SessionHost;
import org.zmq4j.pipe.Peer;

/**
 * The one place that knows transport names: turns an endpoint into what serves it (a listener, a
 * connect's session, an inproc connection, a udp or epgm endpoint), behind one {@link EndpointHandle}.
 */
public final class Transports {
    private Transports() {
    }

    /**
     * Binds {@code endpoint}.
     *
     * @param endpoint the endpoint
     * @param host     the socket
     * @param options  options copied at bind time
     * @return the handle, already accepting
     * @throws ZmqException EPROTONOSUPPORT, EINVAL, EADDRINUSE...
     */
    public static EndpointHandle bind(Endpoint endpoint, SessionHost host, SocketOptions options) {
        switch (endpoint.transport()) {
            case "tcp":
                return TcpTransport.bind(endpoint, host, options);
            case "ipc":
                return IpcTransport.bind(endpoint, host, options);
            case "inproc":
                return inprocBinding(endpoint, host.context().inproc().bind(endpoint, host, options));
            case "udp":
                return UdpTransport.bind(endpoint, host, options);
            case "epgm":
                return PgmTransport.open(endpoint, host, options, true);
            case "pgm":
                throw PgmTransport.rawRefused(endpoint);
            default:
                throw unsupported(endpoint);
        }
    }

    /**
     * Connects {@code endpoint}: validates it now; the connection itself is made in the
     * background once the socket calls {@link EndpointHandle#start()}.
     *
     * @param endpoint the endpoint
     * @param host     the socket
     * @param options  options copied at connect time
     * @return the handle
     * @throws ZmqException EPROTONOSUPPORT, EINVAL, ENOCOMPATPROTO (udp with a type other than RADIO)...
     */
    public static EndpointHandle connect(Endpoint endpoint, SessionHost host, SocketOptions options) {
        switch (endpoint.transport()) {
            case "tcp":
                return connecting(endpoint, host, options, TcpTransport.connector(endpoint, options));
            case "ipc":
                return connecting(endpoint, host, options, IpcTransport.connector(endpoint, options));
            case "inproc":
                return inprocConnection(endpoint, host.context().inproc().connect(endpoint, host, options));
            case "udp":
                return UdpTransport.connect(endpoint, host, options);
            case "epgm":
                return PgmTransport.open(endpoint, host, options, false);
            case "pgm":
                throw PgmTransport.rawRefused(endpoint);
            default:
                throw unsupported(endpoint);
        }
    }

    /** A stream connect: a session on the least loaded I/O thread, its persistent peer posted at start. */
    private static EndpointHandle connecting(Endpoint endpoint, SessionHost host, SocketOptions options, Connector connector) {
        IoThread io = host.context().chooseThread();
        Session session = Session.connecting(io, host, options, endpoint.text(), connector);
        Peer peer = session.persistentPeer();
        return new EndpointHandle() {
            @Override
            public String endpoint() {
                return endpoint.text();
            }

            @Override
            public boolean isBind() {
                return false;
            }

            @Override
            public void start() {
                if (peer != null) {
                    host.peerAttached(peer); // as libzmq: sends queue until the connection exists
                }
                io.execute(session::start);
            }

            @Override
            public Peer peer() {
                return peer;
            }

            @Override
            public boolean owns(Peer p) {
                return p.origin() == session;
            }

            @Override
            public void close(int linger) {
                session.terminateLater(linger);
            }
        };
    }

    /** An inproc endpoint: served by pipes between sockets, no I/O thread. */
    private abstract static class InprocHandle implements EndpointHandle {
        private final Endpoint endpoint;

        InprocHandle(Endpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public final String endpoint() {
            return endpoint.text();
        }

        @Override
        public final boolean usesIoThreads() {
            return false;
        }
    }

    private static EndpointHandle inprocBinding(Endpoint endpoint, InprocRegistry.Binding binding) {
        return new InprocHandle(endpoint) {
            @Override
            public boolean isBind() {
                return true;
            }

            @Override
            public void close(int linger) {
                binding.close();
            }
        };
    }

    private static EndpointHandle inprocConnection(Endpoint endpoint, InprocRegistry.Connection connection) {
        return new InprocHandle(endpoint) {
            @Override
            public boolean isBind() {
                return false;
            }

            @Override
            public Peer peer() {
                return connection.peer();
            }

            @Override
            public boolean owns(Peer p) {
                return p == connection.peer();
            }

            @Override
            public void close(int linger) {
                connection.close();
            }
        };
    }

    /** The handle of a datagram endpoint (udp, epgm): the engine is the endpoint. */
    static EndpointHandle datagramHandle(DatagramEngine engine, boolean bound) {
        return new EndpointHandle() {
            @Override
            public int number() {
                return engine.number();
            }

            @Override
            public String endpoint() {
                return engine.endpoint();
            }

            @Override
            public String resolvedEndpoint() {
                return engine.resolvedEndpoint();
            }

            @Override
            public boolean isBind() {
                return bound;
            }

            @Override
            public void close(int linger) {
                engine.close(linger);
            }
        };
    }

    /** Closes a channel that failed to open fully. */
    static void closeQuietly(DatagramChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // failing anyway
        }
    }

    private static ZmqException unsupported(Endpoint endpoint) {
        String t = endpoint.transport();
        if (t.equals("norm") || t.equals("tipc") || t.equals("vmci") || t.equals("ws") || t.equals("wss")) {
            return new ZmqException(Errno.EPROTONOSUPPORT, "transport '" + t + "' is not supported by zmq4j yet (endpoint '"
                    + endpoint.text() + "')");
        }
        return new ZmqException(Errno.EPROTONOSUPPORT, "unknown transport '" + t + "' in endpoint '" + endpoint.text() + "'");
    }
}
