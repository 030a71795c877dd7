package org.zmq4j.patterns.ppp;

import java.util.List;

/** The Paranoid Pirate Protocol's commands (rfc 6): READY and HEARTBEAT are one frame of one byte. */
final class Ppp {
    static final byte READY = 1;
    static final byte HEARTBEAT = 2;

    private Ppp() {
    }

    static List<byte[]> command(byte code) {
        return List.of(new byte[] {code});
    }

    /** Whether {@code frames} (after any routing id) is exactly the command {@code code}. */
    static boolean is(List<byte[]> frames, byte code) {
        return frames.size() == 1 && frames.get(0).length == 1 && frames.get(0)[0] == code;
    }

    /**
     * Where the body starts in a REQUEST or REPLY (rfc 6: an optional address stack, a null
     * terminator, 1 or more body frames): the index after the first empty frame, or -1 when the
     * message is not one.
     */
    static int bodyStart(List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            if (frames.get(i).length == 0) {
                return i + 1 < frames.size() ? i + 1 : -1;
            }
        }
        return -1;
    }
}
