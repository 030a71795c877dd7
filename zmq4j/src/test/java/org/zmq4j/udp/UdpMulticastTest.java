package org.zmq4j.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zmq4j.udp.UdpSupport.dish;
import static org.zmq4j.udp.UdpSupport.msg;
import static org.zmq4j.udp.UdpSupport.port;
import static org.zmq4j.udp.UdpSupport.radio;
import static org.zmq4j.udp.UdpSupport.recv;
import static org.zmq4j.udp.UdpSupport.sync;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.support.ContextPerTest;

/**
 * RADIO → DISH over IPv4 multicast on the loopback interface ({@code udp://127.0.0.1;group:port}
 * and {@code udp://lo;group:port}), so nothing leaves the machine. Skipped where the loopback
 * interface cannot carry multicast, as libzmq's test_radio_dish skips (is_multicast_available).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UdpMulticastTest extends ContextPerTest {
    private static final String GROUP = "239.255.77.";
    private static int nextGroup = 1;

    @BeforeAll
    static void multicastOnLoopback() {
        Assumptions.assumeTrue(probe(), "IPv4 multicast does not work on the loopback interface here");
    }

    /** Whether plain channels can send and receive a multicast datagram through the loopback interface. */
    private static boolean probe() {
        try (DatagramChannel rx = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel tx = DatagramChannel.open(StandardProtocolFamily.INET)) {
            NetworkInterface lo = NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
            InetAddress group = InetAddress.getByName(GROUP + "250");
            rx.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            rx.bind(new InetSocketAddress(0));
            rx.join(group, lo);
            rx.configureBlocking(false);
            tx.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
            tx.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            int port = ((InetSocketAddress) rx.getLocalAddress()).getPort();
            tx.send(ByteBuffer.wrap(new byte[] {0, 'p'}), new InetSocketAddress(group, port));
            return UdpSupport.receiveRaw(rx, 2000) != null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static synchronized String group() {
        return GROUP + nextGroup++;
    }

    @Test
    void aRadioReachesADishThroughAGroupOnTheLoopbackAddress() {
        String group = group();
        Socket dish = dish(ctx, "udp://127.0.0.1;" + group + ":*");
        String ep = dish.lastEndpoint();
        assertTrue(ep.matches("udp://127\\.0\\.0\\.1;" + group.replace(".", "\\.") + ":\\d+"), ep);
        Socket radio = radio(ctx, ep);
        sync(radio, dish);
        dish.join("g");
        radio.send(msg("g", "multicast"));
        assertEquals("multicast", recv(dish).text());
    }

    @Test
    void twoDishesOnOneGroupAndPortBothReceive() {
        String group = group();
        String nic = loopbackName();
        Socket d1 = dish(ctx, "udp://" + nic + ";" + group + ":*");
        int port = port(d1.lastEndpoint());
        Socket d2 = dish(ctx, "udp://" + nic + ";" + group + ":" + port);
        Socket radio = radio(ctx, "udp://" + nic + ";" + group + ":" + port);
        sync(radio, d1);
        sync(radio, d2);
        d1.join("g");
        d2.join("g");
        radio.send(msg("g", "to both"));
        assertEquals("to both", recv(d1).text());
        assertEquals("to both", recv(d2).text());
    }

    /*
     * MULTICAST_LOOP=false is applied (IP_MULTICAST_LOOP) but cannot be observed here: when the
     * outgoing interface is the loopback interface itself, Linux delivers the datagram through lo
     * whatever the option says, and this machine has no other interface.
     */

    @Test
    void multicastHopsIsValidated() {
        Socket radio = ctx.socket(SocketType.RADIO);
        assertEquals(1, radio.getOption(Option.MULTICAST_HOPS), "libzmq's default");
        assertEquals(true, radio.getOption(Option.MULTICAST_LOOP), "libzmq's default");
        ZmqException e = assertThrows(ZmqException.class, () -> radio.setOption(Option.MULTICAST_HOPS, 0));
        assertEquals(ZmqException.Errno.EINVAL, e.errno());
        radio.close();
    }

    private static String loopbackName() {
        try {
            return NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress()).getName();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
