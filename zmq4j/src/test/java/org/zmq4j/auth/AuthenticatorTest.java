package org.zmq4j.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zmq4j.Authenticator;
import org.zmq4j.Certificate;
import org.zmq4j.CertificateStore;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketType;
import org.zmq4j.Z85;
import org.zmq4j.ZmqException;

/**
 * {@link Authenticator} end to end with zmq4j clients and servers over tcp://127.0.0.1, plus its
 * answers to hand-made ZAP requests. Outcomes are read from the server's monitor events
 * (HANDSHAKE_SUCCEEDED or HANDSHAKE_FAILED_*), never from sleeps.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AuthenticatorTest {
    private static final int HANDSHAKE_EVENTS = SocketEvent.Type.HANDSHAKE_SUCCEEDED.code()
            | SocketEvent.Type.HANDSHAKE_FAILED_AUTH.code() | SocketEvent.Type.HANDSHAKE_FAILED_PROTOCOL.code()
            | SocketEvent.Type.HANDSHAKE_FAILED_NO_DETAIL.code();

    @TempDir
    Path dir;
    private Context ctx;
    private Authenticator auth;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() {
        ctx = new Context();
        auth = new Authenticator(ctx);
    }

    @AfterEach
    void stop() {
        auth.close();
        sockets.forEach(Socket::close);
        ctx.close();
    }

    // ------------------------------------------------------------------ NULL and addresses

    @Test
    void nullWithZapDomainAndNoRulesIsLetIn() {
        Server server = server(s -> s.setOption(Option.ZAP_DOMAIN, "global"));
        assertEquals(null, server.accepts(server.client(s -> { })));
    }

    @Test
    void deniedAddressIsRefusedThenAllowOverridesTheDenyList() {
        auth.deny("127.0.0.1");
        Server server = server(s -> s.setOption(Option.ZAP_DOMAIN, "global"));
        Client client = server.client(s -> { });
        server.refuses(client);
        // an allow list overrides the deny list (zauth): the client's next reconnect gets in
        auth.allow("127.0.0.1");
        assertEquals(null, server.accepts(client));
    }

    @Test
    void addressOutsideTheAllowListIsRefused() {
        auth.allow("10.9.8.7");
        Server server = server(s -> s.setOption(Option.ZAP_DOMAIN, "global"));
        server.refuses(server.client(s -> { }));
    }

    @Test
    void nullWithoutZapDomainNeverAsksTheHandler() {
        // as libzmq: NULL servers without ZAP_DOMAIN do not use ZAP, so address rules do not apply
        auth.deny("127.0.0.1");
        Server server = server(s -> { });
        assertEquals(null, server.accepts(server.client(s -> { })));
    }

    // ------------------------------------------------------------------ PLAIN

    @Test
    void plainGoodPasswordIsLetInWithTheUsernameAsUserId() {
        auth.configurePlain(Authenticator.ANY_DOMAIN, Map.of("alice", "secret", "bob", "hunter2"));
        Server server = server(s -> s.setOption(Option.PLAIN_SERVER, true));
        assertEquals("alice", server.accepts(plainClient(server, "alice", "secret")));
        assertEquals("bob", server.accepts(plainClient(server, "bob", "hunter2")));
    }

    @Test
    void plainWrongPasswordOrUnknownUserIsRefused() {
        auth.configurePlain(Authenticator.ANY_DOMAIN, Map.of("alice", "secret"));
        Server server = server(s -> s.setOption(Option.PLAIN_SERVER, true));
        server.refuses(plainClient(server, "alice", "wrong"));
        server.refuses(plainClient(server, "mallory", "secret"));
        server.refuses(plainClient(server, "alice", "secret "));
    }

    @Test
    void plainWithoutPasswordsIsRefused() {
        Server server = server(s -> s.setOption(Option.PLAIN_SERVER, true));
        server.refuses(plainClient(server, "alice", "secret"));
    }

    @Test
    void plainDomainsHaveTheirOwnUsersAndFallBackToAnyDomain() {
        auth.configurePlain("vault", Map.of("admin", "root"));
        auth.configurePlain(Authenticator.ANY_DOMAIN, Map.of("guest", "guest"));
        Server vault = server(s -> {
            s.setOption(Option.PLAIN_SERVER, true);
            s.setOption(Option.ZAP_DOMAIN, "vault");
        });
        Server lobby = server(s -> {
            s.setOption(Option.PLAIN_SERVER, true);
            s.setOption(Option.ZAP_DOMAIN, "lobby");
        });
        assertEquals("admin", vault.accepts(plainClient(vault, "admin", "root")));
        vault.refuses(plainClient(vault, "guest", "guest"));
        assertEquals("guest", lobby.accepts(plainClient(lobby, "guest", "guest")));
        lobby.refuses(plainClient(lobby, "admin", "root"));
    }

    @Test
    void plainPasswordFileInZauthFormatIsReadAndReloadedWhenItChanges() throws IOException {
        Path file = dir.resolve("passwords");
        Files.writeString(file, "# users\nadmin=Pass=word with blanks\nnot a user line\n=nobody\n");
        auth.configurePlain(Authenticator.ANY_DOMAIN, file);
        Server server = server(s -> s.setOption(Option.PLAIN_SERVER, true));
        assertEquals("admin", server.accepts(plainClient(server, "admin", "Pass=word with blanks")));
        server.refuses(plainClient(server, "admin", "Pass"));
        assertEquals("400", strings(zap("1.0", "1", "", "127.0.0.1", "PLAIN", new byte[0], "nobody".getBytes())).get(2),
                "a line with nothing before '=' is no user");

        FileTime before = Files.getLastModifiedTime(file);
        Files.writeString(file, "admin=changed\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2000)); // coarse clocks
        assertEquals("admin", server.accepts(plainClient(server, "admin", "changed")));
        server.refuses(plainClient(server, "admin", "Pass=word with blanks"));
    }

    @Test
    void missingPasswordFileIsAnErrorAtOnce() {
        assertThrows(IOException.class, () -> auth.configurePlain("x", dir.resolve("absent")));
    }

    // ------------------------------------------------------------------ CURVE

    @Test
    void curveAllowAnyLetsEveryKeyInWithItsZ85AsUserId() {
        auth.configureCurveAllowAny(Authenticator.ANY_DOMAIN);
        Certificate server = Certificate.generate();
        Certificate client = Certificate.generate();
        Server s = curveServer(server);
        assertEquals(client.publicKeyZ85(), s.accepts(curveClient(s, client, server)));
    }

    @Test
    void curveWithoutConfigurationIsRefused() {
        Certificate server = Certificate.generate();
        Server s = curveServer(server);
        s.refuses(curveClient(s, Certificate.generate(), server));
    }

    @Test
    void curveCertificateDirectoryLetsKnownKeysInAndHandsOverTheirMetadata() throws IOException {
        Path clients = Files.createDirectory(dir.resolve("clients"));
        Certificate alice = Certificate.generate().setMetadata("name", "Alice").setMetadata("Role", "admin")
                .setMetadata("User-Id", "must-not-override");
        alice.save(clients.resolve("alice.key")); // the secret file beside it is skipped
        Files.writeString(clients.resolve("README"), "not a certificate\n");
        auth.configureCurve(Authenticator.ANY_DOMAIN, clients);

        Certificate server = Certificate.generate();
        Server s = curveServer(server);
        assertEquals(alice.publicKeyZ85(), s.accepts(curveClient(s, alice, server)));
        assertEquals("Alice", s.socket.messageProperty("name"));
        assertEquals("admin", s.socket.messageProperty("role"));
        s.refuses(curveClient(s, Certificate.generate(), server));
    }

    @Test
    void curveCertificateAddedToTheDirectoryLaterIsNoticed() throws IOException {
        Path clients = Files.createDirectory(dir.resolve("clients"));
        auth.configureCurve(Authenticator.ANY_DOMAIN, clients);
        Certificate server = Certificate.generate();
        Certificate bob = Certificate.generate();
        Server s = curveServer(server);
        Client client = curveClient(s, bob, server);
        s.refuses(client);

        FileTime before = Files.getLastModifiedTime(clients);
        bob.publicOnly().save(clients.resolve("bob.key"));
        Files.setLastModifiedTime(clients, FileTime.fromMillis(before.toMillis() + 2000)); // coarse clocks
        assertEquals(bob.publicKeyZ85(), s.accepts(client), "the client's next reconnect gets in");
    }

    @Test
    void curveCertificateStoreIsConsultedAtEachHandshake() throws IOException {
        Path clients = Files.createDirectory(dir.resolve("clients"));
        Certificate alice = Certificate.generate().setMetadata("name", "Alice");
        alice.save(clients.resolve("alice.key"));
        CertificateStore store = CertificateStore.load(clients);
        assertEquals(1, store.size());
        assertEquals("Alice", store.find(alice.publicKey()).metadata().get("name"));
        assertFalse(store.find(alice.publicKeyZ85()).hasSecretKey(), "public certificates only");
        auth.configureCurve(Authenticator.ANY_DOMAIN, store);

        Certificate server = Certificate.generate();
        Server s = curveServer(server);
        assertEquals(alice.publicKeyZ85(), s.accepts(curveClient(s, alice, server)));
        assertEquals("Alice", s.socket.messageProperty("name"));
        Certificate bob = Certificate.generate();
        Client bobClient = curveClient(s, bob, server);
        s.refuses(bobClient);
        store.add(bob);
        assertEquals(bob.publicKeyZ85(), s.accepts(bobClient), "added later: the next reconnect gets in");
        assertTrue(store.remove(alice.publicKeyZ85()));
        s.refuses(curveClient(s, alice, server));
        assertThrows(NotDirectoryException.class, () -> CertificateStore.load(clients.resolve("alice.key")));
    }

    @Test
    void curveCallbackDecidesWithTheDomainAndTheKey() {
        Certificate server = Certificate.generate();
        Certificate good = Certificate.generate();
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        auth.configureCurveCallback(Authenticator.ANY_DOMAIN, (domain, key) -> {
            asked.add(domain + " " + Z85.encode(key));
            if (key[0] == 0 && key[1] == 0) {
                throw new IllegalStateException("the application's bug");
            }
            return java.util.Arrays.equals(key, good.publicKey());
        });
        Server s = curveServer(server, "shop");
        assertEquals(good.publicKeyZ85(), s.accepts(curveClient(s, good, server)));
        assertTrue(asked.contains("shop " + good.publicKeyZ85()), asked.toString());
        s.refuses(curveClient(s, Certificate.generate(), server));
        assertThrows(NullPointerException.class, () -> auth.configureCurveCallback("x", null));
    }

    @Test
    void curveDomainsAreSeparate() throws IOException {
        Path clients = Files.createDirectory(dir.resolve("clients"));
        Certificate carol = Certificate.generate();
        carol.save(clients.resolve("carol.key"));
        auth.configureCurve("inner", clients);
        Certificate server = Certificate.generate();
        Server inner = curveServer(server, "inner");
        Server outer = curveServer(server, "outer");
        assertEquals(carol.publicKeyZ85(), inner.accepts(curveClient(inner, carol, server)));
        outer.refuses(curveClient(outer, carol, server));
    }

    @Test
    void curveDirectoryMustBeADirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThrows(NotDirectoryException.class, () -> auth.configureCurve("x", file));
    }

    // ------------------------------------------------------------------ the ZAP dialogue itself

    @Test
    void answersEchoTheRequestIdAndCarryUserIdAndMetadata() throws IOException {
        Path clients = Files.createDirectory(dir.resolve("clients"));
        Certificate dave = Certificate.generate().setMetadata("name", "Dave").setMetadata("bad$name", "skipped");
        dave.save(clients.resolve("dave.key"));
        auth.configureCurve(Authenticator.ANY_DOMAIN, clients);
        List<byte[]> reply = zap("1.0", "req-42", "", "127.0.0.1", "CURVE", dave.publicKey());
        assertEquals(List.of("1.0", "req-42", "200", "OK", dave.publicKeyZ85()), strings(reply.subList(0, 5)));
        // ZMTP metadata: name length, name, 4-byte big-endian value length, value
        byte[] expected = {4, 'n', 'a', 'm', 'e', 0, 0, 0, 4, 'D', 'a', 'v', 'e'};
        assertArrayEquals(expected, reply.get(5));
    }

    @Test
    void malformedRequestsGet400AndTheHandlerKeepsServing() {
        assertEquals(List.of("1.0", "7", "400"), strings(zapRaw("1.0", "7", "dom")).subList(0, 3));
        assertEquals(List.of("1.0", "8", "400", "Invalid version"),
                strings(zap("2.0", "8", "", "127.0.0.1", "NULL")).subList(0, 4));
        assertEquals("400", strings(zap("1.0", "9", "", "127.0.0.1", "CURVE", new byte[5])).get(2));
        assertEquals("400", strings(zap("1.0", "10", "", "127.0.0.1", "PLAIN", "onlyuser".getBytes())).get(2));
        assertEquals("400", strings(zap("1.0", "11", "", "127.0.0.1", "GSSAPI", "principal".getBytes())).get(2),
                "unsupported mechanisms are refused");
        assertEquals(List.of("1.0", "12", "200", "OK", "", ""), strings(zap("1.0", "12", "", "127.0.0.1", "NULL")));
        assertTrue(auth.isRunning());
    }

    @Test
    void addressesAreComparedInCanonicalForm() {
        auth.allow("127.0.0.1", "::1", "fe80::1");
        assertEquals("200", strings(zap("1.0", "1", "", "::ffff:127.0.0.1", "NULL")).get(2));
        assertEquals("200", strings(zap("1.0", "2", "", "0:0:0:0:0:0:0:1", "NULL")).get(2));
        assertEquals("200", strings(zap("1.0", "5", "", "fe80:0:0:0:0:0:0:1%1", "NULL")).get(2), "zone ids are ignored");
        assertEquals("400", strings(zap("1.0", "3", "", "127.0.0.2", "NULL")).get(2));
        assertEquals("400", strings(zap("1.0", "4", "", "", "NULL")).get(2), "ipc:// peers have no address");
    }

    @Test
    void allowedAddressStillNeedsGoodCredentials() {
        auth.allow("127.0.0.1");
        auth.configurePlain(Authenticator.ANY_DOMAIN, Map.of("u", "p"));
        assertEquals("400", strings(zap("1.0", "1", "", "127.0.0.1", "PLAIN", "u".getBytes(), "x".getBytes())).get(2));
        assertEquals("200", strings(zap("1.0", "2", "", "127.0.0.1", "PLAIN", "u".getBytes(), "p".getBytes())).get(2));
    }

    @Test
    void configurationChangesFromManyThreadsAreAllKept() throws Exception {
        int threads = 4;
        int perThread = 50;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        auth.configurePlain("d" + id + "-" + i, Map.of("u" + i, "p" + id));
                        auth.deny("10.0." + id + "." + i);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            w.start();
            workers.add(w);
        }
        go.countDown();
        // requests are answered while the configuration changes under the handler
        for (int i = 0; i < 20; i++) {
            assertEquals("200", strings(zap("1.0", "n" + i, "", "127.0.0.1", "NULL")).get(2));
        }
        for (Thread w : workers) {
            w.join();
        }
        assertEquals(List.of(), failures);
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i += 7) {
                assertEquals("200", strings(zap("1.0", "x", "d" + t + "-" + i, "127.0.0.1", "PLAIN",
                        ("u" + i).getBytes(), ("p" + t).getBytes())).get(2));
                assertEquals("400", strings(zap("1.0", "y", "", "10.0." + t + "." + i, "NULL")).get(2));
            }
        }
    }

    // ------------------------------------------------------------------ lifetime and logging

    @Test
    void closeStopsTheHandlerAndFreesTheEndpoint() {
        assertThrows(ZmqException.class, () -> new Authenticator(ctx), "one handler per context");
        auth.close();
        assertFalse(auth.isRunning());
        auth.close(); // idempotent
        auth = new Authenticator(ctx);
        assertEquals("200", strings(zap("1.0", "1", "", "127.0.0.1", "NULL")).get(2));
    }

    @Test
    void closingTheContextStopsTheHandlerPromptly() throws InterruptedException {
        ctx.close();
        assertTrue(auth.awaitTermination(Duration.ofSeconds(10)), "the handler thread ends on ETERM");
        assertFalse(auth.isRunning());
        auth.close();
    }

    @Test
    void authenticatorCannotStartInAClosedContext() {
        Context closed = new Context();
        closed.close();
        assertThrows(ZmqException.class, () -> new Authenticator(closed));
    }

    @Test
    void verboseLogsDecisionsAtInfoButNeverPasswords() {
        Logger jul = Logger.getLogger(Authenticator.class.getName());
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(capture);
        try {
            auth.setVerbose(true);
            auth.configurePlain(Authenticator.ANY_DOMAIN, Map.of("alice", "TopSecret1"));
            zap("1.0", "1", "", "127.0.0.1", "PLAIN", "alice".getBytes(), "TopSecret1".getBytes());
            zap("1.0", "2", "", "127.0.0.1", "PLAIN", "alice".getBytes(), "WrongSecret2".getBytes());
        } finally {
            jul.removeHandler(capture);
        }
        String all = records.stream().map(r -> r.getLevel() + " " + r.getMessage()).reduce("", (a, b) -> a + "\n" + b);
        assertTrue(all.contains("INFO") && all.contains("allowed") && all.contains("denied"), all);
        assertFalse(all.contains("TopSecret1") || all.contains("WrongSecret2"), all);
    }

    // ------------------------------------------------------------------ helpers

    /** A REP server with a monitor of its handshakes. */
    private final class Server {
        final Socket socket;
        final LinkedBlockingQueue<SocketEvent> events = new LinkedBlockingQueue<>();

        Server(Socket socket) {
            this.socket = socket;
        }

        /** A REQ client connected to this server. */
        Client client(Setup setup) {
            Socket s = socket(SocketType.REQ);
            setup.apply(s);
            Client client = new Client(s);
            s.addMonitor(client.events::add, HANDSHAKE_EVENTS);
            s.connect(socket.lastEndpoint());
            return client;
        }

        /** The client's "hello" arrives and the reply goes back; returns the User-Id property. */
        String accepts(Client client) {
            client.sendHello();
            byte[] got = socket.recv();
            assertNotNull(got, () -> "nothing arrived; server events: " + events);
            assertEquals("hello", new String(got, StandardCharsets.UTF_8));
            String userId = socket.messageProperty("User-Id");
            socket.send("welcome".getBytes());
            assertArrayEquals("welcome".getBytes(), client.socket.recv());
            return userId;
        }

        /** The handshake fails with ZAP status 400 on both sides, and nothing is delivered. */
        void refuses(Client client) {
            client.sendHello();
            SocketEvent c = nextHandshakeEvent(client.events);
            assertEquals(SocketEvent.Type.HANDSHAKE_FAILED_AUTH, c.type(), c::toString);
            assertEquals(400, c.value());
            SocketEvent e;
            do { // successes of earlier clients may come first
                e = nextHandshakeEvent(events);
            } while (e.type() == SocketEvent.Type.HANDSHAKE_SUCCEEDED);
            assertEquals(SocketEvent.Type.HANDSHAKE_FAILED_AUTH, e.type(), e::toString);
            assertEquals(400, e.value());
            assertNull(socket.recv(Socket.DONTWAIT));
        }
    }

    /** A REQ client with a monitor of its handshakes. */
    private static final class Client {
        final Socket socket;
        final LinkedBlockingQueue<SocketEvent> events = new LinkedBlockingQueue<>();

        private boolean sent;

        Client(Socket socket) {
            this.socket = socket;
        }

        /** Sends the request once; a refused client's request waits in its queue for a later success. */
        void sendHello() {
            if (!sent) {
                socket.send("hello".getBytes());
                sent = true;
            }
        }
    }

    private interface Setup {
        void apply(Socket s);
    }

    private Server server(Setup setup) {
        Socket s = socket(SocketType.REP);
        setup.apply(s);
        Server server = new Server(s);
        s.addMonitor(server.events::add, HANDSHAKE_EVENTS);
        s.bind("tcp://127.0.0.1:*");
        return server;
    }

    private static Client plainClient(Server server, String user, String password) {
        return server.client(s -> {
            s.setOption(Option.PLAIN_USERNAME, user);
            s.setOption(Option.PLAIN_PASSWORD, password);
        });
    }

    private Server curveServer(Certificate cert) {
        return curveServer(cert, null);
    }

    private Server curveServer(Certificate cert, String domain) {
        return server(s -> {
            s.setOption(Option.CURVE_SERVER, true);
            cert.apply(s);
            if (domain != null) {
                s.setOption(Option.ZAP_DOMAIN, domain);
            }
        });
    }

    private static Client curveClient(Server server, Certificate cert, Certificate serverCert) {
        return server.client(s -> {
            cert.apply(s);
            s.setOption(Option.CURVE_SERVERKEY, serverCert.publicKey());
        });
    }

    private Socket socket(SocketType type) {
        Socket s = ctx.socket(type);
        s.setOption(Option.LINGER, 0);
        s.setOption(Option.RCVTIMEO, 10_000);
        sockets.add(s);
        return s;
    }

    private static SocketEvent nextHandshakeEvent(LinkedBlockingQueue<SocketEvent> events) {
        try {
            SocketEvent e = events.poll(10, TimeUnit.SECONDS);
            assertNotNull(e, "no handshake event within 10 s");
            return e;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Sends a well-formed ZAP request (as a server's engine would) and returns the reply frames. */
    private List<byte[]> zap(String version, String requestId, String domain, String address, String mechanism,
                             byte[]... credentials) {
        List<byte[]> frames = new ArrayList<>(List.of(version.getBytes(), requestId.getBytes(), domain.getBytes(),
                address.getBytes(), new byte[0], mechanism.getBytes()));
        frames.addAll(List.of(credentials));
        return zapFrames(frames);
    }

    private List<byte[]> zapRaw(String... frames) {
        List<byte[]> f = new ArrayList<>();
        for (String s : frames) {
            f.add(s.getBytes());
        }
        return zapFrames(f);
    }

    private List<byte[]> zapFrames(List<byte[]> frames) {
        try (Socket req = ctx.socket(SocketType.REQ)) {
            req.setOption(Option.LINGER, 0);
            req.setOption(Option.RCVTIMEO, 10_000);
            req.connect(Authenticator.ENDPOINT);
            for (int i = 0; i < frames.size() - 1; i++) {
                req.sendMore(frames.get(i));
            }
            req.send(frames.get(frames.size() - 1));
            List<byte[]> reply = new ArrayList<>();
            do {
                byte[] frame = req.recv();
                assertNotNull(frame, "the authenticator did not answer");
                reply.add(frame);
            } while (req.hasMore());
            assertEquals(6, reply.size(), "a ZAP reply has 6 frames after the envelope");
            return reply;
        }
    }

    private static List<String> strings(List<byte[]> frames) {
        List<String> out = new ArrayList<>();
        for (byte[] f : frames) {
            out.add(new String(f, StandardCharsets.UTF_8));
        }
        return out;
    }
}
