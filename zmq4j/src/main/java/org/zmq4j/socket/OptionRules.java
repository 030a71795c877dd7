package org.zmq4j.socket;

import org.zmq4j.Option;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.common.SocketOptions;

/** Validation and storage of the options every socket type shares. */
final class OptionRules {
    private OptionRules() {
    }

    /**
     * Checks what every set does before anything else: no nulls, not a read-only option, a value of
     * the option's type (a raw-typed call can pass anything).
     *
     * @throws ZmqException EINVAL naming the option
     */
    static void checkSettable(Option<?> option, Object value) {
        if (option == null || value == null) {
            throw new ZmqException(Errno.EINVAL, "option and value must not be null (option " + option + ")");
        }
        if (option.isReadOnly()) {
            throw new ZmqException(Errno.EINVAL, option + " is read-only");
        }
        if (!option.type().isInstance(value)) {
            throw new ZmqException(Errno.EINVAL, option + " takes a " + option.type().getSimpleName() + ", got a "
                    + value.getClass().getSimpleName());
        }
    }

    /**
     * Validates and stores a shared option.
     *
     * @return false when the option is not a shared one
     * @throws ZmqException EINVAL for a bad value, ENOTSUP for a feature zmq4j does not have yet
     */
    static boolean apply(SocketOptions o, Option<?> option, Object value) {
        if (option == Option.SNDHWM) {
            o.sndHwm = atLeast(option, value, 0);
        } else if (option == Option.RCVHWM) {
            o.rcvHwm = atLeast(option, value, 0);
        } else if (option == Option.LINGER) {
            o.linger = atLeast(option, value, -1);
        } else if (option == Option.RCVTIMEO) {
            o.rcvTimeo = atLeast(option, value, -1);
        } else if (option == Option.SNDTIMEO) {
            o.sndTimeo = atLeast(option, value, -1);
        } else if (option == Option.RECONNECT_IVL) {
            o.reconnectIvl = atLeast(option, value, -1);
        } else if (option == Option.RECONNECT_IVL_MAX) {
            o.reconnectIvlMax = atLeast(option, value, 0);
        } else if (option == Option.HANDSHAKE_IVL) {
            o.handshakeIvl = atLeast(option, value, 0);
        } else if (option == Option.BACKLOG) {
            o.backlog = atLeast(option, value, 0);
        } else if (option == Option.SNDBUF) {
            o.sndBuf = atLeast(option, value, -1);
        } else if (option == Option.RCVBUF) {
            o.rcvBuf = atLeast(option, value, -1);
        } else if (option == Option.MAXMSGSIZE) {
            long v = (Long) value;
            if (v < -1) {
                throw invalid(option, value);
            }
            o.maxMsgSize = v;
        } else if (option == Option.ROUTING_ID) {
            byte[] id = (byte[]) value;
            if (id.length < 1 || id.length > 255) {
                throw new ZmqException(Errno.EINVAL, option + " must be 1..255 bytes, got " + id.length + " bytes");
            }
            o.routingId = id.clone();
        } else if (option == Option.CONFLATE) {
            o.conflate = (Boolean) value;
        } else if (option == Option.IMMEDIATE) {
            o.immediate = (Boolean) value;
        } else if (option == Option.IPV6) {
            o.ipv6 = (Boolean) value;
        } else if (option == Option.TCP_KEEPALIVE) {
            int v = atLeast(option, value, -1);
            if (v > 1) {
                throw invalid(option, value);
            }
            o.tcpKeepalive = v;
        } else if (option == Option.TCP_KEEPALIVE_CNT) {
            o.tcpKeepaliveCnt = atLeast(option, value, -1);
        } else if (option == Option.TCP_KEEPALIVE_IDLE) {
            o.tcpKeepaliveIdle = atLeast(option, value, -1);
        } else if (option == Option.TCP_KEEPALIVE_INTVL) {
            o.tcpKeepaliveIntvl = atLeast(option, value, -1);
        } else if (option == Option.MULTICAST_HOPS) {
            int v = (Integer) value;
            if (v < 1 || v > 255) {
                throw invalid(option, value);
            }
            o.multicastHops = v;
        } else if (option == Option.MULTICAST_LOOP) {
            o.multicastLoop = (Boolean) value;
        } else if (option == Option.RATE) {
            o.rate = atLeast(option, value, 1);
        } else if (option == Option.RECOVERY_IVL) {
            o.recoveryIvl = atLeast(option, value, 0);
        } else if (option == Option.MULTICAST_MAXTPDU) {
            int v = (Integer) value;
            if (v < 128 || v > 65_535) {
                throw invalid(option, value);
            }
            o.multicastMaxTpdu = v;
        } else if (option == Option.RECONNECT_STOP) {
            int v = (Integer) value;
            if ((v & ~0x7) != 0) {
                throw invalid(option, value);
            }
            o.reconnectStop = v;
        } else if (option == Option.ZAP_DOMAIN) {
            String domain = (String) value;
            if (domain.length() > 255) {
                throw invalid(option, "a " + domain.length() + "-character domain");
            }
            o.zapDomain = domain;
        } else if (option == Option.HEARTBEAT_IVL) {
            o.heartbeatIvl = atLeast(option, value, 0);
        } else if (option == Option.HEARTBEAT_TIMEOUT) {
            o.heartbeatTimeout = atLeast(option, value, -1);
        } else if (option == Option.HEARTBEAT_TTL) {
            int ttl = atLeast(option, value, 0);
            if (ttl > 0xFFFF * 100) {
                throw invalid(option, value);
            }
            o.heartbeatTtl = ttl;
        } else if (option == Option.PLAIN_SERVER) {
            boolean on = (Boolean) value;
            o.asServer = on;
            o.mechanism = on ? SocketOptions.Security.PLAIN : SocketOptions.Security.NULL;
        } else if (option == Option.PLAIN_USERNAME || option == Option.PLAIN_PASSWORD) {
            String text = (String) value;
            if (text.length() > 255) {
                throw invalid(option, "a " + text.length() + "-character value");
            }
            if (option == Option.PLAIN_USERNAME) {
                o.plainUsername = text;
            } else {
                o.plainPassword = text;
            }
            o.asServer = false;
            o.mechanism = text.isEmpty() ? SocketOptions.Security.NULL : SocketOptions.Security.PLAIN;
        } else if (option == Option.CURVE_SERVER) {
            boolean on = (Boolean) value;
            o.asServer = on;
            o.mechanism = on ? SocketOptions.Security.CURVE : SocketOptions.Security.NULL;
        } else if (option == Option.CURVE_PUBLICKEY) {
            o.curvePublicKey = curveKey(option, value);
            o.mechanism = SocketOptions.Security.CURVE;
        } else if (option == Option.CURVE_SECRETKEY) {
            o.curveSecretKey = curveKey(option, value);
            o.mechanism = SocketOptions.Security.CURVE;
        } else if (option == Option.CURVE_SERVERKEY) {
            o.curveServerKey = curveKey(option, value);
            o.asServer = false;
            o.mechanism = SocketOptions.Security.CURVE;
        } else {
            return false;
        }
        return true;
    }

