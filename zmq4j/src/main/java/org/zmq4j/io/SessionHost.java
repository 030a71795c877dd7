package org.zmq4j.io;

import org.zmq4j.pipe.PeerHost;

/**
 * The socket side of a session: the peer host, plus what the I/O side needs of the socket (its
 * context and where monitor events go). Called on I/O threads; implementations must not block.
 */
public interface SessionHost extends PeerHost {
    /** The context the socket belongs to. */
    IoContext context();

    /** Where connection events are reported (socket monitor). */
    default MonitorSink monitor() {
        return MonitorSink.NONE;
    }

    /** Where the socket's sessions register and count their connection events (metrics). */
    default ConnectionBook connections() {
        return ConnectionBook.UNCOUNTED;
    }
}
