package org.zmq4j.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.wire.Command;
import org.zmq4j.wire.FrameDecoder;
import org.zmq4j.wire.FrameEncoder;
import org.zmq4j.wire.Greeting;
import org.zmq4j.wire.Metadata;

/**
 * OutOfMemoryError inside an engine's callback, for real: a server with a 48 MiB heap and no
 * MAXMSGSIZE, and peers that handshake, announce a 100 MB message and send up to 60 MB of it, which
 * the decoder keeps as it arrives until its array no longer fits. The I/O thread must survive
 * running out of memory (the connection whose allocation failed is closed, which frees what it
 * held), and a legitimate peer is served afterwards.
 * (The I/O thread used to die here: the error escaped while it was being logged, and every socket
 * of the context went silent: docs/faults.md.)
 */
class OutOfMemoryTest {
    private static final int FLOOD = 3;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theIoThreadSurvivesOutOfMemoryInEngineCallbacks() throws Exception {
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m", "-cp", System.getProperty("java.class.path"), IdleServer.class.getName(), "PULL")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<SocketChannel> flood = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
             Writer in = new OutputStreamWriter(server.getOutputStream(), StandardCharsets.UTF_8)) {
            String endpoint = out.readLine().split(" ")[1];
            java.net.URI u = java.net.URI.create(endpoint);
            java.net.InetSocketAddress address = new java.net.InetSocketAddress(u.getHost(), u.getPort());
            for (int i = 0; i < FLOOD; i++) {
                SocketChannel c = SocketChannel.open(address);
                ByteBuffer b = ByteBuffer.allocate(256);
                b.put(Greeting.encode("NULL", false));
                b.put(FrameEncoder.command(Command.READY, new Metadata.Builder().add(Metadata.SOCKET_TYPE, "PUSH").build()));
                b.put((byte) FrameDecoder.FLAG_LONG).putLong(100_000_000); // a big message begins
                b.flip();
                while (b.hasRemaining()) {
                    c.write(b);
                }
                flood.add(c);
                try {
                    ByteBuffer part = ByteBuffer.allocate(1 << 20);
                    for (int mb = 0; mb < 60; mb++) {
                        part.clear();
                        while (part.hasRemaining()) {
                            c.write(part);
                        }
                    }
                } catch (java.io.IOException closedByTheServer) {
                    // that connection failed for want of memory: what the test wants
                }
            }
            for (SocketChannel c : flood) {
                c.close(); // the flood ends: the server must recover what it held (nothing read it meanwhile)
            }
            flood.clear();
            String[] seen = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            do { // until every flood connection has ended on the server
                in.write("measure\n");
                in.flush();
                seen = out.readLine().split(" ");
            } while (Integer.parseInt(seen[11]) < FLOOD && System.nanoTime() < deadline);
            System.out.println("OutOfMemoryTest: after the flood: " + String.join(" ", seen));
            assertTrue(Integer.parseInt(seen[9]) > 0, "the flood made the server run out of memory (else the test proves nothing)");
            try (Context ctx = new Context(); Socket push = ctx.socket(SocketType.PUSH)) {
                push.setOption(Option.LINGER, 1_000);
                push.connect(endpoint);
                in.write("recv\n");
                in.flush();
                push.send(new byte[1234]);
                assertEquals("got 1234", out.readLine(), "the server's I/O thread still serves legitimate peers");
            }
            in.write("quit\n");
            in.flush();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server closes normally");
            assertEquals(0, server.exitValue());
        } finally {
            for (SocketChannel c : flood) {
                c.close();
            }
            server.destroyForcibly();
        }
    }
}
