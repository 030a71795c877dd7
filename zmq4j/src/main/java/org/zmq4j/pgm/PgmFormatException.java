package org.zmq4j.pgm;

/**
 * A datagram that is not a well-formed PGM packet (RFC 3208): too short, a bad checksum, lengths
 * that do not add up, malformed options. The message says which, for logs; the packet is dropped.
 */
public final class PgmFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param reason what is wrong with the packet */
    public PgmFormatException(String reason) {
        super(reason);
    }
}
