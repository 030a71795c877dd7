package org.zmq4j.pgm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.support.LibzmqScript;

/**
 * The PGM codec and ZeroMQ's framing inside it against libzmq with OpenPGM (pyzmq), over
 * {@code epgm://} on this machine's loopback, both ways: a libzmq PUB's datagrams read by a JDK
 * multicast channel and decoded into exactly the messages it sent (multipart, empty frames, one
 * message over two datagrams long, many sharing datagrams); and SPM and ODATA packets this codec
 * writes, received by a libzmq SUB as the messages they carry. Not yet a zmq4j socket transport
 * (issue #20): the pieces it will be built from, checked against the real thing.
 */
@Timeout(90)
class PgmLibzmqInteropTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The script's next line, past OpenPGM's warnings (see {@link EpgmLibzmqTest#line}). */
    private static String line(LibzmqScript py) {
        return EpgmLibzmqTest.line(py, 30_000);
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramChannel c = DatagramChannel.open()) {
            c.bind(new InetSocketAddress("127.0.0.1", 0));
            return ((InetSocketAddress) c.getLocalAddress()).getPort();
        }
    }

    private static String group() {
        return "239.192." + (1 + RANDOM.nextInt(250)) + "." + (1 + RANDOM.nextInt(250));
    }

    /** What the libzmq PUB sends, as "frame|frame|" strings (bodies given as text or as a length of 'X's). */
    private static List<String> expectedFromPub() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            out.add("topic|hello-" + i + "|");
        }
        out.add("big|" + "X".repeat(4000) + "|");
        out.add("|empty-first|");
        out.add("last|");
        return out;
    }

    private static final String PUB = String.join("\n",
            "import os, sys, threading, time, zmq",
            "threading.Timer(60, lambda: os._exit(3)).start()",
            EpgmLibzmqTest.STDOUT_APART,
            "c = zmq.Context(); p = c.socket(zmq.PUB)",
            "p.connect(sys.argv[1])",
            "print('ready', flush=True)",
            "sys.stdin.readline()",
            "for i in range(30): p.send_multipart([b'topic', b'hello-%d' % i])",
            "p.send_multipart([b'big', b'X' * 4000])",
            "p.send_multipart([b'', b'empty-first'])",
            "p.send(b'last')",
            "print('sent', flush=True)",
            "sys.stdin.readline()",
            "os._exit(0)");

    @Test
    void libzmqsPublisherIsReadByTheCodec() throws Exception {
        int port = freeUdpPort();
        String group = group();
        NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            ch.setOption(StandardSocketOptions.SO_REUSEPORT, true); // OpenPGM's sockets share the port the same way
            ch.bind(new InetSocketAddress("0.0.0.0", port));
            ch.join(InetAddress.getByName(group), lo);
            ch.configureBlocking(false);
            try (LibzmqScript py = LibzmqScript.start(PUB, "epgm://127.0.0.1;" + group + ":" + port)) {
                assertEquals("ready", line(py));
                py.writeLine("go");
                assertEquals("sent", line(py));
                List<String> expected = expectedFromPub();
                Map<PgmPacket.Tsi, PgmStreamDecoder> decoders = new HashMap<>();
                List<String> got = new ArrayList<>();
                int spms = 0;
                ByteBuffer buf = ByteBuffer.allocate(65536);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (got.size() < expected.size() && System.nanoTime() < deadline) {
                    buf.clear();
                    if (ch.receive(buf) == null) {
                        Thread.sleep(2);
                        continue;
                    }
                    PgmPacket p = PgmCodec.parse(buf.array(), 0, buf.position()); // checksum checked
                    assertEquals(port, p.dataPort());
                    if (p instanceof PgmPacket.Spm) {
                        spms++;
                    } else if (p instanceof PgmPacket.Data d) {
                        for (List<byte[]> m : decoders.computeIfAbsent(d.tsi(), t -> new PgmStreamDecoder(-1)).feed(d.tsdu())) {
                            StringBuilder b = new StringBuilder();
                            for (byte[] f : m) {
                                b.append(new String(f, StandardCharsets.US_ASCII)).append('|');
                            }
                            got.add(b.toString());
                        }
                    }
                }
                assertEquals(expected, got, "every message, in order, from " + decoders.keySet());
                assertTrue(spms > 0, "SPMs seen too");
                assertEquals(1, decoders.size(), "one session");
                py.writeLine("done");
            }
        }
    }

    private static final String SUB = String.join("\n",
            "import os, sys, threading, time, zmq",
            "threading.Timer(60, lambda: os._exit(3)).start()",
            EpgmLibzmqTest.STDOUT_APART,
            "c = zmq.Context(); s = c.socket(zmq.SUB); s.setsockopt(zmq.SUBSCRIBE, b'')",
            "s.connect(sys.argv[1]); time.sleep(0.5)",
            "print('ready', flush=True)",
            "s.rcvtimeo = 20000",
            "try:",
            "    while True:",
            "        m = s.recv_multipart()",
            "        print('|'.join(f.decode() if len(f) < 100 else 'X*%d' % len(f) for f in m), flush=True)",
            "except zmq.Again:",
            "    print('timeout', flush=True)");

    @Test
    void libzmqsSubscriberReadsWhatTheCodecWrites() throws Exception {
        int port = freeUdpPort();
        String group = group();
        NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        byte[] gsi = new byte[6];
        RANDOM.nextBytes(gsi);
        PgmPacket.Tsi tsi = new PgmPacket.Tsi(gsi, 1 + RANDOM.nextInt(65000));
        byte[] here = {127, 0, 0, 1};
        try (LibzmqScript py = LibzmqScript.start(SUB, "epgm://127.0.0.1;" + group + ":" + port);
             DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            assertEquals("ready", line(py));
            ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
            ch.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            ch.bind(new InetSocketAddress("127.0.0.1", 0));
            InetSocketAddress to = new InetSocketAddress(group, port);
            PgmSource source = new PgmSource(tsi, port, here, InetAddress.getByName(group).getAddress(), new PgmTransmitWindow(80), 0);
            for (byte[] d : source.start()) {
                ch.send(ByteBuffer.wrap(d), to);
            }
            List<String> expected = new ArrayList<>();
            long now = 0;
            for (int i = 0; i < 20; i++) {
                for (byte[] d : source.send(List.of("weather".getBytes(StandardCharsets.US_ASCII),
                        ("reading " + i).getBytes(StandardCharsets.US_ASCII)), now++)) {
                    ch.send(ByteBuffer.wrap(d), to);
                }
                expected.add("weather|reading " + i);
            }
            byte[] big = new byte[3000];
            java.util.Arrays.fill(big, (byte) 'X');
            for (byte[] d : source.send(List.of(big), now)) {
                ch.send(ByteBuffer.wrap(d), to);
            }
            expected.add("X*3000");
            for (byte[] d : source.send(List.of("bye".getBytes(StandardCharsets.US_ASCII)), now)) {
                ch.send(ByteBuffer.wrap(d), to);
            }
            expected.add("bye");
            for (byte[] d : source.tick(now + 100)) { // the heartbeat SPM after data
                ch.send(ByteBuffer.wrap(d), to);
            }
            List<String> got = new ArrayList<>();
            while (got.size() < expected.size()) {
                String line = line(py);
                assertTrue(!line.equals("timeout"), "libzmq's SUB got only " + got);
                got.add(line);
            }
            assertEquals(expected, got);
        }
    }
}
