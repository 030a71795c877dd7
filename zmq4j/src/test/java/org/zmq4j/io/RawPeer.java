package org.zmq4j.io;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;

import org.zmq4j.wire.FrameEncoder;
import org.zmq4j.wire.Greeting;
import org.zmq4j.wire.Metadata;

/** A hand-driven ZMTP peer over a plain socket, for sending exactly the bytes a test wants. */
final class RawPeer implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    RawPeer(String endpoint) throws IOException {
        URI uri = URI.create(endpoint);
        socket = new Socket();
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
        socket.setSoTimeout(5000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends a 3.x greeting with the given minor version and a READY announcing {@code socketType}. */
    void handshake(String socketType, int minor) throws IOException {
        byte[] g = Greeting.encode("NULL", false);
        g[11] = (byte) minor;
        send(g);
        send(FrameEncoder.command("READY", new Metadata.Builder().add("Socket-Type", socketType).build()));
        byte[] peer = new byte[64];
        in.readFully(peer);
    }

    /** Reads the peer's 64-byte greeting. */
    byte[] readGreeting() throws IOException {
        byte[] g = new byte[64];
        in.readFully(g);
        return g;
    }

    /** Reads one frame: [flags, body...]. */
    byte[] readFrame() throws IOException {
        int flags = in.readUnsignedByte();
        long size = (flags & 2) != 0 ? in.readLong() : in.readUnsignedByte();
        byte[] body = new byte[(int) size];
        in.readFully(body);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(flags);
        b.writeBytes(body);
        return b.toByteArray();
    }

    /**
     * Waits (bounded by the socket timeout, repeatedly up to {@code millis}) for the other side to
     * close the connection, discarding anything it sends first.
     *
     * @return true when the connection was closed by the peer
     */
    boolean closedByPeerWithin(long millis) throws IOException {
        long deadline = System.currentTimeMillis() + millis;
        socket.setSoTimeout(200);
        InputStream raw = socket.getInputStream();
        byte[] sink = new byte[4096];
        while (System.currentTimeMillis() < deadline) {
            try {
                if (raw.read(sink) < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // keep waiting
            } catch (IOException e) {
                return true; // reset by peer
            }
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
