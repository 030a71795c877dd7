package org.zmq4j;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * A whole multipart message: its frames in order, sent and received in one call
 * ({@link Socket#send(Multipart)}, {@link Socket#recvMultipart()}), with the envelope helpers
 * ROUTER and DEALER code needs (JeroMQ's {@code ZMsg}, pyzmq's {@code send_multipart}). Frames are
 * handed over, not copied: an array added here is the one sent, and a received message's arrays
 * are the socket's; do not change an array after adding it.
 * <pre>{@code
 * Multipart request = router.recvMultipart();   // [client id, "", "hello"]
 * byte[] client = request.unwrap();              // request is now ["hello"]
 * Multipart reply = Multipart.of("world").wrap(client);
 * router.send(reply);                            // [client id, "", "world"]
 * }</pre>
 * Not thread-safe: one thread at a time (hand a message to another thread through a queue).
 */
public final class Multipart implements Iterable<byte[]> {
    private static final byte[] EMPTY = new byte[0];

    private final ArrayList<byte[]> frames;

    /** An empty message (add frames before sending it: a message has at least one). */
    public Multipart() {
        frames = new ArrayList<>(4);
    }

    private Multipart(List<byte[]> frames) {
        this.frames = new ArrayList<>(frames);
    }

    /** A message of these frames (not copied). */
    public static Multipart of(byte[]... frames) {
        for (byte[] f : frames) {
            Objects.requireNonNull(f, "a frame must not be null");
        }
        return new Multipart(Arrays.asList(frames));
    }

    /** A message of these frames, UTF-8 encoded. */
    public static Multipart of(String... frames) {
        Multipart m = new Multipart();
        for (String f : frames) {
            m.add(f);
        }
        return m;
    }

    /** A message of these frames (the arrays are not copied). */
    public static Multipart of(List<byte[]> frames) {
        for (byte[] f : frames) {
            Objects.requireNonNull(f, "a frame must not be null");
        }
        return new Multipart(frames);
    }

    /** Adds a frame at the end; returns this message. */
    public Multipart add(byte[] frame) {
        frames.add(Objects.requireNonNull(frame, "frame"));
        return this;
    }

    /** Adds a UTF-8 frame at the end; returns this message. */
    public Multipart add(String frame) {
        return add(frame.getBytes(StandardCharsets.UTF_8));
    }

    /** Puts a frame first; returns this message. */
    public Multipart push(byte[] frame) {
        frames.add(0, Objects.requireNonNull(frame, "frame"));
        return this;
    }

    /** Puts a UTF-8 frame first; returns this message. */
    public Multipart push(String frame) {
        return push(frame.getBytes(StandardCharsets.UTF_8));
    }

    /** Removes and returns the first frame; null when the message is empty. */
    public byte[] pop() {
        return frames.isEmpty() ? null : frames.remove(0);
    }

    /** Removes the first frame and returns it as UTF-8; null when the message is empty. */
    public String popString() {
        byte[] f = pop();
        return f == null ? null : new String(f, StandardCharsets.UTF_8);
    }

    /**
     * Puts an envelope first: {@code address}, then an empty delimiter frame, as a ROUTER needs to
     * answer a REQ or a DEALER that uses REQ's framing. Returns this message.
     */
    public Multipart wrap(byte[] address) {
        frames.add(0, EMPTY);
        frames.add(0, Objects.requireNonNull(address, "address"));
        return this;
    }

    /**
     * Takes the envelope off: removes and returns the first frame (the address a ROUTER put there),
     * and the empty delimiter frame after it when there is one.
     *
     * @return the address, or null when the message is empty
     */
    public byte[] unwrap() {
        byte[] address = pop();
        if (address != null && !frames.isEmpty() && frames.get(0).length == 0) {
            frames.remove(0);
        }
        return address;
    }

    /** The frame at {@code index}. */
    public byte[] frame(int index) {
        return frames.get(index);
    }

    /** The frame at {@code index} as UTF-8 text. */
    public String string(int index) {
        return new String(frames.get(index), StandardCharsets.UTF_8);
    }

    /** The number of frames. */
    public int size() {
        return frames.size();
    }

    /** Whether there is no frame. */
    public boolean isEmpty() {
        return frames.isEmpty();
    }

    /** The frames, in order, as an unmodifiable view. */
    public List<byte[]> frames() {
        return Collections.unmodifiableList(frames);
    }

    /** Every frame as UTF-8 text. */
    public List<String> strings() {
        List<String> out = new ArrayList<>(frames.size());
        for (byte[] f : frames) {
            out.add(new String(f, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The bytes of all frames together. */
    public long contentSize() {
        long n = 0;
        for (byte[] f : frames) {
            n += f.length;
        }
        return n;
    }

    @Override
    public Iterator<byte[]> iterator() {
        return frames().iterator();
    }

    /** Equal when both have the same frames, byte for byte, in the same order. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Multipart other) || other.frames.size() != frames.size()) {
            return false;
        }
        for (int i = 0; i < frames.size(); i++) {
            if (!Arrays.equals(frames.get(i), other.frames.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (byte[] f : frames) {
            h = 31 * h + Arrays.hashCode(f);
        }
        return h;
    }

    /** The frames, printable ones as text and others in hex, each cut at 64 bytes. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < frames.size(); i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(show(frames.get(i)));
        }
        return b.append(']').toString();
    }

    private static String show(byte[] f) {
        int n = Math.min(f.length, 64);
        boolean text = true;
        for (int i = 0; i < n && text; i++) {
            text = f[i] >= 0x20 && f[i] < 0x7f;
        }
        StringBuilder b = new StringBuilder();
        if (text) {
            b.append('"').append(new String(f, 0, n, StandardCharsets.US_ASCII)).append('"');
        } else {
            b.append("0x");
            for (int i = 0; i < n; i++) {
                b.append(Character.forDigit((f[i] >> 4) & 0xF, 16)).append(Character.forDigit(f[i] & 0xF, 16));
            }
        }
        if (f.length > n) {
            b.append("...(").append(f.length).append(" bytes)");
        }
        return b.toString();
    }
}
