package org.zmq4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A proxy's counters, as libzmq 4.3.4's STATISTICS reply carries them: for the frontend, then the
 * backend, the messages and bytes received and the messages and bytes sent. A multipart message
 * counts once, with the bytes of all its frames.
 */
final class ProxyStatistics {
    private static final int FRONTEND_IN = 0;
    private static final int BACKEND_IN = 4;
    private static final int FRONTEND_OUT = 2;
    private static final int BACKEND_OUT = 6;

    private final long[] values = new long[8];

    /**
     * Counts one message forwarded.
     *
     * @param fromFrontend true for frontend to backend, false for backend to frontend
     * @param bytes        the size of all its frames together
     */
    void forwarded(boolean fromFrontend, long bytes) {
        add(fromFrontend ? FRONTEND_IN : BACKEND_IN, bytes);
        add(fromFrontend ? BACKEND_OUT : FRONTEND_OUT, bytes);
    }

    private void add(int index, long bytes) {
        values[index]++;
        values[index + 1] += bytes;
    }

    /**
     * The eight reply frames: each an 8-byte little-endian unsigned count (libzmq copies the
     * host's uint64_t, little-endian on the platforms it is tested on).
     */
    byte[][] frames() {
        byte[][] frames = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            frames[i] = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(values[i]).array();
        }
        return frames;
    }
}
