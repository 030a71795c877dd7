package org.zmq4j.testsuite;

import java.time.Duration;

import org.zmq4j.SocketType;

/**
 * One end of a tested connection: a zmq4j socket ({@link Zmq4jEnd}) or a libzmq socket in a
 * {@link LibzmqPeer} process ({@link LibzmqEnd}). The scenarios of this suite are written once
 * against this interface and run with either implementation on either side, over every transport
 * (the Aeron system-test idea in GUIDE section 3).
 * <p>
 * Every method is bounded in time: sends give up after {@link #SEND_TIMEOUT_MS} and fail the test.
 */
interface End extends AutoCloseable {
    /** Default bound for a send that is expected to succeed. */
    int SEND_TIMEOUT_MS = 10_000;

    /** Which implementation this end runs on. */
    Impl impl();

    /** The socket type. */
    SocketType type();

    /** Sets an option by libzmq name: value is an Integer, Boolean or byte[]. */
    void option(String name, Object value);

    /** Binds and returns the resolved endpoint (retrying briefly while a restarted endpoint is still in use). */
    String bind(String endpoint);

    /** Connects. */
    void connect(String endpoint);

    /** Unbinds. */
    void unbind(String endpoint);

    /** Sends a message and fails the test if it cannot be queued within {@link #SEND_TIMEOUT_MS}. */
    default void send(Msg m) {
        String error = trySend(m, SEND_TIMEOUT_MS);
        if (error != null) {
            throw new AssertionError(this + " could not send " + m + ": " + error);
        }
    }

    /**
     * Tries to send a message.
     *
     * @return null when queued, else the error name ("EAGAIN" for a timeout, "EHOSTUNREACH", ...)
     */
    String trySend(Msg m, int timeoutMs);

    /**
     * Sends, retrying EHOSTUNREACH (a ROUTER_MANDATORY socket whose peer's handshake is not done
     * yet) until the deadline; fails the test when it is still unreachable then.
     */
    void sendWhenReachable(Msg m, Duration max);

    /**
     * Receives a whole message, or null when none arrives within timeoutMs. The frames after the
     * first must be there at once: a multipart message is delivered whole or not at all.
     */
    Msg recv(int timeoutMs);

    /**
     * Lets the socket process its pending internal work without sending or receiving a message
     * (libzmq: ZMQ_EVENTS; zmq4j: a zero-timeout poll). A libzmq socket handles new connections
     * only inside API calls, so a bound SUB that is never called never sends its subscriptions.
     */
    void poke();

    /** Closes the socket (LINGER 0 was set at creation). */
    @Override
    void close();

    /** The two implementations. */
    enum Impl {
        ZMQ4J("zmq4j"), LIBZMQ("libzmq");

        final String label;

        Impl(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }
}
