package org.zmq4j.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.support.Msgs.b;
import static org.zmq4j.support.Msgs.port;
import static org.zmq4j.support.Msgs.recv;
import static org.zmq4j.support.Msgs.send;
import static org.zmq4j.support.Msgs.socket;
import static org.zmq4j.support.Msgs.str;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.support.ContextPerTest;
import org.zmq4j.support.Msgs;

/**
 * zmq4j STREAM talking to plain TCP (and AF_UNIX) sockets in both directions: the
 * {@code [routing id, data]} framing, connect/disconnect notifications, closing a connection with
 * {@code [id, ""]}, CONNECT_ROUTING_ID and reconnection. Each expectation was checked against
 * libzmq 4.3.4's STREAM through pyzmq with the same steps (see the report of issue 6).
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StreamPlainTcpTest extends ContextPerTest {
    private static final int SHORT_MS = 300;

    private Socket stream() {
        return socket(ctx, SocketType.STREAM);
    }

    private static java.net.Socket client(int port) throws IOException {
        java.net.Socket c = new java.net.Socket(InetAddress.getLoopbackAddress(), port);
        c.setSoTimeout(10_000);
        return c;
    }

    /** Reads exactly {@code n} bytes from a plain socket. */
    private static byte[] readFully(InputStream in, int n) throws IOException {
        byte[] buf = in.readNBytes(n);
        assertEquals(n, buf.length, "plain socket: connection ended early");
        return buf;
    }

    /** Collects {@code n} bytes of data from one STREAM connection, however TCP chunked them. */
    private static byte[] recvData(Socket stream, byte[] id, int n) {
        ByteBuffer all = ByteBuffer.allocate(n);
        while (all.hasRemaining()) {
            List<byte[]> msg = recv(stream);
            assertEquals(2, msg.size(), "STREAM messages are [id, data]");
            assertArrayEquals(id, msg.get(0), "data from another connection");
            assertTrue(msg.get(1).length > 0, "unexpected notification while data was expected");
            assertTrue(msg.get(1).length <= all.remaining(), "more data than sent");
            all.put(msg.get(1));
        }
        return all.array();
    }

    /** Expects {@code [id, ""]} and returns the id. */
    private static byte[] expectNotification(Socket stream) {
        List<byte[]> msg = recv(stream);
        assertEquals(2, msg.size(), "a notification is [id, \"\"]");
        assertEquals(0, msg.get(1).length, "expected a notification, got data '" + str(msg.get(1)) + "'");
        return msg.get(0);
    }

    private static void assertNothing(Socket stream) {
        stream.setOption(Option.RCVTIMEO, SHORT_MS);
        assertNull(stream.recv(), "nothing more should arrive");
        stream.setOption(Option.RCVTIMEO, 10_000);
    }

    @Test
    void boundStreamServesAPlainClient() throws IOException {
        Socket server = stream();
        server.bind("tcp://127.0.0.1:*");
        try (java.net.Socket client = client(port(server.lastEndpoint()))) {
            byte[] id = expectNotification(server);
            assertEquals(5, id.length, "generated ids are 5 bytes, as libzmq's");
            assertEquals(0, id[0], "generated ids start with a zero byte");

            client.getOutputStream().write(b("GET / HTTP/1.0\r\n\r\n"));
            assertEquals("GET / HTTP/1.0\r\n\r\n", str(recvData(server, id, 18)));

            send(server, id, b("HTTP/1.0 200 OK\r\n\r\nhello"));
            assertEquals("HTTP/1.0 200 OK\r\n\r\nhello", str(readFully(client.getInputStream(), 24)));

            send(server, id, new byte[0]);
            assertEquals(-1, client.getInputStream().read(), "[id, \"\"] must close the connection");
            assertNothing(server); // as libzmq: no notification when the application closed it
            assertThrows(ZmqException.class, () -> send(server, id, b("late")), "the id is gone after closing");
        }
    }

    @Test
    void plainClientClosingIsNotified() throws IOException {
        Socket server = stream();
        server.bind("tcp://127.0.0.1:*");
        byte[] first;
        try (java.net.Socket client = client(port(server.lastEndpoint()))) {
            first = expectNotification(server);
            client.getOutputStream().write(b("bye"));
            assertEquals("bye", str(recvData(server, first, 3)));
        }
        assertArrayEquals(first, expectNotification(server), "disconnect notification carries the same id");
        ZmqException e = assertThrows(ZmqException.class, () -> send(server, first, b("x")));
        assertEquals(ZmqException.Errno.EHOSTUNREACH, e.errno());

        try (java.net.Socket again = client(port(server.lastEndpoint()))) {
            byte[] second = expectNotification(server);
            assertTrue(!Arrays.equals(first, second), "a new connection gets a new id");
        }
    }

    @Test
    void queuedDataIsWrittenBeforeCloseTakesEffect() throws IOException {
        Socket server = stream();
        server.bind("tcp://127.0.0.1:*");
        try (java.net.Socket client = client(port(server.lastEndpoint()))) {
            byte[] id = expectNotification(server);
            byte[] chunk = new byte[100_000];
            new Random(1).nextBytes(chunk);
            for (int i = 0; i < 20; i++) {
                send(server, id, chunk);
            }
            send(server, id, new byte[0]);
            byte[] all = client.getInputStream().readAllBytes(); // until EOF
            assertEquals(20 * chunk.length, all.length, "everything queued before [id, \"\"] arrives, then EOF");
            assertArrayEquals(chunk, Arrays.copyOfRange(all, 19 * chunk.length, all.length));
        }
    }

    @Test
    void sendingToAnUnknownIdFailsWithEhostunreach() {
        Socket s = stream();
        ZmqException e = assertThrows(ZmqException.class, () -> s.sendMore(b("nobody")));
        assertEquals(ZmqException.Errno.EHOSTUNREACH, e.errno());
    }

    @Test
    void connectingToAPlainServerUsesConnectRoutingIdAndReconnects() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(10_000);
            Socket s = stream();
            s.setOption(Option.RECONNECT_IVL, 50);
            s.setOption(Option.CONNECT_ROUTING_ID, b("upstream"));
            s.connect("tcp://127.0.0.1:" + listener.getLocalPort());
            try (java.net.Socket accepted = listener.accept()) {
                accepted.setSoTimeout(10_000);
                assertEquals("upstream", str(expectNotification(s)));
                accepted.getOutputStream().write(b("220 ready\r\n"));
                assertEquals("220 ready\r\n", str(recvData(s, b("upstream"), 11)));
                send(s, b("upstream"), b("QUIT\r\n"));
                assertEquals("QUIT\r\n", str(readFully(accepted.getInputStream(), 6)));
            }
            assertEquals("upstream", str(expectNotification(s)), "server closed: disconnect notification");

            try (java.net.Socket again = listener.accept()) { // remade after RECONNECT_IVL, same id
                again.setSoTimeout(10_000);
                assertEquals("upstream", str(expectNotification(s)));
                send(s, b("upstream"), b("again"));
                assertEquals("again", str(readFully(again.getInputStream(), 5)));
                send(s, b("upstream"), new byte[0]);
                assertEquals(-1, again.getInputStream().read(), "[id, \"\"] closes the connection");
            }
            listener.setSoTimeout(SHORT_MS);
            assertThrows(SocketTimeoutException.class, listener::accept, "closed by the application: no reconnect");
            assertNothing(s);
        }
    }

    @Test
    void generatedIdOfAConnectionIsLearnedFromTheNotification() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(10_000);
            Socket s = stream();
            s.connect("tcp://127.0.0.1:" + listener.getLocalPort());
            try (java.net.Socket accepted = listener.accept()) {
                accepted.setSoTimeout(10_000);
                byte[] id = expectNotification(s);
                assertEquals(5, id.length);
                send(s, id, b("hi"));
                assertEquals("hi", str(readFully(accepted.getInputStream(), 2)));
            }
        }
    }

    @Test
    void streamNotifyOffDeliversDataOnly() throws IOException {
        Socket server = stream();
        server.setOption(Option.STREAM_NOTIFY, false);
        assertEquals(false, server.getOption(Option.STREAM_NOTIFY));
        server.bind("tcp://127.0.0.1:*");
        try (java.net.Socket client = client(port(server.lastEndpoint()))) {
            client.getOutputStream().write(b("x"));
            List<byte[]> msg = recv(server);
            assertEquals("x", str(msg.get(1)), "the first message is data, not a notification");
        }
        assertNothing(server); // nor a disconnect notification
    }

    @Test
    void routingIdFrameWithoutSndmoreIsIgnoredAsInLibzmq() throws IOException {
        Socket server = stream();
        server.bind("tcp://127.0.0.1:*");
        try (java.net.Socket client = client(port(server.lastEndpoint()))) {
            byte[] id = expectNotification(server);
            server.send(id);              // lone id: ignored, the next frame is taken as its data
            server.send(b("dropped"));    // "data" for no connection: dropped
            send(server, id, b("ok"));
            assertEquals("ok", str(readFully(client.getInputStream(), 2)));
        }
    }

    @Test
    void megabytesFlowBothWaysWithBackPressure() throws Exception {
        Socket server = stream();
        server.setOption(Option.RCVHWM, 4);
        server.bind("tcp://127.0.0.1:*");
        byte[] payload = new byte[4 << 20];
        new Random(7).nextBytes(payload);
        try (java.net.Socket client = client(port(server.lastEndpoint()))) {
            byte[] id = expectNotification(server);
            CompletableFuture<Void> writer = Msgs.async(() -> {
                try {
                    client.getOutputStream().write(payload);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            assertArrayEquals(payload, recvData(server, id, payload.length));
            writer.get(30, TimeUnit.SECONDS);

            CompletableFuture<byte[]> reader = Msgs.async(() -> {
                try {
                    return readFully(client.getInputStream(), payload.length);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            for (int off = 0; off < payload.length; off += 100_000) {
                send(server, id, Arrays.copyOfRange(payload, off, Math.min(payload.length, off + 100_000)));
            }
            assertArrayEquals(payload, reader.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void peerAddressPropertyNamesTheClient() throws IOException {
        Socket server = stream();
        server.bind("tcp://127.0.0.1:*");
        try (java.net.Socket client = client(port(server.lastEndpoint()))) {
            expectNotification(server);
            assertEquals("127.0.0.1", server.messageProperty("Peer-Address"));
        }
    }

    @Test
    void ipcStreamServesAPlainUnixDomainClient() throws IOException {
        Path dir = Files.createTempDirectory("zmq4j-stream");
        Path path = dir.resolve("s.sock");
        try {
            Socket server = stream();
            server.bind("ipc://" + path);
            try (SocketChannel client = SocketChannel.open(java.net.UnixDomainSocketAddress.of(path))) {
                byte[] id = expectNotification(server);
                client.write(ByteBuffer.wrap(b("over ipc")));
                assertEquals("over ipc", str(recvData(server, id, 8)));
                send(server, id, b("back"));
                ByteBuffer in = ByteBuffer.allocate(4);
                while (in.hasRemaining()) {
                    assertTrue(client.read(in) >= 0, "EOF before the reply");
                }
                assertEquals("back", str(in.array()));
            }
            assertEquals(5, expectNotification(server).length, "disconnect notification");
        } finally {
            Files.deleteIfExists(path);
            Files.deleteIfExists(dir);
        }
    }
}
