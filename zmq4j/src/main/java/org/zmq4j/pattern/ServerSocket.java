package org.zmq4j.pattern;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.zmq4j.Message;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.io.IoContext;
import org.zmq4j.socket.SocketBase;
import org.zmq4j.pipe.Peer;

/**
 * SERVER (rfc-47) and PEER (rfc-51): each connection gets a 32-bit routing id, assigned here
 * (peers cannot choose it); incoming messages carry the id of the connection they came from and
 * outgoing ones go to the connection their id names. Single frames only; multipart messages from
 * a peer are dropped. As libzmq, a send to an unknown id fails with EHOSTUNREACH and a send to a
 * connection at SNDHWM waits for room (or fails with DONTWAIT).
 * <p>
 * PEER differs only in being symmetric (PEER to PEER) and in {@code connectPeer}, which returns
 * the id of the connection it made.
 */
final class ServerSocket extends SocketBase {
    private final FairQueue<Integer> fq = new FairQueue<>();
    private final Map<Integer, Peer> byId = new HashMap<>();
    private final Map<Peer, Integer> idOf = new IdentityHashMap<>();
    /** Next id to hand out; starts at a random value as libzmq's does, skipping 0 and ids in use. */
    private int nextId = ThreadLocalRandom.current().nextInt();
    private int lastReceivedId;

    ServerSocket(IoContext ctx, SocketType type) {
        super(ctx, type);
    }

    @Override
    protected void xattach(Peer p) {
        int id;
        do {
            id = nextId++;
        } while (id == 0 || byId.containsKey(id));
        byId.put(id, p);
        idOf.put(p, id);
        fq.attach(p, id);
    }

    @Override
    protected void xdetach(Peer p) {
        Integer id = idOf.remove(p);
        if (id != null) {
            byId.remove(id, p);
        }
        fq.detach(p);
    }

    @Override
    protected boolean xsend(byte[] frame, boolean more) {
        return xsendMessage(new Message(frame), more);
    }

    @Override
    protected boolean xsendMessage(Message message, boolean more) {
        Peer p = target(message);
        if (!p.out().hasRoom()) {
            return false;
        }
        p.out().write(message.data(), 0);
        return true;
    }

    private Peer target(Message message) {
        Peer p = byId.get(message.routingId());
        if (p == null || p.out().isReaderClosed()) {
            throw new ZmqException(Errno.EHOSTUNREACH, message.routingId() == 0
                    ? type + " sockets need a routing id on each message (Message.withRoutingId)"
                    : "no connection with routing id " + Integer.toUnsignedString(message.routingId()) + " on this " + type + " socket");
        }
        return p;
    }

    @Override
    protected boolean xcanSend(Message message) {
        Peer p = byId.get(message.routingId());
        return p == null || p.out().hasRoom(); // an id gone makes the retry fail at once
    }

    @Override
    protected byte[] xrecv() {
        byte[] frame = fq.recvSingle();
        if (frame != null) {
            lastReceivedId = fq.lastTag();
        }
        return frame;
    }

    @Override
    protected boolean xhasIn() {
        return fq.hasIn();
    }

    @Override
    protected boolean xhasOut() {
        return true; // as libzmq: whether a send fits depends on its routing id
    }

    @Override
    protected Peer xlastPeer() {
        return fq.lastPeer();
    }

    /** PEER: the id is usable at once; messages queue until the connection exists. */
    @Override
    protected int xconnectPeer(String endpoint) {
        if (type != SocketType.PEER) {
            throw notSupported(type, "connectPeer");
        }
        if (options.immediate) {
            throw new ZmqException(Errno.EINVAL, "connectPeer to '" + endpoint
                    + "': with IMMEDIATE set there is no connection, so no routing id, until the handshake");
        }
        Peer made = connectEndpoint(endpoint).peer();
        Integer id = made == null ? null : idOf.get(made);
        if (id == null) {
            throw new ZmqException(Errno.EINVAL, "connectPeer to '" + endpoint + "' made no connection with a routing id");
        }
        return id;
    }

    @Override
    protected int xlastRoutingId() {
        return lastReceivedId;
    }
}
