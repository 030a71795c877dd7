package org.zmq4j.pattern;

import org.zmq4j.SocketType;
import org.zmq4j.io.IoContext;
import org.zmq4j.socket.SocketBase;
import org.zmq4j.pipe.Peer;

/**
 * CLIENT (rfc-47): round-robin out over servers with room, fair-queue in, single frames only
 * (multipart messages from a peer are dropped). Blocks when no server has room, never drops.
 */
final class ClientSocket extends SocketBase {
    private final LoadBalancer lb = new LoadBalancer();
    private final FairQueue<Void> fq = new FairQueue<>();

    ClientSocket(IoContext ctx) {
        super(ctx, SocketType.CLIENT);
    }

    @Override
    protected void xattach(Peer p) {
        lb.attach(p);
        fq.attach(p);
    }

    @Override
    protected void xdetach(Peer p) {
        lb.detach(p);
        fq.detach(p);
    }

    @Override
    protected boolean xsend(byte[] frame, boolean more) {
        return lb.send(frame, false, recyclable());
    }

    @Override
    protected byte[] xrecv() {
        return fq.recvSingle();
    }

    @Override
    protected boolean xhasIn() {
        return fq.hasIn();
    }

    @Override
    protected boolean xhasOut() {
        return lb.hasOut();
    }

    @Override
    protected Peer xlastPeer() {
        return fq.lastPeer();
    }

    @Override
    protected Peer xlastOutPeer() {
        return lb.lastPeer();
    }
}
