package org.zmq4j.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zmq4j.CurveKeyPair;
import org.zmq4j.SocketType;
import org.zmq4j.wire.Command;
import org.zmq4j.wire.Greeting;
import org.zmq4j.wire.Metadata;
import org.zmq4j.wire.ProtocolException;

/**
 * The PLAIN and CURVE mechanisms against libzmq (through pyzmq), on a bare TCP connection that
 * this test frames by hand (greeting, command frames, data frames): no zmq4j engine involved, so a
 * failure here is the mechanism's. Each test names who is client and who is server. Skipped when
 * python3 with pyzmq is not available.
 */
class MechanismWireInteropTest {
    @AfterEach
    void restoreCrypto() {
        CurveCrypto.restore();
    }

    private static final String PYTHON = org.zmq4j.support.Python.interpreter();
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

    /** A libzmq REP server; prints its port, then what it received and the ZAP requests it saw. */
    private static final String LIBZMQ_SERVER = """
            import os, sys, time, threading, zmq
            mech, zap_status, secret = sys.argv[1], sys.argv[2], sys.argv[3]
            ctx = zmq.Context()
            seen = []
            refused = threading.Event()
            if zap_status != 'none':
                zap = ctx.socket(zmq.REP)
                zap.bind('inproc://zeromq.zap.01')
                def handler():
                    while True:
                        try:
                            req = zap.recv_multipart()
                        except zmq.ZMQError:
                            return
                        seen.append(req)
                        zap.send_multipart([b'1.0', req[1], zap_status.encode(), b'text',
                                            b'user1' if zap_status == '200' else b'', b''])
                        if zap_status != '200':
                            refused.set()
                threading.Thread(target=handler, daemon=True).start()
            s = ctx.socket(zmq.REP)
            if len(sys.argv) > 4:
                s.heartbeat_ivl = int(sys.argv[4])
            if mech == 'CURVE':
                s.curve_server = True
                s.curve_secretkey = bytes.fromhex(secret)
            elif mech == 'PLAIN':
                s.plain_server = True
            port = s.bind_to_random_port('tcp://127.0.0.1')
            print(port, flush=True)
            poller = zmq.Poller()
            poller.register(s, zmq.POLLIN)
            result = 'TIMEOUT'
            deadline = time.time() + 10
            while time.time() < deadline:
                if poller.poll(50):
                    frames = s.recv_multipart()
                    s.send_multipart([b'echo:' + frames[-1]])
                    result = 'GOT ' + frames[-1].decode()
                    time.sleep(0.5)
                    break
                if refused.is_set():
                    time.sleep(0.3)
                    result = 'REFUSED'
                    break
            print(result)
            for req in seen:
                print('ZAP', req[5].decode(), ' '.join(c.hex() for c in req[6:]))
            sys.stdout.flush()
            os._exit(0)
            """;

    /** A libzmq REQ client: sends "hello", prints the reply or the handshake failure event. */
    private static final String LIBZMQ_CLIENT = """
            import os, sys, time, zmq
            from zmq.utils.monitor import recv_monitor_message
            mech, port = sys.argv[1], int(sys.argv[2])
            ctx = zmq.Context()
            s = ctx.socket(zmq.REQ)
            s.linger = 0
            mon = s.get_monitor_socket(zmq.EVENT_HANDSHAKE_FAILED_AUTH | zmq.EVENT_HANDSHAKE_FAILED_PROTOCOL
                                       | zmq.EVENT_HANDSHAKE_FAILED_NO_DETAIL | zmq.EVENT_HANDSHAKE_SUCCEEDED)
            if mech == 'CURVE':
                s.curve_serverkey = bytes.fromhex(sys.argv[3])
                s.curve_publickey = bytes.fromhex(sys.argv[4])
                s.curve_secretkey = bytes.fromhex(sys.argv[5])
            elif mech == 'PLAIN':
                s.plain_username = b'alice'
                s.plain_password = b'wonderland'
            s.connect('tcp://127.0.0.1:%d' % port)
            s.send(b'hello')
            poller = zmq.Poller()
            poller.register(s, zmq.POLLIN)
            poller.register(mon, zmq.POLLIN)
            deadline = time.time() + 10
            out = 'TIMEOUT'
            while time.time() < deadline:
                ready = dict(poller.poll(50))
                if mon in ready:
                    ev = recv_monitor_message(mon)
                    if ev['event'] != zmq.EVENT_HANDSHAKE_SUCCEEDED:
                        out = 'EVENT %d %d' % (ev['event'], ev['value'])
                        break
                if s in ready:
                    out = 'GOT ' + s.recv().decode()
                    break
            print(out)
            sys.stdout.flush()
            os._exit(0)
            """;

