package org.zmq4j;

import java.util.EnumMap;
import java.util.Map;

/**
 * What happened to a socket's connections since the socket was created, added up over every
 * connection including those long gone ({@link SocketMetrics#events()}). Immutable; thread-safe.
 *
 * @param connected         connections made by connect() (first ones and reconnects)
 * @param accepted          connections accepted on bound endpoints
 * @param disconnected      connections lost or closed, handshaken or not
 * @param connectRetries    reconnects scheduled (CONNECT_RETRIED)
 * @param heartbeatTimeouts connections dropped because heartbeats went unanswered
 * @param handshakeFailures failed handshakes by reason; every reason is a key
 */
public record ConnectionEvents(long connected, long accepted, long disconnected, long connectRetries, long heartbeatTimeouts,
        Map<HandshakeFailureReason, Long> handshakeFailures) {
    /** No event at all. */
    public static final ConnectionEvents NONE = new ConnectionEvents(0, 0, 0, 0, 0, Map.of());

    /** Keeps an unmodifiable copy with every reason present (0 when absent). */
    public ConnectionEvents {
        EnumMap<HandshakeFailureReason, Long> all = new EnumMap<>(HandshakeFailureReason.class);
        for (HandshakeFailureReason r : HandshakeFailureReason.values()) {
            all.put(r, handshakeFailures.getOrDefault(r, 0L));
        }
        handshakeFailures = java.util.Collections.unmodifiableMap(all);
    }

    /** Failed handshakes, every reason added up. */
    public long totalHandshakeFailures() {
        return handshakeFailures.values().stream().mapToLong(Long::longValue).sum();
    }
}
