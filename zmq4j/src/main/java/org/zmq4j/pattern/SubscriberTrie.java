package org.zmq4j.pattern;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.zmq4j.pipe.Peer;

/**
 * Which peers subscribed to which prefixes (the PUB/XPUB side). As in libzmq, a peer is either
 * subscribed to a prefix or not: repeated subscriptions from one peer collapse into one.
 */
final class SubscriberTrie {
    private static final class Node {
        Node[] children;
        List<Peer> peers;
    }

    private final Node root = new Node();

    /**
     * @return true when the prefix had no subscriber before
     */
    boolean add(byte[] data, int offset, Peer peer, boolean[] peerWasNew) {
        Node n = root;
        for (int i = offset; i < data.length; i++) {
            if (n.children == null) {
                n.children = new Node[256];
            }
            int b = data[i] & 0xFF;
            if (n.children[b] == null) {
                n.children[b] = new Node();
            }
            n = n.children[b];
        }
        if (n.peers == null) {
            n.peers = new ArrayList<>(2);
        }
        boolean firstOverall = n.peers.isEmpty();
        boolean isNew = !n.peers.contains(peer);
        if (isNew) {
            n.peers.add(peer);
        }
        peerWasNew[0] = isNew;
        return firstOverall;
    }

    /**
     * @return true when the prefix has no subscriber left because of this removal
     */
    boolean remove(byte[] data, int offset, Peer peer) {
        Node n = root;
        for (int i = offset; i < data.length && n != null; i++) {
            n = n.children == null ? null : n.children[data[i] & 0xFF];
        }
        if (n == null || n.peers == null || !n.peers.remove(peer)) {
            return false;
        }
        return n.peers.isEmpty();
    }

    /**
     * Removes every subscription of {@code peer}, reporting prefixes left with no subscriber.
     */
    void removePeer(Peer peer, Consumer<byte[]> lastGone) {
        removePeer(root, new ByteArrayOutputStream(), peer, lastGone);
    }

    private static void removePeer(Node n, ByteArrayOutputStream prefix, Peer peer, Consumer<byte[]> lastGone) {
        if (n.peers != null && n.peers.remove(peer) && n.peers.isEmpty()) {
            lastGone.accept(prefix.toByteArray());
        }
        if (n.children == null) {
            return;
        }
        for (int b = 0; b < 256; b++) {
            if (n.children[b] != null) {
                ByteArrayOutputStream next = new ByteArrayOutputStream();
                next.writeBytes(prefix.toByteArray());
                next.write(b);
                removePeer(n.children[b], next, peer, lastGone);
            }
        }
    }

    /**
     * Calls {@code matched} for each peer subscribed to a prefix of {@code message}; a peer may be
     * reported more than once (callers de-duplicate with {@link Peer#mark}).
     */
    void match(byte[] message, Consumer<Peer> matched) {
        Node n = root;
        report(n, matched);
        for (int i = 0; i < message.length; i++) {
            n = n.children == null ? null : n.children[message[i] & 0xFF];
            if (n == null) {
                return;
            }
            report(n, matched);
        }
    }

    private static void report(Node n, Consumer<Peer> matched) {
        if (n.peers != null) {
            for (int i = 0; i < n.peers.size(); i++) {
                matched.accept(n.peers.get(i));
            }
        }
    }
}
