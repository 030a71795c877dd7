package org.zmq4j.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;
import static org.zmq4j.udp.UdpSupport.datagram;
import static org.zmq4j.udp.UdpSupport.dish;
import static org.zmq4j.udp.UdpSupport.localPort;
import static org.zmq4j.udp.UdpSupport.msg;
import static org.zmq4j.udp.UdpSupport.port;
import static org.zmq4j.udp.UdpSupport.radio;
import static org.zmq4j.udp.UdpSupport.rawChannel;
import static org.zmq4j.udp.UdpSupport.receiveRaw;
import static org.zmq4j.udp.UdpSupport.recv;
import static org.zmq4j.udp.UdpSupport.sync;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Message;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.support.ContextPerTest;

/**
 * The datagram layout against plain java.nio channels ([group length][group][body], libzmq's
 * udp_engine), and hostile datagrams sent straight at a DISH.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UdpWireTest extends ContextPerTest {
    @Test
    void aRadioSendsLengthGroupBody() throws IOException {
        try (DatagramChannel raw = rawChannel()) {
            Socket radio = radio(ctx, "udp://127.0.0.1:" + localPort(raw));
            byte[] first = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (first == null && System.nanoTime() < deadline) {
                radio.send(msg("grp", "hello"));
                first = receiveRaw(raw, UdpSupport.PROBE_MS);
            }
            assertNotNull(first, "no datagram from the radio");
            assertArrayEquals(bytes(3, "grp", "hello"), first);
            while (receiveRaw(raw, 100) != null) {
                // drain the retries
            }
            radio.send(new Message("no group".getBytes(StandardCharsets.UTF_8)));
            assertArrayEquals(bytes(0, "", "no group"), receiveRaw(raw, 5000), "no group is the empty group");
            radio.send(new Message(new byte[0]).withGroup("g"));
            assertArrayEquals(bytes(1, "g", ""), receiveRaw(raw, 5000));
            byte[] body = new byte[8192 - 1 - 1];
            new Random(1).nextBytes(body);
            radio.send(new Message(body).withGroup("g"));
            radio.send(new Message(new byte[body.length + 1]).withGroup("g"));
            radio.send(msg("g", "end"));
            byte[] big = receiveRaw(raw, 5000);
            assertNotNull(big);
            assertEquals(8192, big.length, "the largest datagram is exactly MAX_UDP_MSG bytes");
            assertArrayEquals(body, Arrays.copyOfRange(big, 2, big.length));
            assertArrayEquals(bytes(1, "g", "end"), receiveRaw(raw, 5000), "nothing is sent for the oversized message");
        }
    }

    @Test
    void aPlainDatagramReachesTheDishWithItsGroup() throws IOException {
        Socket dish = dish(ctx, "udp://127.0.0.1:*");
        dish.join("news");
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", port(dish.lastEndpoint()));
        try (DatagramChannel raw = rawChannel()) {
            Message m = sendRawUntilReceived(raw, to, datagram("news", "headline".getBytes(StandardCharsets.UTF_8)), dish);
            assertEquals("news", m.group());
            assertEquals("headline", m.text());
            // the largest datagram a DISH accepts is 8192 bytes
            byte[] body = new byte[8192 - 1 - 4];
            body[body.length - 1] = 7;
            drain(dish);
            raw.send(datagram("news", body), to);
            raw.send(datagram("news", "after".getBytes(StandardCharsets.UTF_8)), to);
            assertArrayEquals(body, recv(dish).data());
            assertEquals("after", recv(dish).text());
        }
    }

    @Test
    void hostileDatagramsAreDroppedAndTheDishKeepsWorking() throws IOException {
        Socket dish = dish(ctx, "udp://127.0.0.1:*");
        dish.join("ok");
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", port(dish.lastEndpoint()));
        try (DatagramChannel raw = rawChannel()) {
            assertMarker(raw, to, dish, 0);

            raw.send(ByteBuffer.allocate(0), to); // empty
            raw.send(ByteBuffer.wrap(new byte[] {5, 'o', 'k'}), to); // group length beyond the end
            raw.send(ByteBuffer.wrap(new byte[] {(byte) 255}), to); // only a length byte
            byte[] almost = new byte[255];
            almost[0] = (byte) 255;
            raw.send(ByteBuffer.wrap(almost), to); // group one byte short
            byte[] oversized = new byte[8193]; // a valid layout, one byte over MAX_UDP_MSG: dropped, never truncated
            oversized[0] = 2;
            oversized[1] = 'o';
            oversized[2] = 'k';
            raw.send(ByteBuffer.wrap(oversized), to);
            byte[] huge = new byte[60_000];
            huge[0] = 2;
            huge[1] = 'o';
            huge[2] = 'k';
            raw.send(ByteBuffer.wrap(huge), to);
            // a marker after the fixed cases: the first message delivered must be it
            assertMarker(raw, to, dish, 1);
            Random random = new Random(42);
            // garbage in rounds small enough for the kernel's receive buffer, each closed by a marker
            for (int round = 2; round <= 16; round++) {
                for (int i = 0; i < 20; i++) {
                    byte[] garbage = new byte[random.nextInt(2000)];
                    random.nextBytes(garbage);
                    if (garbage.length > 0 && (garbage[0] & 0xFF) == 2) {
                        garbage[0] = 3; // keep random data out of the joined group "ok"
                    }
                    raw.send(ByteBuffer.wrap(garbage), to);
                }
                assertMarker(raw, to, dish, round);
            }
        }
        // the I/O thread is alive: a radio still reaches the dish
        Socket radio = radio(ctx, dish.lastEndpoint());
        sync(radio, dish);
    }

    @Test
    void aHostileSenderDoesNotDisturbARadio() throws IOException {
        // two senders, one of which only sends garbage: every radio message arrives, in order
        Socket dish = dish(ctx, "udp://127.0.0.1:*");
        dish.join("g");
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", port(dish.lastEndpoint()));
        Socket radio = radio(ctx, dish.lastEndpoint());
        sync(radio, dish);
        try (DatagramChannel hostile = rawChannel()) {
            for (int i = 0; i < 100; i++) {
                hostile.send(ByteBuffer.wrap(new byte[] {(byte) 200, 1, 2, 3}), to);
                radio.send(msg("g", Integer.toString(i)));
            }
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(Integer.toString(i), recv(dish).text());
        }
    }

    private static Message sendRawUntilReceived(DatagramChannel raw, InetSocketAddress to, ByteBuffer datagram, Socket dish)
            throws IOException {
        dish.setOption(Option.RCVTIMEO, UdpSupport.PROBE_MS);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                raw.send(datagram.duplicate(), to);
                Message m = dish.recvMessage();
                if (m != null) {
                    return m;
                }
            }
            fail("no raw datagram reached the dish");
            return null;
        } finally {
            dish.setOption(Option.RCVTIMEO, UdpSupport.TIMEO_MS);
        }
    }

    /**
     * Sends marker {@code round} until it arrives; everything the dish delivers meanwhile must be a
     * marker of this or an earlier round (retries), never anything hostile.
     */
    private static void assertMarker(DatagramChannel raw, InetSocketAddress to, Socket dish, int round) throws IOException {
        ByteBuffer marker = datagram("ok", ("marker " + round).getBytes(StandardCharsets.UTF_8));
        dish.setOption(Option.RCVTIMEO, UdpSupport.PROBE_MS);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                raw.send(marker.duplicate(), to);
                Message m;
                while ((m = dish.recvMessage()) != null) {
                    assertEquals("ok", m.group());
                    String text = m.text();
                    if (!text.startsWith("marker ") || Integer.parseInt(text.substring(7)) > round) {
                        fail("a hostile datagram was delivered: " + m);
                    }
                    if (Integer.parseInt(text.substring(7)) == round) {
                        return;
                    }
                }
            }
            fail("marker " + round + " never arrived");
        } finally {
            dish.setOption(Option.RCVTIMEO, UdpSupport.TIMEO_MS);
        }
    }

    /** Reads what earlier retries left queued (bounded by a short timeout per read). */
    private static void drain(Socket dish) {
        dish.setOption(Option.RCVTIMEO, 100);
        try {
            while (dish.recvMessage() != null) {
                // discard
            }
        } finally {
            dish.setOption(Option.RCVTIMEO, UdpSupport.TIMEO_MS);
        }
    }

    /** {@code [length][group][body]} built by hand, independently of the code under test. */
    private static byte[] bytes(int length, String group, String body) {
        byte[] g = group.getBytes(StandardCharsets.UTF_8);
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[1 + g.length + b.length];
        out[0] = (byte) length;
        System.arraycopy(g, 0, out, 1, g.length);
        System.arraycopy(b, 0, out, 1 + g.length, b.length);
        return out;
    }
}
