package org.zmq4j.common;

import org.zmq4j.SocketType;

/**
 * The options a socket's connections need, copied when a bind or connect starts (as in libzmq,
 * options apply to connections made after they are set).
 */
public final class SocketOptions implements Cloneable {
    /** The socket's type. */
    public final SocketType type;
    /** What the type asks of its connections. */
    public final ConnectionRules rules;
    /** SNDHWM. */
    public int sndHwm = 1000;
    /** RCVHWM. */
    public int rcvHwm = 1000;
    /** LINGER (ms, -1 forever). */
    public int linger;
    /** RCVTIMEO. */
    public int rcvTimeo = -1;
    /** SNDTIMEO. */
    public int sndTimeo = -1;
    /** RECONNECT_IVL. */
    public int reconnectIvl = 100;
    /** RECONNECT_IVL_MAX. */
    public int reconnectIvlMax;
    /** HANDSHAKE_IVL. */
    public int handshakeIvl = 30_000;
    /** HEARTBEAT_IVL (ms, 0 = off). */
    public int heartbeatIvl;
    /** HEARTBEAT_TIMEOUT (ms, -1 = same as HEARTBEAT_IVL). */
    public int heartbeatTimeout = -1;
    /** HEARTBEAT_TTL (ms, sent in tenths of seconds). */
    public int heartbeatTtl;
    /** TCP_KEEPALIVE (-1 default, 0 off, 1 on). */
    public int tcpKeepalive = -1;
    /** TCP_KEEPALIVE_CNT. */
    public int tcpKeepaliveCnt = -1;
    /** TCP_KEEPALIVE_IDLE (s). */
    public int tcpKeepaliveIdle = -1;
    /** TCP_KEEPALIVE_INTVL (s). */
    public int tcpKeepaliveIntvl = -1;
    /** RECONNECT_STOP mask. */
    public int reconnectStop;
    /** ZMQ_MULTICAST_HOPS: multicast TTL for udp. */
    public int multicastHops = 1;
    /** ZMQ_MULTICAST_LOOP: multicast loopback for udp. */
    public boolean multicastLoop = true;
    /** ZMQ_RATE: what an epgm publisher sends at most, kbit/s. */
    public int rate = 100;
    /** ZMQ_RECOVERY_IVL: how long epgm data stays repairable, ms (sizes the windows with RATE). */
    public int recoveryIvl = 10_000;
    /** ZMQ_MULTICAST_MAXTPDU: the largest epgm packet, IP and UDP headers included. */
    public int multicastMaxTpdu = 1500;
    /** BACKLOG. */
    public int backlog = 100;
    /** SNDBUF (-1 OS default). */
    public int sndBuf = -1;
    /** RCVBUF (-1 OS default). */
    public int rcvBuf = -1;
    /** MAXMSGSIZE (-1 none). */
    public long maxMsgSize = -1;
    /** ROUTING_ID. */
    public byte[] routingId = new byte[0];
    /** CONFLATE. */
    public boolean conflate;
    /** IMMEDIATE. */
    public boolean immediate;
    /** Security mechanisms, as libzmq's ZMQ_MECHANISM. */
    public enum Security {
        /** No security (ZMTP NULL). */
        NULL,
        /** PLAIN (rfc-24). */
        PLAIN,
        /** CURVE (rfc-25/26). */
        CURVE
    }

    /** The mechanism the last security option chose. */
    public Security mechanism = Security.NULL;
    /** PLAIN_SERVER / CURVE_SERVER. */
    public boolean asServer;
    /** PLAIN_USERNAME. */
    public String plainUsername = "";
    /** PLAIN_PASSWORD. */
    public String plainPassword = "";
    /** CURVE_PUBLICKEY (32 bytes) or null. */
    public byte[] curvePublicKey;
    /** CURVE_SECRETKEY (32 bytes) or null. */
    public byte[] curveSecretKey;
    /** CURVE_SERVERKEY (32 bytes) or null. */
    public byte[] curveServerKey;
    /** ZAP_DOMAIN ("" = none). */
    public String zapDomain = "";
    /** IPV6. */
    public boolean ipv6;

    /**
     * Options of a socket that needs no special connection rules.
     *
     * @param type the socket type; LINGER defaults to -1, or 0 for SUB/XSUB as in libzmq
     */
    public SocketOptions(SocketType type) {
        this(type, ConnectionRules.DEFAULT);
    }

    /**
     * @param type  the socket type; LINGER defaults to -1, or 0 for SUB/XSUB as in libzmq
     * @param rules what the type asks of its connections
     */
    public SocketOptions(SocketType type, ConnectionRules rules) {
        this.type = type;
        this.rules = rules;
        this.linger = type == SocketType.SUB || type == SocketType.XSUB ? 0 : -1;
    }

    /**
     * Whether the pipe carrying messages out of the socket conflates. Never for SUB/XSUB, whose
     * outbound traffic is subscriptions: conflating those would lose some.
     */
    public boolean conflateOut() {
        return conflate && type != SocketType.SUB && type != SocketType.XSUB;
    }

    /** Whether the pipe carrying messages into the socket conflates (never subscriptions into PUB/XPUB). */
    public boolean conflateIn() {
        return conflate && type != SocketType.PUB && type != SocketType.XPUB;
    }

    /** A copy for a new connection or listener. */
    public SocketOptions copy() {
        try {
            return (SocketOptions) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }
}
