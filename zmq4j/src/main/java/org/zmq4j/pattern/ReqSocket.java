package org.zmq4j.pattern;

import java.util.concurrent.ThreadLocalRandom;

import org.zmq4j.Option;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.io.IoContext;
import org.zmq4j.socket.SocketBase;
import org.zmq4j.pipe.Peer;

/**
 * REQ (rfc-28): strictly alternates request and reply. Each request goes, behind an empty
 * delimiter frame, to the next peer in turn; only a well-formed reply from that peer is accepted.
 * REQ_RELAXED lets a new request replace one still waiting for its reply; REQ_CORRELATE prefixes
 * requests with an id and drops replies that do not carry the current one. PROBE_ROUTER sends
 * every new peer an empty message first, as libzmq's REQ (a DEALER underneath) does.
 */
final class ReqSocket extends SocketBase {
    private static final byte[] EMPTY = new byte[0];

    private final LoadBalancer lb = new LoadBalancer();
    private final FairQueue<Void> fq = new FairQueue<>();
    private boolean relaxed;
    private boolean correlate;
    private boolean probe;
    private boolean receivingReply;
    private boolean requestInProgress;
    private boolean replyInProgress;
    private Peer replyPeer;
    private int requestId = ThreadLocalRandom.current().nextInt();

    ReqSocket(IoContext ctx) {
        super(ctx, SocketType.REQ);
    }

    @Override
    protected void xattach(Peer p) {
        if (probe) {
            p.out().write(EMPTY, 0); // PROBE_ROUTER: an empty message announces us
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
        if (receivingReply) {
            if (!relaxed) {
                throw new ZmqException(Errno.EFSM, "REQ socket must receive the reply before sending another request");
            }
            receivingReply = false;
        }
        if (!requestInProgress) {
            if (!lb.hasOut()) {
                return false;
            }
            requestId++;
            if (correlate) {
                lb.send(intBytes(requestId), true);
            }
            lb.send(EMPTY, true);
            replyPeer = lb.lastPeer();
            requestInProgress = true;
        }
        lb.send(frame, more);
        if (!more) {
            requestInProgress = false;
            receivingReply = true;
            replyInProgress = false;
        }
        return true;
    }

    @Override
    protected byte[] xrecv() {
        if (!receivingReply) {
            throw new ZmqException(Errno.EFSM, "REQ socket must send a request before receiving a reply");
        }
        if (!replyInProgress) {
            while (true) {
                byte[] f = fq.recv();
                if (f == null) {
                    return null;
                }
                if (fq.lastPeer() != replyPeer || !fq.lastMore()) {
                    fq.skipRest();
                    continue;
                }
                if (correlate) {
                    if (f.length != 4 || toInt(f) != requestId) {
                        fq.skipRest();
                        continue;
                    }
                    f = fq.recv();
                    if (f == null || !fq.lastMore()) {
                        fq.skipRest();
                        continue;
                    }
                }
                if (f.length != 0) {
                    fq.skipRest();
                    continue;
                }
                replyInProgress = true;
                break;
            }
        }
        byte[] body = fq.recv();
        rcvMore = fq.lastMore();
        if (!rcvMore) {
            replyInProgress = false;
            receivingReply = false;
        }
        return body;
    }

    @Override
    protected boolean xhasIn() {
        return receivingReply && fq.hasIn();
    }

    @Override
    protected boolean xhasOut() {
        return (!receivingReply || relaxed) && (requestInProgress || lb.hasOut());
    }

    @Override
    protected boolean xsetOption(Option<?> option, Object value) {
        if (option == Option.REQ_RELAXED) {
            relaxed = (Boolean) value;
            return true;
        }
        if (option == Option.REQ_CORRELATE) {
            correlate = (Boolean) value;
            return true;
        }
        if (option == Option.PROBE_ROUTER) {
            probe = (Boolean) value;
            return true;
        }
        return false;
    }

    @Override
    protected Object xgetOption(Option<?> option) {
        if (option == Option.REQ_RELAXED) {
            return relaxed;
        }
        if (option == Option.REQ_CORRELATE) {
            return correlate;
        }
        if (option == Option.PROBE_ROUTER) {
            return probe;
        }
        return null;
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static int toInt(byte[] b) {
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    @Override
    protected Peer xlastPeer() {
        return fq.lastPeer();
    }
}
