package org.zmq4j.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The 64-octet ZMTP 3.x greeting (rfc-37): signature, version, mechanism, as-server, filler.
 * {@link #encode} builds ours; {@link Parser} reads the peer's, byte by byte if need be.
 */
public final class Greeting {
    /** Size of a full ZMTP 3.x greeting. */
    public static final int SIZE = 64;
    /** Our protocol version: ZMTP 3.1. */
    public static final int MAJOR = 3;
    /** Our minor version. */
    public static final int MINOR = 1;

    private final int major;
    private final int minor;
    private final String mechanism;
    private final boolean asServer;

    private Greeting(int major, int minor, String mechanism, boolean asServer) {
        this.major = major;
        this.minor = minor;
        this.mechanism = mechanism;
        this.asServer = asServer;
    }

    /** The peer's major version (3 or higher). */
    public int major() {
        return major;
    }

    /** The peer's minor version (0 for ZMTP 3.0). */
    public int minor() {
        return minor;
    }

    /** The mechanism name, e.g. "NULL". */
    public String mechanism() {
        return mechanism;
    }

    /** The as-server bit. */
    public boolean asServer() {
        return asServer;
    }

    /** Whether the peer speaks ZMTP 3.1 or later (SUBSCRIBE/CANCEL and PING/PONG commands). */
    public boolean atLeast31() {
        return major > 3 || minor >= 1;
    }

    /**
     * Our greeting.
     *
     * @param mechanism mechanism name, at most 20 ASCII characters
     * @param asServer  the as-server bit
     * @return 64 bytes
     */
    public static byte[] encode(String mechanism, boolean asServer) {
        byte[] g = new byte[SIZE];
        g[0] = (byte) 0xFF;
        g[9] = 0x7F;
        g[10] = MAJOR;
        g[11] = MINOR;
        byte[] name = mechanism.getBytes(StandardCharsets.US_ASCII);
        if (name.length > 20) {
            throw new IllegalArgumentException("mechanism name longer than 20 octets: " + mechanism);
        }
        System.arraycopy(name, 0, g, 12, name.length);
        g[32] = (byte) (asServer ? 1 : 0);
        return g;
    }

    /** Accumulates and validates a peer's greeting. */
    public static final class Parser {
        private final byte[] bytes = new byte[SIZE];
        private int filled;

        /**
         * Consumes bytes from {@code in} until the greeting is complete.
         *
         * @param in bytes from the peer (position advanced past what was used)
         * @return the greeting when complete, else null
         * @throws ProtocolException when the signature or version is not ZMTP 3.x
         */
        public Greeting feed(ByteBuffer in) throws ProtocolException {
            while (filled < SIZE && in.hasRemaining()) {
                bytes[filled++] = in.get();
                if (filled == 1 && (bytes[0] & 0xFF) != 0xFF) {
                    throw new ProtocolException(ProtocolError.MALFORMED, "not a ZMTP 3.x peer: greeting starts with 0x"
                            + Integer.toHexString(bytes[0] & 0xFF) + " (ZMTP 1.0 is not supported)");
                }
                if (filled == 10 && (bytes[9] & 1) == 0) {
                    throw new ProtocolException(ProtocolError.MALFORMED, "not a ZMTP 3.x peer: invalid signature (ZMTP 1.0 is not supported)");
                }
                if (filled == 11 && (bytes[10] & 0xFF) < 3) {
                    throw new ProtocolException(ProtocolError.MALFORMED, "peer speaks ZMTP major version " + (bytes[10] & 0xFF)
                            + "; zmq4j needs 3 or later");
                }
            }
            if (filled < SIZE) {
                return null;
            }
            int end = 12;
            while (end < 32 && bytes[end] != 0) {
                end++;
            }
            for (int i = end; i < 32; i++) {
                if (bytes[i] != 0) {
                    throw new ProtocolException(ProtocolError.MALFORMED, "malformed mechanism name in greeting");
                }
            }
            String mech = new String(bytes, 12, end - 12, StandardCharsets.US_ASCII);
            return new Greeting(bytes[10] & 0xFF, bytes[11] & 0xFF, mech, bytes[32] == 1);
        }
    }
}
