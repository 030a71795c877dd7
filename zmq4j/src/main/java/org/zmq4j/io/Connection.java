package org.zmq4j.io;

import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;
import org.zmq4j.security.HandshakeFailure;

/**
 * One live connection as its {@link Session} sees it: a ZMTP {@link Engine} or a
 * {@link RawEngine} for STREAM sockets. Every method runs on the
 * session's I/O thread; the connection reports back through a {@link ConnectionListener}.
 */
public interface Connection {
    /** Registers the channel and begins (greeting for ZMTP; nothing to wait for when raw). */
    void start();

    /**
     * Serves a peer's pipes; called by the listener once the connection is ready.
     *
     * @param peer the peer whose pipes to serve
     */
    void attach(Peer peer);

    /**
     * Closes now. Idempotent.
     *
     * @param reason why, for logs and monitor events
     */
    void close(String reason);

    /**
     * Closes once everything queued is written, or at the deadline.
     *
     * @param lingerMillis -1 waits forever, 0 closes now
     */
    void closeWithLinger(int lingerMillis);

    /**
     * Whether messages for the peer wait to be written: still in {@code queue} (the socket's
     * outbound pipe), or already taken from it, encoded in the output buffer or a large body only
     * partly written because the kernel was full (I/O thread). A close with LINGER waits for all
     * of them. The engine reads the pipe itself, as a socket's thread may be writing to the
     * connection (and reading that pipe) at the same moment.
     *
     * @param queue the outbound pipe, or null when there is none
     * @return true when some output is not written yet
     */
    boolean hasUnsentOutput(Pipe queue);

    /** A number identifying this connection in monitor events (stands in for libzmq's fd). */
    int connectionNumber();

    /** The peer's address as the transport reports it. */
    String peerAddress();

    /** How the handshake failed, if it did: the monitor event to report and its value. */
    HandshakeFailure failure();

    /** Bytes read from the connection so far; any thread. */
    long bytesIn();

    /** Bytes written to it so far; any thread. */
    long bytesOut();

    /** {@link System#nanoTime()} of the last read or write, or of the connection's start; any thread. */
    long lastActivityNanos();

    /** Whether it was closed because heartbeats went unanswered. */
    default boolean heartbeatTimedOut() {
        return false;
    }

    /** Whether the peer's greeting was read whole (raw connections have none: true). */
    default boolean greeted() {
        return true;
    }
}
