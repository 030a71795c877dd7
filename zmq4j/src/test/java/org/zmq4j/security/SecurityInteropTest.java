package org.zmq4j.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zmq4j.Context;
import org.zmq4j.CurveKeyPair;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.support.Python;

/**
 * PLAIN and CURVE against real libzmq (pyzmq, with pyzmq's ThreadAuthenticator as the ZAP handler
 * on its side and a zmq4j REP handler on ours), both directions, good and bad credentials.
 */
// a separate thread: the tests block reading a child process's output, which an interrupt cannot stop
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SecurityInteropTest {
    private static final String PYTHON = Python.interpreter();
    private final List<Process> processes = new ArrayList<>();
    private Context ctx;

    @BeforeEach
    void setUp() throws Exception {
        Python.assume("import zmq; assert zmq.has('curve')", "pyzmq with CURVE");
        ctx = new Context();
    }

    @AfterEach
    void tearDown() {
        CurveCrypto.restore();
        processes.forEach(Process::destroyForcibly);
        ctx.close();
    }

    private BufferedReader start(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, new File("src/test/python/secure_peer.py").getAbsolutePath()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        processes.add(p);
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    private static String[] pyKeypair() throws Exception {
        Process p = new ProcessBuilder(PYTHON, "-c", "import zmq; p,s = zmq.curve_keypair(); print(p.decode()); print(s.decode())").start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        return new String[] {r.readLine(), r.readLine()};
    }

    /** A zmq4j ZAP handler: PLAIN alice/secret, CURVE keys in {@code allowedKeys} (Z85), replies with a User-Id. */
    private Socket zapHandler(List<String> allowedKeys) {
        Socket rep = ctx.socket(SocketType.REP);
        rep.bind("inproc://zeromq.zap.01");
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    List<byte[]> f = new ArrayList<>();
                    do {
                        f.add(rep.recv());
                    } while (rep.hasMore());
                    String mechanism = new String(f.get(5), StandardCharsets.UTF_8);
                    boolean ok;
                    String user;
                    if (mechanism.equals("PLAIN")) {
                        user = new String(f.get(6), StandardCharsets.UTF_8);
                        ok = user.equals("alice") && new String(f.get(7), StandardCharsets.UTF_8).equals("secret");
                    } else {
                        String key = org.zmq4j.Z85.encode(f.get(6));
                        ok = allowedKeys.contains(key);
                        user = key.substring(0, 8);
                    }
                    rep.sendMore("1.0".getBytes());
                    rep.sendMore(f.get(1));
                    rep.sendMore((ok ? "200" : "400").getBytes());
                    rep.sendMore((ok ? "OK" : "denied").getBytes());
                    rep.sendMore(ok ? user.getBytes() : new byte[0]);
                    rep.send(new byte[0]);
                }
            } catch (ZmqException e) {
                // ETERM at context close
            }
        }, "zap-handler");
        t.setDaemon(true);
        t.start();
        return rep;
    }

    private static String expectLine(BufferedReader r, String prefix) throws Exception {
        String line = r.readLine();
        assertTrue(line != null && line.startsWith(prefix), "expected '" + prefix + "...', got '" + line + "'");
        return line.substring(prefix.length());
    }

    // ------------------------------------------------------------------ CURVE

    @ParameterizedTest
    @ValueSource(strings = {CurveCrypto.ZMQ4J, CurveCrypto.BOUNCY_CASTLE})
    void zmq4jCurveClientTalksToLibzmqCurveServerWithPyzmqKeys(String crypto) throws Exception {
        CurveCrypto.use(crypto);
        String[] server = pyKeypair();
        BufferedReader py = start("server", "curve", "-", "public=" + server[0], "secret=" + server[1]);
        String endpoint = expectLine(py, "ready ");
        String[] client = pyKeypair();
        Socket req = ctx.socket(SocketType.REQ);
        req.setOption(Option.LINGER, 0);
        req.setOption(Option.RCVTIMEO, 5000);
        req.setOption(Option.CURVE_SERVERKEY, server[0].getBytes());
        req.setOption(Option.CURVE_PUBLICKEY, client[0].getBytes());
        req.setOption(Option.CURVE_SECRETKEY, client[1].getBytes());
        req.connect(endpoint);
        req.send("hello from zmq4j".getBytes());
        assertEquals("hello from zmq4j", expectLine(py, "got "));
        assertArrayEquals("echo hello from zmq4j".getBytes(), req.recv());
    }

    @ParameterizedTest
    @ValueSource(strings = {CurveCrypto.ZMQ4J, CurveCrypto.BOUNCY_CASTLE})
    void libzmqCurveClientTalksToZmq4jCurveServerWithZmq4jKeys(String crypto) throws Exception {
        CurveCrypto.use(crypto);
        CurveKeyPair server = CurveKeyPair.generate();
        CurveKeyPair client = CurveKeyPair.generate();
        zapHandler(List.of(client.publicKeyZ85()));
        Socket rep = ctx.socket(SocketType.REP);
        rep.setOption(Option.LINGER, 0);
        rep.setOption(Option.RCVTIMEO, 5000);
        rep.setOption(Option.CURVE_SERVER, true);
        rep.setOption(Option.CURVE_SECRETKEY, server.secretKey());
        rep.bind("tcp://127.0.0.1:*");
        BufferedReader py = start("client", "curve", rep.lastEndpoint(), "public=" + client.publicKeyZ85(),
                "secret=" + client.secretKeyZ85(), "serverkey=" + server.publicKeyZ85());
        expectLine(py, "ready ");
        assertArrayEquals("hello from libzmq".getBytes(), rep.recv());
        assertEquals(client.publicKeyZ85().substring(0, 8), rep.messageProperty("User-Id"));
        rep.send("echo".getBytes());
        assertEquals("echo", expectLine(py, "reply "));
    }

    @ParameterizedTest
    @ValueSource(strings = {CurveCrypto.ZMQ4J, CurveCrypto.BOUNCY_CASTLE})
    void wrongServerKeyFailsVisiblyAndDeliversNothing(String crypto) throws Exception {
        CurveCrypto.use(crypto);
        String[] server = pyKeypair();
        BufferedReader py = start("server", "curve", "-", "public=" + server[0], "secret=" + server[1], "timeout=1500");
        String endpoint = expectLine(py, "ready ");
        CurveKeyPair wrong = CurveKeyPair.generate();
        CurveKeyPair client = CurveKeyPair.generate();
        Socket req = ctx.socket(SocketType.REQ);
        req.setOption(Option.LINGER, 0);
        req.setOption(Option.CURVE_SERVERKEY, wrong.publicKey());
        req.setOption(Option.CURVE_SECRETKEY, client.secretKey());
        LinkedBlockingQueue<SocketEvent> events = new LinkedBlockingQueue<>();
        req.addMonitor(events::add, SocketEvent.ALL);
        req.connect(endpoint);
        req.send("must not arrive".getBytes());
        assertEquals("timeout", expectLine(py, ""));
        SocketEvent failure = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (failure == null && System.nanoTime() < deadline) {
            SocketEvent e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && e.type().name().startsWith("HANDSHAKE_FAILED")) {
                failure = e;
            }
        }
        assertTrue(failure != null, "a wrong server key must surface as a handshake failure event, not a silent loop");
    }

    @ParameterizedTest
    @ValueSource(strings = {CurveCrypto.ZMQ4J, CurveCrypto.BOUNCY_CASTLE})
    void refusedCurveClientIsReportedAsAuthFailureOnBothSides(String crypto) throws Exception {
        CurveCrypto.use(crypto);
        CurveKeyPair server = CurveKeyPair.generate();
        CurveKeyPair client = CurveKeyPair.generate();
        zapHandler(List.of()); // nobody allowed
        Socket rep = ctx.socket(SocketType.REP);
        rep.setOption(Option.LINGER, 0);
        rep.setOption(Option.CURVE_SERVER, true);
        rep.setOption(Option.CURVE_SECRETKEY, server.secretKey());
        LinkedBlockingQueue<SocketEvent> events = new LinkedBlockingQueue<>();
        rep.addMonitor(events::add, SocketEvent.Type.HANDSHAKE_FAILED_AUTH.code());
        rep.bind("tcp://127.0.0.1:*");
        BufferedReader py = start("client", "curve", rep.lastEndpoint(), "public=" + client.publicKeyZ85(),
                "secret=" + client.secretKeyZ85(), "serverkey=" + server.publicKeyZ85(), "timeout=1500");
        expectLine(py, "ready ");
        SocketEvent e = events.poll(10, TimeUnit.SECONDS);
        assertEquals(400, e.value());
        assertEquals("timeout", expectLine(py, ""));
        assertEquals(SocketEvent.Type.HANDSHAKE_FAILED_AUTH.code() + " 400", expectLine(py, "event "));
        rep.setOption(Option.RCVTIMEO, 100);
        assertNull(rep.recv());
    }

    // ------------------------------------------------------------------ PLAIN

    @Test
    void zmq4jPlainClientTalksToLibzmqPlainServer() throws Exception {
        BufferedReader py = start("server", "plain", "-");
        String endpoint = expectLine(py, "ready ");
        Socket req = ctx.socket(SocketType.REQ);
        req.setOption(Option.LINGER, 0);
        req.setOption(Option.RCVTIMEO, 5000);
        req.setOption(Option.PLAIN_USERNAME, "alice");
        req.setOption(Option.PLAIN_PASSWORD, "secret");
        req.connect(endpoint);
        req.send("hi".getBytes());
        assertEquals("hi", expectLine(py, "got "));
        assertEquals("alice", expectLine(py, "user "));
        assertArrayEquals("echo hi".getBytes(), req.recv());
    }

    @Test
    void zmq4jPlainClientWithBadPasswordIsRefusedByLibzmq() throws Exception {
        BufferedReader py = start("server", "plain", "-", "timeout=1500");
        String endpoint = expectLine(py, "ready ");
        Socket req = ctx.socket(SocketType.REQ);
        req.setOption(Option.LINGER, 0);
        req.setOption(Option.PLAIN_USERNAME, "alice");
        req.setOption(Option.PLAIN_PASSWORD, "wrong");
        LinkedBlockingQueue<SocketEvent> events = new LinkedBlockingQueue<>();
        req.addMonitor(events::add, SocketEvent.Type.HANDSHAKE_FAILED_AUTH.code());
        req.connect(endpoint);
        req.send("must not arrive".getBytes());
        assertEquals("timeout", expectLine(py, ""));
        SocketEvent e = events.poll(10, TimeUnit.SECONDS);
        assertEquals(400, e == null ? -1 : e.value(), "libzmq's refusal (its mis-encoded ERROR repaired) reads as AUTH 400");
    }

    @Test
    void libzmqPlainClientTalksToZmq4jPlainServer() throws Exception {
        zapHandler(List.of());
        Socket rep = ctx.socket(SocketType.REP);
        rep.setOption(Option.LINGER, 0);
        rep.setOption(Option.RCVTIMEO, 5000);
        rep.setOption(Option.PLAIN_SERVER, true);
        rep.bind("tcp://127.0.0.1:*");
        BufferedReader py = start("client", "plain", rep.lastEndpoint(), "user=alice", "password=secret");
        expectLine(py, "ready ");
        assertArrayEquals("hello from libzmq".getBytes(), rep.recv());
        assertEquals("alice", rep.messageProperty("User-Id"));
        rep.send("welcome".getBytes());
        assertEquals("welcome", expectLine(py, "reply "));
    }

    @Test
    void libzmqPlainClientWithBadPasswordIsRefusedByZmq4j() throws Exception {
        zapHandler(List.of());
        Socket rep = ctx.socket(SocketType.REP);
        rep.setOption(Option.LINGER, 0);
        rep.setOption(Option.PLAIN_SERVER, true);
        LinkedBlockingQueue<SocketEvent> events = new LinkedBlockingQueue<>();
        rep.addMonitor(events::add, SocketEvent.Type.HANDSHAKE_FAILED_AUTH.code());
        rep.bind("tcp://127.0.0.1:*");
        BufferedReader py = start("client", "plain", rep.lastEndpoint(), "user=alice", "password=nope", "timeout=1500");
        expectLine(py, "ready ");
        assertEquals(400, events.poll(10, TimeUnit.SECONDS).value());
        assertEquals("timeout", expectLine(py, ""));
        rep.setOption(Option.RCVTIMEO, 100);
        assertNull(rep.recv());
    }

    @Test
    void mechanismMismatchIsReportedAndTheSocketServesOthers() throws Exception {
        Socket rep = ctx.socket(SocketType.REP);
        rep.setOption(Option.LINGER, 0);
        rep.setOption(Option.RCVTIMEO, 5000);
        LinkedBlockingQueue<SocketEvent> events = new LinkedBlockingQueue<>();
        rep.addMonitor(events::add, SocketEvent.Type.HANDSHAKE_FAILED_PROTOCOL.code()
                | SocketEvent.Type.HANDSHAKE_FAILED_NO_DETAIL.code());
        rep.bind("tcp://127.0.0.1:*");
        BufferedReader py = start("client", "plain", rep.lastEndpoint(), "user=alice", "password=secret", "timeout=1000");
        expectLine(py, "ready ");
        // whichever side reads the other's greeting first hangs up; libzmq usually wins the race
        SocketEvent ours = events.poll(10, TimeUnit.SECONDS);
        assertTrue(ours != null, "the failed handshake is reported on our side too");
        assertEquals("timeout", expectLine(py, ""));
        // libzmq usually reports the mismatch (or, when zmq4j hung up first, a failed handshake);
        // once in a while under load it reported neither, so its report is checked only when made
        List<String> libzmqEvents = new ArrayList<>();
        for (String line = expectLine(py, ""); !line.equals("done"); line = expectLine(py, "")) {
            libzmqEvents.add(line);
        }
        System.out.println("[SecurityInteropTest] libzmq's handshake failure events: " + libzmqEvents);
        for (String libzmqEvent : libzmqEvents) {
            assertTrue(libzmqEvent.equals("event " + SocketEvent.Type.HANDSHAKE_FAILED_PROTOCOL.code() + " "
                    + SocketEvent.PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH)
                    || libzmqEvent.startsWith("event " + SocketEvent.Type.HANDSHAKE_FAILED_NO_DETAIL.code() + " "),
                    "libzmq reports the mismatch, or (when zmq4j hung up first) a failed handshake: " + libzmqEvent);
        }
        Socket req = ctx.socket(SocketType.REQ);
        req.setOption(Option.LINGER, 0);
        req.connect(rep.lastEndpoint());
        req.send("plain old NULL".getBytes());
        assertArrayEquals("plain old NULL".getBytes(), rep.recv(), "other peers are unaffected");
    }

    @Test
    void curveWithoutKeysIsRefusedAtBindAndConnect() {
        Socket s = ctx.socket(SocketType.REP);
        s.setOption(Option.CURVE_SERVER, true);
        ZmqException e = org.junit.jupiter.api.Assertions.assertThrows(ZmqException.class, () -> s.bind("tcp://127.0.0.1:*"));
        assertEquals(ZmqException.Errno.EINVAL, e.errno());
        Socket c = ctx.socket(SocketType.REQ);
        c.setOption(Option.CURVE_SECRETKEY, CurveKeyPair.generate().secretKey());
        e = org.junit.jupiter.api.Assertions.assertThrows(ZmqException.class, () -> c.connect("tcp://127.0.0.1:5555"));
        assertTrue(e.getMessage().contains("CURVE_SERVERKEY"));
    }
}
