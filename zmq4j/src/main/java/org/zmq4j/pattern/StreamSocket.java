package org.zmq4j.pattern;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.zmq4j.Option;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.common.ConnectionRules;
import org.zmq4j.io.IoContext;
import org.zmq4j.socket.SocketBase;
import org.zmq4j.pipe.Peer;

/**
 * STREAM: raw TCP (or ipc) peers, no ZMTP, as libzmq's ZMQ_STREAM.
 * <p>
 * Every received message is {@code [routing id, data]}, where data is whatever one read returned
 * (TCP has no message boundaries). A connection being made, and the remote side closing it,
 * each arrive as {@code [routing id, ""]} (unless STREAM_NOTIFY is off). To send, give
 * {@code [routing id, data]}: an unknown id fails with EHOSTUNREACH; empty data closes that
 * connection after what was queued before it is written. Like libzmq, the socket reads frames in
 * pairs regardless of the MORE flag: a routing id frame sent without SNDMORE is ignored, and a
 * third frame would be taken as the next routing id.
 * <p>
 * Connections made by {@link #connect(String)} get their routing id at once: the one set with
 * CONNECT_ROUTING_ID before the connect, or a generated one (a zero byte and a 4-byte counter)
 * that the application learns from the {@code [id, ""]} notification. Such a connection is remade
 * after the server closes it (same id, another notification) until the application closes it
 * with {@code [id, ""]} or disconnects.
 */
final class StreamSocket extends SocketBase {
    private final FairQueue<Conn> fq = new FairQueue<>();
    private final Map<ByteBuffer, Peer> byId = new HashMap<>();
    private final Map<Peer, Conn> conns = new IdentityHashMap<>();
    /** Peers made by connect(): they outlive their connections (reconnect, same id). */
    private final Set<Peer> connectPeers = new HashSet<>();
    /** Peers whose connect notification was read and whose disconnect notification was not. */
    private final Set<Peer> live = new HashSet<>();
    private int nextId = ThreadLocalRandom.current().nextInt();
    private boolean notify = true;
    private byte[] connectRoutingId;
    private String connecting;

    private byte[] inData;
    private Peer inPeer;
    private byte[] inId;
    private boolean idDelivered;

    private boolean sendingData;
    private Peer sendTarget;
    private Peer blockedOn;

    /** A connection as this socket knows it: its routing id, and whether it is gone. */
    private static final class Conn {
        final byte[] id;
        boolean detached;

        Conn(byte[] id) {
            this.id = id;
        }
    }

    StreamSocket(IoContext ctx) {
        super(ctx, SocketType.STREAM, ConnectionRules.DEFAULT.rawStream());
    }

    /** Notes the endpoint so that the peer attached during this connect takes CONNECT_ROUTING_ID. */
    @Override
    protected void xconnecting(String endpoint) {
        connecting = endpoint;
    }

    @Override
    protected void xconnected() {
        connecting = null;
        connectRoutingId = null;
    }

