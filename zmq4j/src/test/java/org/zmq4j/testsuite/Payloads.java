package org.zmq4j.testsuite;

import java.util.List;
import java.util.Random;

/**
 * The messages every pair must carry unchanged: multipart, empty frames (alone, first, last, and
 * around a 1 MiB frame), the short/long frame boundary of ZMTP (a 255-byte body still has a 1-byte
 * size, 256 needs the 8-byte size) and 1 MiB frames. Bodies are seeded pseudo-random bytes
 * covering every byte value.
 */
final class Payloads {
    static final int MIB = 1 << 20;

    record Payload(String name, Msg msg) {
        @Override
        public String toString() {
            return name;
        }
    }

    private Payloads() {
    }

    static List<Payload> standard() {
        return List.of(
                new Payload("one frame", Msg.of("hello")),
                new Payload("three frames", Msg.of("alpha", "beta", "gamma")),
                new Payload("one empty frame", Msg.of("")),
                new Payload("empty frames around a frame", Msg.of("", "middle", "")),
                new Payload("255-byte frame (largest short frame)", Msg.of(bytes(255, 1))),
                new Payload("256-byte frame (smallest long frame)", Msg.of(bytes(256, 2))),
                new Payload("frames of 0, 1, 254, 255, 256, 257 bytes", Msg.of(
                        bytes(0, 3), bytes(1, 4), bytes(254, 5), bytes(255, 6), bytes(256, 7), bytes(257, 8))),
                new Payload("1 MiB frame", Msg.of(bytes(MIB, 9))),
                new Payload("1 MiB frame between small and empty frames", Msg.of(
                        new byte[0], Msg.bytes("head"), bytes(MIB, 10), new byte[0], Msg.bytes("tail"))),
                new Payload("a frame then an empty frame", Msg.of("x", "")));
    }

    /** {@code n} pseudo-random bytes from {@code seed}. */
    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
