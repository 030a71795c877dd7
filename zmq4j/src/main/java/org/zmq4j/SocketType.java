package org.zmq4j;

/**
 * ZeroMQ socket types, with libzmq's numeric codes and ZMTP Socket-Type names.
 * <p>
 * Each type defines which peer types it may talk to ({@link #isCompatible(SocketType)}, rfc-37).
 */
public enum SocketType {
    /** Exclusive pair (rfc-31). */
    PAIR(0),
    /** Publisher: fans messages out to matching subscribers, drops at HWM (rfc-29). */
    PUB(1),
    /** Subscriber: receives messages matching its prefix subscriptions (rfc-29). */
    SUB(2),
    /** Requester: strict send/receive alternation with an envelope (rfc-28). */
    REQ(3),
    /** Replier: strict receive/send alternation, replies to the requester (rfc-28). */
    REP(4),
    /** Asynchronous requester: round-robin out, fair-queue in (rfc-28). */
    DEALER(5),
    /** Asynchronous replier: addresses peers by routing id (rfc-28). */
    ROUTER(6),
    /** Pipeline sink: fair-queues from pushers (rfc-30). */
    PULL(7),
    /** Pipeline source: round-robins to pullers (rfc-30). */
    PUSH(8),
    /** Publisher that also sees subscription messages (rfc-29). */
    XPUB(9),
    /** Subscriber that sends subscriptions as messages (rfc-29). */
    XSUB(10),
    /** Raw TCP peers addressed by routing id. */
    STREAM(11),
    /** Thread-safe draft type (rfc-41/47). */
    SERVER(12),
    /** Thread-safe draft type (rfc-41/47). */
    CLIENT(13),
    /** Thread-safe draft type (rfc-48). */
    RADIO(14),
    /** Thread-safe draft type (rfc-48). */
    DISH(15),
    /** Thread-safe draft type (rfc-49). */
    GATHER(16),
    /** Thread-safe draft type (rfc-49). */
    SCATTER(17),
    /** Thread-safe draft type (rfc-51). */
    PEER(19),
    /** Thread-safe draft type (rfc-52). */
    CHANNEL(20);

    private final int code;

    SocketType(int code) {
        this.code = code;
    }

    /** libzmq's numeric socket type (ZMQ_PAIR = 0 ... ZMQ_CHANNEL = 20). */
    public int code() {
        return code;
    }

    /**
     * Whether sockets of this type may be used by several threads at once (libzmq's
     * ZMQ_THREAD_SAFE): the draft family SERVER, CLIENT, RADIO, DISH, GATHER, SCATTER, PEER and
     * CHANNEL. These types carry single-frame messages only.
     */
    public boolean isThreadSafe() {
        return code >= SERVER.code;
    }

    /** The Socket-Type metadata value sent in the ZMTP handshake (the enum name). */
    public String zmtpName() {
        return name();
    }

    /**
     * Whether a socket of this type may talk to a peer of type {@code peer}, per rfc-37's table.
     *
     * @param peer the peer's socket type
     * @return true when the pair is valid
     */
    public boolean isCompatible(SocketType peer) {
        switch (this) {
            case PAIR: return peer == PAIR;
            case PUB: case XPUB: return peer == SUB || peer == XSUB;
            case SUB: case XSUB: return peer == PUB || peer == XPUB;
            case REQ: return peer == REP || peer == ROUTER;
            case REP: return peer == REQ || peer == DEALER;
            case DEALER: return peer == REP || peer == DEALER || peer == ROUTER;
            case ROUTER: return peer == REQ || peer == DEALER || peer == ROUTER;
            case PULL: return peer == PUSH;
            case PUSH: return peer == PULL;
            case SERVER: return peer == CLIENT;
            case CLIENT: return peer == SERVER;
            case RADIO: return peer == DISH;
            case DISH: return peer == RADIO;
            case GATHER: return peer == SCATTER;
            case SCATTER: return peer == GATHER;
            case PEER: return peer == PEER;
            case CHANNEL: return peer == CHANNEL;
            default: return false;
        }
    }

    /**
     * The type whose ZMTP Socket-Type name is exactly {@code name} (case-sensitive, as libzmq
     * compares it), or null.
     *
     * @param name a Socket-Type metadata value
     * @return the type, or null when the name is unknown
     */
    public static SocketType fromZmtpName(String name) {
        for (SocketType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
