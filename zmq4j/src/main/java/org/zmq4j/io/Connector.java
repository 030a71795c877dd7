package org.zmq4j.io;

import java.nio.channels.SocketChannel;

import org.zmq4j.ZmqException.Errno;

/** Makes outgoing connections for a session, one attempt at a time (I/O thread). */
public interface Connector {
    /** Hears how a connection attempt ended. Exactly one method is called per attempt. */
    interface Callback {
        /**
         * @param channel the connected, non-blocking channel
         */
        void connected(SocketChannel channel);

        /**
         * @param errno  libzmq's name for the failure (ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH...)
         * @param reason why the attempt failed, for people
         */
        void failed(Errno errno, String reason);

        /** The attempt is in progress and will complete asynchronously. */
        default void delayed() {
        }
    }

    /**
     * Starts one attempt.
     *
     * @param io       the I/O thread to run on
     * @param callback who hears the outcome
     */
    void connect(IoThread io, Callback callback);

    /** Abandons the attempt in progress, if any, without calling back. */
    void cancel();
}
