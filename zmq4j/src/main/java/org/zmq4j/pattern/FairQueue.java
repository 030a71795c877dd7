package org.zmq4j.pattern;

import java.util.ArrayList;
import java.util.List;

import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;

/**
 * Round-robin reading of whole messages from peers (PULL, DEALER, SUB, REQ, REP, ROUTER). A
 * detached peer is kept until its queued messages have been read.
 * <p>
 * Each peer may carry a tag of the socket type's own (ROUTER: the routing id it assigned), handed
 * back by {@link #lastTag()} with no lookup, so routing state lives in the type's structures and
 * not on the {@link Peer}. Owner thread only.
 *
 * @param <T> the tag type ({@link Void} for types that need none)
 */
final class FairQueue<T> {
    /** One peer as the queue sees it. */
    private static final class Source<T> {
        final Peer peer;
        final T tag;
        /** The socket was told the peer is gone: it leaves the queue once drained. */
        boolean detached;

        Source(Peer peer, T tag) {
            this.peer = peer;
            this.tag = tag;
        }
    }

    private final List<Source<T>> sources = new ArrayList<>();
    private int next;
    private Source<T> current;
    private Source<T> last;
    private boolean lastMore;

    void attach(Peer peer) {
        attach(peer, null);
    }

    void attach(Peer peer, T tag) {
        sources.add(new Source<>(peer, tag));
    }

    /** The peer is gone: it leaves at once, or once what it queued has been read. */
    void detach(Peer peer) {
        int i = indexOf(peer);
        if (i < 0) {
            return;
        }
        Source<T> s = sources.get(i);
        if (s != current && !peer.in().hasMessage()) {
            remove(i);
        } else {
            s.detached = true;
        }
    }

    private int indexOf(Peer peer) {
        for (int i = 0; i < sources.size(); i++) {
            if (sources.get(i).peer == peer) {
                return i;
            }
        }
        return -1;
    }

    private void remove(int i) {
        sources.remove(i);
        if (next > i) {
            next--;
        }
        if (next >= sources.size()) {
            next = 0;
        }
    }

    /**
     * The next frame, or null when no message is queued.
     */
    byte[] recv() {
        if (current != null) {
            byte[] frame = current.peer.in().read();
            if (frame == null) {
                // cannot happen for committed messages; treat as end of message
                current = null;
                lastMore = false;
                return null;
            }
            finish(current, frame);
            return frame;
        }
        int n = sources.size();
        for (int i = 0; i < n; i++) {
            int index = (next + i) % n;
            Source<T> s = sources.get(index);
            byte[] frame = s.peer.in().read();
            if (frame != null) {
                next = (index + 1) % n;
                finish(s, frame);
                return frame;
            }
            if (s.detached) {
                remove(index);
                n--;
                i--;
            }
        }
        return null;
    }

    private void finish(Source<T> s, byte[] frame) {
        last = s;
        lastMore = (s.peer.in().lastFlags() & Pipe.MORE) != 0;
        current = lastMore ? s : null;
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
        for (int i = 0; i < sources.size(); i++) {
            if (sources.get(i).peer.in().hasMessage()) {
                return true;
            }
        }
        return false;
    }

    /** The peer the last frame came from. */
    Peer lastPeer() {
        return last == null ? null : last.peer;
    }

    /** The tag of the peer the last frame came from. */
    T lastTag() {
        return last == null ? null : last.tag;
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
