package org.zmq4j.tools.oneliners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.CurveKeyPair;
import org.zmq4j.tools.patterns.CliProcess;

/**
 * The one-liners as real processes against libzmq through pyzmq: send to a PULL, recv from a PUSH,
 * pub to a SUB, sub from a PUB, CURVE and PLAIN both ways, the proxy between a REQ and a REP, and
 * the monitor watching a peer come and go. pyzmq prints frames as comma-separated hex.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OneLinerInteropTest extends ProcessTest {
    private static final String ANY = "tcp://127.0.0.1:*";
    private static final long WAIT = 30;

    /** A PULL bound to a free port (printed first) that prints N messages as hex, then ends. */
    private static final String PULL = "s = zmq.Context.instance().socket(zmq.PULL)\n"
            + "s.rcvtimeo = 30000\n"
            + "out(s.bind_to_random_port('tcp://127.0.0.1'))\n"
            + "for i in range(int(sys.argv[1])):\n"
            + "    out(hexes(s.recv_multipart()))\n";

    @BeforeAll
    static void pyzmqIsThere() throws Exception {
        Pyzmq.assumePyzmq();
    }

    private static String hex(String text) {
        return java.util.HexFormat.of().formatHex(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void assertExit(int expected, CliProcess p) throws Exception {
        assertEquals(expected, p.exitCode(WAIT), p.describe());
    }

    @Test
    void sendDeliversArgumentsStdinLinesAndHexToLibzmqPull() throws Exception {
        try (Pyzmq pull = Pyzmq.start(PULL, "3")) {
            String ep = "tcp://127.0.0.1:" + pull.readLine(WAIT);
            assertExit(0, start("send", "--connect", ep, "hello", "world"));
            assertEquals(hex("hello") + "," + hex("world"), pull.readLine(WAIT), pull.describe());
            CliProcess lines = start("send", "--connect", ep, "--hex");
            lines.writeStdin("00ff\n0102\n");
            lines.closeStdin();
            assertExit(0, lines);
            assertEquals("00ff", pull.readLine(WAIT));
            assertEquals("0102", pull.readLine(WAIT));
            assertEquals(0, pull.exitCode(WAIT), pull.describe());
        }
    }

    @Test
    void recvPrintsWhatALibzmqPushSends() throws Exception {
        CliProcess text = start("recv", "--bind", ANY, "--count", "2");
        CliProcess hex = start("recv", "--bind", ANY, "--count", "1", "--hex");
        String textEp = text.awaitErr("bound to (tcp://\\S+)", WAIT);
        String hexEp = hex.awaitErr("bound to (tcp://\\S+)", WAIT);
        String script = "ctx = zmq.Context.instance()\n"
                + "a = ctx.socket(zmq.PUSH); a.connect(sys.argv[1])\n"
                + "b = ctx.socket(zmq.PUSH); b.connect(sys.argv[2])\n"
                + "a.send_multipart([b'multi', b'part']); a.send(b'single')\n"
                + "b.send_multipart([b'\\x00\\xff', b''])\n"
                + "a.close(linger=5000); b.close(linger=5000)\n"
                + "ctx.term()  # waits for the messages to leave\n"
                + "out('sent')\n";
        try (Pyzmq push = Pyzmq.start(script, textEp, hexEp)) {
            assertEquals("sent", push.readLine(WAIT), push.describe());
            assertExit(0, text);
            assertEquals("multi\tpart\nsingle\n", text.out(), text.describe());
            assertExit(0, hex);
            assertEquals("00ff\t\n", hex.out(), hex.describe());
        }
    }

    @Test
    void pubReachesALibzmqSubscriber() throws Exception {
        String script = "s = zmq.Context.instance().socket(zmq.SUB)\n"
                + "s.rcvtimeo = 30000\n"
                + "s.setsockopt(zmq.SUBSCRIBE, b'weather')\n"
                + "out(s.bind_to_random_port('tcp://127.0.0.1'))\n"
                + "for i in range(2):\n"
                + "    out(hexes(s.recv_multipart()))\n";
        try (Pyzmq sub = Pyzmq.start(script)) {
            String ep = "tcp://127.0.0.1:" + sub.readLine(WAIT);
            CliProcess pub = start("pub", "--connect", ep, "--topic", "weather", "--count", "2", "sunny");
            assertExit(0, pub);
            assertTrue(pub.err().contains("sent 2 messages"), pub.describe());
            assertEquals(hex("weather") + "," + hex("sunny"), sub.readLine(WAIT), sub.describe());
            assertEquals(hex("weather") + "," + hex("sunny"), sub.readLine(WAIT), sub.describe());
        }
    }

    @Test
    void subPrintsWhatALibzmqPublisherSendsOnItsTopics() throws Exception {
        CliProcess sub = start("sub", "--bind", ANY, "--subscribe", "weather", "--count", "3");
        String ep = sub.awaitErr("bound to (tcp://\\S+)", WAIT);
        // a PUB drops what nobody has subscribed to yet: publish until stdin closes (the test's close)
        String script = "s = zmq.Context.instance().socket(zmq.PUB)\n"
                + "s.connect(sys.argv[1])\n"
                + "import threading\n"
                + "done = threading.Event()\n"
                + "threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()\n"
                + "deadline = time.time() + 60\n"
                + "while not done.is_set() and time.time() < deadline:\n"
                + "    s.send_multipart([b'weather', b'rain'])\n"
                + "    s.send_multipart([b'traffic', b'jam'])\n"
                + "    done.wait(0.02)\n";
        try (Pyzmq pub = Pyzmq.start(script, ep)) {
            assertExit(0, sub);
            assertEquals("weather\train\nweather\train\nweather\train\n", sub.out(), sub.describe());
        }
    }

    @Test
    void curveClientAndServerAgainstLibzmq() throws Exception {
        // zmq4j send as a CURVE client of a libzmq CURVE server
        String server = "s = zmq.Context.instance().socket(zmq.PULL)\n"
                + "public, secret = zmq.curve_keypair()\n"
                + "s.curve_secretkey = secret; s.curve_publickey = public; s.curve_server = True\n"
                + "s.rcvtimeo = 30000\n"
                + "out(s.bind_to_random_port('tcp://127.0.0.1'), public.decode())\n"
                + "out(hexes(s.recv_multipart()))\n";
        try (Pyzmq pull = Pyzmq.start(server)) {
            String[] portAndKey = pull.readLine(WAIT).split(" ");
            CliProcess send = start("send", "--connect", "tcp://127.0.0.1:" + portAndKey[0],
                    "--curve-serverkey", portAndKey[1], "encrypted");
            assertExit(0, send);
            assertEquals(hex("encrypted"), pull.readLine(WAIT), pull.describe());
        }
        // a libzmq CURVE client of zmq4j recv as the server
        CurveKeyPair keys = CurveKeyPair.generate();
        CliProcess recv = start("recv", "--bind", ANY, "--curve-server", "--curve-secretkey", keys.secretKeyZ85(),
                "--curve-publickey", keys.publicKeyZ85(), "--count", "1");
        String ep = recv.awaitErr("bound to (tcp://\\S+)", WAIT);
        String client = "s = zmq.Context.instance().socket(zmq.PUSH)\n"
                + "public, secret = zmq.curve_keypair()\n"
                + "s.curve_secretkey = secret; s.curve_publickey = public; s.curve_serverkey = sys.argv[2].encode()\n"
                + "s.connect(sys.argv[1]); s.send(b'from libzmq'); s.close(linger=10000)\n"
                + "zmq.Context.instance().term()  # waits for the message to leave\n"
                + "out('sent')\n";
        try (Pyzmq push = Pyzmq.start(client, ep, keys.publicKeyZ85())) {
            assertEquals("sent", push.readLine(WAIT), push.describe());
            assertExit(0, recv);
            assertEquals("from libzmq\n", recv.out(), recv.describe());
            assertTrue(recv.err().contains("CURVE server, public key " + keys.publicKeyZ85()), recv.describe());
        }
    }

    @Test
    void plainClientAndServerAgainstLibzmq() throws Exception {
        // zmq4j send as a PLAIN client of a libzmq PLAIN server with pyzmq's authenticator
        String server = "from zmq.auth.thread import ThreadAuthenticator\n"
                + "ctx = zmq.Context.instance()\n"
                + "auth = ThreadAuthenticator(ctx); auth.start()\n"
                + "auth.configure_plain(domain='*', passwords={'admin': 'secret'})\n"
                + "s = ctx.socket(zmq.PULL); s.plain_server = True; s.rcvtimeo = 30000\n"
                + "out(s.bind_to_random_port('tcp://127.0.0.1'))\n"
                + "out(hexes(s.recv_multipart()))\n"
                + "auth.stop()\n";
        try (Pyzmq pull = Pyzmq.start(server)) {
            String ep = "tcp://127.0.0.1:" + pull.readLine(WAIT);
            assertExit(0, start("send", "--connect", ep, "--plain-username", "admin", "--plain-password", "secret",
                    "authenticated"));
            assertEquals(hex("authenticated"), pull.readLine(WAIT), pull.describe());
        }
        // a libzmq PLAIN client of zmq4j recv --plain-server (any user)
        CliProcess recv = start("recv", "--bind", ANY, "--plain-server", "--count", "1");
        String ep = recv.awaitErr("bound to (tcp://\\S+)", WAIT);
        String client = "s = zmq.Context.instance().socket(zmq.PUSH)\n"
                + "s.plain_username = b'carol'; s.plain_password = b'pw'\n"
                + "s.connect(sys.argv[1]); s.send(b'plain text'); s.close(linger=10000)\n"
                + "zmq.Context.instance().term()  # waits for the message to leave\n"
                + "out('sent')\n";
        try (Pyzmq push = Pyzmq.start(client, ep)) {
            assertEquals("sent", push.readLine(WAIT), push.describe());
            assertExit(0, recv);
            assertEquals("plain text\n", recv.out(), recv.describe());
            assertTrue(recv.err().contains("let in PLAIN client 'carol'"), recv.describe());
        }
    }

    @Test
    void proxyWithACurveFrontendServesLibzmqCurveClients() throws Exception {
        CurveKeyPair keys = CurveKeyPair.generate();
        CliProcess proxy = start("proxy", "--frontend", ANY, "--backend", ANY, "--curve-server", "--curve-secretkey",
                keys.secretKeyZ85());
        String frontend = proxy.awaitErr("frontend bound to (tcp://\\S+)", WAIT);
        String backend = proxy.awaitErr("backend bound to (tcp://\\S+)", WAIT);
        String script = "ctx = zmq.Context.instance()\n"
                + "rep = ctx.socket(zmq.REP); rep.connect(sys.argv[2]); rep.rcvtimeo = 30000\n"
                + "req = ctx.socket(zmq.REQ); req.rcvtimeo = 30000\n"
                + "public, secret = zmq.curve_keypair()\n"
                + "req.curve_secretkey = secret; req.curve_publickey = public; req.curve_serverkey = sys.argv[3].encode()\n"
                + "req.connect(sys.argv[1])\n"
                + "req.send(b'sealed')\n"
                + "rep.send(b'answer to ' + rep.recv())\n"
                + "out(req.recv().decode())\n"
                + "plain = ctx.socket(zmq.REQ); plain.rcvtimeo = 1500; plain.connect(sys.argv[1]); plain.send(b'no keys')\n"
                + "try:\n"
                + "    plain.recv(); out('NULL client got in')\n"
                + "except zmq.Again:\n"
                + "    out('NULL client refused')\n";
        try (Pyzmq peers = Pyzmq.start(script, frontend, backend, keys.publicKeyZ85())) {
            assertEquals("answer to sealed", peers.readLine(WAIT), peers.describe());
            assertEquals("NULL client refused", peers.readLine(WAIT), peers.describe());
        }
        assertEquals(0, proxy.sigterm(), proxy.describe());
    }

    @Test
    void proxyQueuesBetweenLibzmqReqAndRep() throws Exception {
        CliProcess proxy = start("proxy", "--frontend", ANY, "--backend", ANY);
        String frontend = proxy.awaitErr("frontend bound to (tcp://\\S+)", WAIT);
        String backend = proxy.awaitErr("backend bound to (tcp://\\S+)", WAIT);
        String script = "ctx = zmq.Context.instance()\n"
                + "rep = ctx.socket(zmq.REP); rep.connect(sys.argv[2]); rep.rcvtimeo = 30000\n"
                + "req = ctx.socket(zmq.REQ); req.connect(sys.argv[1]); req.rcvtimeo = 30000\n"
                + "for i in range(3):\n"
                + "    req.send(b'ping %d' % i)\n"
                + "    rep.send(b'pong to ' + rep.recv())\n"
                + "    out(req.recv().decode())\n";
        try (Pyzmq peers = Pyzmq.start(script, frontend, backend)) {
            for (int i = 0; i < 3; i++) {
                assertEquals("pong to ping " + i, peers.readLine(WAIT), peers.describe());
            }
        }
        assertEquals(0, proxy.sigterm(), proxy.describe());
        assertTrue(proxy.err().contains("stopped by signal"), proxy.describe());
    }

    @Test
    void monitorShowsALibzmqPeerComingAndGoing() throws Exception {
        // listening side: a DEALER connects, then closes
        CliProcess listening = start("monitor", "--bind", ANY, "--count", "3", "--timeout", "30000",
                "--events", "accepted,handshake_succeeded,disconnected");
        String ep = listening.awaitErr("bound to (tcp://\\S+)", WAIT);
        String dealer = "s = zmq.Context.instance().socket(zmq.DEALER)\n"
                + "s.connect(sys.argv[1])\n"
                + "out('connected')\n"
                + "sys.stdin.readline()\n"
                + "s.close(linger=0)\n";
        try (Pyzmq peer = Pyzmq.start(dealer, ep)) {
            assertEquals("connected", peer.readLine(WAIT));
            listening.awaitOut("HANDSHAKE_SUCCEEDED", WAIT);
            peer.writeLine("close");
            assertExit(0, listening);
        }
        List<String> events = listening.out().lines().map(l -> l.split("\t")[0]).toList();
        assertEquals(List.of("ACCEPTED", "HANDSHAKE_SUCCEEDED", "DISCONNECTED"), events, listening.describe());
        assertTrue(listening.out().lines().allMatch(l -> l.split("\t")[1].equals(ep)), listening.describe());

        // connecting side: a ROUTER binds, then goes away
        String router = "s = zmq.Context.instance().socket(zmq.ROUTER)\n"
                + "out(s.bind_to_random_port('tcp://127.0.0.1'))\n"
                + "sys.stdin.readline()\n"
                + "s.close(linger=0)\n";
        try (Pyzmq peer = Pyzmq.start(router)) {
            String target = "tcp://127.0.0.1:" + peer.readLine(WAIT);
            CliProcess connecting = start("monitor", "--connect", target, "--timeout", "30000");
            connecting.awaitOut("HANDSHAKE_SUCCEEDED", WAIT);
            peer.writeLine("close");
            connecting.awaitOut("DISCONNECTED", WAIT);
            assertEquals(0, connecting.sigterm(), connecting.describe());
            String out = connecting.out();
            assertTrue(out.startsWith("CONNECTED\t" + target + "\t") || out.startsWith("CONNECT_DELAYED\t"), out);
            assertTrue(out.indexOf("CONNECTED\t") < out.indexOf("HANDSHAKE_SUCCEEDED\t"), out);
            assertTrue(out.indexOf("HANDSHAKE_SUCCEEDED\t") < out.indexOf("DISCONNECTED\t"), out);
            assertFalse(connecting.err().contains("Exception"), connecting.describe());
        }
    }
}
