package org.zmq4j.pattern;

import org.zmq4j.SocketType;
import org.zmq4j.io.IoContext;
import org.zmq4j.socket.SocketBase;
import org.zmq4j.pipe.Peer;

/**
 * PULL (rfc-30) and its thread-safe sibling GATHER (rfc-49): fair-queues messages from pushers.
 * GATHER delivers single frames and drops multipart messages.
 */
final class PullSocket extends SocketBase {
    private final FairQueue<Void> fq = new FairQueue<>();

    private final boolean singleFrame;

    PullSocket(IoContext ctx, SocketType type) {
        super(ctx, type);
        this.singleFrame = type.isThreadSafe();
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
        byte[] frame = singleFrame ? fq.recvSingle() : fq.recv();
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
