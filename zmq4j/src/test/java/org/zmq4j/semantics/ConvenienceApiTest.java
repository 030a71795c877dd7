package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Multipart;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.support.LibzmqScript;

/**
 * Whole multipart messages in one call with envelope helpers, UTF-8 string helpers,
 * subscribe(String), option setters that take what users type; against zmq4j and against libzmq
 * (pyzmq's send_multipart / recv_multipart / send_string) both ways.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConvenienceApiTest extends SocketTestBase {

    @Test
    void multipartEnvelopeHelpers() {
        Multipart m = Multipart.of("hello", "world");
        m.wrap(new byte[] {0, 1, 2});
        assertEquals(4, m.size());
        assertEquals(0, m.frame(1).length, "wrap puts an empty delimiter after the address");
        assertArrayEquals(new byte[] {0, 1, 2}, m.unwrap());
        assertEquals(List.of("hello", "world"), m.strings(), "unwrap takes the delimiter too");
        m.push("first").add("last");
        assertEquals("first", m.popString());
        assertEquals(11, m.contentSize() - "last".length() + 1);
        assertEquals("[\"hello\", \"world\", \"last\"]", m.toString());
        assertEquals(Multipart.of("hello", "world", "last"), m);
        assertNull(new Multipart().pop());
        assertNull(new Multipart().unwrap());
        assertEquals("[0x00ff]", Multipart.of(new byte[] {0, (byte) 0xff}).toString());
    }

    @Test
    void setHwmSetsBothDirectionsAndPollWaitsOnOneSocket() throws Exception {
        try (Context ctx = new Context(); Socket pull = ctx.socket(SocketType.PULL); Socket push = ctx.socket(SocketType.PUSH)) {
            push.setHwm(7);
            assertEquals(7, push.getOption(Option.SNDHWM));
            assertEquals(7, push.getOption(Option.RCVHWM));
            assertThrows(ZmqException.class, () -> push.setHwm(-1));
            pull.bind("inproc://poll-one");
            assertEquals(0, pull.poll(org.zmq4j.Poller.POLLIN, 0), "nothing to read yet");
            push.connect("inproc://poll-one");
            assertEquals(org.zmq4j.Poller.POLLOUT, push.poll(org.zmq4j.Poller.POLLIN | org.zmq4j.Poller.POLLOUT, 1000));
            long t0 = System.nanoTime();
            assertEquals(0, pull.poll(org.zmq4j.Poller.POLLIN, 50), "times out");
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(45), "waited for the timeout");
            Thread later = new Thread(() -> push.send("late"));
            later.start();
            assertEquals(org.zmq4j.Poller.POLLIN, pull.poll(org.zmq4j.Poller.POLLIN, -1), "woken by the message");
            assertEquals("late", pull.recvString());
            later.join(5000);
        }
    }

    @Test
    void routerDealerWholeMessages() {
        try (Socket router = socket(SocketType.ROUTER); Socket dealer = socket(SocketType.DEALER)) {
            bindAny(router);
            dealer.connect(router.lastEndpoint());
            assertTrue(dealer.send(Multipart.of("", "request", "")));
            Multipart got = router.recvMultipart();
            assertEquals(4, got.size(), got.toString());
            byte[] peer = got.unwrap();
            assertEquals(List.of("request", ""), got.strings());
            router.send(Multipart.of("reply").wrap(peer));
            Multipart reply = dealer.recvMultipart();
            assertEquals(List.of("", "reply"), reply.strings());
            assertNull(dealer.recvMultipart(Socket.DONTWAIT));
        }
    }

    @Test
    void aWholeMessageIsAllOrNothingAtTheHighWaterMark() {
        try (Socket push = socket(SocketType.PUSH); Socket pull = socket(SocketType.PULL)) {
            push.setOption(Option.SNDHWM, 1);
            pull.setOption(Option.RCVHWM, 1);
            bindAny(pull);
            push.connect(pull.lastEndpoint());
            int sent = 0;
            while (sent < 10_000 && push.send(Multipart.of("a", "b", "c"), Socket.DONTWAIT)) {
                sent++;
            }
            assertTrue(sent < 10_000, "the pipes filled up");
            assertFalse(push.send(Multipart.of("x", "y"), Socket.DONTWAIT));
            for (int i = 0; i < sent; i++) {
                assertEquals(List.of("a", "b", "c"), pull.recvMultipart().strings(), "message " + i + " arrived whole");
            }
        }
    }

    @Test
    void emptyMessagesAreRefused() {
        try (Socket push = socket(SocketType.PUSH)) {
            assertErrno(ZmqException.Errno.EINVAL, () -> push.send(new Multipart()));
        }
    }

    @Test
    void stringsAndSubscriptions() {
        try (Socket pub = socket(SocketType.PUB); Socket sub = socket(SocketType.SUB)) {
            bindAny(pub);
            sub.connect(pub.lastEndpoint());
            sub.subscribe("wea");
            sub.subscribe("zz");
            sub.unsubscribe("zz");
            syncSubscribers(pub, "wea", sub);
            pub.sendMore("weather");
            pub.send("ünïcode");
            pub.send("zz dropped");
            pub.send("weather again");
            assertEquals(List.of("weather", "ünïcode"), recvSkipping(sub, "wea"));
            assertEquals("weather again", sub.recvString());
            assertNull(sub.recvString(Socket.DONTWAIT));
        }
    }

    @Test
    void optionsTakeWhatUsersType() {
        try (Socket s = socket(SocketType.DEALER)) {
            s.setOption(Option.MAXMSGSIZE, 1024); // an int literal for a long option
            assertEquals(1024L, s.getOption(Option.MAXMSGSIZE));
            @SuppressWarnings({"unchecked", "rawtypes"})
            Option<Object> raw = (Option) Option.SNDHWM;
            ZmqException e = assertThrows(ZmqException.class, () -> s.setOption(raw, "lots"));
            assertEquals(ZmqException.Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().contains("SNDHWM") && e.getMessage().contains("Integer"), e.getMessage());
        }
    }

    private static final String PY_ECHO = String.join("\n",
            "import zmq, sys",
            "c = zmq.Context()",
            "s = c.socket(zmq.ROUTER)",
            "p = s.bind_to_random_port('tcp://127.0.0.1')",
            "print(p, flush=True)",
            "m = s.recv_multipart()",
            "print('|'.join(f.decode() for f in m[2:]), flush=True)",
            "s.send_multipart([m[0], b'', 'réponse'.encode(), b'two'])",
            "d = c.socket(zmq.DEALER)",
            "d.connect(sys.stdin.readline().strip())",
            "d.send_multipart([b'', b'from', b'pyzmq'])",
            "print(d.recv_multipart()[-1].decode(), flush=True)",
            "sys.stdin.readline()");

    @Test
    void wholeMessagesAndStringsWithLibzmqBothWays() {
        try (LibzmqScript py = LibzmqScript.start(PY_ECHO);
             Context ctx = new Context();
             Socket req = ctx.socket(SocketType.REQ);
             Socket rep = ctx.socket(SocketType.REP)) {
            String port = py.readLine(10_000);
            req.connect("tcp://127.0.0.1:" + port);
            req.send(Multipart.of("hello", "wörld"));
            assertEquals("hello|wörld", py.readLine(10_000), py.stderrTail());
            assertEquals(List.of("réponse", "two"), req.recvMultipart().strings());
            rep.bind("tcp://127.0.0.1:*");
            py.writeLine(rep.lastEndpoint());
            assertEquals(List.of("from", "pyzmq"), rep.recvMultipart().strings());
            rep.send("ça va");
            assertEquals("ça va", py.readLine(10_000), py.stderrTail());
            py.writeLine("done");
        }
    }
}
