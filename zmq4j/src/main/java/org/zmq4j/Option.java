package org.zmq4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A typed socket option, named as in libzmq ({@code ZMQ_SNDHWM} is {@link #SNDHWM}).
 * <p>
 * Times are in milliseconds, with -1 meaning "infinite" as in libzmq. Set options with
 * {@link Socket#setOption(Option, Object)} and read them with {@link Socket#getOption(Option)}.
 * Options marked read-only throw {@code ZmqException(EINVAL)} when set; options whose feature zmq4j
 * does not implement yet throw {@code ZmqException(ENOTSUP)} (see the README's feature table).
 *
 * @param <T> the value type: Integer, Long, Boolean, String, byte[] or SocketType
 */
public final class Option<T> {
    private static final Map<String, Option<?>> BY_NAME = new LinkedHashMap<>();

    // ---- Integer options (milliseconds for times, -1 = infinite) ----
    /** Send high-water mark, in messages per pipe (0 = no limit). Default 1000. */
    public static final Option<Integer> SNDHWM = define("SNDHWM", 23, Integer.class, false);
    /** Receive high-water mark, in messages per pipe (0 = no limit). Default 1000. */
    public static final Option<Integer> RCVHWM = define("RCVHWM", 24, Integer.class, false);
    /** How long close() keeps trying to deliver queued messages (ms; -1 forever, 0 drop). Default -1. */
    public static final Option<Integer> LINGER = define("LINGER", 17, Integer.class, false);
    /** Receive timeout (ms; -1 block forever, 0 never block). Default -1. */
    public static final Option<Integer> RCVTIMEO = define("RCVTIMEO", 27, Integer.class, false);
    /** Send timeout (ms; -1 block forever, 0 never block). Default -1. */
    public static final Option<Integer> SNDTIMEO = define("SNDTIMEO", 28, Integer.class, false);
    /** Initial reconnect interval (ms; -1 never reconnect). Default 100. */
    public static final Option<Integer> RECONNECT_IVL = define("RECONNECT_IVL", 18, Integer.class, false);
    /** Maximum reconnect interval for exponential backoff (ms; 0 = only RECONNECT_IVL). Default 0. */
    public static final Option<Integer> RECONNECT_IVL_MAX = define("RECONNECT_IVL_MAX", 21, Integer.class, false);
    /** Interval between ZMTP PINGs (ms; 0 = off). */
    public static final Option<Integer> HEARTBEAT_IVL = define("HEARTBEAT_IVL", 75, Integer.class, false);
    /** Time to wait for traffic after a PING before dropping the connection (ms). */
    public static final Option<Integer> HEARTBEAT_TIMEOUT = define("HEARTBEAT_TIMEOUT", 77, Integer.class, false);
    /** TTL announced in PINGs (ms, sent in tenths of seconds). */
    public static final Option<Integer> HEARTBEAT_TTL = define("HEARTBEAT_TTL", 76, Integer.class, false);
    /** Maximum time for a ZMTP handshake (ms; 0 = no limit). Default 30000. */
    public static final Option<Integer> HANDSHAKE_IVL = define("HANDSHAKE_IVL", 66, Integer.class, false);
    /** Listen backlog for bind. Default 100. */
    public static final Option<Integer> BACKLOG = define("BACKLOG", 19, Integer.class, false);
    /** Kernel send buffer size in bytes (-1 = OS default). */
    public static final Option<Integer> SNDBUF = define("SNDBUF", 11, Integer.class, false);
    /** Kernel receive buffer size in bytes (-1 = OS default). */
    public static final Option<Integer> RCVBUF = define("RCVBUF", 12, Integer.class, false);

    /** SO_KEEPALIVE on tcp connections: -1 OS default, 0 off, 1 on. */
    public static final Option<Integer> TCP_KEEPALIVE = define("TCP_KEEPALIVE", 34, Integer.class, false);
    /** TCP_KEEPCNT: probes before dropping (-1 OS default). */
    public static final Option<Integer> TCP_KEEPALIVE_CNT = define("TCP_KEEPALIVE_CNT", 35, Integer.class, false);
    /** TCP_KEEPIDLE in seconds (-1 OS default). */
    public static final Option<Integer> TCP_KEEPALIVE_IDLE = define("TCP_KEEPALIVE_IDLE", 36, Integer.class, false);
    /** TCP_KEEPINTVL in seconds (-1 OS default). */
    public static final Option<Integer> TCP_KEEPALIVE_INTVL = define("TCP_KEEPALIVE_INTVL", 37, Integer.class, false);
    /** Multicast TTL/hop limit of udp datagrams a RADIO sends and of epgm packets (ZMQ_MULTICAST_HOPS; default 1). */
    public static final Option<Integer> MULTICAST_HOPS = define("MULTICAST_HOPS", 25, Integer.class, false);
    /**
     * Whether udp multicast a RADIO sends, and epgm packets, loop back to receivers on this host (ZMQ_MULTICAST_LOOP;
     * default true). libzmq always turns loop-back off for PGM; on the loopback interface packets arrive either way.
     */
    public static final Option<Boolean> MULTICAST_LOOP = define("MULTICAST_LOOP", 96, Boolean.class, false);
    /** What an epgm:// publisher sends at most, in kilobits per second (ZMQ_RATE; default 100, as libzmq). */
    public static final Option<Integer> RATE = define("RATE", 8, Integer.class, false);
    /**
     * How long, in ms, an epgm:// publisher keeps data for repair (ZMQ_RECOVERY_IVL; default 10000). With RATE it
     * sizes the transmit and receive windows, in packets: RATE / 8 × RECOVERY_IVL / MULTICAST_MAXTPDU.
     */
    public static final Option<Integer> RECOVERY_IVL = define("RECOVERY_IVL", 9, Integer.class, false);
    /** The largest epgm:// packet in bytes, IP and UDP headers included (ZMQ_MULTICAST_MAXTPDU; default 1500). */
    public static final Option<Integer> MULTICAST_MAXTPDU = define("MULTICAST_MAXTPDU", 84, Integer.class, false);
    /**
     * When a connect() stops reconnecting (libzmq's draft ZMQ_RECONNECT_STOP): a mask of
     * {@link #RECONNECT_STOP_CONN_REFUSED}, {@link #RECONNECT_STOP_HANDSHAKE_FAILED},
     * {@link #RECONNECT_STOP_AFTER_DISCONNECT}. Default 0: always reconnect.
     */
    public static final Option<Integer> RECONNECT_STOP = define("RECONNECT_STOP", 109, Integer.class, false);
    /** RECONNECT_STOP flag: stop when the connection is refused. */
    public static final int RECONNECT_STOP_CONN_REFUSED = 0x1;
    /** RECONNECT_STOP flag: stop when a handshake fails. */
    public static final int RECONNECT_STOP_HANDSHAKE_FAILED = 0x2;
    /** RECONNECT_STOP flag: stop after an established connection drops. */
    public static final int RECONNECT_STOP_AFTER_DISCONNECT = 0x4;

    // ---- Long ----
    /** Largest inbound message accepted, in bytes (-1 = no limit); larger drops the connection. */
    public static final Option<Long> MAXMSGSIZE = define("MAXMSGSIZE", 22, Long.class, false);

    // ---- byte[] ----
    /**
     * The routing id (identity) announced to ROUTER peers; 1..255 bytes. As in libzmq, ids starting
     * with a zero byte are accepted but reserved for generated ids (a ROUTER's own are 0 + 4 bytes).
     */
    public static final Option<byte[]> ROUTING_ID = define("ROUTING_ID", 5, byte[].class, false);
    /** Adds a prefix subscription (SUB). */
    public static final Option<byte[]> SUBSCRIBE = define("SUBSCRIBE", 6, byte[].class, false);
    /** Removes one prefix subscription (SUB). */
    public static final Option<byte[]> UNSUBSCRIBE = define("UNSUBSCRIBE", 7, byte[].class, false);
    /** This socket's long-term CURVE public key (32 bytes, or its 40-character Z85 text). */
    public static final Option<byte[]> CURVE_PUBLICKEY = define("CURVE_PUBLICKEY", 48, byte[].class, false);
    /** This socket's long-term CURVE secret key (32 bytes, or its 40-character Z85 text). */
    public static final Option<byte[]> CURVE_SECRETKEY = define("CURVE_SECRETKEY", 49, byte[].class, false);
    /** The server's long-term CURVE public key; setting it makes the socket a CURVE client (32 bytes or Z85). */
    public static final Option<byte[]> CURVE_SERVERKEY = define("CURVE_SERVERKEY", 50, byte[].class, false);

    // ---- Boolean ----
    /** ROUTER: sending to an unknown routing id fails with EHOSTUNREACH instead of dropping. */
    public static final Option<Boolean> ROUTER_MANDATORY = define("ROUTER_MANDATORY", 33, Boolean.class, false);
    /** XPUB: pass every subscription message up, not only new ones. */
    public static final Option<Boolean> XPUB_VERBOSE = define("XPUB_VERBOSE", 40, Boolean.class, false);
    /** Keep only the last message in the queue (single-part messages only). */
    public static final Option<Boolean> CONFLATE = define("CONFLATE", 54, Boolean.class, false);
    /** Queue messages only to completed connections. */
    public static final Option<Boolean> IMMEDIATE = define("IMMEDIATE", 39, Boolean.class, false);
    /** Act as PLAIN server (a ZAP handler must be bound, as in libzmq 4.3). */
    public static final Option<Boolean> PLAIN_SERVER = define("PLAIN_SERVER", 44, Boolean.class, false);
    /** Act as CURVE server. */
    public static final Option<Boolean> CURVE_SERVER = define("CURVE_SERVER", 47, Boolean.class, false);
    /** REQ: allow a new request before the reply to the previous one arrived. */
    public static final Option<Boolean> REQ_RELAXED = define("REQ_RELAXED", 53, Boolean.class, false);
    /** REQ: tag requests with an id and accept only the matching reply. */
    public static final Option<Boolean> REQ_CORRELATE = define("REQ_CORRELATE", 52, Boolean.class, false);
    /** Enable IPv6 on the socket (wildcard binds listen on both families). */
    public static final Option<Boolean> IPV6 = define("IPV6", 42, Boolean.class, false);

    // ---- String ----
    /** PLAIN client user name; setting it makes the socket a PLAIN client. */
    public static final Option<String> PLAIN_USERNAME = define("PLAIN_USERNAME", 45, String.class, false);
    /** PLAIN client password. */
    public static final Option<String> PLAIN_PASSWORD = define("PLAIN_PASSWORD", 46, String.class, false);
    /** ZAP authentication domain. */
    public static final Option<String> ZAP_DOMAIN = define("ZAP_DOMAIN", 55, String.class, false);

    // ---- STREAM, XPUB and ROUTER extras ----
    /**
     * STREAM: deliver {@code [routing id, ""]} when a connection is made and when the remote side
     * closes it (libzmq's ZMQ_STREAM_NOTIFY). Default true.
     */
    public static final Option<Boolean> STREAM_NOTIFY = define("STREAM_NOTIFY", 73, Boolean.class, false);
    /**
     * STREAM: the routing id the next {@link Socket#connect(String)} gives its connection, instead
     * of a generated one (1..255 bytes, not in use). Used by that one connect, then cleared.
     */
    public static final Option<byte[]> CONNECT_ROUTING_ID = define("CONNECT_ROUTING_ID", 61, byte[].class, false);
    /**
     * XPUB: subscriptions from subscribers are not applied; each is passed up (subscribe and
     * unsubscribe, every time), and the application applies what it wants by setting
     * {@link #SUBSCRIBE}/{@link #UNSUBSCRIBE} on the XPUB, which affect the subscriber whose
     * subscription message it received last. Default false.
     */
    public static final Option<Boolean> XPUB_MANUAL = define("XPUB_MANUAL", 71, Boolean.class, false);
    /**
     * PUB/XPUB: a message sent to every new subscriber before anything else (empty = none),
     * written when the socket attaches the subscriber, i.e. on its first call (recv, send or poll)
     * after the connection, as in libzmq. Subscribers see it only if they subscribed to a prefix
     * of it.
     */
    public static final Option<byte[]> XPUB_WELCOME_MSG = define("XPUB_WELCOME_MSG", 72, byte[].class, false);
    /**
     * PUB/XPUB: when a matching subscriber is at SNDHWM, send blocks (or fails with DONTWAIT)
     * instead of dropping the message for that subscriber. Default false.
     */
    public static final Option<Boolean> XPUB_NODROP = define("XPUB_NODROP", 69, Boolean.class, false);
    /**
     * ROUTER: a new connection announcing a routing id that is in use takes it over, and the older
     * connection is closed; without it the newcomer is ignored. Default false.
     */
    public static final Option<Boolean> ROUTER_HANDOVER = define("ROUTER_HANDOVER", 56, Boolean.class, false);
    /**
     * ROUTER/DEALER: send an empty message to each new peer, so that a ROUTER on the other side
     * learns of the connection before any real message. A DEALER queues it at connect time (as
     * libzmq); a ROUTER sends it when it learns of the connection, after the handshake, on its
     * next call (recv, send or poll). Set before bind/connect. Default false.
     */
    public static final Option<Boolean> PROBE_ROUTER = define("PROBE_ROUTER", 51, Boolean.class, false);

    // ---- read-only ----
    /** The socket's type (read-only). */
    public static final Option<SocketType> TYPE = define("TYPE", 16, SocketType.class, true);
    /** Whether the last frame received has more frames after it (read-only). */
    public static final Option<Boolean> RCVMORE = define("RCVMORE", 13, Boolean.class, true);
    /** Whether the socket may be used by several threads at once (read-only; ZMQ_THREAD_SAFE). */
    public static final Option<Boolean> THREAD_SAFE = define("THREAD_SAFE", 81, Boolean.class, true);
    /** The resolved endpoint of the last bind (read-only). */
    public static final Option<String> LAST_ENDPOINT = define("LAST_ENDPOINT", 32, String.class, true);

    private final String name;
    private final int code;
    private final Class<T> type;
    private final boolean readOnly;

    private Option(String name, int code, Class<T> type, boolean readOnly) {
        this.name = name;
        this.code = code;
        this.type = type;
        this.readOnly = readOnly;
    }

    private static <T> Option<T> define(String name, int code, Class<T> type, boolean readOnly) {
        Option<T> option = new Option<>(name, code, type, readOnly);
        BY_NAME.put(name, option);
        return option;
    }

    /** libzmq's name without the ZMQ_ prefix, e.g. "SNDHWM". */
    public String name() {
        return name;
    }

    /** libzmq's numeric option code (ZMQ_SNDHWM = 23). */
    public int code() {
        return code;
    }

    /** The Java type of the option's value. */
    public Class<T> type() {
        return type;
    }

    /** Whether the option can only be read. */
    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * The option named {@code name} (with or without a "ZMQ_" prefix, any case).
     *
     * @param name the option name
     * @return the option
     * @throws ZmqException EINVAL when no option has that name
     */
    public static Option<?> valueOf(String name) {
        String key = name.toUpperCase(java.util.Locale.ROOT);
        if (key.startsWith("ZMQ_")) {
            key = key.substring(4);
        }
        Option<?> option = BY_NAME.get(key);
        if (option == null) {
            throw new ZmqException(ZmqException.Errno.EINVAL, "unknown option '" + name + "'");
        }
        return option;
    }

    /** Every option zmq4j defines, in declaration order. */
    public static Map<String, Option<?>> all() {
        return Collections.unmodifiableMap(BY_NAME);
    }

    @Override
    public String toString() {
        return "ZMQ_" + name;
    }
}
