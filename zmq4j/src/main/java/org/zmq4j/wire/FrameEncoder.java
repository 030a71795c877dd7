package org.zmq4j.wire;

import java.nio.ByteBuffer;

/**
 * Encodes ZMTP frames (rfc-37), sans-IO: the counterpart of {@link FrameDecoder}. An engine offers
 * each frame with {@link #encode}, which copies it into the output buffer when it fits, or writes
 * only the header of a large body (the engine then writes the body from its own array with a
 * gathering write, no copy), or reports that the buffer must be written first.
 */
public final class FrameEncoder {
    /** Bodies at least this large are written from their own array, after their header (no copy). */
    public static final int LARGE = 16 * 1024;

    /** What {@link #encode} did with a frame. */
    public enum Result {
        /** Header and body are in the buffer. */
        COPIED,
        /** Only the header is in the buffer: the body (at least {@link #LARGE} bytes) follows from its own array. */
        HEADER_ONLY,
        /** Nothing was written: the buffer must be written out first. */
        NO_ROOM
    }

    private FrameEncoder() {
    }

    /**
     * Encodes one frame into {@code out} (fill mode).
     *
     * @param out     the output buffer
     * @param body    the frame body
     * @param more    MORE flag
     * @param command COMMAND flag
     * @return what was written
     */
    public static Result encode(ByteBuffer out, byte[] body, boolean more, boolean command) {
        int header = headerSize(body.length);
        if (out.remaining() >= header + body.length) {
            putHeader(out, body.length, more, command);
            out.put(body);
            return Result.COPIED;
        }
        if (body.length >= LARGE && out.remaining() >= header) {
            putHeader(out, body.length, more, command);
            return Result.HEADER_ONLY;
        }
        return Result.NO_ROOM;
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
     * A whole frame as one array.
     *
     * @param body    the frame body
     * @param more    MORE flag
     * @param command COMMAND flag
     * @return header and body
     */
    public static byte[] frame(byte[] body, boolean more, boolean command) {
        ByteBuffer out = ByteBuffer.allocate(headerSize(body.length) + body.length);
        putHeader(out, body.length, more, command);
        out.put(body);
        return out.array();
    }

    /**
     * A complete command frame: header, name length, name, data.
     *
     * @param name command name (ASCII, 1..255 chars)
     * @param data command data
     * @return the encoded frame
     */
    public static byte[] command(String name, byte[] data) {
        return frame(Command.body(name, data), false, true);
    }

    /**
     * A complete data frame.
     *
     * @param body frame body
     * @param more MORE flag
     * @return the encoded frame
     */
    public static byte[] message(byte[] body, boolean more) {
        return frame(body, more, false);
    }
}
