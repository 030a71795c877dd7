package org.zmq4j.socket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/*
 * The layout (HotSpot lays out a superclass's fields first): 128 bytes of padding before and after
 * the counters, so the counters one socket's thread writes on every message never share a cache line
 * with another socket's (two sockets made one after the other by one thread sit side by side in
 * memory, and a PUSH and its PULL run on two threads: without the padding, inproc 64 B lost about a
 * third of its throughput to false sharing; docs/performance.md, Session 10).
 */
abstract class SocketCountersPadBefore {
    /** Fills the 4 bytes after a compressed object header, which a later int field would take otherwise. */
    int pbFill;
    long pb0, pb1, pb2, pb3, pb4, pb5, pb6, pb7, pb8, pb9, pb10, pb11, pb12, pb13, pb14, pb15;
}

/** The counters, written by the socket's own calls. */
abstract class SocketCountersFields extends SocketCountersPadBefore {
    long messagesSent;
    long messagesReceived;
    long bytesSent;
    long bytesReceived;
    long dropped;
    long unroutable;
    long sendWouldBlock;
    long receiveWouldBlock;
    long sendBlockedNanos;
    int peers;
    int peersFill;
}

abstract class SocketCountersPadAfter extends SocketCountersFields {
    long pa0, pa1, pa2, pa3, pa4, pa5, pa6, pa7, pa8, pa9, pa10, pa11, pa12, pa13, pa14, pa15;
}

/**
 * A socket's traffic counters, kept by the socket's own calls (which a socket serializes: its one
 * thread, or its lock for the thread-safe types) and read by any thread. Written with opaque
 * stores, which cost what a plain store does: a reader sees each counter whole and never going
 * back, possibly a moment old.
 *
 * <p>Thread-safety: writes from the socket's calls only; {@link #read} from any thread.
 */
public final class SocketCounters extends SocketCountersPadAfter {
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
            MESSAGES_SENT = l.findVarHandle(SocketCountersFields.class, "messagesSent", long.class);
            MESSAGES_RECEIVED = l.findVarHandle(SocketCountersFields.class, "messagesReceived", long.class);
            BYTES_SENT = l.findVarHandle(SocketCountersFields.class, "bytesSent", long.class);
            BYTES_RECEIVED = l.findVarHandle(SocketCountersFields.class, "bytesReceived", long.class);
            DROPPED = l.findVarHandle(SocketCountersFields.class, "dropped", long.class);
            UNROUTABLE = l.findVarHandle(SocketCountersFields.class, "unroutable", long.class);
            SEND_WOULD_BLOCK = l.findVarHandle(SocketCountersFields.class, "sendWouldBlock", long.class);
            RECEIVE_WOULD_BLOCK = l.findVarHandle(SocketCountersFields.class, "receiveWouldBlock", long.class);
            PEERS = l.findVarHandle(SocketCountersFields.class, "peers", int.class);
            SEND_BLOCKED_NANOS = l.findVarHandle(SocketCountersFields.class, "sendBlockedNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }


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
