package org.zmq4j.io;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import org.zmq4j.common.IpAddresses;

/**
 * A connected, non-blocking {@link SocketChannel} registered with an {@link IoThread}'s selector:
 * the production {@link EngineIo}. It is the selector's handler and turns readiness into the
 * engine's {@code onWritable}/{@code onReadable} calls.
 */
final class SelectorIo implements EngineIo, IoHandler {
    private final IoThread io;
    private final SocketChannel channel;
    private ChannelEngine engine;
    private SelectionKey key;

    /**
     * @param io      the I/O thread the engine lives on
     * @param channel a connected, non-blocking channel
     */
    SelectorIo(IoThread io, SocketChannel channel) {
        this.io = io;
        this.channel = channel;
    }

    @Override
    public void register(ChannelEngine engine, boolean read) throws IOException {
        this.engine = engine;
        key = io.register(channel, read ? SelectionKey.OP_READ : 0, this);
        io.load().incrementAndGet();
    }

    @Override
    public void onReady(SelectionKey k) throws IOException {
        int ready = k.readyOps();
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            engine.onWritable();
        }
        if ((ready & SelectionKey.OP_READ) != 0 && !engine.isClosed()) {
            engine.inputEvent(System.nanoTime());
            engine.onReadable();
        }
    }

    @Override
    public void onFailure(Throwable cause) {
        engine.onFailure(cause);
    }

    @Override
    public void readInterest(boolean on) {
        interest(SelectionKey.OP_READ, on);
    }

    @Override
    public void writeInterest(boolean on) {
        interest(SelectionKey.OP_WRITE, on);
    }

    private void interest(int op, boolean on) {
        if (key != null && key.isValid()) {
            key.interestOps(on ? key.interestOps() | op : key.interestOps() & ~op);
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return channel.write(srcs);
    }

    @Override
    public ByteBuffer readBuffer() {
        return io.readBuffer();
    }

    @Override
    public ByteBuffer lendWriteBuffer() {
        return io.lendWriteBuffer();
    }

    @Override
    public void returnWriteBuffer(ByteBuffer buffer) {
        io.returnWriteBuffer(buffer);
    }

    @Override
    public void close() {
        if (key != null) {
            key.cancel();
            key = null;
            io.load().decrementAndGet();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closing
        }
    }

    @Override
    public String peerAddress() {
        try {
            SocketAddress a = channel.getRemoteAddress();
            return a == null ? "?" : a.toString();
        } catch (IOException e) {
            return "?";
        }
    }

    @Override
    public String ipAddress() {
        try {
            SocketAddress a = channel.getRemoteAddress();
            if (a instanceof InetSocketAddress) {
                return IpAddresses.canonical(((InetSocketAddress) a).getAddress());
            }
        } catch (IOException ignored) {
            // closed: no address
        }
        return "";
    }

    @Override
    public void execute(Runnable task) {
        io.execute(task);
    }

    @Override
    public Timer schedule(long delayMillis, Runnable task) {
        return io.schedule(delayMillis, task);
    }

    @Override
    public boolean inThread() {
        return io.inThread();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
