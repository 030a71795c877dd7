package org.zmq4j.pattern;

import org.zmq4j.Option;
import org.zmq4j.SocketType;
import org.zmq4j.io.IoContext;
import org.zmq4j.socket.SocketBase;
import org.zmq4j.pipe.Peer;

/**
 * DEALER (rfc-28): round-robin out, fair-queue in, no envelope handling. With PROBE_ROUTER every
 * new peer is first sent an empty message (queued at connect time, delivered once connected).
 */
final class DealerSocket extends SocketBase {
    private final LoadBalancer lb = new LoadBalancer();
    private final FairQueue<Void> fq = new FairQueue<>();
    private boolean probe;

    DealerSocket(IoContext ctx) {
        super(ctx, SocketType.DEALER);
    }

    @Override
    protected void xattach(Peer p) {
        if (probe) {
            p.out().write(new byte[0], 0); // PROBE_ROUTER: an empty message announces us
        }
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
        return lb.send(frame, more, recyclable());
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
        return lb.hasOut();
    }

    @Override
    protected boolean xsetOption(Option<?> option, Object value) {
        if (option == Option.PROBE_ROUTER) {
            probe = (Boolean) value;
            return true;
        }
        return false;
    }

    @Override
    protected Object xgetOption(Option<?> option) {
        return option == Option.PROBE_ROUTER ? probe : null;
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
