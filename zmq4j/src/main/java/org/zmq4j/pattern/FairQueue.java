package org.zmq4j.pattern;

import java.util.ArrayList;
import java.util.List;

import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;

/**
 * Round-robin reading of whole messages from peers (PULL, DEALER, SUB, REQ, REP, ROUTER). A
 * detached peer is kept until its queued messages have been read.
 */
final class FairQueue {
    private final List<Peer> peers = new ArrayList<>();
    private int next;
    private Peer current;
    private Peer last;
    private boolean lastMore;

    void attach(Peer peer) {
        peers.add(peer);
    }

    void detach(Peer peer) {
        if (peer != current && !peer.in().hasMessage()) {
            remove(peer);
        }
    }

    private void remove(Peer peer) {
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
     * The next frame, or null when no message is queued.
     */
    byte[] recv() {
        if (current != null) {
            byte[] frame = current.in().read();
            if (frame == null) {
                // cannot happen for committed messages; treat as end of message
                current = null;
                lastMore = false;
                return null;
            }
            finish(current, frame);
            return frame;
        }
        int n = peers.size();
        for (int i = 0; i < n; i++) {
            int index = (next + i) % n;
            Peer p = peers.get(index);
            byte[] frame = p.in().read();
            if (frame != null) {
                next = (index + 1) % n;
                finish(p, frame);
                return frame;
            }
            if (p.detached) {
                remove(p);
                n--;
                i--;
            }
        }
        return null;
    }

    private void finish(Peer p, byte[] frame) {
        last = p;
        lastMore = (p.in().lastFlags() & Pipe.MORE) != 0;
        current = lastMore ? p : null;
    }

    /**
     * The next single-frame message, dropping any multipart message on the way (the thread-safe
     * types carry single frames only, as rfc-47/49/51/52 require).
     *
     * @return the frame, or null when none is queued
     */
    byte[] recvSingle() {
        while (true) {
            byte[] frame = recv();
            if (frame == null || !lastMore) {
                return frame;
            }
            skipRest();
        }
    }

    /** Whether a frame is ready. */
    boolean hasIn() {
        if (current != null) {
            return true;
        }
        for (int i = 0; i < peers.size(); i++) {
            if (peers.get(i).in().hasMessage()) {
                return true;
            }
        }
        return false;
    }

    /** The peer the last frame came from. */
    Peer lastPeer() {
        return last;
    }

    /** Whether the last frame had more after it. */
    boolean lastMore() {
        return lastMore;
    }

    /** Reads and drops the rest of the message in progress. */
    void skipRest() {
        while (current != null) {
            if (recv() == null) {
                break;
            }
        }
    }
}
