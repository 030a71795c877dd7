package org.zmq4j.patterns.bstar;

import java.lang.System.Logger.Level;

/**
 * Binary Star's finite-state machine, sans-IO, as the zguide's chapter 4 gives it. Events are the
 * peer's published state and client requests; the peer is taken for gone after two heartbeats
 * without its state. The client-vote rule: a passive node (or an undecided primary) becomes active
 * on a client request only when the peer is gone, so a network split between the two nodes alone
 * never makes two actives (the clients must reach the passive node too). Two actives or two
 * passives seen anyway are fatal. One thread; no locks.
 */
final class StateMachine {
    private static final System.Logger LOG = System.getLogger("org.zmq4j.patterns.bstar");

    /** What an event led to. */
    enum Outcome {
        /** Nothing worth telling, or a change of state. */
        OK,
        /** A client request this node must not serve now. */
        REFUSED,
        /** Both nodes active: split brain, fatal. */
        DUAL_ACTIVE,
        /** Both nodes passive: nobody serves, fatal. */
        DUAL_PASSIVE
    }

    private final long peerTimeoutMillis;
    private BinaryStarState state;
    private long peerExpiry;

    /**
     * @param role      {@link BinaryStarState#PRIMARY} or {@link BinaryStarState#BACKUP}
     * @param heartbeat the heartbeat in milliseconds; the peer is gone after two without its state
     * @param now       the clock now; the peer is given two heartbeats from here to be heard
     */
    StateMachine(BinaryStarState role, long heartbeat, long now) {
        if (role != BinaryStarState.PRIMARY && role != BinaryStarState.BACKUP) {
            throw new IllegalArgumentException("a Binary Star node starts as PRIMARY or BACKUP, not " + role);
        }
        this.state = role;
        this.peerTimeoutMillis = 2 * heartbeat;
        this.peerExpiry = now + peerTimeoutMillis;
    }

    BinaryStarState state() {
        return state;
    }

    /** Whether the peer has been silent for two heartbeats. */
    boolean peerGone(long now) {
        return now - peerExpiry >= 0;
    }

    /** The peer published {@code peer}. */
    Outcome onPeer(BinaryStarState peer, long now) {
        peerExpiry = now + peerTimeoutMillis;
        switch (state) {
            case PRIMARY -> {
                if (peer == BinaryStarState.BACKUP) {
                    become(BinaryStarState.ACTIVE, "connected to the backup (passive), ready as active");
                } else if (peer == BinaryStarState.ACTIVE) {
                    become(BinaryStarState.PASSIVE, "connected to the backup (active), ready as passive");
                } else if (peer == BinaryStarState.PRIMARY) {
                    LOG.log(Level.WARNING, "the peer is a primary too: one of the pair should be started as the backup");
                }
            }
            case BACKUP -> {
                if (peer == BinaryStarState.ACTIVE) {
                    become(BinaryStarState.PASSIVE, "connected to the primary (active), ready as passive");
                } else if (peer == BinaryStarState.BACKUP) {
                    LOG.log(Level.WARNING, "the peer is a backup too: one of the pair should be started as the primary");
                }
            }
            case ACTIVE -> {
                if (peer == BinaryStarState.ACTIVE) {
                    return Outcome.DUAL_ACTIVE;
                }
            }
            case PASSIVE -> {
                if (peer == BinaryStarState.PRIMARY) {
                    become(BinaryStarState.ACTIVE, "the primary (passive) is restarting, ready as active");
                } else if (peer == BinaryStarState.BACKUP) {
                    become(BinaryStarState.ACTIVE, "the backup (passive) is restarting, ready as active");
                } else if (peer == BinaryStarState.PASSIVE) {
                    return Outcome.DUAL_PASSIVE;
                }
            }
            default -> throw new IllegalStateException(state.toString());
        }
        return Outcome.OK;
    }

    /** A client request arrived: {@link Outcome#OK} when this node serves it (it may become active now). */
    Outcome onClientRequest(long now) {
        switch (state) {
            case ACTIVE -> {
                return Outcome.OK;
            }
            case PRIMARY, PASSIVE -> {
                // the client vote: only when the peer has been gone long enough to not be active
                if (peerGone(now)) {
                    become(BinaryStarState.ACTIVE, state == BinaryStarState.PRIMARY
                            ? "request from a client and no peer: ready as active"
                            : "failover: request from a client and the peer is gone, ready as active");
                    return Outcome.OK;
                }
                return Outcome.REFUSED;
            }
            default -> {
                return Outcome.REFUSED; // an undecided backup never serves
            }
        }
    }

    private void become(BinaryStarState next, String why) {
        LOG.log(Level.INFO, "Binary Star: " + why);
        state = next;
    }
}
