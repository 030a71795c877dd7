package org.zmq4j.pattern;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.zmq4j.Option;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.common.ConnectionRules;
import org.zmq4j.io.IoContext;
import org.zmq4j.socket.SocketBase;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;

/**
 * ROUTER (rfc-28): every received message is prefixed with the sending peer's routing id; the
 * first frame of every sent message names the peer. A peer's routing id is the Identity it
 * announced, or a generated 5-byte id (a zero byte then a counter) as libzmq makes.
 * <p>
 * A newcomer announcing an id already in use is ignored, unless ROUTER_HANDOVER is set: then it
 * takes the id over and the older connection is closed (what it already delivered can still be
 * read, under a fresh generated id). With PROBE_ROUTER every new peer is sent an empty message.
 */
final class RouterSocket extends SocketBase {
    private final FairQueue<Route> fq = new FairQueue<>();
    private final Map<ByteBuffer, Route> byId = new HashMap<>();
    private final Map<Peer, Route> routes = new IdentityHashMap<>();
    private int nextId = ThreadLocalRandom.current().nextInt();
    private boolean mandatory;
    private boolean handover;
    private boolean probe;

    private byte[] pendingFrame;
    private boolean pendingMore;
    private boolean recvInMessage;

    private boolean sendInMessage;
    private Peer sendTarget;

    /** A peer and the routing id this socket knows it by (a handed-over peer gets a new one). */
    private static final class Route {
        final Peer peer;
        byte[] id;

        Route(Peer peer, byte[] id) {
            this.peer = peer;
            this.id = id;
        }
    }

    RouterSocket(IoContext ctx) {
        super(ctx, SocketType.ROUTER, ConnectionRules.DEFAULT.attachedAtHandshake());
    }

    @Override
    protected void xattach(Peer p) {
        byte[] id = p.announcedIdentity();
        if (id.length == 0) {
            id = generateId();
        } else if (byId.containsKey(ByteBuffer.wrap(id))) {
            if (!handover) {
                p.close(); // routing id already taken: refuse the newcomer, as libzmq does without ROUTER_HANDOVER
                return;
            }
            handOver(byId.remove(ByteBuffer.wrap(id)));
        }
        Route route = new Route(p, id);
        byId.put(ByteBuffer.wrap(id), route);
        routes.put(p, route);
        fq.attach(p, route);
        if (probe) {
            p.out().write(new byte[0], 0); // PROBE_ROUTER: an empty message announces us
        }
    }

    private byte[] generateId() {
        byte[] id;
        do {
            int n = nextId++;
            id = new byte[] {0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
        } while (byId.containsKey(ByteBuffer.wrap(id)));
        return id;
    }

    /**
     * ROUTER_HANDOVER: the old holder of a routing id gets a fresh one (so messages it already
     * delivered are still read, as libzmq does) and its connection is closed.
     */
    private void handOver(Route old) {
        old.id = generateId();
        byId.put(ByteBuffer.wrap(old.id), old);
        old.peer.close();
    }

    @Override
    protected void xdetach(Peer p) {
        Route r = routes.remove(p);
        if (r != null) {
            ByteBuffer key = ByteBuffer.wrap(r.id);
            if (byId.get(key) == r) {
                byId.remove(key);
            }
        }
        fq.detach(p);
    }

    @Override
    protected byte[] xrecv() {
        if (pendingFrame != null) {
            byte[] f = pendingFrame;
            pendingFrame = null;
            rcvMore = pendingMore;
            recvInMessage = pendingMore;
            return f;
        }
        if (recvInMessage) {
            byte[] f = fq.recv();
            rcvMore = fq.lastMore();
            recvInMessage = rcvMore;
            return f;
        }
        byte[] f = fq.recv();
        if (f == null) {
            return null;
        }
        pendingFrame = f;
        pendingMore = fq.lastMore();
        rcvMore = true;
        return fq.lastTag().id.clone();
    }

    @Override
    protected boolean xhasIn() {
        return pendingFrame != null || recvInMessage || fq.hasIn();
    }

    @Override
    protected boolean xsend(byte[] frame, boolean more) {
        if (!sendInMessage) {
            if (!more) {
                return true; // a lone routing id carries nothing
            }
            Route route = byId.get(ByteBuffer.wrap(frame));
            Peer p = route == null ? null : route.peer;
            if (p == null) {
                if (mandatory) {
                    throw new ZmqException(Errno.EHOSTUNREACH, "no peer with routing id " + hex(frame) + " (ROUTER_MANDATORY)");
                }
                sendTarget = null;
                counters.unroutable();
            } else if (!p.out().hasRoom()) {
                if (mandatory) {
                    return false;
                }
                sendTarget = null; // at SNDHWM: drop, as libzmq's ROUTER does
                counters.dropped(1);
            } else {
                sendTarget = p;
            }
            sendInMessage = true;
            return true;
        }
        if (sendTarget != null) {
            sendTarget.out().write(frame, more ? Pipe.MORE : 0);
        }
        if (!more) {
            sendInMessage = false;
            sendTarget = null;
        }
        return true;
    }

    @Override
    protected boolean xhasOut() {
        if (!mandatory || sendInMessage) {
            return true;
        }
        for (Route r : byId.values()) {
            if (r.peer.out().hasRoom()) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected boolean xsetOption(Option<?> option, Object value) {
        if (option == Option.ROUTER_MANDATORY) {
            mandatory = (Boolean) value;
        } else if (option == Option.ROUTER_HANDOVER) {
            handover = (Boolean) value;
        } else if (option == Option.PROBE_ROUTER) {
            probe = (Boolean) value;
        } else {
            return false;
        }
        return true;
    }

    @Override
    protected Object xgetOption(Option<?> option) {
        if (option == Option.ROUTER_MANDATORY) {
            return mandatory;
        } else if (option == Option.ROUTER_HANDOVER) {
            return handover;
        } else if (option == Option.PROBE_ROUTER) {
            return probe;
        }
        return null;
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder("0x");
        for (int i = 0; i < Math.min(b.length, 32); i++) {
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return b.length > 32 ? sb.append("...").toString() : sb.toString();
    }

    @Override
    protected Peer xlastPeer() {
        return fq.lastPeer();
    }
}
