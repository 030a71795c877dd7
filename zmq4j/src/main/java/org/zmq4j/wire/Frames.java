package org.zmq4j.wire;

import java.nio.ByteBuffer;

/** Encodes ZMTP frame headers and whole command frames (rfc-37). */
public final class Frames {
    private Frames() {
    }

    /** Header size for a body of {@code size} bytes: 2 for short frames, 9 for long ones. */
    public static int headerSize(long size) {
        return size > 255 ? 9 : 2;
    }

    /**
     * Writes a frame header.
     *
     * @param out     destination with at least {@link #headerSize(long)} bytes of room
     * @param size    body size
     * @param more    MORE flag
     * @param command COMMAND flag
     */
    public static void putHeader(ByteBuffer out, long size, boolean more, boolean command) {
        int flags = (more ? FrameDecoder.FLAG_MORE : 0) | (command ? FrameDecoder.FLAG_COMMAND : 0);
        if (size > 255) {
            out.put((byte) (flags | FrameDecoder.FLAG_LONG));
            out.putLong(size);
        } else {
            out.put((byte) flags);
            out.put((byte) size);
        }
    }

    /**
     * A complete command frame: header, name length, name, data.
     *
     * @param name command name (ASCII, 1..255 chars)
     * @param data command data
     * @return the encoded frame
     */
    public static byte[] command(String name, byte[] data) {
        byte[] body = Command.body(name, data);
        ByteBuffer out = ByteBuffer.allocate(headerSize(body.length) + body.length);
        putHeader(out, body.length, false, true);
        out.put(body);
        return out.array();
    }

    /**
     * A complete data frame (used by tests and the handshake-free paths).
     *
     * @param body frame body
     * @param more MORE flag
     * @return the encoded frame
     */
    public static byte[] message(byte[] body, boolean more) {
        ByteBuffer out = ByteBuffer.allocate(headerSize(body.length) + body.length);
        putHeader(out, body.length, more, false);
        out.put(body);
        return out.array();
    }
}