    /** Reads a shared option, or null when it is not one. */
    static Object read(SocketOptions o, Option<?> option) {
        if (option == Option.TYPE) {
            return o.type;
        } else if (option == Option.THREAD_SAFE) {
            return o.type.isThreadSafe();
        } else if (option == Option.SNDHWM) {
            return o.sndHwm;
        } else if (option == Option.RCVHWM) {
            return o.rcvHwm;
        } else if (option == Option.LINGER) {
            return o.linger;
        } else if (option == Option.RCVTIMEO) {
            return o.rcvTimeo;
        } else if (option == Option.SNDTIMEO) {
            return o.sndTimeo;
        } else if (option == Option.RECONNECT_IVL) {
            return o.reconnectIvl;
        } else if (option == Option.RECONNECT_IVL_MAX) {
            return o.reconnectIvlMax;
        } else if (option == Option.HANDSHAKE_IVL) {
            return o.handshakeIvl;
        } else if (option == Option.BACKLOG) {
            return o.backlog;
        } else if (option == Option.SNDBUF) {
            return o.sndBuf;
        } else if (option == Option.RCVBUF) {
            return o.rcvBuf;
        } else if (option == Option.MAXMSGSIZE) {
            return o.maxMsgSize;
        } else if (option == Option.ROUTING_ID) {
            return o.routingId.clone();
        } else if (option == Option.CONFLATE) {
            return o.conflate;
        } else if (option == Option.IMMEDIATE) {
            return o.immediate;
        } else if (option == Option.IPV6) {
            return o.ipv6;
        } else if (option == Option.ZAP_DOMAIN) {
            return o.zapDomain;
        } else if (option == Option.TCP_KEEPALIVE) {
            return o.tcpKeepalive;
        } else if (option == Option.TCP_KEEPALIVE_CNT) {
            return o.tcpKeepaliveCnt;
        } else if (option == Option.TCP_KEEPALIVE_IDLE) {
            return o.tcpKeepaliveIdle;
        } else if (option == Option.TCP_KEEPALIVE_INTVL) {
            return o.tcpKeepaliveIntvl;
        } else if (option == Option.RECONNECT_STOP) {
            return o.reconnectStop;
        } else if (option == Option.MULTICAST_HOPS) {
            return o.multicastHops;
        } else if (option == Option.MULTICAST_LOOP) {
            return o.multicastLoop;
        } else if (option == Option.RATE) {
            return o.rate;
        } else if (option == Option.RECOVERY_IVL) {
            return o.recoveryIvl;
        } else if (option == Option.MULTICAST_MAXTPDU) {
            return o.multicastMaxTpdu;
        } else if (option == Option.PLAIN_SERVER) {
            return o.mechanism == SocketOptions.Security.PLAIN && o.asServer;
        } else if (option == Option.CURVE_SERVER) {
            return o.mechanism == SocketOptions.Security.CURVE && o.asServer;
        } else if (option == Option.PLAIN_USERNAME) {
            return o.plainUsername;
        } else if (option == Option.PLAIN_PASSWORD) {
            return o.plainPassword;
        } else if (option == Option.CURVE_PUBLICKEY) {
            return o.curvePublicKey == null ? new byte[0] : o.curvePublicKey.clone();
        } else if (option == Option.CURVE_SECRETKEY) {
            return o.curveSecretKey == null ? new byte[0] : o.curveSecretKey.clone();
        } else if (option == Option.CURVE_SERVERKEY) {
            return o.curveServerKey == null ? new byte[0] : o.curveServerKey.clone();
        } else if (option == Option.HEARTBEAT_IVL) {
            return o.heartbeatIvl;
        } else if (option == Option.HEARTBEAT_TIMEOUT) {
            return o.heartbeatTimeout;
        } else if (option == Option.HEARTBEAT_TTL) {
            return o.heartbeatTtl;
        }
        return null;
    }

    /** A CURVE key given as 32 raw bytes or as its 40-character Z85 text, as libzmq accepts. */
    static byte[] curveKey(Option<?> option, Object value) {
        byte[] key = (byte[]) value;
        if (key.length == 32) {
            return key.clone();
        }
        if (key.length == 40) {
            return org.zmq4j.Z85.decode(new String(key, java.nio.charset.StandardCharsets.US_ASCII));
        }
        throw new ZmqException(Errno.EINVAL, option + " must be 32 bytes or 40 Z85 characters, got " + key.length + " bytes");
    }

    static int atLeast(Option<?> option, Object value, int min) {
        int v = (Integer) value;
        if (v < min) {
            throw invalid(option, value);
        }
        return v;
    }

    static ZmqException invalid(Option<?> option, Object value) {
        return new ZmqException(Errno.EINVAL, "invalid value " + value + " for " + option);
    }
}
