package org.zmq4j.pattern;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/**
 * Prefix subscriptions with reference counts (the SUB side): subscribing to "A" twice needs two
 * unsubscribes. A message matches when any subscribed prefix is a prefix of it.
 */
final class PrefixTrie {
    private static final class Node {
        Node[] children;
        int count;
    }

    private final Node root = new Node();

    /**
     * @return true when the prefix was not subscribed before
     */
    boolean add(byte[] prefix, int offset) {
        Node n = root;
        for (int i = offset; i < prefix.length; i++) {
            if (n.children == null) {
                n.children = new Node[256];
            }
            int b = prefix[i] & 0xFF;
            if (n.children[b] == null) {
                n.children[b] = new Node();
            }
            n = n.children[b];
        }
        return n.count++ == 0;
    }

    /**
     * @return true when this removed the prefix's last reference
     */
    boolean remove(byte[] prefix, int offset) {
        Node n = root;
        for (int i = offset; i < prefix.length && n != null; i++) {
            n = n.children == null ? null : n.children[prefix[i] & 0xFF];
        }
        if (n == null || n.count == 0) {
            return false;
        }
        return --n.count == 0;
    }

    /** Whether some subscribed prefix is a prefix of {@code message}. */
    boolean matches(byte[] message) {
        Node n = root;
        if (n.count > 0) {
            return true;
        }
        for (byte b : message) {
            n = n.children == null ? null : n.children[b & 0xFF];
            if (n == null) {
                return false;
            }
            if (n.count > 0) {
                return true;
            }
        }
        return false;
    }

    /** Visits each subscribed prefix once. */
    void forEach(Consumer<byte[]> visitor) {
        visit(root, new ByteArrayOutputStream(), visitor);
    }

    private static void visit(Node n, ByteArrayOutputStream prefix, Consumer<byte[]> visitor) {
        if (n.count > 0) {
            visitor.accept(prefix.toByteArray());
        }
        if (n.children == null) {
            return;
        }
        for (int b = 0; b < 256; b++) {
            if (n.children[b] != null) {
                ByteArrayOutputStream next = new ByteArrayOutputStream();
                next.writeBytes(prefix.toByteArray());
                next.write(b);
                visit(n.children[b], next, visitor);
            }
        }
    }
}
