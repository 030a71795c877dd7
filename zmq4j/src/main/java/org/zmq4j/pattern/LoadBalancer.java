package org.zmq4j.pattern;

import java.util.ArrayList;
import java.util.List;

import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;

/**
 * Round-robin of whole messages over peers with room below SNDHWM (PUSH, DEALER, REQ). A message
 * in progress stays on its peer until its last frame.
 */
final class LoadBalancer {
    private final List<Peer> peers = new ArrayList<>();
    private int next;
    private Peer current;
    private Peer last;

    void attach(Peer peer) {
        peers.add(peer);
    }

    void detach(Peer peer) {
        int i = peers.indexOf(peer);
        if (i >= 0) {
            peers.remove(i);
            if (next > i) {
                next--;
            }
            if (next >= peers.size()) {
                next = 0;
            }
        }
    }

    /**
     * Sends a frame.
     *
     * @return false when no peer has room (only possible at the start of a message)
     */
    boolean send(byte[] frame, boolean more) {
        return send(frame, more, 0);
    }

    /**
     * Sends a frame with extra pipe flags (e.g. {@link Pipe#RECYCLABLE}).
     *
     * @return false when no peer has room (only possible at the start of a message)
     */
    boolean send(byte[] frame, boolean more, int extraFlags) {
        Peer target = current;
        if (target == null) {
            target = pick();
            if (target == null) {
                return false;
            }
        }
        target.out().write(frame, (more ? Pipe.MORE : 0) | extraFlags);
        current = more ? target : null;
        last = target;
        return true;
    }

    private Peer pick() {
        int n = peers.size();
        for (int i = 0; i < n; i++) {
            int index = (next + i) % n;
            Peer p = peers.get(index);
            if (!p.out().isReaderClosed() && p.out().hasRoom()) {
                next = (index + 1) % n;
                return p;
            }
        }
        return null;
    }

    /** Whether a message can be started (or is in progress). */
    boolean hasOut() {
        if (current != null) {
            return true;
        }
        for (int i = 0; i < peers.size(); i++) {
            if (peers.get(i).out().hasRoom()) {
                return true;
            }
        }
        return false;
    }

    /** The peer the last frame went to. */
    Peer lastPeer() {
        return last;
    }

    /** Whether a multipart message is in progress. */
    boolean inMessage() {
        return current != null;
    }
}
