package org.zmq4j.pattern;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.zmq4j.Message;
import org.zmq4j.SocketType;
import org.zmq4j.common.ConnectionRules;
import org.zmq4j.io.IoContext;
import org.zmq4j.socket.SocketBase;
import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;

/**
 * RADIO (rfc-48): sends each message to the dishes that joined its group (exact match), as two
 * frames, group then body; a dish whose queue is at SNDHWM misses the message; sending never
 * blocks. Dishes tell us their groups with JOIN/LEAVE, which arrive in the inbound pipes and are
 * read before each send when the input hint says something arrived. A reconnection is a
 * {@link Pipe#RESET} marker in the same pipe, ahead of the new connection's JOINs, so the
 * reset can never overtake them. Peers without group commands (udp) get every message.
 */
final class RadioSocket extends SocketBase {
    private static final byte[] NO_GROUP = new byte[0];

    private final List<Peer> peers = new ArrayList<>();
    private final List<Peer> everything = new ArrayList<>();
    private final Map<String, List<Peer>> members = new HashMap<>();
    private final Map<Peer, Set<String>> groupsOf = new HashMap<>();

    RadioSocket(IoContext ctx) {
        super(ctx, SocketType.RADIO, ConnectionRules.DEFAULT.radio());
    }

    @Override
    protected void xattach(Peer p) {
        peers.add(p);
        groupsOf.put(p, new HashSet<>());
        if (p.allGroups()) {
            everything.add(p);
        }
    }

    @Override
    protected void xdetach(Peer p) {
        peers.remove(p);
        everything.remove(p);
        Set<String> groups = groupsOf.remove(p);
        if (groups != null) {
            for (String g : groups) {
                removeMember(g, p);
            }
        }
    }

    private void removeMember(String group, Peer p) {
        List<Peer> list = members.get(group);
        if (list != null) {
            list.remove(p);
            if (list.isEmpty()) {
                members.remove(group);
            }
        }
    }

    /** Applies the JOIN/LEAVE frames queued by the dishes. */
    private void readCommands() {
        for (int i = 0; i < peers.size(); i++) {
            Peer p = peers.get(i);
            byte[] frame;
            while ((frame = p.in().read()) != null) {
                int flags = p.in().lastFlags();
                Set<String> groups = groupsOf.get(p);
                if (groups == null) {
                    continue;
                }
                if ((flags & Pipe.RESET) == Pipe.RESET) {
                    // a new connection: the dish sends its JOINs again, after this marker
                    for (String g : groups) {
                        removeMember(g, p);
                    }
                    groups.clear();
                    continue;
                }
                String g = new String(frame, StandardCharsets.ISO_8859_1);
                if ((flags & Pipe.JOIN) != 0) {
                    if (groups.add(g)) {
                        members.computeIfAbsent(g, k -> new ArrayList<>()).add(p);
                    }
                } else if ((flags & Pipe.LEAVE) != 0) {
                    if (groups.remove(g)) {
                        removeMember(g, p);
                    }
                }
                // anything else a dish sends is discarded (rfc-48)
            }
        }
    }

    @Override
    protected boolean xsend(byte[] frame, boolean more) {
        return send(NO_GROUP, frame);
    }

    @Override
    protected boolean xsendMessage(Message message, boolean more) {
        String group = message.group();
        return send(group == null ? NO_GROUP : Message.groupBytes(group), message.data());
    }

    private boolean send(byte[] group, byte[] body) {
        if (takeInputHint()) {
            readCommands();
        }
        List<Peer> list = members.get(new String(group, StandardCharsets.ISO_8859_1));
        if (list != null) {
            for (int i = 0; i < list.size(); i++) {
                deliver(list.get(i), group, body);
            }
        }
        for (int i = 0; i < everything.size(); i++) {
            deliver(everything.get(i), group, body);
        }
        return true;
    }

    private void deliver(Peer p, byte[] group, byte[] body) {
        Pipe out = p.out();
        if (!out.isReaderClosed() && out.hasRoom()) {
            out.write(group, Pipe.MORE);
            out.write(body, 0);
        } else if (!out.isReaderClosed()) {
            counters.dropped(1); // at SNDHWM, this dish misses the message (rfc-48: never block)
        }
    }

    @Override
    protected byte[] xrecv() {
        throw notSupported(type, "recv");
    }

    @Override
    protected boolean xhasIn() {
        return false;
    }

    @Override
    protected boolean xhasOut() {
        return true;
    }
}
