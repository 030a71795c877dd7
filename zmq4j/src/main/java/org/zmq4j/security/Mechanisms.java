package org.zmq4j.security;

import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.common.SocketOptions;

/** Chooses and makes the security mechanism a connection uses, from the socket's options. */
public final class Mechanisms {
    private Mechanisms() {
    }

    /**
     * Checks that the options name a usable mechanism, so bind/connect fail early and clearly.
     *
     * @param options the socket's options
     * @param endpoint for messages
     * @throws ZmqException EINVAL when a key the mechanism needs is missing, or when CURVE is asked
     *                      for and the system property {@value SecretBox#PROPERTY} names no
     *                      implementation or {@value SalsaBatch#PROPERTY} is neither true nor false
     */
    public static void validate(SocketOptions options, String endpoint) {
        if (options.mechanism != SocketOptions.Security.CURVE) {
            return;
        }
        try {
            SecretBox.useBouncyCastle();
            SalsaBatch.available();
        } catch (IllegalArgumentException e) {
            throw new ZmqException(Errno.EINVAL, e.getMessage() + " (endpoint '" + endpoint + "')");
        }
        if (options.curveSecretKey == null) {
            throw new ZmqException(Errno.EINVAL, "CURVE needs CURVE_SECRETKEY (endpoint '" + endpoint + "')");
        }
        if (!options.asServer && options.curveServerKey == null) {
            throw new ZmqException(Errno.EINVAL, "a CURVE client needs CURVE_SERVERKEY (endpoint '" + endpoint + "')");
        }
    }

    /**
     * A fresh mechanism for one connection.
     *
     * @param options the socket's options at bind/connect time
     * @return the mechanism
     */
    public static Mechanism create(SocketOptions options) {
        HandshakeIdentity identity = new HandshakeIdentity(options.type, options.routingId);
        switch (options.mechanism) {
            case PLAIN:
                return options.asServer ? PlainMechanism.server(identity)
                        : PlainMechanism.client(identity, options.plainUsername, options.plainPassword);
            case CURVE:
                return new CurveMechanism(identity, options.asServer, options.curvePublicKey, options.curveSecretKey,
                        options.asServer ? null : options.curveServerKey);
            default:
                return new NullMechanism(identity, !options.zapDomain.isEmpty());
        }
    }
}