    @Override
    protected void xattach(Peer p) {
        byte[] id = null;
        if (endpointOfConnect(p)) {
            connectPeers.add(p);
            if (connectRoutingId != null) {
                id = connectRoutingId;
                connectRoutingId = null;
            }
        }
        if (id == null) {
            do {
                int n = nextId++;
                id = new byte[] {0, (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
            } while (byId.containsKey(ByteBuffer.wrap(id)));
        }
        Conn c = new Conn(id);
        conns.put(p, c);
        byId.put(ByteBuffer.wrap(id), p);
        fq.attach(p, c);
    }

    private boolean endpointOfConnect(Peer p) {
        return connecting != null && connecting.equals(p.endpoint());
    }

    @Override
    protected void xdetach(Peer p) {
        Conn c = conns.get(p);
        if (c != null) {
            c.detached = true;
        }
        forget(p);
        fq.detach(p);
        if (!p.in().hasMessage()) {
            release(p);
        }
    }

    /** Drops the bookkeeping of a peer that is gone and has nothing left to read. */
    private void release(Peer p) {
        live.remove(p);
        connectPeers.remove(p);
        Conn c = conns.get(p);
        if (c != null && c.detached) {
            conns.remove(p);
        }
    }

    private void forget(Peer p) {
        Conn c = conns.get(p);
        if (c != null) {
            ByteBuffer key = ByteBuffer.wrap(c.id);
            if (byId.get(key) == p) {
                byId.remove(key);
            }
        }
        if (sendTarget == p) {
            sendTarget = null;
        }
        if (blockedOn == p) {
            blockedOn = null;
        }
    }

    // ------------------------------------------------------------------ receive

    /** Takes the next data (or notification) frame into {@link #inData}; false when none is queued. */
    private boolean fetch() {
        while (inData == null) {
            byte[] f = fq.recv();
            if (f == null) {
                return false;
            }
            Peer p = fq.lastPeer();
            if (p.in().isReaderClosed()) {
                continue; // the application closed this connection: drop what it still sent
            }
            if (f.length == 0) {
                noteNotification(p);
            }
            if (fq.lastTag().detached && !p.in().hasMessage()) {
                release(p);
            }
            if (f.length == 0 && !notify) {
                continue;
            }
            inData = f;
            inPeer = p;
            inId = fq.lastTag().id;
            idDelivered = false;
        }
        return true;
    }

    /**
     * Connect and disconnect notifications alternate per peer. Once the application sees an
     * accepted connection's disconnect notification its id is unknown (EHOSTUNREACH), whether or
     * not the session's detach has reached the socket yet; a connect() peer keeps its id.
     */
    private void noteNotification(Peer p) {
        if (live.add(p)) {
            return;
        }
        live.remove(p);
        if (!connectPeers.contains(p)) {
            forget(p);
        }
    }

    @Override
    protected byte[] xrecv() {
        if (!fetch()) {
            return null;
        }
        if (!idDelivered) {
            idDelivered = true;
            rcvMore = true;
            return inId.clone();
        }
        byte[] f = inData;
        inData = null;
        rcvMore = false;
        return f;
    }

    @Override
    protected boolean xhasIn() {
        return fetch();
    }

    @Override
    protected Peer xlastPeer() {
        return inPeer;
    }

    // ------------------------------------------------------------------ send

    @Override
    protected boolean xsend(byte[] frame, boolean more) {
        if (!sendingData) {
            if (more) {
                Peer p = byId.get(ByteBuffer.wrap(frame));
                if (p == null) {
                    throw new ZmqException(Errno.EHOSTUNREACH, "no STREAM connection with routing id " + hex(frame));
                }
                if (!p.out().hasRoom()) {
                    blockedOn = p;
                    return false;
                }
                blockedOn = null;
                sendTarget = p;
            }
            sendingData = true; // libzmq: a lone id frame (no SNDMORE) is ignored but still expects data
            return true;
        }
        sendingData = false;
        Peer target = sendTarget;
        sendTarget = null;
        if (target == null || target.out().isReaderClosed()) {
            return true;
        }
        if (frame.length == 0) {
            closePeer(target);
        } else {
            target.out().write(frame, 0);
        }
        return true;
    }

    /** {@code [id, ""]}: drops what the peer sent that was not read, writes what was queued, closes. */
    private void closePeer(Peer p) {
        forget(p);
        release(p);
        p.close(); // closes our reading end first: fetch() drops anything that still slips in
        p.in().drain();
        if (inPeer == p && inData != null && !idDelivered) {
            inData = null; // not begun: drop it with the rest (a begun message is finished first)
        }
        fq.detach(p);
    }

    @Override
    protected boolean xhasOut() {
        Peer p = blockedOn;
        return sendingData || p == null || isDetached(p) || p.out().isReaderClosed() || p.out().hasRoom();
    }

    private boolean isDetached(Peer p) {
        Conn c = conns.get(p);
        return c == null || c.detached;
    }

    // ------------------------------------------------------------------ options

    @Override
    protected boolean xsetOption(Option<?> option, Object value) {
        if (option == Option.STREAM_NOTIFY) {
            notify = (Boolean) value;
            return true;
        }
        if (option == Option.CONNECT_ROUTING_ID) {
            byte[] id = (byte[]) value;
            if (id.length < 1 || id.length > 255) {
                throw new ZmqException(Errno.EINVAL, option + " must be 1..255 bytes, got " + id.length + " bytes");
            }
            if (byId.containsKey(ByteBuffer.wrap(id))) {
                throw new ZmqException(Errno.EINVAL, option + " " + hex(id) + " is already in use");
            }
            connectRoutingId = id.clone();
            return true;
        }
        return false;
    }

    @Override
    protected Object xgetOption(Option<?> option) {
        if (option == Option.STREAM_NOTIFY) {
            return notify;
        }
        return null;
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder("0x");
        for (int i = 0; i < Math.min(b.length, 32); i++) {
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return b.length > 32 ? sb.append("...").toString() : sb.toString();
    }
}
