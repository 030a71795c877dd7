package org.zmq4j.tools.oneliners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.tools.patterns.CliProcess;

/**
 * {@code send}, {@code recv}, {@code pub}, {@code sub} and {@code proxy} as real processes talking
 * to each other: multipart arguments, standard input lines, hex, REQ/REP, topics, {@code --count}
 * and {@code --timeout} exit codes, SIGTERM, PLAIN with a password file, CURVE with certificates
 * from {@code keygen}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OneLinerCommandsTest extends ProcessTest {
    private static final String ANY = "tcp://127.0.0.1:*";
    private static final long WAIT = 30;

    /** The endpoint a command bound, from its "bound to EP" note. */
    private static String bound(CliProcess p) throws Exception {
        return p.awaitErr("bound to (tcp://\\S+)", WAIT);
    }

    /** A loopback endpoint where nothing listens (a port that was free a moment ago). */
    /** Ports held bound (never listening) for the JVM's life: nothing can take them, connecting is refused. */
    private static final List<java.net.Socket> DEAD = new ArrayList<>();

    /**
     * An endpoint where nothing listens, and nothing will: a port bound by a socket that never
     * listens (a port merely freed could be handed to the next {@code tcp://127.0.0.1:*} bind).
     */
    static synchronized String deadEndpoint() throws IOException {
        java.net.Socket s = new java.net.Socket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        DEAD.add(s);
        return "tcp://127.0.0.1:" + s.getLocalPort();
    }

    private static void assertExit(int expected, CliProcess p) throws Exception {
        assertEquals(expected, p.exitCode(WAIT), p.describe());
    }

    @Test
    void multipartArgumentsStdinLinesAndHexArriveAsSent() throws Exception {
        CliProcess recv = start("recv", "--bind", ANY, "--count", "4");
        String ep = bound(recv);

        assertExit(0, start("send", "--connect", ep, "hello", "world"));
        CliProcess lines = start("send", "--connect", ep, "--separator", "|");
        lines.writeStdin("x|y\r\nz\n");
        lines.closeStdin();
        assertExit(0, lines);
        assertTrue(lines.err().contains("sent 2 messages"), lines.describe());
        assertExit(0, start("send", "--connect", ep, "--hex", "68656c6c6f"));

        assertExit(0, recv);
        assertEquals("hello\tworld\nx\ty\nz\nhello\n", recv.out(), recv.describe());
        assertTrue(recv.err().contains("received 4 messages"), recv.describe());
    }

    @Test
    void hexFramesPrintOnePerLine() throws Exception {
        CliProcess recv = start("recv", "--bind", ANY, "--count", "1", "--hex", "--frames");
        String ep = bound(recv);
        assertExit(0, start("send", "--connect", ep, "--hex", "00ff", "0A"));
        assertExit(0, recv);
        assertEquals("00ff\n0a\n", recv.out(), recv.describe());
    }

    @Test
    void reqGetsRepliesFromRep() throws Exception {
        CliProcess fixed = start("recv", "--type", "rep", "--bind", ANY, "--count", "2", "--reply", "pong");
        CliProcess echo = start("recv", "--type", "REP", "--bind", ANY, "--count", "2");
        String fixedEp = bound(fixed);
        String echoEp = bound(echo);

        CliProcess req = start("send", "--type", "req", "--connect", fixedEp, "--count", "2", "ping");
        CliProcess lines = start("send", "--type", "req", "--connect", echoEp);
        lines.writeStdin("first\nsecond\n");
        lines.closeStdin();

        assertExit(0, req);
        assertEquals("pong\npong\n", req.out(), req.describe());
        assertExit(0, lines);
        assertEquals("first\nsecond\n", lines.out(), lines.describe());
        assertExit(0, fixed);
        assertEquals("ping\nping\n", fixed.out(), fixed.describe());
        assertExit(0, echo);
    }

    @Test
    void timeoutsExitWith3AndSaySo() throws Exception {
        String dead = deadEndpoint();
        CliProcess send = start("send", "--connect", dead, "--timeout", "1200", "hello");
        CliProcess recv = start("recv", "--bind", ANY, "--timeout", "400");
        CliProcess silent = start("recv", "--type", "router", "--bind", ANY, "--count", "1", "--hex");
        CliProcess req = start("send", "--type", "req", "--connect", bound(silent), "--timeout", "1s", "question");

        assertExit(ExitCodes.TIMEOUT, send);
        assertTrue(send.err().contains("send: waiting for peer on " + dead), send.describe());
        assertTrue(send.err().contains("send: timed out after 1200 ms waiting for peer on " + dead), send.describe());
        assertExit(ExitCodes.TIMEOUT, recv);
        assertTrue(recv.err().contains("recv: timed out after 400 ms waiting for a message on tcp://127.0.0.1:"),
                recv.describe());
        assertExit(ExitCodes.TIMEOUT, req);
        assertTrue(req.err().contains("timed out after 1000 ms waiting for the reply to message 1"), req.describe());
        assertExit(0, silent);
        // a ROUTER that never answers: the peer's routing id, REQ's empty delimiter frame, then the body
        assertTrue(silent.out().matches("[0-9a-f]+\t\t7175657374696f6e\n"), silent.describe());
    }

    @Test
    void sigtermStopsEveryWaitWithExitCode0() throws Exception {
        String dead = deadEndpoint();
        CliProcess recv = start("recv", "--bind", ANY);
        CliProcess sub = start("sub", "--connect", dead);
        CliProcess send = start("send", "--connect", dead, "hello");
        CliProcess pub = start("pub", "--bind", ANY, "news");
        CliProcess monitor = start("monitor", "--connect", dead);
        CliProcess stdin = start("send", "--connect", bound(recv)); // standard input stays open: it waits for lines

        bound(pub);
        send.awaitErr("waiting for peer on " + dead, WAIT);
        pub.awaitErr("waiting for peer on tcp://\\S+ \\(a subscriber\\)", WAIT);
        stdin.awaitErr("sending each line of standard input", WAIT);
        sub.awaitErr("connecting to " + dead, WAIT);
        monitor.awaitOut("CONNECT_RETRIED", WAIT);
        for (CliProcess p : new CliProcess[] {recv, sub, send, pub, monitor, stdin}) {
            assertEquals(0, p.sigterm(), p.describe());
            assertTrue(p.err().contains("stopped by signal"), p.describe());
        }
    }

    @Test
    void subscribersGetTheirTopicsOnly() throws Exception {
        CliProcess sub = start("sub", "--bind", ANY, "--subscribe", "weather", "--count", "2");
        String ep = bound(sub);
        assertExit(0, start("pub", "--connect", ep, "--topic", "traffic", "jam"));
        assertExit(0, start("pub", "--connect", ep, "--topic", "weather", "--count", "2", "--interval", "10", "sunny"));
        assertExit(0, sub);
        assertEquals("weather\tsunny\nweather\tsunny\n", sub.out(), sub.describe());
    }

    @Test
    void plainServerChecksThePasswordFile() throws Exception {
        Path passwords = dir.resolve("passwords");
        Files.writeString(passwords, "# users\nadmin=secret\n");
        CliProcess recv = start("recv", "--bind", ANY, "--plain-server", "--plain-passwords", passwords.toString(),
                "--count", "1");
        String ep = bound(recv);

        CliProcess wrong = start("send", "--connect", ep, "--plain-username", "admin", "--plain-password", "guess",
                "--timeout", "1500", "no");
        assertExit(ExitCodes.TIMEOUT, wrong);
        assertTrue(wrong.err().contains("HANDSHAKE_FAILED"), wrong.describe());
        assertExit(0, start("send", "--connect", ep, "--plain-username", "admin", "--plain-password", "secret", "yes"));
        assertExit(0, recv);
        assertEquals("yes\n", recv.out(), recv.describe());
    }

    @Test
    void plainServerWithoutPasswordFileLetsAnyoneIn() throws Exception {
        CliProcess recv = start("recv", "--bind", ANY, "--plain-server", "--count", "1");
        String ep = bound(recv);
        assertExit(0, start("send", "--connect", ep, "--plain-username", "bob", "hi"));
        assertExit(0, recv);
        assertEquals("hi\n", recv.out(), recv.describe());
        assertTrue(recv.err().contains("let in PLAIN client 'bob'"), recv.describe());
    }

    @Test
    void curveWithKeygenCertificatesLetsOnlyKnownClientsIn() throws Exception {
        Path keys = dir.resolve("keys");
        Path clients = dir.resolve("clients");
        assertEquals(0, InProcess.run("keygen", "--cert", keys.toString(), "server").exitCode());
        assertEquals(0, InProcess.run("keygen", "--cert", clients.toString(), "alice").exitCode());
        CliProcess recv = start("recv", "--bind", ANY, "--curve-server", "--curve-cert", keys.resolve("server.key").toString(),
                "--curve-clients", clients.toString(), "--count", "1");
        String ep = bound(recv);

        CliProcess stranger = start("send", "--connect", ep, "--curve-serverkey", keys.resolve("server.key").toString(),
                "--timeout", "1500", "let me in");
        assertExit(ExitCodes.TIMEOUT, stranger);
        assertTrue(stranger.err().contains("HANDSHAKE_FAILED"), stranger.describe());
        assertTrue(stranger.err().contains("CURVE client with a new key pair"), stranger.describe());
        assertExit(0, start("send", "--connect", ep, "--curve-serverkey", keys.resolve("server.key").toString(),
                "--curve-cert", clients.resolve("alice.key_secret").toString(), "secret", "message"));
        assertExit(0, recv);
        assertEquals("secret\tmessage\n", recv.out(), recv.describe());
    }

    @Test
    void proxyQueuesRequestsBetweenReqAndRep() throws Exception {
        CliProcess proxy = start("proxy", "--frontend", ANY, "--backend", ANY);
        String frontend = proxy.awaitErr("frontend bound to (tcp://\\S+)", WAIT);
        String backend = proxy.awaitErr("backend bound to (tcp://\\S+)", WAIT);
        CliProcess rep = start("recv", "--type", "rep", "--connect", backend, "--reply", "world", "--count", "1");
        CliProcess req = start("send", "--type", "req", "--connect", frontend, "hello");
        assertExit(0, req);
        assertEquals("world\n", req.out(), req.describe());
        assertExit(0, rep);
        assertEquals("hello\n", rep.out(), rep.describe());
        assertEquals(0, proxy.sigterm(), proxy.describe());
        assertTrue(proxy.err().contains("proxy: stopped by signal"), proxy.describe());
        assertFalse(proxy.err().contains("Exception"), proxy.describe());
    }
}
