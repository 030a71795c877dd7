package org.zmq4j.transport;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;

import org.zmq4j.ZmqException;
import org.zmq4j.common.Errors;
import org.zmq4j.io.Connector;
import org.zmq4j.io.IoHandler;
import org.zmq4j.io.IoThread;

/** Makes stream connections (tcp or ipc) for a session: non-blocking connect, completed on OP_CONNECT. */
final class StreamConnector implements Connector {
    /** Opens, configures and addresses a channel for one attempt. */
    interface Dialer {
        /** The address to connect to, resolved afresh for each attempt. */
        SocketAddress target();

        /** A new, configured, non-blocking channel. */
        SocketChannel open() throws IOException;
    }

    private final Dialer dialer;
    private Attempt attempt;

    StreamConnector(Dialer dialer) {
        this.dialer = dialer;
    }

    @Override
    public void connect(IoThread io, Callback callback) {
        cancel();
        SocketChannel ch = null;
        try {
            SocketAddress target = dialer.target();
            ch = dialer.open();
            if (ch.connect(target)) {
                callback.connected(ch);
                return;
            }
            attempt = new Attempt(ch, callback);
            io.register(ch, SelectionKey.OP_CONNECT, attempt);
            callback.delayed();
        } catch (IOException | ZmqException | UnresolvedAddressException e) {
            StreamListener.closeQuietly(ch);
            callback.failed(Errors.ofConnect(e), String.valueOf(e.getMessage()));
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
            StreamListener.closeQuietly(channel);
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
            StreamListener.closeQuietly(channel);
            callback.failed(Errors.ofConnect(cause), String.valueOf(cause.getMessage()));
        }
    }
}
