package org.zmq4j.security;

import org.zmq4j.SocketType;
import org.zmq4j.wire.Metadata;
import org.zmq4j.wire.ProtocolException;

/**
 * What every mechanism announces about our socket (Socket-Type, Identity) and checks about the
 * peer's, per rfc-37 "Connection Metadata".
 */
public final class HandshakeIdentity {
    private final SocketType socketType;
    private final byte[] routingId;

    /**
     * @param socketType our socket type
     * @param routingId  our ROUTING_ID option (may be empty)
     */
    public HandshakeIdentity(SocketType socketType, byte[] routingId) {
        this.socketType = socketType;
        this.routingId = routingId == null ? new byte[0] : routingId;
    }

    /** Our socket type. */
    public SocketType socketType() {
        return socketType;
    }

    /** Our metadata properties, encoded. libzmq sends Identity for REQ, DEALER and ROUTER only. */
    public byte[] encodeProperties() {
        Metadata.Builder b = new Metadata.Builder().add(Metadata.SOCKET_TYPE, socketType.zmtpName());
        if (socketType == SocketType.REQ || socketType == SocketType.DEALER || socketType == SocketType.ROUTER) {
            b.add(Metadata.IDENTITY, routingId);
        }
        return b.build();
    }

    /**
     * Checks the peer's Socket-Type against ours.
     *
     * @param peer the peer's metadata
     * @return null when valid, else the reason
     */
    public String validate(Metadata peer) {
        String name = peer.getString(Metadata.SOCKET_TYPE);
        if (name == null) {
            return "peer sent no Socket-Type";
        }
        SocketType type = SocketType.fromZmtpName(name);
        if (type == null) {
            return "peer sent unknown Socket-Type '" + name + "'";
        }
        if (!socketType.isCompatible(type)) {
            return "invalid socket type pair: " + socketType + " cannot talk to " + type;
        }
        return null;
    }

    /**
     * Parses the properties of a READY (or INITIATE) command.
     *
     * @param data command data
     * @return the metadata
     * @throws ProtocolException when malformed
     */
    public static Metadata parseProperties(byte[] data) throws ProtocolException {
        return Metadata.parse(data, 0);
    }
}
