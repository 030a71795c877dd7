package org.zmq4j.pattern;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Which subscribers subscribed to which prefixes (the PUB/XPUB side). As in libzmq, a subscriber
 * is either subscribed to a prefix or not: repeated subscriptions from one collapse into one.
 * Owner thread only.
 *
 * @param <S> the socket's subscriber type (compared by identity)
 */
final class SubscriberTrie<S> {
    private static final class Node<S> {
        Node<S>[] children;
        List<S> peers;
    }

    private final Node<S> root = new Node<>();

    /**
     * @return true when the prefix had no subscriber before
     */
    boolean add(byte[] data, int offset, S peer, boolean[] peerWasNew) {
        Node<S> n = root;
        for (int i = offset; i < data.length; i++) {
            if (n.children == null) {
                n.children = newChildren();
            }
            int b = data[i] & 0xFF;
            if (n.children[b] == null) {
                n.children[b] = new Node<>();
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
    boolean remove(byte[] data, int offset, S peer) {
        Node<S> n = root;
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
    void removePeer(S peer, Consumer<byte[]> lastGone) {
        removePeer(root, new ByteArrayOutputStream(), peer, lastGone);
    }

    private static <S> void removePeer(Node<S> n, ByteArrayOutputStream prefix, S peer, Consumer<byte[]> lastGone) {
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
     * reported more than once (callers de-duplicate).
     */
    void match(byte[] message, Consumer<S> matched) {
        Node<S> n = root;
        report(n, matched);
        for (int i = 0; i < message.length; i++) {
            n = n.children == null ? null : n.children[message[i] & 0xFF];
            if (n == null) {
                return;
            }
            report(n, matched);
        }
    }

    private static <S> void report(Node<S> n, Consumer<S> matched) {
        if (n.peers != null) {
            for (int i = 0; i < n.peers.size(); i++) {
                matched.accept(n.peers.get(i));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <S> Node<S>[] newChildren() {
        return (Node<S>[]) new Node<?>[256];
    }
}
