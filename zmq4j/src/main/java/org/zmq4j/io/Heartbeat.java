package org.zmq4j.io;

import org.zmq4j.common.SocketOptions;
import org.zmq4j.wire.Command;
import org.zmq4j.wire.ProtocolError;
import org.zmq4j.wire.ProtocolException;

/**
 * ZMTP heartbeats (rfc-37) of one connection: every HEARTBEAT_IVL a PING carrying our
 * HEARTBEAT_TTL, the connection dropped when nothing at all arrives within HEARTBEAT_TIMEOUT of a
 * PING (any traffic is a sign of life), PINGs answered with a PONG carrying their context, and the
 * peer's TTL kept. Timers run on the engine's thread ({@link EngineIo#schedule}), its clock is
 * {@link EngineIo#nanoTime()}. Engine thread only.
 */
final class Heartbeat {
    /** What the heartbeat needs of its connection. */
    interface Link {
        /** Queues a command body (PING, PONG); it goes out with the connection's next flush. */
        void queueCommand(byte[] body);

        /** Writes what is queued. */
        void flush();

        /** Drops the connection. */
        void close(String reason);
    }

    private final EngineIo io;
    private final SocketOptions options;
    private final Link link;
    private Timer pingTimer;
    private Timer timeoutTimer;
    private Timer ttlTimer;
    private long lastInputNanos;
    private boolean running;

    Heartbeat(EngineIo io, SocketOptions options, Link link) {
        this.io = io;
        this.options = options;
        this.link = link;
    }

    /** The handshake is done: PINGs start, when HEARTBEAT_IVL is set. */
    void start() {
        running = true;
        if (options.heartbeatIvl > 0) {
            pingTimer = io.schedule(options.heartbeatIvl, this::ping);
        }
    }

    /** Bytes arrived from the peer. */
    void input() {
        lastInputNanos = io.nanoTime();
    }

    private void ping() {
        if (!running) {
            return;
        }
        int ttl = options.heartbeatTtl / 100;
        link.queueCommand(Command.body(Command.PING, new byte[] {(byte) (ttl >>> 8), (byte) ttl}));
        link.flush();
        long sentAt = io.nanoTime();
        int timeout = options.heartbeatTimeout >= 0 ? options.heartbeatTimeout : options.heartbeatIvl;
        if (timeoutTimer == null && timeout > 0) {
            timeoutTimer = io.schedule(timeout, () -> {
                timeoutTimer = null;
                if (lastInputNanos - sentAt < 0) {
                    link.close("no traffic within HEARTBEAT_TIMEOUT (" + timeout + " ms) after a PING");
                }
            });
        }
        pingTimer = io.schedule(options.heartbeatIvl, this::ping);
    }

    /**
     * The peer sent PING: answer with a PONG carrying its context (at most 16 octets), and drop the
     * connection if nothing arrives within the TTL it announced.
     *
     * @param data the PING's data: a 2-octet TTL in deciseconds, then the context
     * @throws ProtocolException when the TTL field is missing
     */
    void onPing(byte[] data) throws ProtocolException {
        if (data.length < 2) {
            throw new ProtocolException(ProtocolError.MALFORMED, "PING shorter than its TTL field");
        }
        byte[] context = new byte[Math.min(16, data.length - 2)];
        System.arraycopy(data, 2, context, 0, context.length);
        link.queueCommand(Command.body(Command.PONG, context)); // written after the input is processed
        int deciseconds = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
        if (deciseconds <= 0 || ttlTimer != null) {
            return;
        }
        long seen = lastInputNanos;
        ttlTimer = io.schedule(deciseconds * 100L, () -> {
            ttlTimer = null;
            if (lastInputNanos == seen) {
                link.close("no traffic within the peer's heartbeat TTL (" + deciseconds * 100 + " ms)");
            }
        });
    }

    /** The connection closed: no more timers. */
    void stop() {
        running = false;
        for (Timer t : new Timer[] {pingTimer, timeoutTimer, ttlTimer}) {
            if (t != null) {
                t.cancel();
            }
        }
    }
}
