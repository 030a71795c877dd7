package org.zmq4j.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Decodes ZMTP 3.x frames (rfc-37 "framing") from bytes, fed in chunks of any size.
 * <p>
 * Memory is bounded by what the peer actually sends: a body is allocated in full at once only when
 * it is small (up to {@value #EAGER_LIMIT} bytes) or already arrived; a larger declared size starts
 * with what has arrived and grows (doubling) as bytes come, so a header claiming a megabyte costs
 * 64 KiB and one claiming 2^62 bytes costs nothing until the bytes come. Sizes above
 * MAXMSGSIZE, above what a Java array holds, or with reserved flag bits set are protocol errors.
 */
public final class FrameDecoder {
    /** Flag bit: more frames follow. */
    public static final int FLAG_MORE = 1;
    /** Flag bit: 8-octet size. */
    public static final int FLAG_LONG = 2;
    /** Flag bit: this frame is a command. */
    public static final int FLAG_COMMAND = 4;
    /**
     * Bodies up to this size are allocated as soon as the header is read; a larger body starts at
     * this size or what has arrived of it, whichever is more. A peer can make a connection hold
     * this much with nine bytes, so it stays small (it was 1 MiB: 200 such headers filled a 48 MiB
     * heap; see docs/faults.md).
     */
    public static final int EAGER_LIMIT = 1 << 16;
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
    private BodyAllocator allocator;

    /** @param maxMessageSize largest frame accepted, in bytes; negative means no limit */
    public FrameDecoder(long maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * Sets where body arrays come from (recycled arrays); null allocates a new array per body.
     *
     * @param allocator the allocator, or null
     */
    public void setAllocator(BodyAllocator allocator) {
        this.allocator = allocator;
    }

    private byte[] newBody(int size) {
        if (allocator != null) {
            byte[] b = allocator.reuse(size);
            if (b != null) {
                return b;
            }
        }
        return new byte[size];
    }

    /**
     * Decodes from {@code in} until one frame is complete or the bytes run out.
     *
     * @param in bytes (position advanced past what was consumed)
     * @return true when a frame is ready ({@link #flags()}, {@link #body()}); false when more bytes are needed
     * @throws ProtocolException on malformed input
     */
    public boolean decode(ByteBuffer in) throws ProtocolException {
        if (state == FLAGS && decodeWhole(in)) {
            return true;
        }
        while (in.hasRemaining()) {
            switch (state) {
                case FLAGS: {
                    flags = in.get() & 0xFF;
                    checkFlags(flags);
                    size = 0;
                    sizeBytesLeft = (flags & FLAG_LONG) != 0 ? 8 : 1;
                    state = SIZE;
                    break;
                }
                case SIZE: {
                    size = (size << 8) | (in.get() & 0xFF);
                    if (--sizeBytesLeft == 0) {
                        if (startBody(in.remaining())) {
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

    /**
     * Fast path: when a whole frame (header and body) is in the buffer, decode it with absolute
     * reads and one bulk copy of the body, without the byte-at-a-time state machine. Absolute reads
     * serve heap buffers (an array copy) and the engine's direct read buffer (a copy out of native
     * memory) alike.
     *
     * @return true when a frame was decoded; false (nothing consumed) to fall back to the slow path
     */
    private boolean decodeWhole(ByteBuffer in) throws ProtocolException {
        int remaining = in.remaining();
        if (remaining < 2) {
            return false;
        }
        int base = in.position();
        int f = in.get(base) & 0xFF;
        checkFlags(f);
        long n;
        int header;
        if ((f & FLAG_LONG) == 0) {
            n = in.get(base + 1) & 0xFF;
            header = 2;
        } else {
            if (remaining < 9) {
                return false;
            }
            n = in.getLong(base + 1); // network order, as the buffer's default
            header = 9;
        }
        checkSize(n);
        if (remaining - header < n) {
            return false;
        }
        int len = (int) n;
        byte[] b = EMPTY;
        if (len > 0) {
            b = newBody(len);
            in.get(base + header, b, 0, len);
        }
        in.position(base + header + len);
        flags = f;
        complete(b);
        return true;
    }

    private static void checkFlags(int f) throws ProtocolException {
        if ((f & 0xF8) != 0) {
            throw new ProtocolException(ProtocolError.MALFORMED, "frame flags 0x" + Integer.toHexString(f) + " have reserved bits set");
        }
        if ((f & FLAG_COMMAND) != 0 && (f & FLAG_MORE) != 0) {
            throw new ProtocolException(ProtocolError.MALFORMED, "command frame with the MORE flag");
        }
    }

    private void checkSize(long n) throws ProtocolException {
        if (n < 0 || n > MAX_FRAME) {
            throw new ProtocolException(ProtocolError.MALFORMED, "frame size " + Long.toUnsignedString(n) + " exceeds the largest frame zmq4j accepts ("
                    + MAX_FRAME + ")");
        }
        if (maxMessageSize >= 0 && n > maxMessageSize) {
            throw new ProtocolException(ProtocolError.MALFORMED, "frame of " + n + " bytes exceeds MAXMSGSIZE " + maxMessageSize);
        }
    }

    /** The header is complete; {@code available} bytes of the body have arrived so far. */
    private boolean startBody(int available) throws ProtocolException {
        checkSize(size);
        if (size == 0) {
            complete(EMPTY);
            return true;
        }
        long first = Math.min(size, Math.max(EAGER_LIMIT, available));
        body = first == size ? newBody((int) size) : new byte[(int) first];
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
