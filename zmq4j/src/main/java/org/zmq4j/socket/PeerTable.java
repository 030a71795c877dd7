package org.zmq4j.socket;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

import org.zmq4j.pipe.Peer;

/**
 * A socket's peers, and the mailbox through which I/O threads (and inproc partners) tell it about
 * them: a lock-free queue of commands that the owner thread runs at the start of every call and
 * while it waits ({@link #runCommands()}), so the type's routing hooks always run on the owner
 * thread. The set is owner-thread only.
 */
final class PeerTable {
    private final SocketBase socket;
    private final ConcurrentLinkedQueue<Runnable> mailbox = new ConcurrentLinkedQueue<>();
    private final Set<Peer> peers = new HashSet<>();

    PeerTable(SocketBase socket) {
        this.socket = socket;
    }

    /** Queues a command for the owner thread (any thread); the caller wakes the owner. */
    void post(Runnable command) {
        mailbox.add(command);
    }

    /** Runs the queued commands (owner thread). */
    void runCommands() {
        Runnable command;
        while ((command = mailbox.poll()) != null) {
            command.run();
        }
    }

    /** A peer is ready: the type routes to it from now on (owner thread). */
    void attach(Peer peer) {
        peers.add(peer);
        socket.counters().peers(peers.size());
        socket.xattach(peer);
    }

    /** A peer is gone: the type is told once (owner thread). */
    void detach(Peer peer) {
        if (peers.remove(peer)) {
            socket.counters().peers(peers.size());
            socket.xdetach(peer);
        }
    }

    /** Detaches, right now, every peer matching {@code which} (disconnect; owner thread). */
    void detachNow(Predicate<Peer> which) {
        for (Peer p : new ArrayList<>(peers)) {
            if (which.test(p)) {
                detach(p);
            }
        }
    }

    boolean contains(Peer peer) {
        return peers.contains(peer);
    }

    /** Closes every peer (socket close; owner thread). */
    void closeAll() {
        for (Peer p : peers) {
            p.close();
        }
        peers.clear();
    }
}
