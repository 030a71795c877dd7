package org.zmq4j.patterns.sequenced;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The replay channel's commands (a subscriber's DEALER to the publisher's ROUTER): the first frame
 * names the command, numbers are 8 bytes big-endian.
 * <pre>
 * HELLO    subscriber: "SQ-HELLO"   then per prefix: prefix, start (mode(1) value(8); 0 now, 1 from, 2 last)
 * WELCOME  publisher:  "SQ-WELCOME" id epoch now first, then per prefix: prefix, after
 * ALIVE    subscriber: "SQ-ALIVE"
 * STATUS   publisher:  "SQ-STATUS"  epoch now first, then per prefix: prefix, last
 * REPLAY   subscriber: "SQ-REPLAY"  epoch prefix after upTo
 * DATA     publisher:  "SQ-DATA"    topic header payload...
 * END      publisher:  "SQ-END"     epoch prefix after through lostFrom lostTo
 * ERROR    publisher:  "SQ-ERROR"   reason
 * </pre>
 * Stateless helpers; thread-safe.
 */
final class ReplayWire {
    static final String HELLO = "SQ-HELLO";
    static final String WELCOME = "SQ-WELCOME";
    static final String ALIVE = "SQ-ALIVE";
    static final String STATUS = "SQ-STATUS";
    static final String REPLAY = "SQ-REPLAY";
    static final String DATA = "SQ-DATA";
    static final String END = "SQ-END";
    static final String ERROR = "SQ-ERROR";

    private ReplayWire() {
    }

    static byte[] name(String command) {
        return command.getBytes(StandardCharsets.US_ASCII);
    }

    static boolean is(List<byte[]> frames, String command) {
        return !frames.isEmpty() && command.equals(new String(frames.get(0), StandardCharsets.US_ASCII));
    }

    static byte[] number(long n) {
        return ByteBuffer.allocate(8).putLong(n).array();
    }

    /** Frame {@code index} as a number; IllegalArgumentException when missing or not 8 bytes. */
    static long number(List<byte[]> frames, int index) {
        if (index >= frames.size() || frames.get(index).length != 8) {
            throw new IllegalArgumentException(new String(frames.get(0), StandardCharsets.US_ASCII) + ": frame " + index
                    + " is not an 8-byte number");
        }
        return ByteBuffer.wrap(frames.get(index)).getLong();
    }

    static byte[] start(StartAt start) {
        return ByteBuffer.allocate(9).put((byte) start.mode().ordinal()).putLong(start.value()).array();
    }

    static StartAt start(byte[] frame) {
        if (frame.length != 9 || frame[0] < 0 || frame[0] >= StartAt.Mode.values().length) {
            throw new IllegalArgumentException("SQ-HELLO: a start is 9 bytes, mode 0..2 then a number");
        }
        return StartAt.of(StartAt.Mode.values()[frame[0]], ByteBuffer.wrap(frame, 1, 8).getLong());
    }

    static List<byte[]> frames(String command, byte[]... rest) {
        List<byte[]> f = new ArrayList<>(rest.length + 1);
        f.add(name(command));
        f.addAll(List.of(rest));
        return f;
    }
}
