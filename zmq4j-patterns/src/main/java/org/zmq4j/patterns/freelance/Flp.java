package org.zmq4j.patterns.freelance;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/** rfc 10's two commands: a one-frame {@code PING}, answered by a one-frame {@code PONG}. */
final class Flp {
    static final byte[] PING = "PING".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PONG = "PONG".getBytes(StandardCharsets.US_ASCII);

    private Flp() {
    }

    /** Whether {@code frames} is exactly the one-frame command {@code command}. */
    static boolean is(List<byte[]> frames, byte[] command) {
        return frames.size() == 1 && Arrays.equals(frames.get(0), command);
    }
}
