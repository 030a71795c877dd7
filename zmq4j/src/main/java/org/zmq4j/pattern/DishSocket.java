package org.zmq4j.pattern;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.zmq4j.Message;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.io.IoContext;
import org.zmq4j.socket.SocketBase;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;

/**
 * DISH (rfc-48): receives, fair-queued, the messages of the groups it joined. Each join and leave
 * goes to every radio as a JOIN/LEAVE command (ZMTP 3.1), and to every radio that connects later
 * or reconnects. Messages arrive as two frames, group then body; the DISH filters on its groups
 * too, which is what makes udp (where radios send everything) work.
 * <p>
 * Groups are compared as bytes: the joined set holds each group's UTF-8 bytes as an ISO-8859-1
 * string, a one-to-one mapping, so a group on the wire matches exactly.
 */
final class DishSocket extends SocketBase {
    private final FairQueue<Void> fq = new FairQueue<>();
    private final List<Peer> peers = new ArrayList<>();
    private final Set<String> joined = new HashSet<>();
    private String lastGroup;
    /** A matching message read by {@link #xhasIn()} and not yet returned, with its group. */
    private byte[] pendingBody;
    private String pendingGroup;

    DishSocket(IoContext ctx) {
        super(ctx, SocketType.DISH);
    }

    private static String key(byte[] groupBytes) {
        return new String(groupBytes, StandardCharsets.ISO_8859_1);
    }

    @Override
    protected void xattach(Peer p) {
        peers.add(p);
        fq.attach(p);
        sendJoins(p);
    }

    @Override
    protected void xreconnected(Peer p) {
        sendJoins(p);
    }

    private void sendJoins(Peer p) {
        if (p.allGroups()) {
            return; // udp: nothing to tell the radio
        }
        for (String g : joined) {
            p.out().write(g.getBytes(StandardCharsets.ISO_8859_1), Pipe.JOIN);
        }
    }

    @Override
    protected void xdetach(Peer p) {
        peers.remove(p);
        fq.detach(p);
    }

    @Override
    protected void xjoin(String group) {
        byte[] g = Message.groupBytes(group);
        if (!joined.add(key(g))) {
            throw new ZmqException(Errno.EINVAL, "DISH socket already joined group \"" + group + "\"");
        }
        toRadios(g, Pipe.JOIN);
    }

    @Override
    protected void xleave(String group) {
        byte[] g = Message.groupBytes(group);
        if (!joined.remove(key(g))) {
            throw new ZmqException(Errno.EINVAL, "DISH socket has not joined group \"" + group + "\"");
        }
        toRadios(g, Pipe.LEAVE);
    }

    private void toRadios(byte[] group, int flag) {
        for (Peer p : peers) {
            if (!p.allGroups() && !p.out().isReaderClosed()) {
                p.out().write(group, flag);
            }
        }
    }

    @Override
    protected boolean xsend(byte[] frame, boolean more) {
        throw notSupported(type, "send");
    }

    @Override
    protected byte[] xrecv() {
        if (pendingBody != null) {
            byte[] body = pendingBody;
            pendingBody = null;
            lastGroup = pendingGroup;
            return body;
        }
        return next();
    }

    /** Reads until a message of a joined group (setting {@link #lastGroup}), dropping others; null when none. */
    private byte[] next() {
        while (true) {
            byte[] group = fq.recv();
            if (group == null) {
                return null;
            }
            if (!fq.lastMore()) {
                continue; // a body without its group frame: not a RADIO message, drop it
            }
            byte[] body = fq.recv();
            if (body == null) {
                return null;
            }
            if (fq.lastMore()) {
                fq.skipRest(); // more than group + body: drop
                continue;
            }
            if (group.length <= Message.MAX_GROUP_LENGTH && joined.contains(key(group))) {
                lastGroup = new String(group, StandardCharsets.UTF_8);
                return body;
            }
        }
    }

    /**
     * Readable only for a message of a joined group (as libzmq's dish): messages of other groups
     * are read and dropped here, and a matching one is kept for the next {@link #xrecv()}.
     */
    @Override
    protected boolean xhasIn() {
        if (pendingBody != null) {
            return true;
        }
        if (!fq.hasIn()) {
            return false;
        }
        String before = lastGroup;
        byte[] body = next();
        if (body == null) {
            return false;
        }
        pendingBody = body;
        pendingGroup = lastGroup;
        lastGroup = before;
        return true;
    }

    @Override
    protected boolean xhasOut() {
        return false;
    }

    @Override
    protected Peer xlastPeer() {
        return fq.lastPeer();
    }

    @Override
    protected String xlastGroup() {
        return lastGroup;
    }
}
