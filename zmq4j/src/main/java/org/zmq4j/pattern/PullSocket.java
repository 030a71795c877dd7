package org.zmq4j.pattern;

import org.zmq4j.SocketType;
import org.zmq4j.io.IoContext;
import org.zmq4j.pipe.Peer;

/** PULL (rfc-30): fair-queues messages from pushers. */
final class PullSocket extends SocketBase {
    private final FairQueue fq = new FairQueue();

    PullSocket(IoContext ctx) {
        super(ctx, SocketType.PULL);
    }

    @Override
    protected void xattach(Peer p) {
        fq.attach(p);
    }

    @Override
    protected void xdetach(Peer p) {
        fq.detach(p);
    }

    @Override
    protected boolean xsend(byte[] frame, boolean more) {
        throw notSupported(type, "send");
    }

    @Override
    protected byte[] xrecv() {
        byte[] frame = fq.recv();
        if (frame != null) {
            rcvMore = fq.lastMore();
        }
        return frame;
    }

    @Override
    protected boolean xhasIn() {
        return fq.hasIn();
    }

    @Override
    protected boolean xhasOut() {
        return false;
    }

    @Override
    protected Peer xlastPeer() {
        return fq.lastPeer();
    }
}
