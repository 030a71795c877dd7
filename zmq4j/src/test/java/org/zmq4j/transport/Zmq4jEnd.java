package org.zmq4j.transport;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;

/** A zmq4j socket as an {@link End}. */
final class Zmq4jEnd implements End {
    private final Socket socket;
    private int rcvTimeo = -2;

    Zmq4jEnd(Socket socket) {
        this.socket = socket;
    }

    Socket socket() {
        return socket;
    }

    @Override
    public SocketType type() {
        return socket.type();
    }

    @Override
    public String bind(String endpoint) {
        socket.bind(endpoint);
        return socket.lastEndpoint();
    }

    @Override
    public void connect(String endpoint) {
        socket.connect(endpoint);
    }

    @Override
    public void unbind(String endpoint) {
        socket.unbind(endpoint);
    }

    @Override
    public void routingId(byte[] id) {
        socket.setOption(Option.ROUTING_ID, id);
    }

    @Override
    public void subscribe(byte[] prefix) {
        socket.setOption(Option.SUBSCRIBE, prefix);
    }

    @Override
    public void unsubscribe(byte[] prefix) {
        socket.setOption(Option.UNSUBSCRIBE, prefix);
    }

    @Override
    public void routerMandatory() {
        socket.setOption(Option.ROUTER_MANDATORY, true);
    }

    @Override
    public void send(List<byte[]> frames) {
        int start = 0;
        if (socket.type() == SocketType.ROUTER) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TransportTestSupport.SETTLE_MS);
            while (true) {
                try {
                    assertTrue(frames.size() == 1 ? socket.send(frames.get(0)) : socket.sendMore(frames.get(0)),
                            "ROUTER routing-id frame not accepted");
                    break;
                } catch (ZmqException e) {
                    if (e.errno() != ZmqException.Errno.EHOSTUNREACH) {
                        throw e;
                    }
                    if (System.nanoTime() - deadline > 0) {
                        fail("ROUTER peer " + TransportTestSupport.hex(frames.get(0)) + " not reachable within "
                                + TransportTestSupport.SETTLE_MS + " ms", e);
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
                }
            }
            start = 1;
        }
        TransportTestSupport.sendMultipart(socket, frames.subList(start, frames.size()));
    }

    @Override
    public List<byte[]> recv(long timeoutMs) {
        int t = (int) timeoutMs;
        if (t != rcvTimeo) {
            socket.setOption(Option.RCVTIMEO, t);
            rcvTimeo = t;
        }
        return TransportTestSupport.recvMultipartOrNull(socket);
    }

    @Override
    public String describe() {
        return "zmq4j " + socket.type();
    }
}
