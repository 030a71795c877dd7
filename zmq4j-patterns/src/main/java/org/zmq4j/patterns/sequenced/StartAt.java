package org.zmq4j.patterns.sequenced;

/**
 * Where a {@link SequencedSubscriber} starts each publisher's stream of a prefix: now (what is
 * published from the moment it says hello), from a sequence number, or with the last few messages
 * of the prefix. What the publisher no longer retains of a requested start is reported as a
 * {@link SequencedEvent.Gap}, except for {@link #last}, which asks for at most what is there.
 * Immutable.
 *
 * @param mode  the kind of start
 * @param value the sequence number ({@link Mode#FROM}) or the count ({@link Mode#LAST})
 */
public record StartAt(Mode mode, long value) {
    /** The kinds of start. */
    public enum Mode {
        /** From the publisher's current sequence number on. */
        NOW,
        /** From a sequence number (1: the epoch's first). */
        FROM,
        /** The last {@code value} messages of the prefix that the publisher retains, then on. */
        LAST
    }

    /** Checks the value. */
    public StartAt {
        if (mode == null || value < 0 || (mode == Mode.FROM && value < 1)) {
            throw new IllegalArgumentException("start " + mode + " " + value + ": FROM needs a sequence number from 1,"
                    + " LAST a count from 0");
        }
    }

    static StartAt of(Mode mode, long value) {
        return new StartAt(mode, value);
    }

    /** From the moment the subscriber says hello. */
    public static StartAt now() {
        return new StartAt(Mode.NOW, 0);
    }

    /** From sequence number {@code sequence} of the publisher's epoch (1: everything retained from its start). */
    public static StartAt from(long sequence) {
        return new StartAt(Mode.FROM, sequence);
    }

    /** With the last {@code count} messages of the prefix the publisher retains. */
    public static StartAt last(long count) {
        return new StartAt(Mode.LAST, count);
    }
}
