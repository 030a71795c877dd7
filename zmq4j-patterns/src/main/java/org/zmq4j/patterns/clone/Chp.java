package org.zmq4j.patterns.clone;

/**
 * The names and numbers of CHP (rfc 12) and the zguide's Clone model six. Constants only.
 */
public final class Chp {
    /** The snapshot request's first frame. */
    public static final String ICANHAZ = "ICANHAZ?";
    /** The key of the message that ends a snapshot. */
    public static final String KTHXBAI = "KTHXBAI";
    /** The key of the server's heartbeat. */
    public static final String HUGZ = "HUGZ";
    /** The time-to-live property, in seconds. */
    public static final String TTL = "ttl";
    /** The updates publisher's port is the snapshot port plus this. */
    public static final int PUBLISHER_OFFSET = 1;
    /** The collector's port is the snapshot port plus this. */
    public static final int COLLECTOR_OFFSET = 2;

    private Chp() {
    }

    /** Whether {@code key} is one of the protocol's own (HUGZ, KTHXBAI), never a map key. */
    public static boolean reserved(String key) {
        return key.isEmpty() || HUGZ.equals(key) || KTHXBAI.equals(key);
    }
}
