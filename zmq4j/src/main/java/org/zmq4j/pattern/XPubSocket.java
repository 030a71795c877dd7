package org.zmq4j.pattern;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.zmq4j.Option;
import org.zmq4j.SocketType;
import org.zmq4j.common.ConnectionRules;
import org.zmq4j.io.IoContext;
import org.zmq4j.socket.SocketBase;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;

/**
 * PUB and XPUB (rfc-29): each message goes to every peer subscribed to a prefix of its first
 * frame; a peer at SNDHWM misses the message (never blocks). Subscriptions arrive on the inbound
 * pipes (as ZMTP 3.1 commands turned into frames by the engine, or 3.0 messages). XPUB also hands
 * subscription changes to the application: a new prefix (every one with XPUB_VERBOSE) as
 * {@code 0x01 + prefix}, a prefix left with no subscriber as {@code 0x00 + prefix}.
 * <p>
 * Options beyond the basics, as in libzmq: XPUB_MANUAL (subscriptions are only passed up, every
 * one, and the application applies them with SUBSCRIBE/UNSUBSCRIBE to the subscriber whose
 * message it read last), XPUB_WELCOME_MSG (written to each new subscriber when it attaches) and
 * XPUB_NODROP (a matching subscriber at SNDHWM makes send wait instead of missing the message).
 */
final class XPubSocket extends SocketBase {
    private final boolean xpub;
    private final List<Subscriber> peers = new ArrayList<>();
    private final Map<Peer, Subscriber> byPeer = new IdentityHashMap<>();
    private final SubscriberTrie<Subscriber> subscriptions = new SubscriberTrie<>();
    private final ArrayDeque<Upstream> upstream = new ArrayDeque<>();
    private final Map<Subscriber, Set<ByteBuffer>> manualSubscriptions = new HashMap<>();
    private final List<Subscriber> targets = new ArrayList<>();
    private final Consumer<Subscriber> collect = this::collect;
    private final boolean[] peerWasNew = new boolean[1];
    /** A subscription to every message: the empty prefix after the subscribe byte. */
    private static final byte[] SUBSCRIBE_ALL = {1};
    private boolean verbose;
    private boolean manual;
    private boolean nodrop;
    private byte[] welcome;
    private Subscriber lastSubscriber;
    private Subscriber blockedOn;
    private boolean inMessage;
    private int epoch;

    /** A peer as this socket sees it; {@code mark} de-duplicates it when several of its prefixes match. */
    private static final class Subscriber {
        final Peer peer;
        int mark;

        Subscriber(Peer peer) {
            this.peer = peer;
        }
    }

    /** A frame going up to the application; {@code from} is set for subscription messages. */
    private record Upstream(byte[] frame, boolean more, Subscriber from) {
    }

    XPubSocket(IoContext ctx, SocketType type) {
        super(ctx, type, ConnectionRules.DEFAULT.publishing());
        this.xpub = type == SocketType.XPUB;
    }

    @Override
    protected void xattach(Peer peer) {
        Subscriber p = new Subscriber(peer);
        byPeer.put(peer, p);
        peers.add(p);
        if (peer.allGroups()) {
            // a transport without subscriptions (epgm): it takes everything, silently, as libzmq's subscribe_to_all
            subscriptions.add(SUBSCRIBE_ALL, 1, p, peerWasNew);
        }
        readUpstream(p); // its wake-up may have been consumed before it was attached
        if (welcome != null) {
            p.peer.out().write(welcome, 0); // ignores SNDHWM: the pipe is new
        }
    }

    @Override
    protected void xdetach(Peer peer) {
        Subscriber p = byPeer.remove(peer);
        if (p == null) {
            return;
        }
        readUpstream(p);
        peers.remove(p);
        targets.remove(p);
        if (blockedOn == p) {
            blockedOn = null;
        }
        forgetSubscriptions(p);
    }

    /** Drops what {@code p} subscribed to, passing the cancellations up as libzmq does. */
    private void forgetSubscriptions(Subscriber p) {
        if (manual) {
            subscriptions.removePeer(p, prefix -> { });
            Set<ByteBuffer> topics = manualSubscriptions.remove(p);
            if (topics != null) {
                for (ByteBuffer t : topics) {
                    queueUp(t.array(), false, null); // as libzmq: an unsubscription for each of its topics
                }
            }
            if (lastSubscriber == p) {
                lastSubscriber = null;
            }
            return;
        }
        subscriptions.removePeer(p, prefix -> {
            if (xpub) {
                queueUp(withLead((byte) 0, prefix), false, null);
            }
        });
    }

    private void readUpstream() {
        for (int i = 0; i < peers.size(); i++) {
            readUpstream(peers.get(i));
        }
    }

