package org.zmq4j.security;

import org.zmq4j.io.SocketOptions;

/** Chooses and makes the security mechanism a connection uses, from the socket's options. */
public final class Mechanisms {
    private Mechanisms() {
    }

    /**
     * A fresh mechanism for one connection.
     *
     * @param options the socket's options at bind/connect time
     * @return the mechanism
     */
    public static Mechanism create(SocketOptions options) {
        HandshakeIdentity identity = new HandshakeIdentity(options.type, options.routingId);
        return new NullMechanism(identity, !options.zapDomain.isEmpty());
    }
}
