package org.zmq4j.io;

import org.zmq4j.SocketEvent;

/** Where the I/O side reports monitor events of a socket. Callable from any thread; must not block. */
public interface MonitorSink {
    /** A sink that drops everything. */
    MonitorSink NONE = (type, value, endpoint, reason) -> { };

    /**
     * Reports an event.
     *
     * @param type     the event
     * @param value    its value (see {@link SocketEvent})
     * @param endpoint the endpoint concerned
     * @param reason   a human-readable reason
     */
    void emit(SocketEvent.Type type, int value, String endpoint, String reason);

    /** Whether anyone listens for {@code type} (lets callers skip building reasons). */
    default boolean wants(SocketEvent.Type type) {
        return true;
    }
}
