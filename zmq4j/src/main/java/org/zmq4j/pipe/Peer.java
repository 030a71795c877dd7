package org.zmq4j.pipe;

import org.zmq4j.SocketType;
import org.zmq4j.wire.Metadata;

/**
 * One peer of a socket as the socket sees it: a pair of pipes (inbound from the connection,
 * outbound to it) and what the handshake told us about the other side.
 * <p>
 * The handshake fields are written by the I/O thread before the socket is told about the peer
 * (through its mailbox, which gives the happens-before edge), or updated on reconnect.
 */
public final class Peer {
    private final Pipe in;
    private final Pipe out;
    private final String endpoint;
    private volatile Metadata metadata = Metadata.empty();
    private volatile SocketType peerType;

    /** What made this peer (the connect's session), so that disconnect() can find it; null otherwise. */
    private final Object origin;
    /**
     * Transports without group or subscription commands: a RADIO sends every group to this peer and
     * the DISH filters (udp); a PUB sends every message and the SUB filters (epgm).
     */
    private final boolean allGroups;

    /**
     * @param in       pipe carrying frames from the connection to the socket
     * @param out      pipe carrying frames from the socket to the connection
     * @param endpoint the endpoint this peer came from (for messages and disconnect)
     */
    public Peer(Pipe in, Pipe out, String endpoint) {
        this(in, out, endpoint, null, false);
    }

    /**
     * @param in        pipe carrying frames from the connection to the socket
     * @param out       pipe carrying frames from the socket to the connection
     * @param endpoint  the endpoint this peer came from (for messages and disconnect)
     * @param origin    what made this peer (a connect's session), or null
     * @param allGroups whether the peer takes every group or message (udp, epgm: the receiver filters)
     */
    public Peer(Pipe in, Pipe out, String endpoint, Object origin, boolean allGroups) {
        this.in = in;
        this.out = out;
        this.endpoint = endpoint;
        this.origin = origin;
        this.allGroups = allGroups;
    }

    /** Frames from the connection to the socket. */
    public Pipe in() {
        return in;
    }

    /** Frames from the socket to the connection. */
    public Pipe out() {
        return out;
    }

    /** What made this peer (a connect's session), or null. */
    public Object origin() {
        return origin;
    }

    /** Whether the peer takes every group: a RADIO sends it all, the DISH filters (udp). */
    public boolean allGroups() {
        return allGroups;
    }

    /** The endpoint this peer came from. */
    public String endpoint() {
        return endpoint;
    }

    /** The peer's handshake metadata (empty before the first handshake). */
    public Metadata metadata() {
        return metadata;
    }

    /** The peer's socket type, or null before the first handshake. */
    public SocketType peerType() {
        return peerType;
    }

    /**
     * Records what the handshake said (I/O thread).
     *
     * @param metadata the peer's properties
     */
    public void handshaked(Metadata metadata) {
        this.metadata = metadata;
        String t = metadata.getString(Metadata.SOCKET_TYPE);
        this.peerType = t == null ? null : SocketType.fromZmtpName(t);
    }

    /** The Identity the peer announced, or an empty array. */
    public byte[] announcedIdentity() {
        byte[] id = metadata.get(Metadata.IDENTITY);
        return id == null ? new byte[0] : id;
    }

    private volatile Runnable remoteClose;

    /**
     * For inproc: what to do when this side closes the peer (tell the other socket).
     *
     * @param action run once by {@link #close()}
     */
    public void onClose(Runnable action) {
        this.remoteClose = action;
    }

    /**
     * Socket side: drop this peer. A connection's engine notices the closed pipes and closes; an
     * inproc partner socket is told directly.
     */
    public void close() {
        in.closeReader();
        out.closeWriter();
        Runnable r = remoteClose;
        remoteClose = null;
        if (r != null) {
            r.run();
        }
    }

    @Override
    public String toString() {
        return "Peer[" + endpoint + (peerType == null ? "" : ", " + peerType) + "]";
    }
}
