package org.zmq4j.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import org.zmq4j.ZmqException;
import org.zmq4j.io.Connector;
import org.zmq4j.io.IoHandler;
import org.zmq4j.io.IoThread;
import org.zmq4j.io.SocketOptions;

/** Makes tcp connections for a session: non-blocking connect, completed on OP_CONNECT. */
final class TcpConnector implements Connector {
    private final Endpoint endpoint;
    private final TcpAddress address;
    private final SocketOptions options;
    private Attempt attempt;

    TcpConnector(Endpoint endpoint, SocketOptions options) {
        this.endpoint = endpoint;
        this.address = TcpAddress.parse(endpoint.address(), endpoint.text(), false);
        this.options = options;
    }

    /** Socket settings every zmq4j tcp connection gets: TCP_NODELAY, and SNDBUF/RCVBUF if set. */
    static void configure(SocketChannel ch, SocketOptions options) throws IOException {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        if (options.sndBuf > 0) {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, options.sndBuf);
        }
        if (options.rcvBuf > 0) {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, options.rcvBuf);
        }
    }

    @Override
    public void connect(IoThread io, Callback callback) {
        cancel();
        SocketChannel ch = null;
        try {
            InetSocketAddress target = address.resolveForConnect(endpoint.text());
            ch = SocketChannel.open();
            configure(ch, options);
            if (ch.connect(target)) {
                callback.connected(ch);
                return;
            }
            attempt = new Attempt(ch, callback);
            io.register(ch, SelectionKey.OP_CONNECT, attempt);
        } catch (IOException | ZmqException | java.nio.channels.UnresolvedAddressException e) {
            TcpListener.closeQuietly(ch);
            callback.failed(String.valueOf(e.getMessage()));
        }
    }

    @Override
    public void cancel() {
        if (attempt != null) {
            attempt.abandon();
            attempt = null;
        }
    }

    private final class Attempt implements IoHandler {
        private final SocketChannel channel;
        private final Callback callback;
        private boolean done;

        Attempt(SocketChannel channel, Callback callback) {
            this.channel = channel;
            this.callback = callback;
        }

        void abandon() {
            done = true;
            TcpListener.closeQuietly(channel);
        }

        @Override
        public void onReady(SelectionKey key) throws IOException {
            if (done) {
                return;
            }
            if (channel.finishConnect()) {
                done = true;
                key.interestOps(0);
                attempt = null;
                // the engine re-registers the channel: that reuses this key with a new attachment
                callback.connected(channel);
            }
        }

        @Override
        public void onFailure(Throwable cause) {
            if (done) {
                return;
            }
            done = true;
            attempt = null;
            TcpListener.closeQuietly(channel);
            callback.failed(String.valueOf(cause.getMessage()));
        }
    }
}
