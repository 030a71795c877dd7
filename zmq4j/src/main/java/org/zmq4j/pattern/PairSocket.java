package org.zmq4j.pattern;

import org.zmq4j.SocketType;
import org.zmq4j.io.IoContext;
import org.zmq4j.socket.SocketBase;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;

/**
 * PAIR (rfc-31) and its thread-safe sibling CHANNEL (rfc-52): exactly one peer; a second
 * connection is refused. CHANNEL carries single-frame messages and drops multipart ones.
 */
final class PairSocket extends SocketBase {
    private Peer peer;
    private final boolean singleFrame;

    /** The socket was told {@link #peer} is gone; it stays until what it queued has been read. */
    private boolean peerDetached;

    PairSocket(IoContext ctx, SocketType type) {
        super(ctx, type);
        this.singleFrame = type.isThreadSafe();
    }

    @Override
    protected void xattach(Peer p) {
        dropIfDrained();
        if (peer != null) {
            p.close();
            return;
        }
        peer = p;
        peerDetached = false;
    }

    @Override
    protected void xdetach(Peer p) {
        if (p != peer) {
            return;
        }
        peerDetached = true;
        if (!p.in().hasMessage()) {
            peer = null; // otherwise kept until what it queued has been read
        }
    }

    /** Forgets a detached peer once its queue is drained, so a new one can attach. */
    private void dropIfDrained() {
        if (peer != null && peerDetached && !peer.in().hasMessage()) {
            peer = null;
        }
    }

    @Override
    protected boolean xsend(byte[] frame, boolean more) {
        if (peer == null || peerDetached || !peer.out().hasRoom()) {
            return false;
        }
        peer.out().write(frame, (more ? Pipe.MORE : 0) | recyclable());
        return true;
    }

    @Override
    protected byte[] xrecv() {
        if (peer == null) {
            return null;
        }
        byte[] frame = peer.in().read();
        while (singleFrame && frame != null && (peer.in().lastFlags() & Pipe.MORE) != 0) {
            do { // drop the whole multipart message
                frame = peer.in().read();
            } while (frame != null && (peer.in().lastFlags() & Pipe.MORE) != 0);
            frame = peer.in().read();
        }
        if (frame != null) {
            rcvMore = (peer.in().lastFlags() & Pipe.MORE) != 0;
        } else {
            dropIfDrained();
        }
        return frame;
    }

    @Override
    protected boolean xhasIn() {
        return peer != null && peer.in().hasMessage();
    }

    @Override
    protected boolean xhasOut() {
        return peer != null && peer.out().hasRoom();
    }

    @Override
    protected Peer xlastPeer() {
        return peer;
    }

    @Override
    protected Peer xlastOutPeer() {
        return peer;
    }
}
