package org.zmq4j.common;

/**
 * What a socket type asks of its connections, decided on the socket side (each type in
 * {@code org.zmq4j.pattern} says which rules it needs) and carried with the socket's options, so
 * that the I/O layer never looks at socket types. Immutable.
 *
 * @param raw                   STREAM: raw bytes, no ZMTP greeting or framing
 * @param attachBeforeHandshake the peer is attached at connect time, so messages queue before the
 *                              connection exists (false for ROUTER, which learns the peer's routing
 *                              id from its handshake)
 * @param subscriptionCommands  PUB, XPUB: SUBSCRIBE/CANCEL commands from the peer become
 *                              subscription frames in the inbound pipe (other types ignore them)
 * @param groupCommands         RADIO: JOIN/LEAVE commands from the peer become group frames in the
 *                              inbound pipe
 * @param resetOnReconnect      a new connection first writes a reset marker into the inbound pipe, so
 *                              the socket forgets what the previous connection subscribed or joined
 * @param directWrites          a sending thread may write to an idle connection itself (not for types
 *                              whose one send writes to every peer: PUB, XPUB, RADIO)
 * @param closedPeerEndsConnect STREAM: a peer the socket closed ends its connect() for good (no
 *                              reconnect)
 */
public record ConnectionRules(boolean raw, boolean attachBeforeHandshake, boolean subscriptionCommands, boolean groupCommands,
                              boolean resetOnReconnect, boolean directWrites, boolean closedPeerEndsConnect) {
    /** What most types need: ZMTP, attached at connect, direct writes, nothing translated. */
    public static final ConnectionRules DEFAULT = new ConnectionRules(false, true, false, false, false, true, false);

    /** ROUTER: the peer is attached once its handshake names it. */
    public ConnectionRules attachedAtHandshake() {
        return new ConnectionRules(raw, false, subscriptionCommands, groupCommands, resetOnReconnect, directWrites,
                closedPeerEndsConnect);
    }

    /** PUB, XPUB: subscriptions from the peer, forgotten on reconnect; sends fan out (no direct writes). */
    public ConnectionRules publishing() {
        return new ConnectionRules(raw, attachBeforeHandshake, true, groupCommands, true, false, closedPeerEndsConnect);
    }

    /** RADIO: groups from the peer, forgotten on reconnect; sends fan out (no direct writes). */
    public ConnectionRules radio() {
        return new ConnectionRules(raw, attachBeforeHandshake, subscriptionCommands, true, true, false, closedPeerEndsConnect);
    }

    /** STREAM: raw bytes; closing a peer ends its connect. */
    public ConnectionRules rawStream() {
        return new ConnectionRules(true, attachBeforeHandshake, subscriptionCommands, groupCommands, resetOnReconnect, directWrites,
                true);
    }
}
