package org.zmq4j.patterns.mdp;

import java.util.ArrayList;
import java.util.List;

/**
 * A Majordomo client's side of the wire, sans-IO: the frames of a request and the reading of a
 * reply, for both versions (rfc 7 section "Client", rfc 18 "Client Commands"), as a DEALER sees them.
 */
final class ClientFrames {
    /** What a message from the broker was. */
    enum Kind {
        PARTIAL, FINAL, INVALID
    }

    /** A read reply: its kind and body (null when invalid). */
    record Read(Kind kind, List<byte[]> body) {
    }

    private static final Read INVALID = new Read(Kind.INVALID, null);

    private ClientFrames() {
    }

    /** MDP/0.1: [empty, "MDPC01", service, body...]; MDP/0.2: ["MDPC02", 0x01, service, body...]. */
    static List<byte[]> request(MdpVersion v, String service, List<byte[]> body) {
        List<byte[]> f = new ArrayList<>(body.size() + 3);
        if (v == MdpVersion.MDP01) {
            f.add(Mdp.EMPTY);
        }
        f.add(v.client());
        if (v == MdpVersion.MDP02) {
            f.add(Mdp.code(Mdp.C_REQUEST));
        }
        f.add(Mdp.ascii(service));
        f.addAll(body);
        return f;
    }

    /** Reads a message from the broker as a reply to a request for {@code service}. */
    static Read read(MdpVersion v, String service, List<byte[]> frames) {
        int i = 0;
        if (v == MdpVersion.MDP01) {
            if (frames.isEmpty() || frames.get(0).length != 0) {
                return INVALID;
            }
            i = 1;
        }
        if (frames.size() <= i || !Mdp.is(frames.get(i), v.client())) {
            return INVALID;
        }
        i++;
        Kind kind = Kind.FINAL;
        if (v == MdpVersion.MDP02) {
            if (frames.size() <= i) {
                return INVALID;
            }
            byte[] command = frames.get(i++);
            if (Mdp.isCode(command, Mdp.C_PARTIAL)) {
                kind = Kind.PARTIAL;
            } else if (!Mdp.isCode(command, Mdp.C_FINAL)) {
                return INVALID;
            }
        }
        if (frames.size() <= i || !Mdp.text(frames.get(i)).equals(service)) {
            return INVALID;
        }
        return new Read(kind, List.copyOf(frames.subList(i + 1, frames.size())));
    }
}
