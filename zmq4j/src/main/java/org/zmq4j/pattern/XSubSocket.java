package org.zmq4j.pattern;

import java.util.ArrayList;
import java.util.List;

import org.zmq4j.Option;
import org.zmq4j.SocketType;
import org.zmq4j.io.IoContext;
import org.zmq4j.socket.SocketBase;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;

/**
 * SUB and XSUB (rfc-29): fair-queues messages from publishers and keeps only those whose first
 * frame starts with a subscribed prefix. Subscriptions are counted here and sent to every
 * publisher (again after a reconnect); a CANCEL goes out when a prefix's last reference goes.
 * SUB subscribes through the SUBSCRIBE/UNSUBSCRIBE options; XSUB through messages
 * {@code 0x01 + prefix} / {@code 0x00 + prefix}, and other messages it sends go to all publishers.
 */
final class XSubSocket extends SocketBase {
    private final boolean xsub;
    private final FairQueue<Void> fq = new FairQueue<>();
    private final List<Peer> peers = new ArrayList<>();
    private final PrefixTrie subscriptions = new PrefixTrie();
    private byte[] prefetched;
    private boolean prefetchedMore;
    private boolean inMessage;
    private boolean sendInMessage;

    XSubSocket(IoContext ctx, SocketType type) {
        super(ctx, type);
        this.xsub = type == SocketType.XSUB;
    }

    @Override
    protected void xattach(Peer p) {
        fq.attach(p);
        peers.add(p);
        sendSubscriptions(p);
    }

    @Override
    protected void xreconnected(Peer p) {
        sendSubscriptions(p);
    }

    private void sendSubscriptions(Peer p) {
        subscriptions.forEach(prefix -> {
            byte[] f = new byte[prefix.length + 1];
            f[0] = 1;
            System.arraycopy(prefix, 0, f, 1, prefix.length);
            p.out().write(f, Pipe.SUBSCRIBE);
        });
    }

    @Override
    protected void xdetach(Peer p) {
        fq.detach(p);
        peers.remove(p);
    }

    private void subscribe(byte[] frame) {
        subscriptions.add(frame, 1);
        toAll(frame, Pipe.SUBSCRIBE);
    }

    private void unsubscribe(byte[] frame) {
        if (subscriptions.remove(frame, 1)) {
            toAll(frame, Pipe.CANCEL);
        }
    }

    private void toAll(byte[] frame, int flags) {
        for (int i = 0; i < peers.size(); i++) {
            peers.get(i).out().write(frame, flags);
        }
    }

    @Override
    protected boolean xsend(byte[] frame, boolean more) {
        if (!xsub) {
            throw notSupported(type, "send");
        }
        if (!sendInMessage && !more && frame.length > 0 && frame[0] == 1) {
            subscribe(frame);
        } else if (!sendInMessage && !more && frame.length > 0 && frame[0] == 0) {
            unsubscribe(frame);
        } else {
            toAll(frame, more ? Pipe.MORE : 0);
            sendInMessage = more;
        }
        return true;
    }

    @Override
    protected byte[] xrecv() {
        if (prefetched != null) {
            byte[] f = prefetched;
            prefetched = null;
            rcvMore = prefetchedMore;
            inMessage = rcvMore;
            return f;
        }
        while (true) {
            byte[] f = fq.recv();
            if (f == null) {
                return null;
            }
            boolean more = fq.lastMore();
            if (!inMessage && !subscriptions.matches(f)) {
                if (more) {
                    fq.skipRest();
                }
                continue;
            }
            rcvMore = more;
            inMessage = more;
            return f;
        }
    }

    @Override
    protected boolean xhasIn() {
        if (prefetched != null || inMessage) {
            return true;
        }
        while (true) {
            byte[] f = fq.recv();
            if (f == null) {
                return false;
            }
            boolean more = fq.lastMore();
            if (subscriptions.matches(f)) {
                prefetched = f;
                prefetchedMore = more;
                return true;
            }
            if (more) {
                fq.skipRest();
            }
        }
    }

    @Override
    protected boolean xhasOut() {
        return xsub;
    }

    @Override
    protected boolean xsetOption(Option<?> option, Object value) {
        if (option == Option.SUBSCRIBE || option == Option.UNSUBSCRIBE) {
            if (xsub) {
                return false;
            }
            byte[] topic = (byte[]) value;
            byte[] f = new byte[topic.length + 1];
            f[0] = (byte) (option == Option.SUBSCRIBE ? 1 : 0);
            System.arraycopy(topic, 0, f, 1, topic.length);
            if (option == Option.SUBSCRIBE) {
                subscribe(f);
            } else {
                unsubscribe(f);
            }
            return true;
        }
        return false;
    }

    @Override
    protected Peer xlastPeer() {
        return fq.lastPeer();
    }
}
