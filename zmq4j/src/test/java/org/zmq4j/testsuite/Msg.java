package org.zmq4j.testsuite;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A multipart message compared by content, printed so a failed assertion shows the bytes:
 * each frame's length, then its text (when printable) or its first bytes in hex.
 */
record Msg(List<byte[]> frames) {
    Msg {
        frames = Collections.unmodifiableList(new ArrayList<>(frames));
    }

    static Msg of(byte[]... frames) {
        return new Msg(Arrays.asList(frames));
    }

    static Msg of(String... frames) {
        List<byte[]> list = new ArrayList<>(frames.length);
        for (String f : frames) {
            list.add(bytes(f));
        }
        return new Msg(list);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Frame {@code i} as text (ISO-8859-1: one char per byte). */
    String text(int i) {
        return new String(frames.get(i), StandardCharsets.ISO_8859_1);
    }

    byte[] frame(int i) {
        return frames.get(i);
    }

    int size() {
        return frames.size();
    }

    /** A message with {@code head} frames in front of these. */
    Msg prepend(byte[]... head) {
        List<byte[]> list = new ArrayList<>(Arrays.asList(head));
        list.addAll(frames);
        return new Msg(list);
    }

    /** This message without its first {@code n} frames. */
    Msg drop(int n) {
        return new Msg(frames.subList(Math.min(n, frames.size()), frames.size()));
    }

    /** Total payload bytes. */
    long bytesTotal() {
        long n = 0;
        for (byte[] f : frames) {
            n += f.length;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Msg other) || other.frames.size() != frames.size()) {
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

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Msg[").append(frames.size()).append(" frames:");
        for (int i = 0; i < frames.size(); i++) {
            sb.append(i == 0 ? " " : ", ").append(describe(frames.get(i)));
            if (sb.length() > 2000) {
                sb.append(" ...");
                break;
            }
        }
        return sb.append(']').toString();
    }

    static String describe(byte[] f) {
        StringBuilder sb = new StringBuilder().append(f.length).append("B");
        if (f.length == 0) {
            return sb.toString();
        }
        boolean printable = f.length <= 64;
        for (byte b : f) {
            if (b < 0x20 || b > 0x7e) {
                printable = false;
                break;
            }
        }
        if (printable) {
            return sb.append(" \"").append(new String(f, StandardCharsets.ISO_8859_1)).append('"').toString();
        }
        int n = Math.min(f.length, 16);
        sb.append(" x");
        for (int i = 0; i < n; i++) {
            sb.append(String.format("%02x", f[i] & 0xff));
        }
        if (n < f.length) {
            sb.append("..").append(String.format("%02x", f[f.length - 1] & 0xff))
              .append(" crc32=").append(Long.toHexString(crc(f)));
        }
        return sb.toString();
    }

    private static long crc(byte[] f) {
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(f);
        return c.getValue();
    }
}
