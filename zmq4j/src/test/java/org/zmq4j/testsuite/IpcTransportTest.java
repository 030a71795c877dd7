package org.zmq4j.testsuite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.support.Checks.awaitTrue;
import static org.zmq4j.testsuite.Suite.AWAIT_MS;
import static org.zmq4j.testsuite.Suite.b;
import static org.zmq4j.testsuite.Suite.bound;
import static org.zmq4j.testsuite.Suite.connected;
import static org.zmq4j.testsuite.Suite.expect;
import static org.zmq4j.testsuite.Suite.passes;
import static org.zmq4j.testsuite.Suite.socket;
import static org.zmq4j.testsuite.Suite.str;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;
import org.zmq4j.support.ContextPerTest;

/**
 * ipc:// (real AF_UNIX sockets) beyond the message flows of {@link FlowTest}: {@code ipc://*} and
 * lastEndpoint, the socket file's life (exists while bound; removed on unbind, close and Context
 * close), stale-file replacement, a live listener (EADDRINUSE), abstract names (EPROTONOSUPPORT),
 * relative paths and a missing directory (ENOENT); and with libzmq (pyzmq), wildcard endpoints
 * and a path handed over between the two.
 * <p>
 * Three documented zmq4j choices differ from libzmq 4.3.4 (checked through pyzmq): libzmq unlinks
 * whatever is at the path and binds, even over a live listener (zmq4j: EADDRINUSE); libzmq removes
 * the socket file on unbind/close only for {@code ipc://*} paths (zmq4j: for every path); libzmq
 * supports Linux abstract names {@code ipc://@name} (zmq4j: EPROTONOSUPPORT, the JDK cannot bind
 * them).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IpcTransportTest extends ContextPerTest {
    @TempDir
    Path dir;

    @Override
    protected Duration contextCloseBound() {
        return Duration.ofSeconds(10);
    }

    private Path path(String name) {
        return dir.resolve(name + "-" + Suite.nextId() + ".ipc");
    }

    private static String ipc(Path p) {
        return "ipc://" + p;
    }

    private static Path pathOf(String endpoint) {
        assertTrue(endpoint.startsWith("ipc://"), endpoint);
        return Path.of(endpoint.substring("ipc://".length()));
    }

    /** Whether {@code p} exists and is a Unix domain socket file (S_IFSOCK). */
    private static boolean isSocketFile(Path p) {
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & 0170000) == 0140000;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static void awaitGone(Path p, String when) {
        // the file is removed by the listener's close on an I/O thread: poll with a deadline
        awaitTrue("ipc file " + p + " removed " + when, AWAIT_MS, () -> !Files.exists(p, LinkOption.NOFOLLOW_LINKS));
    }

    private void assertExchange(Socket bound, String endpoint) {
        Socket push = connected(ctx, SocketType.PUSH, endpoint);
        passes(push, bound, "over ipc");
        push.close();
    }

    // ------------------------------------------------------------------ wildcard

    @Test
    void wildcardBindPicksAFreshPath() {
        Socket a = bound(ctx, SocketType.PULL, "ipc://*");
        String epA = a.lastEndpoint();
        Socket b = bound(ctx, SocketType.PULL, "ipc://*");
        String epB = b.lastEndpoint();
        assertNotEquals(epA, epB, "each ipc://* bind gets its own path");
        for (String ep : List.of(epA, epB)) {
            Path p = pathOf(ep);
            assertTrue(p.isAbsolute(), "resolved wildcard path should be absolute: " + ep);
            assertTrue(isSocketFile(p), "a socket file exists at " + p);
        }
        assertExchange(a, epA);
        assertExchange(b, epB);

        Path pa = pathOf(epA);
        a.unbind(epA);
        awaitGone(pa, "after unbind of the resolved wildcard endpoint");
        awaitGone(pa.getParent(), "(the temporary directory made for ipc://*) after unbind");
        Path pb = pathOf(epB);
        b.close();
        awaitGone(pb, "after close");
        awaitGone(pb.getParent(), "(the temporary directory made for ipc://*) after close");
    }

    // ------------------------------------------------------------------ file life

    @Test
    void fileExistsWhileBoundAndIsRemovedOnUnbind() {
        Path p = path("unbind");
        Socket s = bound(ctx, SocketType.PULL, ipc(p));
        assertEquals(ipc(p), s.lastEndpoint());
        assertTrue(isSocketFile(p), "socket file while bound");
        assertExchange(s, ipc(p));
        assertTrue(isSocketFile(p), "socket file still there while bound and connected");
        s.unbind(ipc(p));
        awaitGone(p, "after unbind");
        // the path can be bound again
        s.bind(ipc(p));
        assertTrue(isSocketFile(p));
        assertExchange(s, ipc(p));
    }

    @Test
    void fileIsRemovedOnClose() {
        Path p = path("close");
        Socket s = bound(ctx, SocketType.PULL, ipc(p));
        assertTrue(isSocketFile(p));
        s.close();
        awaitGone(p, "after close");
    }

    @Test
    void fileIsRemovedOnContextClose() {
        Path p = path("ctx-close");
        Context c = new Context();
        try {
            Socket s = socket(c, SocketType.PULL);
            s.bind(ipc(p));
            assertTrue(isSocketFile(p));
        } finally {
            c.close();
        }
        awaitGone(p, "after Context.close()");
    }

    // ------------------------------------------------------------------ stale and live files

    /**
     * A socket file left behind by a listener that is gone (a java.nio UNIX listener closed without
     * deleting its file) is replaced by bind, as libzmq does.
     */
    @Test
    void staleSocketFileIsReplaced() throws IOException {
        Path p = path("stale");
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(p));
        }
        assertTrue(isSocketFile(p), "precondition: closing a java.nio UNIX listener leaves its file");
        Socket s = bound(ctx, SocketType.PULL, ipc(p));
        assertTrue(isSocketFile(p));
        assertExchange(s, ipc(p));
        s.close();
        awaitGone(p, "after close");
    }

    /**
     * A live listener on the path (another process or library) makes bind fail with EADDRINUSE and
     * is left working. (libzmq 4.3.4 instead unlinks the file and steals the path.)
     */
    @Test
    void liveForeignListenerIsAddressInUse() throws IOException {
        Path p = path("live");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(p));
            Socket s = socket(ctx, SocketType.PULL);
            ZmqException e = assertThrows(ZmqException.class, () -> s.bind(ipc(p)));
            assertEquals(Errno.EADDRINUSE, e.errno(), e.getMessage());
            assertTrue(isSocketFile(p), "the live listener's file must be left alone");
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(p));
                 SocketChannel accepted = live.accept()) {
                assertNotNull(accepted, "the live listener still accepts");
                assertTrue(client.isConnected());
            }
        }
    }

    /** Two zmq4j sockets binding one path: the second gets EADDRINUSE, the first keeps working. */
    @Test
    void liveZmq4jListenerIsAddressInUse() {
        Path p = path("live-zmq4j");
        Socket first = bound(ctx, SocketType.PULL, ipc(p));
        Socket second = socket(ctx, SocketType.PULL);
        ZmqException e = assertThrows(ZmqException.class, () -> second.bind(ipc(p)));
        assertEquals(Errno.EADDRINUSE, e.errno(), e.getMessage());
        assertTrue(isSocketFile(p));
        assertExchange(first, ipc(p));
    }

    // ------------------------------------------------------------------ disconnect

    /**
     * A PUSH connected to two PULLs over ipc disconnects from one: the messages sent right after
     * go to the other. libzmq 4.3.4 (pyzmq, same steps with 10 messages): all reach the remaining
     * PULL, none is lost (zmq_disconnect deactivates the pipe before it returns). The outcome in
     * zmq4j depends on how quickly its I/O thread detaches the peer, so this test may miss the
     * defect on a given run; it never fails when the behaviour is right.
     */
    @Test
    void disconnectOneOfTwoPeers() {
        String ep1 = ipc(path("disconnect-1"));
        String ep2 = ipc(path("disconnect-2"));
        Socket pull1 = bound(ctx, SocketType.PULL, ep1);
        Socket pull2 = socket(ctx, SocketType.PULL);
        pull2.bind(ep2);
        Socket push = connected(ctx, SocketType.PUSH, ep1);
        push.connect(ep2);
        // both connections up: send until each PULL has had a message
        boolean[] got = new boolean[2];
        awaitTrue("both PULLs connected", AWAIT_MS, () -> {
            push.send(b("warm-up"), Socket.DONTWAIT);
            got[0] |= pull1.recv(Socket.DONTWAIT) != null;
            got[1] |= pull2.recv(Socket.DONTWAIT) != null;
            return got[0] && got[1];
        });
        pull1.setOption(Option.RCVTIMEO, 200);
        pull2.setOption(Option.RCVTIMEO, 200);
        while (pull1.recv() != null) {
            // drain warm-ups
        }
        while (pull2.recv() != null) {
            // drain warm-ups
        }
        push.disconnect(ep1);
        int count = 100;
        for (int i = 0; i < count; i++) {
            assertTrue(push.send(b("m" + i)), "send " + i + " after disconnect");
        }
        int toDisconnected = 0;
        while (pull1.recv() != null) {
            toDisconnected++;
        }
        int toRemaining = 0;
        while (pull2.recv() != null) {
            toRemaining++;
        }
        assertEquals(0, toDisconnected, "messages delivered to the disconnected PULL");
        assertEquals(count, toRemaining, "all " + count + " messages sent after disconnect must reach the remaining PULL; "
                + (count - toRemaining - toDisconnected) + " were lost");
    }

    // ------------------------------------------------------------------ names

    @Test
    void abstractNamesAreNotSupported() {
        Socket s = socket(ctx, SocketType.PULL);
        ZmqException bind = assertThrows(ZmqException.class, () -> s.bind("ipc://@zmq4j-abstract-test"));
        assertEquals(Errno.EPROTONOSUPPORT, bind.errno(), bind.getMessage());
        Socket c = socket(ctx, SocketType.PUSH);
        ZmqException connect = assertThrows(ZmqException.class, () -> c.connect("ipc://@zmq4j-abstract-test"));
        assertEquals(Errno.EPROTONOSUPPORT, connect.errno(), connect.getMessage());
    }

    /** A relative path is relative to the working directory (libzmq: same; lastEndpoint as given). */
    @Test
    void relativePath() throws IOException {
        Files.createDirectories(Path.of("target"));
        String rel = "target/zmq4j-rel-" + ProcessHandle.current().pid() + "-" + Suite.nextId() + ".ipc";
        Path p = Path.of(rel);
        try {
            Socket s = bound(ctx, SocketType.PULL, "ipc://" + rel);
            assertEquals("ipc://" + rel, s.lastEndpoint());
            assertTrue(isSocketFile(p.toAbsolutePath()), "socket file at " + p.toAbsolutePath());
            assertExchange(s, "ipc://" + rel);
            assertExchange(s, "ipc://" + p.toAbsolutePath());
            s.close();
            awaitGone(p, "after close");
        } finally {
            Files.deleteIfExists(p);
        }
    }

    /** A path in a directory that does not exist: ENOENT (libzmq 4.3.4: ENOENT). */
    @Test
    void missingDirectoryIsNoEntry() {
        Socket s = socket(ctx, SocketType.PULL);
        ZmqException e = assertThrows(ZmqException.class, () -> s.bind(ipc(dir.resolve("no-such-dir").resolve("x.ipc"))));
        assertEquals(Errno.ENOENT, e.errno(), e.getMessage());
    }

    /** Connecting before anything is bound, then binding: the connecter reconnects and delivers. */
    @Test
    void connectRetriesUntilBound() {
        Path p = path("late");
        Socket push = connected(ctx, SocketType.PUSH, ipc(p));
        assertTrue(push.send(b("queued")));
        Socket pull = bound(ctx, SocketType.PULL, ipc(p));
        assertEquals("queued", str(pull.recv()));
    }

    // ------------------------------------------------------------------ with libzmq

    /** libzmq reaches a zmq4j ipc://* endpoint through the resolved path; zmq4j reaches libzmq's. */
    @Test
    void wildcardEndpointsInteroperateWithLibzmq() {
        try (LibzmqPeer peer = LibzmqPeer.start()) {
            End zPull = new Zmq4jEnd(ctx, SocketType.PULL);
            String zEp = zPull.bind("ipc://*");
            assertTrue(zEp.startsWith("ipc:///"), zEp);
            End lPush = new LibzmqEnd(peer, SocketType.PUSH);
            lPush.connect(zEp);
            lPush.send(Msg.of("from libzmq"));
            expect(zPull, Msg.of("from libzmq"), "zmq4j PULL");

            End lPull = new LibzmqEnd(peer, SocketType.PULL);
            String lEp = lPull.bind("ipc://" + dir.resolve("libzmq-bound.ipc"));
            assertTrue(Files.exists(dir.resolve("libzmq-bound.ipc")), "libzmq made the socket file");
            End zPush = new Zmq4jEnd(ctx, SocketType.PUSH);
            zPush.connect(lEp);
            zPush.send(Msg.of("from zmq4j"));
            expect(lPull, Msg.of("from zmq4j"), "libzmq PULL");
        }
    }

    private static boolean refusesConnections(Path file) {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(file))) {
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (IOException other) {
            return !Files.exists(file);
        }
    }

    /**
     * A path libzmq bound and then unbound can be bound by zmq4j, and libzmq connects to it; and the
     * reverse. libzmq 4.3.4 leaves the socket file of an explicit path behind on unbind/close (it
     * removes only ipc://* files; checked through pyzmq), so zmq4j's bind must replace that stale
     * file once libzmq's I/O thread has closed the listener.
     */
    @Test
    void pathHandedOverBetweenLibzmqAndZmq4j() {
        try (LibzmqPeer peer = LibzmqPeer.start()) {
            Path file = dir.resolve("handover.ipc");
            String ep = "ipc://" + file;
            End lPull = new LibzmqEnd(peer, SocketType.PULL);
            lPull.bind(ep);
            lPull.unbind(ep);
            // libzmq closes the listener on its I/O thread after zmq_unbind returns: wait until the
            // file refuses connections (stale)
            awaitTrue("libzmq's listener at " + file + " closed after unbind", AWAIT_MS, () -> refusesConnections(file));
            End zPull = new Zmq4jEnd(ctx, SocketType.PULL);
            zPull.bind(ep);
            End lPush = new LibzmqEnd(peer, SocketType.PUSH);
            lPush.connect(ep);
            lPush.send(Msg.of("handed over"));
            expect(zPull, Msg.of("handed over"), "zmq4j PULL on the reused path");

            String ep2 = "ipc://" + dir.resolve("handback.ipc");
            zPull.bind(ep2);
            zPull.unbind(ep2);
            awaitTrue("zmq4j removes its socket file on unbind", AWAIT_MS, () -> !Files.exists(dir.resolve("handback.ipc")));
            End lPull2 = new LibzmqEnd(peer, SocketType.PULL);
            lPull2.bind(ep2);
            End zPush = new Zmq4jEnd(ctx, SocketType.PUSH);
            zPush.connect(ep2);
            zPush.send(Msg.of("handed back"));
            expect(lPull2, Msg.of("handed back"), "libzmq PULL on the reused path");
        }
    }
}
