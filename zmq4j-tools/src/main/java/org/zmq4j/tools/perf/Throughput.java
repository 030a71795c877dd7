package org.zmq4j.tools.perf;

import org.zmq4j.Socket;

/**
 * The two halves of a throughput test, as in libzmq's remote_thr and local_thr: a sender that
 * pushes messages as fast as the socket takes them, and a receiver that times their arrival.
 */
final class Throughput {
    private Throughput() {
    }

    /**
     * Sends {@code count} messages of {@code size} bytes, each in a new array as an application
     * would (libzmq's remote_thr likewise initialises a new message for every send).
     *
     * @throws PerfException when a send times out (SNDTIMEO)
     */
    static void send(Socket socket, int size, int count) {
        for (int i = 0; i < count; i++) {
            if (!socket.send(new byte[size])) {
                throw new PerfException("send timed out after " + i + " of " + count + " messages");
            }
        }
    }

    /**
     * Receives {@code count} messages of {@code size} bytes. As in libzmq's local_thr, the clock
     * starts when the first message has arrived (so connection setup is not measured) and the
     * throughput divides the whole count by that time.
     *
     * @return the elapsed time from the first message to the last
     * @throws PerfException when a message has the wrong size or none arrives within RCVTIMEO
     */
    static ThroughputResult receive(Socket socket, int size, int count) {
        Messages.expect(socket.recv(), size, 0, count);
        long start = System.nanoTime();
        for (int i = 1; i < count; i++) {
            Messages.expect(socket.recv(), size, i, count);
        }
        long elapsed = System.nanoTime() - start;
        return new ThroughputResult(size, count, elapsed);
    }
}
