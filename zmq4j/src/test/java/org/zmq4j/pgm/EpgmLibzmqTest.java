package org.zmq4j.pgm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.support.ContextPerTest;
import org.zmq4j.support.LibzmqScript;

/**
 * zmq4j's {@code epgm://} sockets against libzmq with OpenPGM (pyzmq), on this machine's loopback,
 * both ways: a zmq4j PUB to a libzmq SUB and a libzmq PUB to a zmq4j SUB, 600 messages in order,
 * multipart, frames from 0 bytes to many times a packet (so one message spans packets and many
 * share one), checked frame by frame (length and CRC-32). Loss and repair are in {@link
 * EpgmLossTest} (two network namespaces), hostile datagrams in {@link EpgmHostileTest}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EpgmLibzmqTest extends ContextPerTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Frame sizes around the 1426 bytes of 0MQ data in a packet, and far past it. */
    static final int[] SIZES = {0, 1, 10, 254, 255, 1424, 1425, 1426, 1427, 1428, 3000, 5000, 20000, 3};
    static final int COUNT = 600;
    /**
     * 20 Mbit/s: on one host's loopback, NAK repair cannot work (the unicast NAK may reach any socket
     * sharing the port; docs/pgm-notes.md §7), so the rate stays below what loses packets here.
     */
    static final int RATE = 20_000;

    /** The same generator as {@link #message}, in Python: what message i is. */
    /**
     * Python lines that give the script's prints a standard output of their own and send OpenPGM's
     * C-level warnings to standard error, so the two can never interleave within a line.
     */
    static final String STDOUT_APART = String.join("\n",
            "import os, sys",
            "sys.stdout = os.fdopen(os.dup(1), 'w', buffering=1)",
            "os.dup2(2, 1)");

    static final String PY_MESSAGES = String.join("\n",
            STDOUT_APART,
            "SIZES = [0, 1, 10, 254, 255, 1424, 1425, 1426, 1427, 1428, 3000, 5000, 20000, 3]",
            "def message(i):",
            "    body = bytes([i % 251]) * SIZES[i % len(SIZES)]",
            "    m = [b'T%d' % i, body]",
            "    if i % 5 == 0: m.append(b'')",
            "    if i % 7 == 0: m.append(b'tail-%d' % i)",
            "    return m",
            "import zlib",
            "def describe(m):",
            "    return ' '.join('%d:%08x' % (len(f), zlib.crc32(f) & 0xffffffff) for f in m)");

    /** Message i: a topic, a body of a size from {@link #SIZES}, sometimes an empty frame and a tail. */
    static List<byte[]> message(int i) {
        byte[] body = new byte[SIZES[i % SIZES.length]];
        java.util.Arrays.fill(body, (byte) (i % 251));
        List<byte[]> m = new ArrayList<>();
        m.add(("T" + i).getBytes());
        m.add(body);
        if (i % 5 == 0) {
            m.add(new byte[0]);
        }
        if (i % 7 == 0) {
            m.add(("tail-" + i).getBytes());
        }
        return m;
    }

    /** Sends message i. */
    static void send(Socket pub, int i) {
        List<byte[]> m = message(i);
        for (int f = 0; f < m.size(); f++) {
            pub.send(m.get(f), f < m.size() - 1 ? Socket.SNDMORE : 0);
        }
    }

    /** Receives the next message and checks that it is message i. */
    static void expect(Socket sub, int i) {
        List<byte[]> m = new ArrayList<>();
        do {
            byte[] f = sub.recv();
            assertNotNull(f, "message " + i + " (RCVTIMEO)");
            m.add(f);
        } while (sub.hasMore());
        assertEquals("T" + i + " " + describe(message(i)), new String(m.get(0)) + " " + describe(m), "message " + i);
    }

    static String describe(List<byte[]> m) {
        StringBuilder b = new StringBuilder();
        for (byte[] f : m) {
            CRC32 crc = new CRC32();
            crc.update(f);
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(f.length).append(':').append(String.format("%08x", crc.getValue()));
        }
        return b.toString();
    }

    static int freeUdpPort() throws Exception {
        try (DatagramChannel c = DatagramChannel.open()) {
            c.bind(new InetSocketAddress("127.0.0.1", 0));
            return ((InetSocketAddress) c.getLocalAddress()).getPort();
        }
    }

    static String group() {
        return "239.193." + (1 + RANDOM.nextInt(250)) + "." + (1 + RANDOM.nextInt(250));
    }

    /** The script's next line, past OpenPGM's warnings (printed on standard output, some blank). */
    static String line(LibzmqScript py, long timeoutMillis) {
        for (int i = 0; i < 100; i++) {
            String l = py.readLine(timeoutMillis);
            if (!l.startsWith("Warn: ") && !l.isBlank()) {
                return l;
            }
        }
        throw new AssertionError("only OpenPGM warnings from the script");
    }

    static final String LIBZMQ_SUB = String.join("\n",
            "import os, sys, threading, time, zmq",
            "threading.Timer(150, lambda: os._exit(3)).start()",
            PY_MESSAGES,
            "c = zmq.Context(); s = c.socket(zmq.SUB); s.setsockopt(zmq.SUBSCRIBE, b'')",
            "s.setsockopt(zmq.RATE, int(sys.argv[2])); s.setsockopt(zmq.RCVHWM, 100000)",
            "s.connect(sys.argv[1]); time.sleep(0.5)",
            "print('ready', flush=True)",
            "s.rcvtimeo = 60000",
            "try:",
            "    for n in range(int(sys.argv[3])):",
            "        m = s.recv_multipart()",
            "        print(m[0].decode() + ' ' + describe(m), flush=True)",
            "except zmq.Again:",
            "    print('timeout', flush=True)",
            "sys.stdin.readline()",
            "os._exit(0)");

    @Test
    void aZmq4jPublisherReachesALibzmqSubscriber() throws Exception {
        String endpoint = "epgm://127.0.0.1;" + group() + ":" + freeUdpPort();
        try (LibzmqScript py = LibzmqScript.start(LIBZMQ_SUB, endpoint, String.valueOf(RATE), String.valueOf(COUNT))) {
            assertEquals("ready", line(py, 30_000));
            Socket pub = ctx.socket(SocketType.PUB);
            pub.setOption(Option.RATE, RATE);
            pub.setOption(Option.SNDHWM, 100_000);
            pub.setOption(Option.LINGER, 5000);
            pub.connect(endpoint);
            for (int i = 0; i < COUNT; i++) {
                send(pub, i);
            }
            for (int i = 0; i < COUNT; i++) {
                String got = line(py, 30_000);
                assertEquals("T" + i + " " + describe(message(i)), got, "message " + i + " as libzmq's SUB received it");
            }
            pub.close();
        }
    }

    static final String LIBZMQ_PUB = String.join("\n",
            "import os, sys, threading, time, zmq",
            "threading.Timer(150, lambda: os._exit(3)).start()",
            PY_MESSAGES,
            "c = zmq.Context(); p = c.socket(zmq.PUB)",
            "p.setsockopt(zmq.RATE, int(sys.argv[2])); p.setsockopt(zmq.SNDHWM, 100000)",
            "p.connect(sys.argv[1])",
            "print('ready', flush=True)",
            "sys.stdin.readline()",
            "for i in range(int(sys.argv[3])): p.send_multipart(message(i))",
            "print('sent', flush=True)",
            "sys.stdin.readline()",
            "os._exit(0)");

    @Test
    void aLibzmqPublisherReachesAZmq4jSubscriber() throws Exception {
        String endpoint = "epgm://127.0.0.1;" + group() + ":" + freeUdpPort();
        Socket sub = ctx.socket(SocketType.SUB);
        sub.setOption(Option.RATE, RATE); // sizes the receive window, as in libzmq
        sub.setOption(Option.RCVHWM, 100_000);
        sub.setOption(Option.RCVTIMEO, 20_000);
        sub.setOption(Option.SUBSCRIBE, new byte[0]);
        sub.connect(endpoint);
        try (LibzmqScript py = LibzmqScript.start(LIBZMQ_PUB, endpoint, String.valueOf(RATE), String.valueOf(COUNT))) {
            assertEquals("ready", line(py, 30_000));
            py.writeLine("go");
            for (int i = 0; i < COUNT; i++) {
                expect(sub, i);
            }
            assertEquals("sent", line(py, 30_000));
            py.writeLine("done");
        }
    }

    @Test
    void aSubscriberFiltersWhatThePublisherSendsToAll() throws Exception {
        String endpoint = "epgm://127.0.0.1;" + group() + ":" + freeUdpPort();
        Socket sub = ctx.socket(SocketType.SUB);
        sub.setOption(Option.RCVTIMEO, 20_000);
        sub.setOption(Option.SUBSCRIBE, "T1".getBytes());
        sub.connect(endpoint);
        try (LibzmqScript py = LibzmqScript.start(LIBZMQ_PUB, endpoint, String.valueOf(RATE), "30")) {
            assertEquals("ready", line(py, 30_000));
            py.writeLine("go");
            List<String> topics = new ArrayList<>();
            for (int n = 0; n < 11; n++) { // T1, T10..T19
                byte[] f = sub.recv();
                assertNotNull(f, "after " + topics);
                topics.add(new String(f));
                while (sub.hasMore()) {
                    sub.recv();
                }
            }
            assertEquals(List.of("T1", "T10", "T11", "T12", "T13", "T14", "T15", "T16", "T17", "T18", "T19"), topics);
            py.writeLine("done");
        }
    }

    @Test
    void anXpubSendsToAllWithoutASubscriptionMessageAndAnXsubReceives() throws Exception {
        String endpoint = "epgm://127.0.0.1;" + group() + ":" + freeUdpPort();
        try (LibzmqScript py = LibzmqScript.start(LIBZMQ_SUB, endpoint, String.valueOf(RATE), "50")) {
            assertEquals("ready", line(py, 30_000));
            Socket xpub = ctx.socket(SocketType.XPUB);
            xpub.setOption(Option.RATE, RATE);
            xpub.setOption(Option.SNDHWM, 100_000);
            xpub.connect(endpoint);
            for (int i = 0; i < 50; i++) {
                send(xpub, i);
            }
            for (int i = 0; i < 50; i++) {
                assertEquals("T" + i + " " + describe(message(i)), line(py, 30_000));
            }
            assertNull(xpub.recv(Socket.DONTWAIT), "the implicit subscription to everything is not passed up, as in libzmq");
        }
        String second = "epgm://127.0.0.1;" + group() + ":" + freeUdpPort();
        Socket xsub = ctx.socket(SocketType.XSUB);
        xsub.setOption(Option.RATE, RATE);
        xsub.setOption(Option.RCVTIMEO, 20_000);
        xsub.connect(second);
        xsub.send(new byte[] {1}); // subscribe to all: filtered here, never sent over PGM
        try (LibzmqScript py = LibzmqScript.start(LIBZMQ_PUB, second, String.valueOf(RATE), "50")) {
            assertEquals("ready", line(py, 30_000));
            py.writeLine("go");
            for (int i = 0; i < 50; i++) {
                expect(xsub, i);
            }
            py.writeLine("done");
        }
    }

    private static final String LIBZMQ_STREAMING_PUB = String.join("\n",
            "import os, sys, threading, time, zmq",
            "threading.Timer(100, lambda: os._exit(3)).start()",
            PY_MESSAGES,
            "c = zmq.Context(); p = c.socket(zmq.PUB)",
            "p.setsockopt(zmq.RATE, int(sys.argv[2]))",
            "p.connect(sys.argv[1])",
            "print('sending', flush=True)",
            "i = 0",
            "while True:",
            "    p.send_multipart(message(i)); i += 1",
            "    if i % 20 == 0: time.sleep(0.005)");

    @Test
    void aSubscriberJoiningALibzmqStreamLateStartsAtAWholeMessage() throws Exception {
        String endpoint = "epgm://127.0.0.1;" + group() + ":" + freeUdpPort();
        try (LibzmqScript py = LibzmqScript.start(LIBZMQ_STREAMING_PUB, endpoint, String.valueOf(RATE))) {
            assertEquals("sending", line(py, 30_000));
            Socket probe = ctx.socket(SocketType.SUB); // waits until the stream is on the wire before the late one joins
            probe.setOption(Option.RATE, RATE);
            probe.setOption(Option.RCVTIMEO, 20_000);
            probe.setOption(Option.SUBSCRIBE, new byte[0]);
            probe.connect(endpoint);
            assertNotNull(probe.recv(), "the stream is flowing");
            Socket late = ctx.socket(SocketType.SUB);
            late.setOption(Option.RATE, RATE);
            late.setOption(Option.RCVTIMEO, 20_000);
            late.setOption(Option.SUBSCRIBE, new byte[0]);
            late.connect(endpoint);
            byte[] first = late.recv();
            assertNotNull(first, "the late subscriber receives");
            String topic = new String(first);
            assertTrue(topic.matches("T\\d+"), "it starts at a message's first frame, not inside one: " + topic);
            int start = Integer.parseInt(topic.substring(1));
            List<byte[]> m = new ArrayList<>(List.of(first));
            while (late.hasMore()) {
                m.add(late.recv());
            }
            assertEquals(describe(message(start)), describe(m), "message " + start + " whole");
            for (int i = start + 1; i < start + 100; i++) {
                expect(late, i);
            }
        }
    }
}
