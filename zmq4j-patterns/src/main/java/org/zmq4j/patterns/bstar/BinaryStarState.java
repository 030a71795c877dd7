package org.zmq4j.patterns.bstar;

/**
 * A Binary Star node's state, with the number the zguide's {@code bstar} publishes for it (one
 * frame, the number in ASCII decimal). A node starts as {@link #PRIMARY} or {@link #BACKUP} (its
 * role) and becomes {@link #ACTIVE} or {@link #PASSIVE}.
 */
public enum BinaryStarState {
    /** Started as the primary; not yet decided. */
    PRIMARY(1),
    /** Started as the backup; not yet decided. */
    BACKUP(2),
    /** Serving clients. */
    ACTIVE(3),
    /** Standing by: clients' requests are refused (dropped) while the peer is alive. */
    PASSIVE(4);

    private final int code;

    BinaryStarState(int code) {
        this.code = code;
    }

    /** The number on the wire. */
    public int code() {
        return code;
    }

    /** The state with wire number {@code code}, or null. */
    public static BinaryStarState of(int code) {
        for (BinaryStarState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }
}
