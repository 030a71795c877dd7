package org.zmq4j.pattern;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.zmq4j.Option;
import org.zmq4j.SocketType;
import org.zmq4j.io.IoContext;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;

/**
 * PUB and XPUB (rfc-29): each message goes to every peer subscribed to a prefix of its first
 * frame; a peer at SNDHWM misses the message (never blocks). Subscriptions arrive on the inbound
 * pipes (as ZMTP 3.1 commands turned into frames by the engine, or 3.0 messages). XPUB also hands
 * subscription changes to the application: a new prefix (every one with XPUB_VERBOSE) as
 * {@code 0x01 + prefix}, a prefix left with no subscriber as {@code 0x00 + prefix}.
 */
final class XPubSocket extends SocketBase {
    private final boolean xpub;
    private final List<Peer> peers = new ArrayList<>();
    private final SubscriberTrie subscriptions = new SubscriberTrie();
    private final ArrayDeque<byte[]> upstream = new ArrayDeque<>();
    private final ArrayDeque<Boolean> upstreamMore = new ArrayDeque<>();
    private final List<Peer> targets = new ArrayList<>();
    private final Consumer<Peer> collect = this::collect;
    private final boolean[] peerWasNew = new boolean[1];
    private boolean verbose;
    private boolean inMessage;
    private int epoch;

    XPubSocket(IoContext ctx, SocketType type) {
        super(ctx, type);
        this.xpub = type == SocketType.XPUB;
    }

    @Override
    protected void xattach(Peer p) {
        peers.add(p);
        readUpstream(p); // its wake-up may have been consumed before it was attached
    }

    @Override
    protected void xdetach(Peer p) {
        readUpstream(p);
        peers.remove(p);
        targets.remove(p);
        subscriptions.removePeer(p, prefix -> {
            if (xpub) {
                queueUp(withLead((byte) 0, prefix), false);
            }
        });
    }

    private void readUpstream() {
        for (int i = 0; i < peers.size(); i++) {
            readUpstream(peers.get(i));
        }
    }

    private void readUpstream(Peer p) {
        Pipe in = p.in();
        byte[] f;
        while ((f = in.read()) != null) {
            boolean more = (in.lastFlags() & Pipe.MORE) != 0;
            if (!more && f.length > 0 && f[0] == 1) {
                boolean first = subscriptions.add(f, 1, p, peerWasNew);
                if (xpub && (first || verbose)) {
                    queueUp(f, false);
                }
            } else if (!more && f.length > 0 && f[0] == 0) {
                if (subscriptions.remove(f, 1, p) && xpub) {
                    queueUp(f, false);
                }
            } else if (xpub) {
                queueUp(f, more);
            }
        }
    }

    private void queueUp(byte[] frame, boolean more) {
        upstream.add(frame);
        upstreamMore.add(more);
    }

    private static byte[] withLead(byte lead, byte[] prefix) {
        byte[] f = new byte[prefix.length + 1];
        f[0] = lead;
        System.arraycopy(prefix, 0, f, 1, prefix.length);
        return f;
    }

    private void collect(Peer p) {
        if (p.mark != epoch) {
            p.mark = epoch;
            if (p.out().hasRoom()) {
                targets.add(p);
            }
        }
    }

    @Override
    protected boolean xsend(byte[] frame, boolean more) {
        if (!inMessage) {
            if (takeInputHint()) {
                readUpstream();
            }
            targets.clear();
            epoch++;
            subscriptions.match(frame, collect);
        }
        int flags = more ? Pipe.MORE : 0;
        for (int i = 0; i < targets.size(); i++) {
            targets.get(i).out().write(frame, flags);
        }
        inMessage = more;
        if (!more) {
            targets.clear();
        }
        return true;
    }

    @Override
    protected byte[] xrecv() {
        if (!xpub) {
            throw notSupported(type, "recv");
        }
        readUpstream();
        byte[] f = upstream.poll();
        if (f != null) {
            rcvMore = upstreamMore.poll();
        }
        return f;
    }

    @Override
    protected boolean xhasIn() {
        if (!xpub) {
            return false;
        }
        readUpstream();
        return !upstream.isEmpty();
    }

    @Override
    protected boolean xhasOut() {
        return true;
    }

    @Override
    protected boolean xsetOption(Option<?> option, Object value) {
        if (option == Option.XPUB_VERBOSE && xpub) {
            verbose = (Boolean) value;
            return true;
        }
        return false;
    }

    @Override
    protected Object xgetOption(Option<?> option) {
        return option == Option.XPUB_VERBOSE && xpub ? verbose : null;
    }
}
