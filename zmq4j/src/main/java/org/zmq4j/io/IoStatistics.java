package org.zmq4j.io;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one context's I/O machinery, updated by the threads that do the work (so
 * {@link LongAdder}s: no contention between them) and read by whoever asks. They cost nothing
 * on paths that do not count.
 */
public final class IoStatistics {
    private final LongAdder directWrites = new LongAdder();
    private final LongAdder directWritesCutShort = new LongAdder();

    /** Writes a sending thread made to an idle connection itself (see ChannelEngine). */
    public long directWrites() {
        return directWrites.sum();
    }

    /** Direct writes the kernel did not take whole, so the I/O thread finished them. */
    public long directWritesCutShort() {
        return directWritesCutShort.sum();
    }

    void directWrite() {
        directWrites.increment();
    }

    void directWriteCutShort() {
        directWritesCutShort.increment();
    }
}
