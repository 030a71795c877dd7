package org.zmq4j.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Decodes ZMTP 3.x frames (rfc-37 "framing") from bytes, fed in chunks of any size.
 * <p>
 * Memory is bounded by what the peer actually sends: a body is allocated in full only when it is
 * small (up to {@value #EAGER_LIMIT} bytes); a larger declared size grows its buffer as bytes
 * arrive, so a header claiming 2^62 bytes costs nothing until the bytes come. Sizes above
 * MAXMSGSIZE, above what a Java array holds, or with reserved flag bits set are protocol errors.
 */
public final class FrameDecoder {
    /** Flag bit: more frames follow. */
    public static final int FLAG_MORE = 1;
    /** Flag bit: 8-octet size. */
    public static final int FLAG_LONG = 2;
    /** Flag bit: this frame is a command. */
    public static final int FLAG_COMMAND = 4;
    /** Bodies up to this size are allocated as soon as the header is read. */
    public static final int EAGER_LIMIT = 1 << 20;
    /** Largest frame a Java array can hold. */
    public static final long MAX_FRAME = Integer.MAX_VALUE - 8;

    private static final byte[] EMPTY = new byte[0];
    private static final int FLAGS = 0;
    private static final int SIZE = 1;
    private static final int BODY = 2;

    private final long maxMessageSize;
    private int state = FLAGS;
    private int flags;
    private int sizeBytesLeft;
    private long size;
    private byte[] body;
    private int filled;

    private int frameFlags;
    private byte[] frameBody;

    /** @param maxMessageSize largest frame accepted, in bytes; negative means no limit */
    public FrameDecoder(long maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * Decodes from {@code in} until one frame is complete or the bytes run out.
     *
     * @param in bytes (position advanced past what was consumed)
     * @return true when a frame is ready ({@link #flags()}, {@link #body()}); false when more bytes are needed
     * @throws ProtocolException on malformed input
     */
    public boolean decode(ByteBuffer in) throws ProtocolException {
        while (in.hasRemaining()) {
            switch (state) {
                case FLAGS: {
                    flags = in.get() & 0xFF;
                    if ((flags & 0xF8) != 0) {
                        throw new ProtocolException("frame flags 0x" + Integer.toHexString(flags) + " have reserved bits set");
                    }
                    if ((flags & FLAG_COMMAND) != 0 && (flags & FLAG_MORE) != 0) {
                        throw new ProtocolException("command frame with the MORE flag");
                    }
                    size = 0;
                    sizeBytesLeft = (flags & FLAG_LONG) != 0 ? 8 : 1;
                    state = SIZE;
                    break;
                }
                case SIZE: {
                    size = (size << 8) | (in.get() & 0xFF);
                    if (--sizeBytesLeft == 0) {
                        if (startBody()) {
                            return true;
                        }
                    }
                    break;
                }
                default: {
                    int want = (int) Math.min(size - filled, in.remaining());
                    if (filled + want > body.length) {
                        long grown = Math.max((long) body.length * 2, filled + want);
                        body = Arrays.copyOf(body, (int) Math.min(grown, size));
                    }
                    in.get(body, filled, want);
                    filled += want;
                    if (filled == size) {
                        complete(body);
                        return true;
                    }
                    break;
                }
            }
        }
        return false;
    }

    private boolean startBody() throws ProtocolException {
        if (size < 0 || size > MAX_FRAME) {
            throw new ProtocolException("frame size " + Long.toUnsignedString(size) + " exceeds the largest frame zmq4j accepts ("
                    + MAX_FRAME + ")");
        }
        if (maxMessageSize >= 0 && size > maxMessageSize) {
            throw new ProtocolException("frame of " + size + " bytes exceeds MAXMSGSIZE " + maxMessageSize);
        }
        if (size == 0) {
            complete(EMPTY);
            return true;
        }
        body = new byte[(int) Math.min(size, EAGER_LIMIT)];
        filled = 0;
        state = BODY;
        return false;
    }

    private void complete(byte[] b) {
        frameFlags = flags;
        frameBody = b;
        body = null;
        filled = 0;
        state = FLAGS;
    }

    /** Flags of the frame just decoded. */
    public int flags() {
        return frameFlags;
    }

    /** Body of the frame just decoded (the decoder keeps no reference to it). */
    public byte[] body() {
        return frameBody;
    }

    /** Whether the frame just decoded is a command. */
    public boolean isCommand() {
        return (frameFlags & FLAG_COMMAND) != 0;
    }

    /** Whether the frame just decoded has more frames after it. */
    public boolean hasMore() {
        return (frameFlags & FLAG_MORE) != 0;
    }

    /** Bytes of the current partial body held in memory (for tests of bounded allocation). */
    public int bufferedBodyCapacity() {
        return body == null ? 0 : body.length;
    }
}