    // ------------------------------------------------------------------ zmq4j client, libzmq server

    @ParameterizedTest
    @ValueSource(strings = {CurveCrypto.ZMQ4J, CurveCrypto.BOUNCY_CASTLE})
    void zmq4jCurveClientToLibzmqCurveServer(String crypto) throws Exception {
        CurveCrypto.use(crypto);
        CurveKeyPair server = CurveKeyPair.generate();
        CurveKeyPair client = CurveKeyPair.generate();
        try (Python py = Python.start(LIBZMQ_SERVER, "CURVE", "200", HEX.formatHex(server.secretKey()))) {
            CurveMechanism m = new CurveMechanism(new HandshakeIdentity(SocketType.REQ, null), false,
                    client.publicKey(), client.secretKey(), server.publicKey());
            try (Wire wire = Wire.connect(py.port())) {
                wire.greet(m);
                wire.handshake(m, r -> null);
                assertEquals(Mechanism.Status.READY, m.status(), m.errorReason());
                assertEquals(crypto, m.sessionCrypto(), "the chosen implementation boxes");
                assertEquals("REP", m.peerMetadata().getString(Metadata.SOCKET_TYPE));
                wire.sendBoxed(m, new byte[0], true);
                wire.sendBoxed(m, HELLO, false);
                Frame delimiter = wire.read();
                assertEquals(0, delimiter.flags, "libzmq sends MESSAGE as a plain data frame: no MORE, no COMMAND flag");
                assertArrayEquals(new byte[0], m.unboxMessage(Command.parse(delimiter.body)));
                assertTrue(m.lastUnboxedMore());
                Frame reply = wire.read();
                assertEquals(0, reply.flags);
                assertEquals("echo:hello", new String(m.unboxMessage(Command.parse(reply.body)), StandardCharsets.US_ASCII));
                assertTrue(!m.lastUnboxedMore() && !m.lastUnboxedCommand());
            }
            List<String> out = py.finish();
            assertEquals("GOT hello", out.get(0));
            assertEquals("ZAP CURVE " + HEX.formatHex(client.publicKey()), out.get(1), "libzmq's ZAP saw our long-term key");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {CurveCrypto.ZMQ4J, CurveCrypto.BOUNCY_CASTLE})
    void zmq4jCurveClientRefusedByLibzmqZapGetsError400(String crypto) throws Exception {
        CurveCrypto.use(crypto);
        CurveKeyPair server = CurveKeyPair.generate();
        CurveKeyPair client = CurveKeyPair.generate();
        try (Python py = Python.start(LIBZMQ_SERVER, "CURVE", "400", HEX.formatHex(server.secretKey()))) {
            CurveMechanism m = new CurveMechanism(new HandshakeIdentity(SocketType.REQ, null), false,
                    client.publicKey(), client.secretKey(), server.publicKey());
            try (Wire wire = Wire.connect(py.port())) {
                wire.greet(m);
                wire.handshake(m, r -> null);
                assertEquals(Mechanism.Status.ERROR, m.status());
                assertEquals("peer sent ERROR: 400", m.errorReason());
            }
            assertEquals("REFUSED", py.finish().get(0));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {CurveCrypto.ZMQ4J, CurveCrypto.BOUNCY_CASTLE})
    void zmq4jCurveClientWithWrongServerKeyIsDroppedByLibzmq(String crypto) throws Exception {
        CurveCrypto.use(crypto);
        CurveKeyPair server = CurveKeyPair.generate();
        CurveKeyPair client = CurveKeyPair.generate();
        try (Python py = Python.start(LIBZMQ_SERVER, "CURVE", "none", HEX.formatHex(server.secretKey()))) {
            CurveMechanism m = new CurveMechanism(new HandshakeIdentity(SocketType.REQ, null), false,
                    client.publicKey(), client.secretKey(), CurveKeyPair.generate().publicKey());
            try (Wire wire = Wire.connect(py.port())) {
                wire.greet(m);
                assertThrows(IOException.class, () -> wire.handshake(m, r -> null), "libzmq closes without a word");
                assertEquals(Mechanism.Status.HANDSHAKING, m.status());
            }
        }
    }

    /** libzmq boxes ZMTP commands too: a heartbeat PING arrives as a MESSAGE with flag 0x02. */
    @ParameterizedTest
    @ValueSource(strings = {CurveCrypto.ZMQ4J, CurveCrypto.BOUNCY_CASTLE})
    void zmq4jCurveClientUnboxesLibzmqHeartbeatCommands(String crypto) throws Exception {
        CurveCrypto.use(crypto);
        CurveKeyPair server = CurveKeyPair.generate();
        CurveKeyPair client = CurveKeyPair.generate();
        try (Python py = Python.start(LIBZMQ_SERVER, "CURVE", "none", HEX.formatHex(server.secretKey()), "50")) {
            CurveMechanism m = new CurveMechanism(new HandshakeIdentity(SocketType.REQ, null), false,
                    client.publicKey(), client.secretKey(), server.publicKey());
            try (Wire wire = Wire.connect(py.port())) {
                wire.greet(m);
                wire.handshake(m, r -> null);
                assertEquals(Mechanism.Status.READY, m.status(), m.errorReason());
                assertEquals(crypto, m.sessionCrypto(), "the chosen implementation boxes");
                Frame frame = wire.read();
                assertEquals(0, frame.flags);
                Command ping = Command.parse(m.unboxMessage(Command.parse(frame.body)));
                assertTrue(m.lastUnboxedCommand(), "COMMAND flag");
                assertEquals(Command.PING, ping.name());
                byte[] context = java.util.Arrays.copyOfRange(ping.data(), 2, ping.data().length);
                wire.write(m.boxMessage(Command.body(Command.PONG, context), false, true), 0);
                wire.sendBoxed(m, new byte[0], true);
                wire.sendBoxed(m, HELLO, false);
                String reply = null;
                while (reply == null) {
                    byte[] body = m.unboxMessage(Command.parse(wire.read().body));
                    if (!m.lastUnboxedCommand() && body.length > 0) {
                        reply = new String(body, StandardCharsets.US_ASCII);
                    }
                }
                assertEquals("echo:hello", reply);
            }
            assertEquals("GOT hello", py.finish().get(0));
        }
    }

    @Test
    void zmq4jPlainClientToLibzmqPlainServer() throws Exception {
        try (Python py = Python.start(LIBZMQ_SERVER, "PLAIN", "200", "-")) {
            PlainMechanism m = PlainMechanism.client(new HandshakeIdentity(SocketType.REQ, null), "bob", "s3cret");
            try (Wire wire = Wire.connect(py.port())) {
                wire.greet(m);
                wire.handshake(m, r -> null);
                assertEquals(Mechanism.Status.READY, m.status(), m.errorReason());
                assertEquals("REP", m.peerMetadata().getString(Metadata.SOCKET_TYPE));
                wire.write(new byte[0], 0x01);
                wire.write(HELLO, 0);
                assertEquals(0, wire.read().body.length);
                assertEquals("echo:hello", new String(wire.read().body, StandardCharsets.US_ASCII));
            }
            List<String> out = py.finish();
            assertEquals("GOT hello", out.get(0));
            assertEquals("ZAP PLAIN " + HEX.formatHex("bob".getBytes(StandardCharsets.US_ASCII)) + " "
                    + HEX.formatHex("s3cret".getBytes(StandardCharsets.US_ASCII)), out.get(1));
        }
    }

    @Test
    void zmq4jPlainClientRefusedByLibzmqZapGetsError400() throws Exception {
        try (Python py = Python.start(LIBZMQ_SERVER, "PLAIN", "400", "-")) {
            PlainMechanism m = PlainMechanism.client(new HandshakeIdentity(SocketType.REQ, null), "bob", "wrong");
            try (Wire wire = Wire.connect(py.port())) {
                wire.greet(m);
                wire.handshake(m, r -> null);
                assertEquals(Mechanism.Status.ERROR, m.status());
                assertEquals("peer sent ERROR: 400", m.errorReason());
            }
            assertEquals("REFUSED", py.finish().get(0));
        }
    }

    // ------------------------------------------------------------------ libzmq client, zmq4j server

    @ParameterizedTest
    @ValueSource(strings = {CurveCrypto.ZMQ4J, CurveCrypto.BOUNCY_CASTLE})
    void libzmqCurveClientToZmq4jCurveServer(String crypto) throws Exception {
        CurveCrypto.use(crypto);
        CurveKeyPair server = CurveKeyPair.generate();
        CurveKeyPair client = CurveKeyPair.generate();
        try (ServerSocket listener = listen();
                Python py = Python.start(LIBZMQ_CLIENT, "CURVE", String.valueOf(listener.getLocalPort()),
                        HEX.formatHex(server.publicKey()), HEX.formatHex(client.publicKey()), HEX.formatHex(client.secretKey()))) {
            CurveMechanism m = new CurveMechanism(new HandshakeIdentity(SocketType.REP, null), true,
                    server.publicKey(), server.secretKey(), null);
            List<ZapRequest> asked = new ArrayList<>();
            try (Wire wire = Wire.accept(listener)) {
                wire.greet(m);
                wire.handshake(m, r -> {
                    asked.add(r);
                    return new ZapReply("200", "OK", "alice", Metadata.empty());
                });
                assertEquals(Mechanism.Status.READY, m.status(), m.errorReason());
                assertEquals(crypto, m.sessionCrypto(), "the chosen implementation boxes");
                assertEquals("REQ", m.peerMetadata().getString(Metadata.SOCKET_TYPE));
                assertEquals(1, asked.size());
                assertArrayEquals(client.publicKey(), asked.get(0).credentials().get(0));
                Frame delimiter = wire.read();
                assertEquals(0, delimiter.flags);
                assertArrayEquals(new byte[0], m.unboxMessage(Command.parse(delimiter.body)));
                assertTrue(m.lastUnboxedMore());
                Frame body = wire.read();
                assertArrayEquals(HELLO, m.unboxMessage(Command.parse(body.body)));
                assertTrue(!m.lastUnboxedMore());
                wire.sendBoxed(m, new byte[0], true);
                wire.sendBoxed(m, "echo:hello".getBytes(StandardCharsets.US_ASCII), false);
                assertEquals("GOT echo:hello", py.finish().get(0));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {CurveCrypto.ZMQ4J, CurveCrypto.BOUNCY_CASTLE})
    void libzmqCurveClientRefusedByZmq4jZapSeesAuthFailure400(String crypto) throws Exception {
        CurveCrypto.use(crypto);
        CurveKeyPair server = CurveKeyPair.generate();
        CurveKeyPair client = CurveKeyPair.generate();
        try (ServerSocket listener = listen();
                Python py = Python.start(LIBZMQ_CLIENT, "CURVE", String.valueOf(listener.getLocalPort()),
                        HEX.formatHex(server.publicKey()), HEX.formatHex(client.publicKey()), HEX.formatHex(client.secretKey()))) {
            CurveMechanism m = new CurveMechanism(new HandshakeIdentity(SocketType.REP, null), true,
                    server.publicKey(), server.secretKey(), null);
            try (Wire wire = Wire.accept(listener)) {
                wire.greet(m);
                wire.handshake(m, r -> new ZapReply("400", "No", "", Metadata.empty()));
                assertEquals(Mechanism.Status.ERROR, m.status());
                // ZMQ_EVENT_HANDSHAKE_FAILED_AUTH = 0x4000, value = the status code
                assertEquals("EVENT 16384 400", py.finish().get(0));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {CurveCrypto.ZMQ4J, CurveCrypto.BOUNCY_CASTLE})
    void libzmqCurveClientWithWrongServerKeyFailsAtOurHello(String crypto) throws Exception {
        CurveCrypto.use(crypto);
        CurveKeyPair server = CurveKeyPair.generate();
        CurveKeyPair client = CurveKeyPair.generate();
        try (ServerSocket listener = listen();
                Python py = Python.start(LIBZMQ_CLIENT, "CURVE", String.valueOf(listener.getLocalPort()),
                        HEX.formatHex(CurveKeyPair.generate().publicKey()), HEX.formatHex(client.publicKey()),
                        HEX.formatHex(client.secretKey()))) {
            CurveMechanism m = new CurveMechanism(new HandshakeIdentity(SocketType.REP, null), true,
                    server.publicKey(), server.secretKey(), null);
            try (Wire wire = Wire.accept(listener)) {
                wire.greet(m);
                ProtocolException e = assertThrows(ProtocolException.class, () -> wire.handshake(m, r -> null));
                assertTrue(e.getMessage().contains("wrong server key"), e.getMessage());
            }
            py.finish();
        }
    }

    @Test
    void libzmqPlainClientToZmq4jPlainServer() throws Exception {
        try (ServerSocket listener = listen();
                Python py = Python.start(LIBZMQ_CLIENT, "PLAIN", String.valueOf(listener.getLocalPort()))) {
            PlainMechanism m = PlainMechanism.server(new HandshakeIdentity(SocketType.REP, null));
            List<ZapRequest> asked = new ArrayList<>();
            try (Wire wire = Wire.accept(listener)) {
                wire.greet(m);
                wire.handshake(m, r -> {
                    asked.add(r);
                    return new ZapReply("200", "OK", "alice", Metadata.empty());
                });
                assertEquals(Mechanism.Status.READY, m.status(), m.errorReason());
                assertArrayEquals("alice".getBytes(StandardCharsets.US_ASCII), asked.get(0).credentials().get(0));
                assertArrayEquals("wonderland".getBytes(StandardCharsets.US_ASCII), asked.get(0).credentials().get(1));
                assertEquals(0, wire.read().body.length);
                assertArrayEquals(HELLO, wire.read().body);
                wire.write(new byte[0], 0x01);
                wire.write("echo:hello".getBytes(StandardCharsets.US_ASCII), 0);
                assertEquals("GOT echo:hello", py.finish().get(0));
            }
        }
    }

    /**
     * We send rfc-24's ERROR "\5ERROR\3400"; libzmq 4.3's PLAIN client only recognises its own
     * malformed "\x5ERROR" (see {@link PlainMechanism#repairLibzmqError}), so it reports a protocol
     * error (unexpected command) instead of an authentication failure. Either way it is refused.
     */
    @Test
    void libzmqPlainClientRefusedByZmq4jZapFailsWithProtocolError() throws Exception {
        try (ServerSocket listener = listen();
                Python py = Python.start(LIBZMQ_CLIENT, "PLAIN", String.valueOf(listener.getLocalPort()))) {
            PlainMechanism m = PlainMechanism.server(new HandshakeIdentity(SocketType.REP, null));
            try (Wire wire = Wire.accept(listener)) {
                wire.greet(m);
                wire.handshake(m, r -> new ZapReply("400", "No", "", Metadata.empty()));
                assertEquals(Mechanism.Status.ERROR, m.status());
                // ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL = 0x2000, ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND
                assertEquals("EVENT 8192 " + 0x10000001, py.finish().get(0));
            }
        }
    }

    // ------------------------------------------------------------------ plumbing

    private static ServerSocket listen() throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        s.setSoTimeout(10_000);
        return s;
    }

    private record Frame(int flags, byte[] body) {
    }

    /** One ZMTP connection framed by hand. */
    private static final class Wire implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        private Wire(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        static Wire connect(int port) throws IOException {
            return new Wire(new Socket(InetAddress.getLoopbackAddress(), port));
        }

        static Wire accept(ServerSocket listener) throws IOException {
            return new Wire(listener.accept());
        }

        /** Exchanges greetings; the peer must use the same mechanism and the other role. */
        void greet(Mechanism m) throws IOException, ProtocolException {
            out.write(Greeting.encode(m.name(), m.asServer()));
            out.flush();
            byte[] theirs = new byte[Greeting.SIZE];
            in.readFully(theirs);
            Greeting g = new Greeting.Parser().feed(ByteBuffer.wrap(theirs));
            assertNotNull(g);
            assertEquals(m.name(), g.mechanism());
            // libzmq 4.3 never sets the as-server bit, not even as a CURVE or PLAIN server
            assertEquals(false, g.asServer(), "libzmq's as-server bit");
        }

        /** Runs the handshake as an engine would, answering ZAP with {@code zap} (null: none). */
        void handshake(Mechanism m, Function<ZapRequest, ZapReply> zap) throws IOException, ProtocolException {
            while (true) {
                byte[] body;
                while ((body = m.nextCommand()) != null) {
                    write(body, 0x04);
                }
                if (m.status() != Mechanism.Status.HANDSHAKING) {
                    return;
                }
                Frame f = read();
                assertEquals(0x04, f.flags & 0x04, "handshake frames are commands");
                byte[] received = m instanceof PlainMechanism ? PlainMechanism.repairLibzmqError(f.body) : f.body;
                m.process(Command.parse(received));
                ZapRequest request = m.takeZapRequest();
                if (request != null) {
                    ZapReply reply = zap.apply(request);
                    if (reply == null) {
                        m.zapUnavailable();
                    } else {
                        m.zapReply(reply);
                    }
                }
            }
        }

        /** Sends a CURVE MESSAGE the way libzmq 4.3 does: a data frame with no flags. */
        void sendBoxed(CurveMechanism m, byte[] frame, boolean more) throws IOException {
            write(m.boxMessage(frame, more), 0);
        }

        void write(byte[] body, int flags) throws IOException {
            if (body.length > 255) {
                out.write(flags | 0x02);
                out.write(ByteBuffer.allocate(8).putLong(body.length).array());
            } else {
                out.write(flags);
                out.write(body.length);
            }
            out.write(body);
            out.flush();
        }

        Frame read() throws IOException {
            int flags = in.read();
            if (flags < 0) {
                throw new EOFException("peer closed");
            }
            long size = (flags & 0x02) != 0 ? in.readLong() : in.readUnsignedByte();
            byte[] body = new byte[Math.toIntExact(size)];
            in.readFully(body);
            return new Frame(flags, body);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A python process running a pyzmq script. */
    private static final class Python implements AutoCloseable {
        private final Process process;
        private final BufferedReader stdout;

        private Python(Process process) {
            this.process = process;
            this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static Python start(String script, String... args) throws IOException, InterruptedException {
            org.zmq4j.support.Python.assumePyzmq();
            List<String> command = new ArrayList<>(List.of(PYTHON, "-c", script));
            command.addAll(List.of(args));
            return new Python(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
        }

        /** The port the script printed first. */
        int port() throws IOException {
            String line = stdout.readLine();
            assertNotNull(line, "python printed no port");
            return Integer.parseInt(line.trim());
        }

        /** Waits for the script to end; returns the rest of its output. */
        List<String> finish() throws IOException, InterruptedException {
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = stdout.readLine()) != null) {
                lines.add(line);
            }
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "python did not finish");
            assertEquals(0, process.exitValue(), "python failed");
            assertTrue(!lines.isEmpty(), "python printed nothing");
            return lines;
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