    private void readUpstream(Subscriber p) {
        Pipe in = p.peer.in();
        byte[] f;
        while ((f = in.read()) != null) {
            if ((in.lastFlags() & Pipe.RESET) == Pipe.RESET) {
                forgetSubscriptions(p); // a new connection: it subscribes again after this marker
                continue;
            }
            boolean more = (in.lastFlags() & Pipe.MORE) != 0;
            if (manual && !more && f.length > 0 && (f[0] == 1 || f[0] == 0)) {
                recordManual(p, f);
                queueUp(f, false, p);
            } else if (!more && f.length > 0 && f[0] == 1) {
                boolean first = subscriptions.add(f, 1, p, peerWasNew);
                if (xpub && (first || verbose)) {
                    queueUp(f, false, null);
                }
            } else if (!more && f.length > 0 && f[0] == 0) {
                if (subscriptions.remove(f, 1, p) && xpub) {
                    queueUp(f, false, null);
                }
            } else if (xpub) {
                queueUp(f, more, null);
            }
        }
    }

    /** XPUB_MANUAL: what each subscriber asked for, to pass up unsubscriptions when it goes. */
    private void recordManual(Subscriber p, byte[] f) {
        byte[] cancel = f.clone();
        cancel[0] = 0;
        ByteBuffer key = ByteBuffer.wrap(cancel);
        if (f[0] == 1) {
            manualSubscriptions.computeIfAbsent(p, k -> new LinkedHashSet<>()).add(key);
        } else {
            Set<ByteBuffer> topics = manualSubscriptions.get(p);
            if (topics != null) {
                topics.remove(key);
            }
        }
    }

    private void queueUp(byte[] frame, boolean more, Subscriber from) {
        upstream.add(new Upstream(frame, more, from));
    }

    private static byte[] withLead(byte lead, byte[] prefix) {
        byte[] f = new byte[prefix.length + 1];
        f[0] = lead;
        System.arraycopy(prefix, 0, f, 1, prefix.length);
        return f;
    }

    private void collect(Subscriber p) {
        if (p.mark != epoch) {
            p.mark = epoch;
            targets.add(p);
        }
    }

    /**
     * Keeps the matched subscribers that can take a new message. Without XPUB_NODROP the others
     * miss it; with it, one at SNDHWM makes the whole send wait.
     *
     * @return false when the send must wait (XPUB_NODROP)
     */
    private boolean admitTargets() {
        if (nodrop) {
            for (int i = 0; i < targets.size(); i++) {
                Subscriber t = targets.get(i);
                if (!t.peer.out().hasRoom()) {
                    blockedOn = t;
                    targets.clear();
                    return false;
                }
            }
            blockedOn = null;
            return true;
        }
        int matched = targets.size();
        targets.removeIf(t -> !t.peer.out().hasRoom());
        if (targets.size() != matched) {
            counters.dropped(matched - targets.size()); // subscribers at SNDHWM miss it, as in libzmq
        }
        return true;
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
            if (!admitTargets()) {
                return false;
            }
        }
        int flags = more ? Pipe.MORE : 0;
        for (int i = 0; i < targets.size(); i++) {
            targets.get(i).peer.out().write(frame, flags);
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
        Upstream u = upstream.poll();
        if (u == null) {
            return null;
        }
        rcvMore = u.more();
        if (manual && u.from() != null) {
            lastSubscriber = peers.contains(u.from()) ? u.from() : null;
        }
        return u.frame();
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
        Subscriber p = blockedOn;
        return inMessage || p == null || p.peer.out().hasRoom();
    }

    @Override
    protected boolean xsetOption(Option<?> option, Object value) {
        if (option == Option.XPUB_VERBOSE && xpub) {
            verbose = (Boolean) value;
        } else if (option == Option.XPUB_MANUAL && xpub) {
            manual = (Boolean) value;
        } else if (option == Option.XPUB_NODROP) {
            nodrop = (Boolean) value;
        } else if (option == Option.XPUB_WELCOME_MSG) {
            byte[] msg = (byte[]) value;
            welcome = msg.length == 0 ? null : msg.clone();
        } else if ((option == Option.SUBSCRIBE || option == Option.UNSUBSCRIBE) && manual) {
            applyManual(option == Option.SUBSCRIBE, (byte[]) value);
        } else {
            return false;
        }
        return true;
    }

    /** XPUB_MANUAL: (un)subscribes the subscriber whose subscription message was read last. */
    private void applyManual(boolean subscribe, byte[] topic) {
        Subscriber p = lastSubscriber;
        if (p == null) {
            return; // as libzmq: nobody to apply it to
        }
        if (subscribe) {
            subscriptions.add(topic, 0, p, peerWasNew);
        } else {
            subscriptions.remove(topic, 0, p);
        }
    }

    @Override
    protected Object xgetOption(Option<?> option) {
        if (option == Option.XPUB_VERBOSE && xpub) {
            return verbose;
        } else if (option == Option.XPUB_MANUAL && xpub) {
            return manual;
        } else if (option == Option.XPUB_NODROP) {
            return nodrop;
        } else if (option == Option.XPUB_WELCOME_MSG) {
            return welcome == null ? new byte[0] : welcome.clone();
        }
        return null;
    }
}
