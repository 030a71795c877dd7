package org.zmq4j.transport;

import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.io.Connector;
import org.zmq4j.io.SessionHost;
import org.zmq4j.io.SocketOptions;

/** The one place endpoints are turned into listeners and connectors, per transport. */
public final class Transports {
    private Transports() {
    }

    /**
     * Binds {@code endpoint}.
     *
     * @param endpoint the endpoint
     * @param host     the socket
     * @param options  options copied at bind time
     * @return the listener, already accepting
     * @throws ZmqException EPROTONOSUPPORT, EINVAL, EADDRINUSE...
     */
    public static Listener bind(Endpoint endpoint, SessionHost host, SocketOptions options) {
        switch (endpoint.transport()) {
            case "tcp":
                return TcpTransport.bind(endpoint, host, options);
            case "ipc":
                return IpcTransport.bind(endpoint, host, options);
            case "inproc":
                return host.context().inproc().bind(endpoint, host, options);
            case "udp":
                return UdpTransport.bind(endpoint, host, options);
            default:
                throw unsupported(endpoint);
        }
    }

    /**
     * A connector for {@code endpoint} (validated now, connected later).
     *
     * @param endpoint the endpoint
     * @param options  options copied at connect time
     * @return the connector
     */
    public static Connector connector(Endpoint endpoint, SocketOptions options) {
        switch (endpoint.transport()) {
            case "tcp":
                return TcpTransport.connector(endpoint, options);
            case "ipc":
                return IpcTransport.connector(endpoint, options);
            case "udp":
                throw new ZmqException(Errno.EINVAL, "udp endpoints are connected with connectDatagram, not a connector ('"
                        + endpoint.text() + "')");
            default:
                throw unsupported(endpoint);
        }
    }

    /**
     * Connects a datagram endpoint (udp, RADIO only): the returned handle owns the channel and the
     * peer it attached to {@code host}; closing it detaches the peer.
     *
     * @param endpoint the endpoint
     * @param host     the socket
     * @param options  options copied at connect time
     * @return the handle, closed by disconnect or socket close
     * @throws ZmqException ENOCOMPATPROTO unless the socket is a RADIO; EINVAL for a malformed
     *                      address; EPROTONOSUPPORT for a transport that is not a datagram one
     */
    public static Listener connectDatagram(Endpoint endpoint, SessionHost host, SocketOptions options) {
        if (endpoint.transport().equals("udp")) {
            return UdpTransport.connect(endpoint, host, options);
        }
        throw unsupported(endpoint);
    }

    private static ZmqException unsupported(Endpoint endpoint) {
        String t = endpoint.transport();
        if (t.equals("pgm") || t.equals("epgm")
                || t.equals("tipc") || t.equals("vmci") || t.equals("ws") || t.equals("wss")) {
            return new ZmqException(Errno.EPROTONOSUPPORT, "transport '" + t + "' is not supported by zmq4j yet (endpoint '"
                    + endpoint.text() + "')");
        }
        return new ZmqException(Errno.EPROTONOSUPPORT, "unknown transport '" + t + "' in endpoint '" + endpoint.text() + "'");
    }
}
