package org.zmq4j.pattern;

import java.util.ArrayList;
import java.util.List;

import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.io.IoContext;
import org.zmq4j.socket.SocketBase;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;

/**
 * REP (rfc-28): strictly alternates receiving a request and sending its reply. The envelope (the
 * frames up to and including the empty delimiter) is kept and put back in front of the reply,
 * which goes to the peer the request came from. Requests without a delimiter are dropped.
 */
final class RepSocket extends SocketBase {
    private static final byte[] EMPTY = new byte[0];

    private final FairQueue<Void> fq = new FairQueue<>();
    private final List<byte[]> envelope = new ArrayList<>();
    private boolean sendingReply;
    private boolean requestInProgress;
    private boolean replyInProgress;
    private boolean dropReply;
    private Peer replyTo;
    /** The peer the reply goes to is gone: the reply is dropped. */
    private boolean replyToGone;

    RepSocket(IoContext ctx) {
        super(ctx, SocketType.REP);
    }

    @Override
    protected void xattach(Peer p) {
        fq.attach(p);
    }

    @Override
    protected void xdetach(Peer p) {
        if (p == replyTo) {
            replyToGone = true;
        }
        fq.detach(p);
    }

    @Override
    protected byte[] xrecv() {
        if (sendingReply) {
            throw new ZmqException(Errno.EFSM, "REP socket must send the reply before receiving the next request");
        }
        if (!requestInProgress) {
            while (true) {
                byte[] f = fq.recv();
                if (f == null) {
                    return null;
                }
                Peer from = fq.lastPeer();
                envelope.clear();
                boolean delimited = false;
                while (fq.lastMore()) {
                    if (f.length == 0) {
                        delimited = true;
                        break;
                    }
                    envelope.add(f);
                    f = fq.recv();
                }
                if (delimited) {
                    replyTo = from;
                    replyToGone = false;
                    requestInProgress = true;
                    break;
                }
                envelope.clear(); // no delimiter: malformed request, dropped whole
            }
        }
        byte[] body = fq.recv();
        rcvMore = fq.lastMore();
        if (!rcvMore) {
            requestInProgress = false;
            sendingReply = true;
        }
        return body;
    }

    @Override
    protected boolean xsend(byte[] frame, boolean more) {
        if (!sendingReply) {
            throw new ZmqException(Errno.EFSM, "REP socket must receive a request before sending a reply");
        }
        if (!replyInProgress) {
            replyInProgress = true;
            dropReply = replyTo == null || replyToGone || replyTo.out().isReaderClosed() || !replyTo.out().hasRoom();
            if (!dropReply) {
                for (byte[] e : envelope) {
                    replyTo.out().write(e, Pipe.MORE);
                }
                replyTo.out().write(EMPTY, Pipe.MORE);
            }
        }
        if (!dropReply) {
            replyTo.out().write(frame, more ? Pipe.MORE : 0);
        }
        if (!more) {
            replyInProgress = false;
            sendingReply = false;
            envelope.clear();
            replyTo = null;
        }
        return true;
    }

    @Override
    protected boolean xhasIn() {
        return !sendingReply && fq.hasIn();
    }

    @Override
    protected boolean xhasOut() {
        return sendingReply;
    }

    @Override
    protected Peer xlastPeer() {
        return fq.lastPeer();
    }
}
