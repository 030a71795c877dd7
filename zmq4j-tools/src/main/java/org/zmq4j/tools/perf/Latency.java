package org.zmq4j.tools.perf;

import org.zmq4j.Socket;

/**
 * The two halves of a latency test, as in libzmq's local_lat and remote_lat: a REP socket that
 * echoes each request, and a REQ socket that times each round trip.
 */
final class Latency {
    private Latency() {
    }

    /**
     * Receives {@code count} requests of {@code size} bytes and sends each back unchanged.
     *
     * @throws PerfException when a request has the wrong size or none arrives within RCVTIMEO
     */
    static void echo(Socket socket, int size, int count) {
        for (int i = 0; i < count; i++) {
            byte[] request = Messages.expect(socket.recv(), size, i, count);
            if (!socket.send(request)) {
                throw new PerfException("send timed out after " + i + " of " + count + " replies");
            }
        }
    }

    /**
     * Makes {@code count} round trips with messages of {@code size} bytes, sending each reply back
     * as the next request (as libzmq's remote_lat does), and times each one.
     *
     * @return the total time and every round trip's time
     * @throws PerfException when a reply has the wrong size or none arrives within RCVTIMEO
     */
    static LatencyResult measure(Socket socket, int size, int count) {
        long[] roundTrips = new long[count];
        byte[] message = new byte[size];
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long sent = System.nanoTime();
            if (!socket.send(message)) {
                throw new PerfException("send timed out after " + i + " of " + count + " round trips");
            }
            message = Messages.expect(socket.recv(), size, i, count);
            roundTrips[i] = System.nanoTime() - sent;
        }
        long elapsed = System.nanoTime() - start;
        return new LatencyResult(size, elapsed, roundTrips);
    }
}
