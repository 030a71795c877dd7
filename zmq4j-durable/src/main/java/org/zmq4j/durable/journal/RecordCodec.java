package org.zmq4j.durable.journal;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * A record on disk: {@code length} (int32, big-endian), {@code crc} (int32: CRC32C of the record's
 * index as 8 bytes, the length, and the payload), then the payload. The index is not stored: it
 * follows from the segment's base index and the record's position, and taking it into the CRC
 * means a record read at the wrong position never validates. A CRC of 0 is stored as 1, so an
 * all-zero header (the preallocated rest of a segment) never passes for a record.
 *
 * <p>Thread-safety: instances are not thread-safe (they keep a CRC32C); static methods are.
 */
final class RecordCodec {
    static final int HEADER_BYTES = 8;

    private final CRC32C crc = new CRC32C();
    private final ByteBuffer scratch = ByteBuffer.allocate(12);

    /** Writes the header of {@code payload} (its remaining bytes, untouched) into {@code header}. */
    void header(long index, ByteBuffer payload, ByteBuffer header) {
        int length = payload.remaining();
        header.putInt(length).putInt(checksum(index, payload));
    }

    /** The CRC32C of index, length and the remaining bytes of {@code payload} (its position is kept). */
    int checksum(long index, ByteBuffer payload) {
        crc.reset();
        scratch.clear();
        scratch.putLong(index).putInt(payload.remaining()).flip();
        crc.update(scratch);
        int p = payload.position();
        crc.update(payload);
        payload.position(p);
        int c = (int) crc.getValue();
        return c == 0 ? 1 : c;
    }
}
