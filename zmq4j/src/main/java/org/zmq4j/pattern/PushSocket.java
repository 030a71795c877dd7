package org.zmq4j.pattern;

import org.zmq4j.SocketType;
import org.zmq4j.io.IoContext;
import org.zmq4j.socket.SocketBase;
import org.zmq4j.pipe.Peer;

/**
 * PUSH (rfc-30) and its thread-safe sibling SCATTER (rfc-49): round-robin to pullers; blocks (or
 * times out) when all are at SNDHWM. SCATTER sends single frames (SNDMORE is refused by SocketBase).
 */
final class PushSocket extends SocketBase {
    private final LoadBalancer lb = new LoadBalancer();

    PushSocket(IoContext ctx, SocketType type) {
        super(ctx, type);
    }

    @Override
    protected void xattach(Peer p) {
        lb.attach(p);
    }

    @Override
    protected void xdetach(Peer p) {
        lb.detach(p);
    }

    @Override
    protected boolean xsend(byte[] frame, boolean more) {
        return lb.send(frame, more, recyclable());
    }

    @Override
    protected byte[] xrecv() {
        throw notSupported(type, "recv");
    }

    @Override
    protected boolean xhasIn() {
        return false;
    }

    @Override
    protected boolean xhasOut() {
        return lb.hasOut();
    }

    @Override
    protected Peer xlastOutPeer() {
        return lb.lastPeer();
    }
}
