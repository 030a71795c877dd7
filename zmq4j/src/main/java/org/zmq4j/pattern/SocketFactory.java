package org.zmq4j.pattern;

import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.io.IoContext;
import org.zmq4j.socket.SocketBase;

/** Makes the socket implementation for a type. */
public final class SocketFactory {
    private SocketFactory() {
    }

    /**
     * @param type the socket type
     * @param ctx  the context
     * @return a new socket
     * @throws ZmqException ENOTSUP for types zmq4j does not provide yet
     */
    public static SocketBase create(SocketType type, IoContext ctx) {
        switch (type) {
            case PAIR:
            case CHANNEL:
                return new PairSocket(ctx, type);
            case PUB:
            case XPUB:
                return new XPubSocket(ctx, type);
            case SUB:
            case XSUB:
                return new XSubSocket(ctx, type);
            case REQ:
                return new ReqSocket(ctx);
            case REP:
                return new RepSocket(ctx);
            case DEALER:
                return new DealerSocket(ctx);
            case ROUTER:
                return new RouterSocket(ctx);
            case PUSH:
            case SCATTER:
                return new PushSocket(ctx, type);
            case PULL:
            case GATHER:
                return new PullSocket(ctx, type);
            case STREAM:
                return new StreamSocket(ctx);
            case SERVER:
            case PEER:
                return new ServerSocket(ctx, type);
            case CLIENT:
                return new ClientSocket(ctx);
            case RADIO:
                return new RadioSocket(ctx);
            case DISH:
                return new DishSocket(ctx);
            default:
                throw new ZmqException(Errno.ENOTSUP, type + " sockets are not provided by zmq4j yet (see the README's feature table)");
        }
    }
}
