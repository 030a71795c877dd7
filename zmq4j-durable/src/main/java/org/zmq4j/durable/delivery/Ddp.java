package org.zmq4j.durable.delivery;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The durable delivery protocol's commands, each the first frame of a message between a
 * {@link DurableSender} (a DEALER) and a {@link DurableReceiver} (a ROUTER); numbers big-endian:
 * <pre>
 *   HELLO    S-&gt;R  0x01, version 1, epoch (8), id length (1), id (UTF-8, 1..255 bytes)
 *   WELCOME  R-&gt;S  0x02, last sequence acknowledged (8), last sequence delivered (8; -1: none, start
 *                  anywhere); delivered but unacknowledged ones the receiver still holds
 *   DATA     S-&gt;R  0x03, sequence (8); the payload is the message's second and last frame
 *   ACK      R-&gt;S  0x04, sequence (8): this and every earlier one are taken and stored for good
 *   WHO      R-&gt;S  0x05: the receiver does not know this connection, say HELLO again
 * </pre>
 * The epoch is the sender journal's id: a sender that starts over with a new journal is a new
 * stream for the receiver.
 *
 * <p>Thread-safety: static methods only; thread-safe.
 */
final class Ddp {
    static final byte HELLO = 0x01;
    static final byte WELCOME = 0x02;
    static final byte DATA = 0x03;
    static final byte ACK = 0x04;
    static final byte WHO = 0x05;
    static final byte VERSION = 1;
    static final int MAX_ID_BYTES = 255;

    private Ddp() {
    }

    /** A decoded HELLO. */
    record Hello(long epoch, String id) {
    }

    static byte[] hello(long epoch, String id) {
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(11 + idBytes.length).put(HELLO).put(VERSION).putLong(epoch)
                .put((byte) idBytes.length).put(idBytes).array();
    }

    /** Checks a sender id: 1 to 255 bytes of UTF-8. */
    static String checkId(String id) {
        if (id == null || id.isEmpty() || id.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            throw new IllegalArgumentException("a sender id is 1 to " + MAX_ID_BYTES + " bytes of UTF-8: " + id);
        }
        return id;
    }

    /** @return the HELLO, or null when {@code frame} is not a well-formed one */
    static Hello parseHello(byte[] frame) {
        if (frame.length < 12 || frame[0] != HELLO || frame[1] != VERSION) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(frame);
        b.position(2);
        long epoch = b.getLong();
        int len = b.get() & 0xff;
        if (len == 0 || b.remaining() != len) {
            return null;
        }
        return new Hello(epoch, new String(frame, 11, len, StandardCharsets.UTF_8));
    }

    /** A command with one 8-byte number: DATA or ACK. */
    static byte[] withNumber(byte command, long number) {
        return ByteBuffer.allocate(9).put(command).putLong(number).array();
    }

    /** The number of a 9-byte command frame of {@code command}, or null when {@code frame} is not one. */
    static Long number(byte[] frame, byte command) {
        if (frame.length != 9 || frame[0] != command) {
            return null;
        }
        return ByteBuffer.wrap(frame, 1, 8).getLong();
    }

    static byte[] welcome(long acked, long delivered) {
        return ByteBuffer.allocate(17).put(WELCOME).putLong(acked).putLong(delivered).array();
    }

    /** [acked, delivered] of a WELCOME, or null when {@code frame} is not one. */
    static long[] parseWelcome(byte[] frame) {
        if (frame.length != 17 || frame[0] != WELCOME) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(frame, 1, 16);
        return new long[] {b.getLong(), b.getLong()};
    }

    static byte[] who() {
        return new byte[] {WHO};
    }
}
