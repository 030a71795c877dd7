package org.zmq4j.socket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A socket's traffic counters, kept by the socket's own calls (which a socket serializes: its one
 * thread, or its lock for the thread-safe types) and read by any thread. Written with opaque
 * stores, which cost what a plain store does: a reader sees each counter whole and never going
 * back, possibly a moment old.
 *
 * <p>Thread-safety: writes from the socket's calls only; {@link #read} from any thread.
 */
public final class SocketCounters {
    private static final VarHandle MESSAGES_SENT;
    private static final VarHandle MESSAGES_RECEIVED;
    private static final VarHandle BYTES_SENT;
    private static final VarHandle BYTES_RECEIVED;
    private static final VarHandle DROPPED;
    private static final VarHandle UNROUTABLE;
    private static final VarHandle SEND_WOULD_BLOCK;
    private static final VarHandle RECEIVE_WOULD_BLOCK;
    private static final VarHandle PEERS;
    private static final VarHandle SEND_BLOCKED_NANOS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            MESSAGES_SENT = l.findVarHandle(SocketCounters.class, "messagesSent", long.class);
            MESSAGES_RECEIVED = l.findVarHandle(SocketCounters.class, "messagesReceived", long.class);
            BYTES_SENT = l.findVarHandle(SocketCounters.class, "bytesSent", long.class);
            BYTES_RECEIVED = l.findVarHandle(SocketCounters.class, "bytesReceived", long.class);
            DROPPED = l.findVarHandle(SocketCounters.class, "dropped", long.class);
            UNROUTABLE = l.findVarHandle(SocketCounters.class, "unroutable", long.class);
            SEND_WOULD_BLOCK = l.findVarHandle(SocketCounters.class, "sendWouldBlock", long.class);
            RECEIVE_WOULD_BLOCK = l.findVarHandle(SocketCounters.class, "receiveWouldBlock", long.class);
            PEERS = l.findVarHandle(SocketCounters.class, "peers", int.class);
            SEND_BLOCKED_NANOS = l.findVarHandle(SocketCounters.class, "sendBlockedNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long messagesSent;
    private long messagesReceived;
    private long bytesSent;
    private long bytesReceived;
    private long dropped;
    private long unroutable;
    private long sendWouldBlock;
    private long receiveWouldBlock;
    private int peers;
    private long sendBlockedNanos;

    /** A frame of {@code bytes} was sent; {@code last}: the message's last frame. */
    void sent(int bytes, boolean last) {
        BYTES_SENT.setOpaque(this, bytesSent + bytes);
        if (last) {
            MESSAGES_SENT.setOpaque(this, messagesSent + 1);
        }
    }

    /** A frame of {@code bytes} was received; {@code last}: the message's last frame. */
    void received(int bytes, boolean last) {
        BYTES_RECEIVED.setOpaque(this, bytesReceived + bytes);
        if (last) {
            MESSAGES_RECEIVED.setOpaque(this, messagesReceived + 1);
        }
    }

    /** {@code n} copies of a message were dropped at a peer's SNDHWM (PUB, ROUTER, RADIO). */
    public void dropped(int n) {
        DROPPED.setOpaque(this, dropped + n);
    }

    /** A ROUTER message for a routing id no peer has was dropped (ROUTER_MANDATORY off). */
    public void unroutable() {
        UNROUTABLE.setOpaque(this, unroutable + 1);
    }

    /** A send returned without sending (DONTWAIT, or SNDTIMEO ran out): libzmq's EAGAIN. */
    void sendWouldBlock() {
        SEND_WOULD_BLOCK.setOpaque(this, sendWouldBlock + 1);
    }

    /** A receive returned nothing (DONTWAIT, or RCVTIMEO ran out): libzmq's EAGAIN. */
    void receiveWouldBlock() {
        RECEIVE_WOULD_BLOCK.setOpaque(this, receiveWouldBlock + 1);
    }

    /** A send waited {@code nanos} for room (whether or not it then sent). */
    void sendBlocked(long nanos) {
        SEND_BLOCKED_NANOS.setOpaque(this, sendBlockedNanos + nanos);
    }

    /** Time sends spent waiting for room, in nanoseconds; any thread. */
    public long sendBlockedNanos() {
        return (long) SEND_BLOCKED_NANOS.getOpaque(this);
    }

    /** The peers attached now (connections past their handshake, inproc peers). */
    void peers(int n) {
        PEERS.setOpaque(this, n);
    }

    /** The peers attached now, for any thread. */
    public int peers() {
        return (int) PEERS.getOpaque(this);
    }

    /**
     * The counters now, in this order: messages sent, messages received, bytes sent, bytes received,
     * dropped at HWM, unroutable, sends that would block, receives that would block.
     */
    public long[] read() {
        return new long[] {(long) MESSAGES_SENT.getOpaque(this), (long) MESSAGES_RECEIVED.getOpaque(this),
            (long) BYTES_SENT.getOpaque(this), (long) BYTES_RECEIVED.getOpaque(this), (long) DROPPED.getOpaque(this),
            (long) UNROUTABLE.getOpaque(this), (long) SEND_WOULD_BLOCK.getOpaque(this), (long) RECEIVE_WOULD_BLOCK.getOpaque(this)};
    }
}
