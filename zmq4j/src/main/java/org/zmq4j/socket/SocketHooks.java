package org.zmq4j.socket;

import org.zmq4j.Message;
import org.zmq4j.Option;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.pipe.Peer;

/**
 * What a socket type implements: its routing, in hooks that {@link SocketBase} calls on the
 * socket's owner thread (or under the lock of a thread-safe type), never concurrently. The six
 * abstract ones are every type's (send, receive, readiness, peers arriving and leaving); the others
 * have defaults for the types that do not route by routing id, group or subscription.
 */
public abstract class SocketHooks {
    protected final SocketType type;
    /** Whether the frame last received has more after it; set by xrecv implementations. */
    protected boolean rcvMore;

    SocketHooks(SocketType type) {
        this.type = type;
    }

    /** The socket's type. */
    public final SocketType type() {
        return type;
    }

    /** Sends one frame without blocking; false when it would block (EAGAIN). */
    protected abstract boolean xsend(byte[] frame, boolean more);

    /** Receives one frame without blocking, setting {@link #rcvMore}; null when none is ready. */
    protected abstract byte[] xrecv();

    /** Whether {@link #xrecv()} would return a frame now. */
    protected abstract boolean xhasIn();

    /** Whether {@link #xsend} would accept a frame now. */
    protected abstract boolean xhasOut();

    /** A peer is ready. */
    protected abstract void xattach(Peer peer);

    /** A peer is gone (its inbound pipe may still hold messages to read). */
    protected abstract void xdetach(Peer peer);

    /** Sends a {@link Message} without blocking; types routing by id or group override it. */
    protected boolean xsendMessage(Message message, boolean more) {
        return xsend(message.data(), more);
    }

    /** Whether a blocked {@link #xsendMessage} is worth retrying (SERVER, PEER: room on its connection). */
    protected boolean xcanSend(Message message) {
        return xhasOut();
    }

    /** The routing id of the frame last received (SERVER, PEER), 0 when none. */
    protected int xlastRoutingId() {
        return 0;
    }

    /** The group of the frame last received (DISH), null when none. */
    protected String xlastGroup() {
        return null;
    }

    /** DISH: joins a group. */
    protected void xjoin(String group) {
        throw notSupported(type, "join");
    }

    /** DISH: leaves a group. */
    protected void xleave(String group) {
        throw notSupported(type, "leave");
    }

    /** PEER: connects and returns the routing id of the new connection. */
    protected int xconnectPeer(String endpoint) {
        throw notSupported(type, "connectPeer");
    }

    /** The peer the last sent frame went to, for types that write each frame to one pipe; else null. */
    protected Peer xlastOutPeer() {
        return null;
    }

    /** The peer the last received frame came from, or null (for messageProperty and buffer reuse). */
    protected Peer xlastPeer() {
        return null;
    }

    /** A persistent peer reconnected (e.g. SUB re-sends subscriptions). */
    protected void xreconnected(Peer peer) {
    }

    /** A connect() of {@code endpoint} begins (STREAM: CONNECT_ROUTING_ID applies to its peer). */
    protected void xconnecting(String endpoint) {
    }

    /** The connect() that {@link #xconnecting} announced is over. */
    protected void xconnected() {
    }

    /** Sets a type-specific option; false when this type does not have it. */
    protected boolean xsetOption(Option<?> option, Object value) {
        return false;
    }

    /** Reads a type-specific option; null when this type does not have it. */
    protected Object xgetOption(Option<?> option) {
        return null;
    }

    protected static ZmqException notSupported(SocketType type, String operation) {
        return new ZmqException(Errno.ENOTSUP, operation + " is not supported by " + type + " sockets");
    }
}
