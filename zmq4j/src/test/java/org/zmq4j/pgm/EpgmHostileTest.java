package org.zmq4j.pgm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.zmq4j.pgm.EpgmLibzmqTest.freeUdpPort;
import static org.zmq4j.pgm.EpgmLibzmqTest.group;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.support.ContextPerTest;

/**
 * A zmq4j SUB on {@code epgm://} under hostile datagrams sent at its group and port: random bytes,
 * every truncation of a real packet, flipped bits, lengths that lie, another port's session, a
 * flood of sessions with forged TSIs, frames that claim gigabytes. Afterwards a zmq4j PUB's
 * messages (zmq4j to zmq4j on loopback) still all arrive. Endpoint errors are checked too.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EpgmHostileTest extends ContextPerTest {

    @Test
    void garbageIsDroppedAndTheSubscriberStillReceives() throws Exception {
        String g = group();
        int port = freeUdpPort();
        String endpoint = "epgm://127.0.0.1;" + g + ":" + port;
        Socket sub = ctx.socket(SocketType.SUB);
        sub.setOption(Option.RATE, EpgmLibzmqTest.RATE);
        sub.setOption(Option.RCVTIMEO, 20_000);
        sub.setOption(Option.MAXMSGSIZE, 100_000L);
        sub.setOption(Option.SUBSCRIBE, new byte[0]);
        sub.connect(endpoint);
        InetSocketAddress to = new InetSocketAddress(g, port);
        Random random = new Random(42);
        PgmSource forger = new PgmSource(new PgmPacket.Tsi(new byte[] {6, 6, 6, 6, 6, 6}, 666), port, new byte[] {127, 0, 0, 1},
                InetAddress.getByName(g).getAddress(), new PgmTransmitWindow(100), 0);
        try (DatagramChannel raw = DatagramChannel.open(StandardProtocolFamily.INET)) {
            raw.setOption(StandardSocketOptions.IP_MULTICAST_IF, NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress()));
            raw.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            for (int i = 0; i < 2000; i++) { // random bytes, some with PGM's type nibbles
                byte[] junk = new byte[random.nextInt(1600)];
                random.nextBytes(junk);
                if (junk.length > 5) {
                    junk[4] = (byte) (random.nextBoolean() ? 0x04 : 0x00);
                }
                send(raw, junk, to);
            }
            byte[] good = forger.send(List.of(new byte[3000]), 0).get(0);
            for (int cut = 0; cut < good.length; cut += 13) {
                send(raw, Arrays.copyOf(good, cut), to);
            }
            for (int bit = 0; bit < 200; bit++) {
                byte[] flipped = good.clone();
                flipped[random.nextInt(flipped.length)] ^= (byte) (1 << random.nextInt(8));
                send(raw, flipped, to);
            }
            for (int n = 0; n < 5000; n++) { // sessions with forged TSIs: at most 1024 are kept
                byte[] gsi = new byte[6];
                random.nextBytes(gsi);
                send(raw, PgmCodec.encode(new PgmPacket.Spm(new PgmPacket.Tsi(gsi, n), port, 0, 0, random.nextInt() & 0xFFFFFFFFL,
                        new byte[] {127, 0, 0, 1}, false)), to);
            }
            // a frame that claims 2^40 bytes: refused by MAXMSGSIZE, the forged session resynchronises
            byte[] huge = {0, 0, (byte) 0xFF, 0, 0, 1, 0, 0, 0, 0, 0, 0};
            send(raw, PgmCodec.encode(new PgmPacket.Data(forger.tsi(), port, false, 1_000_000, 0, huge, null)), to);
        }
        Socket pub = ctx.socket(SocketType.PUB);
        pub.setOption(Option.RATE, EpgmLibzmqTest.RATE);
        pub.setOption(Option.LINGER, 0);
        pub.connect(endpoint);
        for (int i = 0; i < 100; i++) {
            EpgmLibzmqTest.send(pub, i);
        }
        for (int i = 0; i < 100; i++) {
            EpgmLibzmqTest.expect(sub, i);
        }
    }

    private static void send(DatagramChannel raw, byte[] datagram, InetSocketAddress to) throws Exception {
        raw.send(ByteBuffer.wrap(datagram), to);
    }

    @Test
    void endpointsAreCheckedAsLibzmqChecksThem() {
        Socket pub = ctx.socket(SocketType.PUB);
        assertEquals(ZmqException.Errno.EPROTONOSUPPORT, assertThrows(ZmqException.class,
                () -> pub.connect("pgm://127.0.0.1;239.192.1.1:5555")).errno(), "raw PGM needs raw sockets");
        assertEquals(ZmqException.Errno.EINVAL, assertThrows(ZmqException.class,
                () -> pub.connect("epgm://127.0.0.1;239.192.1.1")).errno(), "no port");
        assertEquals(ZmqException.Errno.EINVAL, assertThrows(ZmqException.class,
                () -> pub.connect("epgm://127.0.0.1;239.192.1.1:0")).errno(), "port 0");
        assertEquals(ZmqException.Errno.EINVAL, assertThrows(ZmqException.class,
                () -> pub.connect("epgm://127.0.0.1;10.0.0.1:5555")).errno(), "not a multicast group");
        assertEquals(ZmqException.Errno.ENODEV, assertThrows(ZmqException.class,
                () -> pub.connect("epgm://nosuchnic0;239.192.1.1:5555")).errno(), "no such interface");
        Socket req = ctx.socket(SocketType.REQ);
        assertEquals(ZmqException.Errno.ENOCOMPATPROTO, assertThrows(ZmqException.class,
                () -> req.connect("epgm://127.0.0.1;239.192.1.1:5555")).errno(), "PUB, XPUB, SUB and XSUB only");
        assertThrows(ZmqException.class, () -> pub.setOption(Option.RATE, 0));
        pub.setOption(Option.RATE, 1000);
        assertEquals(1000, pub.getOption(Option.RATE));
        assertEquals(10_000, pub.getOption(Option.RECOVERY_IVL));
        assertEquals(1500, pub.getOption(Option.MULTICAST_MAXTPDU));
    }
}
