package org.zmq4j.draft;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A ZMTP 3.1 peer driven by hand over a plain {@link java.net.Socket}, written from rfc-37 alone
 * (it shares no code with zmq4j's encoder/decoder, so it checks zmq4j's bytes independently).
 * <p>
 * Reading is synchronous ({@link #readFrame()}) until {@link #startReader()} moves it to a daemon
 * thread that queues frames for {@link #poll(long)}, so that tests can wait with a bound while the
 * other side keeps sending.
 */
final class RawZmtp implements AutoCloseable {
    /** One frame as read: flags, the header bytes exactly as on the wire, and the body. */
    static final class Frame {
        final int flags;
        final byte[] header;
        final byte[] body;

        Frame(int flags, byte[] header, byte[] body) {
            this.flags = flags;
            this.header = header;
            this.body = body;
        }

        boolean isCommand() {
            return (flags & 0x04) != 0;
        }

        boolean more() {
            return (flags & 0x01) != 0;
        }

        /** Header followed by body: the frame's exact bytes on the wire. */
        byte[] wire() {
            byte[] w = Arrays.copyOf(header, header.length + body.length);
            System.arraycopy(body, 0, w, header.length, body.length);
            return w;
        }

        /** For a command frame: its name. */
        String commandName() {
            int n = body[0] & 0xFF;
            return new String(body, 1, n, StandardCharsets.US_ASCII);
        }

        /** For a command frame: the data after the name. */
        byte[] commandData() {
            int n = body[0] & 0xFF;
            return Arrays.copyOfRange(body, 1 + n, body.length);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return (isCommand() ? "command " + commandName() : "frame") + " flags=" + flags + " body=" + text();
        }
    }

    /** Marks the end of the stream in the reader queue. */
    private static final Frame EOF = new Frame(-1, new byte[0], new byte[0]);

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private BlockingQueue<Frame> queue;

    private RawZmtp(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(5_000);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    /** Connects to a resolved {@code tcp://host:port} endpoint. */
    static RawZmtp connect(String endpoint) throws IOException {
        URI uri = URI.create(endpoint);
        Socket s = new Socket();
        s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5_000);
        return new RawZmtp(s);
    }

    /** Accepts one connection (bounded by 5 s). */
    static RawZmtp accept(ServerSocket listener) throws IOException {
        listener.setSoTimeout(5_000);
        return new RawZmtp(listener.accept());
    }

    /** A loopback listener on a free port. */
    static ServerSocket listen() throws IOException {
        return new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    }

    // ------------------------------------------------------------------ encoding (rfc-37)

    /** The 64-byte NULL greeting, version 3.1, as-server 0. */
    static byte[] greeting() {
        byte[] g = new byte[64];
        g[0] = (byte) 0xFF;
        g[9] = 0x7F;
        g[10] = 3;
        g[11] = 1;
        byte[] mech = "NULL".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(mech, 0, g, 12, mech.length);
        return g;
    }

    /** A frame: flags (with the LONG bit added when needed), size, body. */
    static byte[] frame(int flags, byte[] body) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (body.length > 255) {
            b.write(flags | 0x02);
            b.writeBytes(ByteBuffer.allocate(8).putLong(body.length).array());
        } else {
            b.write(flags);
            b.write(body.length);
        }
        b.writeBytes(body);
        return b.toByteArray();
    }

    /** A command frame: name length, name, data. */
    static byte[] command(String name, byte[] data) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[1 + n.length + data.length];
        body[0] = (byte) n.length;
        System.arraycopy(n, 0, body, 1, n.length);
        System.arraycopy(data, 0, body, 1 + n.length, data.length);
        return frame(0x04, body);
    }

    /** A READY command with the Socket-Type property. */
    static byte[] ready(String socketType) {
        byte[] name = "Socket-Type".getBytes(StandardCharsets.US_ASCII);
        byte[] value = socketType.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer p = ByteBuffer.allocate(1 + name.length + 4 + value.length);
        p.put((byte) name.length).put(name).putInt(value.length).put(value);
        return command("READY", p.array());
    }

    /** Parses READY metadata into name to value (insertion order), failing on malformed input. */
    static Map<String, byte[]> parseProperties(byte[] data) {
        Map<String, byte[]> props = new LinkedHashMap<>();
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.hasRemaining()) {
            int nl = b.get() & 0xFF;
            byte[] name = new byte[nl];
            b.get(name);
            int vl = b.getInt();
            if (vl < 0 || vl > b.remaining()) {
                throw new AssertionError("property value size " + vl + " exceeds the command (" + b.remaining() + " left)");
            }
            byte[] value = new byte[vl];
            b.get(value);
            props.put(new String(name, StandardCharsets.US_ASCII), value);
        }
        return props;
    }

    // ------------------------------------------------------------------ I/O

    void send(byte[]... chunks) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] c : chunks) {
            b.writeBytes(c);
        }
        out.write(b.toByteArray()); // one write: the chunks may well arrive in one TCP segment
        out.flush();
    }

    byte[] readGreeting() throws IOException {
        byte[] g = new byte[64];
        in.readFully(g);
        return g;
    }

    /** Greeting exchange and READY (ours announcing {@code socketType}); returns the peer's READY. */
    Frame handshake(String socketType) throws IOException {
        send(greeting(), ready(socketType));
        readGreeting();
        Frame r = readFrame();
        if (!r.isCommand() || !r.commandName().equals("READY")) {
            throw new AssertionError("expected READY, got " + r);
        }
        return r;
    }

    /** Reads one frame (blocking up to the 5 s socket timeout). */
    Frame readFrame() throws IOException {
        if (queue != null) {
            throw new IllegalStateException("the reader thread owns the input");
        }
        return readFrame0();
    }

    private Frame readFrame0() throws IOException {
        int flags = in.readUnsignedByte();
        byte[] header;
        long size;
        if ((flags & 0x02) != 0) {
            byte[] s = new byte[8];
            in.readFully(s);
            size = ByteBuffer.wrap(s).getLong();
            header = new byte[9];
            header[0] = (byte) flags;
            System.arraycopy(s, 0, header, 1, 8);
        } else {
            size = in.readUnsignedByte();
            header = new byte[] {(byte) flags, (byte) size};
        }
        if (size < 0 || size > 64 << 20) {
            throw new IOException("implausible frame size " + size);
        }
        byte[] body = new byte[(int) size];
        in.readFully(body);
        return new Frame(flags, header, body);
    }

    /** Moves reading to a daemon thread; frames are then taken with {@link #poll(long)}. */
    void startReader() throws IOException {
        socket.setSoTimeout(0);
        queue = new LinkedBlockingQueue<>();
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    queue.add(readFrame0());
                }
            } catch (IOException e) {
                queue.add(EOF);
            }
        }, "raw-zmtp-reader");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The next frame read by the reader thread, or null when none came within {@code millis}.
     *
     * @throws EOFException when the connection has ended
     */
    Frame poll(long millis) throws InterruptedException, EOFException {
        Frame f = queue.poll(millis, TimeUnit.MILLISECONDS);
        if (f == EOF) {
            queue.add(EOF);
            throw new EOFException("connection closed by the peer");
        }
        return f;
    }

    /**
     * Waits (bounded) for the peer to close the connection, collecting whatever frames it sends
     * first into {@code seen} (if not null). Uses the synchronous reader.
     *
     * @return true when the connection was closed (or reset) by the peer within {@code millis}
     */
    boolean closedByPeerWithin(long millis, java.util.List<Frame> seen) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        socket.setSoTimeout((int) Math.max(1, millis));
        try {
            while (System.nanoTime() - deadline < 0) {
                Frame f = readFrame0();
                if (seen != null) {
                    seen.add(f);
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // EOF or reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
