package org.zmq4j.pattern;

import org.zmq4j.SocketType;
import org.zmq4j.io.IoContext;
import org.zmq4j.pipe.Peer;

/** PUSH (rfc-30): round-robin to pullers; blocks (or times out) when all are at SNDHWM. */
final class PushSocket extends SocketBase {
    private final LoadBalancer lb = new LoadBalancer();

    PushSocket(IoContext ctx) {
        super(ctx, SocketType.PUSH);
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
        return lb.send(frame, more);
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
}
