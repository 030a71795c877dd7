package org.zmq4j.io;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

import org.zmq4j.ConnectionEvents;
import org.zmq4j.HandshakeFailureReason;
import org.zmq4j.SocketEvent;
import org.zmq4j.pipe.Peer;
import org.zmq4j.security.HandshakeFailure;
import org.zmq4j.wire.ProtocolError;

/**
 * A socket's connections for its metrics: the sessions alive now, and the connection events of
 * its whole life added up. Sessions write it from their I/O threads (each event once, and rarely:
 * connections, not messages), any thread reads it.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ConnectionBook {
    private static final int CONNECTED = 0;
    private static final int ACCEPTED = 1;
    private static final int DISCONNECTED = 2;
    private static final int RETRIES = 3;
    private static final int HEARTBEAT_TIMEOUTS = 4;
    private static final int FAILURES = 5;

    /** For hosts that keep no metrics (tests' stand-ins): counts nobody reads. */
    static final ConnectionBook UNCOUNTED = new ConnectionBook();

    private final Set<Session> live = ConcurrentHashMap.newKeySet();
    private final Set<Peer> direct = ConcurrentHashMap.newKeySet();
    private final AtomicLongArray counts = new AtomicLongArray(FAILURES + HandshakeFailureReason.values().length);

    void opened(Session session) {
        live.add(session);
    }

    void ended(Session session) {
        live.remove(session);
    }

    void connected(boolean accepted) {
        counts.incrementAndGet(accepted ? ACCEPTED : CONNECTED);
    }

    void disconnected(boolean heartbeatTimeout) {
        counts.incrementAndGet(DISCONNECTED);
        if (heartbeatTimeout) {
            counts.incrementAndGet(HEARTBEAT_TIMEOUTS);
        }
    }

    void retry() {
        counts.incrementAndGet(RETRIES);
    }

    void handshakeFailed(HandshakeFailureReason reason) {
        counts.incrementAndGet(FAILURES + reason.ordinal());
    }

    /**
     * A peer without a session (inproc, udp) came or went; any thread.
     *
     * @param peer     the peer
     * @param attached true when it came
     */
    public void directPeer(Peer peer, boolean attached) {
        if (attached) {
            direct.add(peer);
        } else {
            direct.remove(peer);
        }
    }

    /** The peers without a session attached now (inproc, udp), whose pipes are still open. */
    public List<Peer> directPeers() {
        List<Peer> out = new ArrayList<>();
        for (Peer p : direct) {
            if (p.out().isReaderClosed() && p.in().isWriterClosed()) {
                direct.remove(p); // both ends closed without a detach (the socket closed)
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /** The sessions alive now: accepted connections and connect() endpoints. */
    public List<Session> sessions() {
        return new ArrayList<>(live);
    }

    /** The events so far. */
    public ConnectionEvents events() {
        Map<HandshakeFailureReason, Long> failures = new EnumMap<>(HandshakeFailureReason.class);
        for (HandshakeFailureReason r : HandshakeFailureReason.values()) {
            failures.put(r, counts.get(FAILURES + r.ordinal()));
        }
        return new ConnectionEvents(counts.get(CONNECTED), counts.get(ACCEPTED), counts.get(DISCONNECTED), counts.get(RETRIES),
                counts.get(HEARTBEAT_TIMEOUTS), failures);
    }

    /**
     * Why a handshake failed, finer than the monitor event: the protocol error's code tells a
     * mechanism mismatch and a CURVE box that did not open apart, and a protocol failure before
     * the peer's greeting was read is a greeting that was not ZMTP 3.x.
     *
     * @param failure what the handshake reported
     * @param greeted whether the peer's greeting had been read whole
     * @return the reason
     */
    public static HandshakeFailureReason reasonOf(HandshakeFailure failure, boolean greeted) {
        SocketEvent.Type event = failure.event();
        if (event == SocketEvent.Type.HANDSHAKE_FAILED_AUTH) {
            return HandshakeFailureReason.AUTH;
        }
        if (event != SocketEvent.Type.HANDSHAKE_FAILED_PROTOCOL) {
            return HandshakeFailureReason.INCOMPLETE;
        }
        if (failure.value() == ProtocolError.MECHANISM_MISMATCH.code()) {
            return HandshakeFailureReason.MECHANISM;
        }
        if (failure.value() == ProtocolError.CRYPTOGRAPHIC.code()) {
            return HandshakeFailureReason.CRYPTOGRAPHIC;
        }
        return greeted ? HandshakeFailureReason.PROTOCOL : HandshakeFailureReason.GREETING;
    }
}
