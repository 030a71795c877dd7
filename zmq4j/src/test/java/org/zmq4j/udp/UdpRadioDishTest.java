package org.zmq4j.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.zmq4j.udp.UdpSupport.dish;
import static org.zmq4j.udp.UdpSupport.msg;
import static org.zmq4j.udp.UdpSupport.port;
import static org.zmq4j.udp.UdpSupport.radio;
import static org.zmq4j.udp.UdpSupport.recv;
import static org.zmq4j.udp.UdpSupport.sync;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Message;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.support.ContextPerTest;

/** RADIO → DISH over udp unicast on 127.0.0.1, zmq4j on both sides. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UdpRadioDishTest extends ContextPerTest {
    /** A dish on an ephemeral 127.0.0.1 port and a radio connected to it, synchronised. */
    private Socket[] pair() {
        Socket dish = dish(ctx, "udp://127.0.0.1:*");
        Socket radio = radio(ctx, dish.lastEndpoint());
        sync(radio, dish);
        return new Socket[] {radio, dish};
    }

    @Test
    void lastEndpointIsAUsableEndpointWithThePortResolved() {
        Socket dish = dish(ctx, "udp://127.0.0.1:*");
        String ep = dish.lastEndpoint();
        assertTrue(ep.matches("udp://127\\.0\\.0\\.1:\\d+"), ep);
        assertTrue(port(ep) > 0, ep);

        Socket wildcard = dish(ctx, "udp://*:0");
        String any = wildcard.lastEndpoint();
        assertTrue(any.matches("udp://0\\.0\\.0\\.0:\\d+"), any);
        assertTrue(port(any) > 0, any);
        // the wildcard's endpoint is usable as it is, as tcp's is
        Socket radio = radio(ctx, any);
        sync(radio, wildcard);
    }

    @Test
    void aDishBindsToAnInterfaceByName() throws java.net.SocketException {
        String lo = java.net.NetworkInterface.getByInetAddress(java.net.InetAddress.getLoopbackAddress()).getName();
        Socket dish = dish(ctx, "udp://" + lo + ":*");
        String ep = dish.lastEndpoint();
        assertTrue(ep.matches("udp://127\\.0\\.0\\.1:\\d+"), ep);
        sync(radio(ctx, ep), dish);
    }

    @Test
    void ipv6LoopbackAndTheDualStackWildcard() {
        Socket v6 = dish(ctx, "udp://[::1]:*");
        String ep = v6.lastEndpoint();
        assertTrue(ep.matches("udp://\\[::1\\]:\\d+"), ep);
        sync(radio(ctx, ep), v6);

        Socket dual = ctx.socket(SocketType.DISH);
        dual.setOption(Option.LINGER, 0);
        dual.setOption(Option.RCVTIMEO, UdpSupport.TIMEO_MS);
        dual.setOption(Option.IPV6, true);
        dual.bind("udp://*:*");
        String any = dual.lastEndpoint();
        assertTrue(any.matches("udp://\\[::\\]:\\d+"), any);
        sync(radio(ctx, "udp://127.0.0.1:" + port(any)), dual); // IPv4 reaches the IPv6 wildcard
        sync(radio(ctx, "udp://[::1]:" + port(any)), dual);
    }

    @Test
    void bindEmitsListeningAndCloseEmitsClosed() {
        Socket dish = ctx.socket(SocketType.DISH);
        dish.setOption(Option.LINGER, 0);
        List<SocketEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        dish.addMonitor(events::add, SocketEvent.ALL);
        dish.bind("udp://127.0.0.1:*");
        String ep = dish.lastEndpoint();
        dish.unbind(ep);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.stream().noneMatch(e -> e.type() == SocketEvent.Type.CLOSED) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(events.stream().anyMatch(e -> e.type() == SocketEvent.Type.LISTENING && ep.equals(e.endpoint())), events.toString());
        assertTrue(events.stream().anyMatch(e -> e.type() == SocketEvent.Type.CLOSED && ep.equals(e.endpoint())), events.toString());
    }

    @Test
    void theDishFiltersOnTheGroupsItJoined() {
        Socket[] p = pair();
        Socket radio = p[0];
        Socket dish = p[1];
        dish.join("a");
        dish.join("end");
        radio.send(msg("b", "b1"));
        radio.send(msg("a", "a1"));
        radio.send(msg("", "empty group"));
        radio.send(msg("b", "b2"));
        radio.send(msg("a", "a2"));
        radio.send(msg("end", "1"));
        assertEquals("a1", recv(dish).text());
        Message m = recv(dish);
        assertEquals("a2", m.text());
        assertEquals("a", m.group());
        assertEquals("end", recv(dish).group());
        assertNull(dish.recvMessage(org.zmq4j.Socket.DONTWAIT), "nothing of a group not joined");

        dish.leave("a");
        dish.join("c");
        radio.send(msg("a", "a3"));
        radio.send(msg("c", "c1"));
        radio.send(msg("end", "2"));
        assertEquals("c1", recv(dish).text(), "a left: a3 filtered, c joined: c1 delivered");
        Message end = recv(dish);
        assertEquals("end", end.group());
        assertEquals("2", end.text());
    }

    @Test
    void emptyBodyAndLongestGroupArrive() {
        Socket[] p = pair();
        String longest = "g".repeat(255);
        p[1].join("e");
        p[1].join(longest);
        p[0].send(new Message(new byte[0]).withGroup("e"));
        p[0].send(msg(longest, "long group"));
        Message empty = recv(p[1]);
        assertEquals(0, empty.size());
        assertEquals("e", empty.group());
        Message lg = recv(p[1]);
        assertEquals(longest, lg.group());
        assertEquals("long group", lg.text());
    }

    @Test
    void theLargestMessageArrivesAndALargerOneIsDropped() {
        Socket[] p = pair();
        Socket radio = p[0];
        Socket dish = p[1];
        String group = "big";
        dish.join(group);
        int fits = 8192 - 1 - group.length();
        byte[] largest = new byte[fits];
        Arrays.fill(largest, (byte) 'x');
        largest[fits - 1] = 'y';
        byte[] tooLarge = new byte[fits + 1];
        assertTrue(radio.send(new Message(largest).withGroup(group)));
        assertTrue(radio.send(new Message(tooLarge).withGroup(group)), "a RADIO send never fails; the engine drops");
        assertTrue(radio.send(msg(group, "after")));
        Message first = recv(dish);
        assertArrayEquals(largest, first.data());
        assertEquals("after", recv(dish).text(), "the oversized message is dropped whole, not truncated");
        // and the radio keeps working
        radio.send(msg(group, "still"));
        assertEquals("still", recv(dish).text());
    }

    @Test
    void severalRadiosReachOneDishEachInOrder() {
        Socket dish = dish(ctx, "udp://127.0.0.1:*");
        dish.join("g");
        int radios = 3;
        int each = 30;
        List<Socket> rs = new ArrayList<>();
        for (int i = 0; i < radios; i++) {
            Socket r = radio(ctx, dish.lastEndpoint());
            sync(r, dish);
            rs.add(r);
        }
        for (int n = 0; n < each; n++) {
            for (int i = 0; i < radios; i++) {
                assertTrue(rs.get(i).send(msg("g", i + ":" + n)));
            }
        }
        int[] next = new int[radios];
        for (int k = 0; k < radios * each; k++) {
            String[] parts = recv(dish).text().split(":");
            int i = Integer.parseInt(parts[0]);
            assertEquals(next[i]++, Integer.parseInt(parts[1]), "per-radio order");
        }
        for (int i = 0; i < radios; i++) {
            assertEquals(each, next[i]);
        }
    }

    @Test
    void oneRadioToSeveralDishes() {
        Socket d1 = dish(ctx, "udp://127.0.0.1:*");
        Socket d2 = dish(ctx, "udp://127.0.0.1:*");
        Socket radio = ctx.socket(SocketType.RADIO);
        radio.setOption(Option.LINGER, 0);
        radio.connect(d1.lastEndpoint());
        radio.connect(d2.lastEndpoint());
        sync(radio, d1);
        sync(radio, d2);
        d1.join("x");
        d2.join("x");
        radio.send(msg("x", "both"));
        assertEquals("both", recv(d1).text());
        assertEquals("both", recv(d2).text());
    }

    @Test
    void unbindAndCloseReleaseThePort() {
        Socket dish = dish(ctx, "udp://127.0.0.1:*");
        String ep = dish.lastEndpoint();
        ZmqException inUse = org.junit.jupiter.api.Assertions.assertThrows(ZmqException.class, () -> dish(ctx, ep));
        assertEquals(ZmqException.Errno.EADDRINUSE, inUse.errno());

        dish.unbind(ep);
        Socket again = bindWithin(ep);
        Socket radio = radio(ctx, ep);
        sync(radio, again);

        again.close();
        Socket third = bindWithin(ep);
        sync(radio, third);
    }

    /** Binds a new dish to {@code ep}, retrying while the old channel is being closed (bounded). */
    private Socket bindWithin(String ep) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return dish(ctx, ep);
            } catch (ZmqException e) {
                if (e.errno() != ZmqException.Errno.EADDRINUSE || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.onSpinWait(); // the I/O thread closes the old channel asynchronously
            }
        }
    }

    @Test
    void disconnectStopsSendingAndConnectAgainWorks() {
        Socket[] p = pair();
        Socket radio = p[0];
        Socket dish = p[1];
        dish.join("g");
        String ep = dish.lastEndpoint();
        radio.disconnect(ep);
        assertTrue(radio.send(msg("g", "into the void")), "a RADIO without peers drops silently");
        ZmqException notConnected = org.junit.jupiter.api.Assertions.assertThrows(ZmqException.class, () -> radio.disconnect(ep));
        assertEquals(ZmqException.Errno.ENOENT, notConnected.errno());
        radio.connect(ep);
        sync(radio, dish);
        radio.send(msg("g", "back"));
        assertEquals("back", recv(dish).text(), "the message sent while disconnected never arrives");
    }

    @Test
    void aFullDishQueueDoesNotStallTheIoThread() {
        Socket dish = ctx.socket(SocketType.DISH);
        dish.setOption(Option.LINGER, 0);
        dish.setOption(Option.RCVHWM, 10);
        dish.setOption(Option.RCVTIMEO, UdpSupport.TIMEO_MS);
        dish.bind("udp://127.0.0.1:*");
        Socket radio = radio(ctx, dish.lastEndpoint());
        sync(radio, dish);
        dish.join("g");
        for (int i = 0; i < 2000; i++) {
            radio.send(msg("g", Integer.toString(i)));
        }
        // the same I/O thread still serves another pair while the dish's queue is full
        Socket other = dish(ctx, "udp://127.0.0.1:*");
        Socket otherRadio = radio(ctx, other.lastEndpoint());
        sync(otherRadio, other);
        // the dish gets what was queued, in order, then new messages again
        int last = -1;
        Message m;
        dish.setOption(Option.RCVTIMEO, 200);
        while ((m = dish.recvMessage()) != null) {
            int n = Integer.parseInt(m.text());
            assertTrue(n > last, "in order");
            last = n;
        }
        assertTrue(last >= 9, "at least RCVHWM messages were queued, last was " + last);
        dish.setOption(Option.RCVTIMEO, UdpSupport.TIMEO_MS);
        sync(radio, dish);
    }

    @Test
    void contextCloseWhileTrafficFlows() throws Exception {
        Context own = new Context();
        Socket dish = dish(own, "udp://127.0.0.1:*");
        Socket radio = own.socket(SocketType.RADIO);
        radio.setOption(Option.LINGER, 100);
        radio.connect(dish.lastEndpoint());
        sync(radio, dish);
        dish.join("g");
        AtomicReference<Throwable> senderEnd = new AtomicReference<>();
        Thread sender = new Thread(() -> {
            try {
                byte[] body = new byte[100];
                while (true) {
                    radio.send(new Message(body).withGroup("g"));
                }
            } catch (Throwable t) {
                senderEnd.set(t);
            }
        });
        sender.start();
        for (int i = 0; i < 50; i++) {
            recv(dish);
        }
        long start = System.nanoTime();
        own.close();
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "context close is bounded");
        sender.join(10_000);
        assertFalse(sender.isAlive(), "the sending thread ended");
        Throwable t = senderEnd.get();
        if (!(t instanceof ZmqException)) {
            fail("sender ended with " + t);
        }
        ZmqException.Errno errno = ((ZmqException) t).errno();
        assertTrue(errno == ZmqException.Errno.ETERM || errno == ZmqException.Errno.ENOTSOCK, errno.toString());
    }

    @Test
    void socketCloseWithMessagesQueuedAndLingerForeverEnds() {
        Socket dish = dish(ctx, "udp://127.0.0.1:*");
        Socket radio = ctx.socket(SocketType.RADIO);
        radio.setOption(Option.LINGER, -1);
        radio.setOption(Option.SNDHWM, 100_000);
        radio.connect(dish.lastEndpoint());
        sync(radio, dish);
        for (int i = 0; i < 20_000; i++) {
            radio.send(msg("g", "m"));
        }
        radio.close(); // the queue drains into the kernel; the context close below waits for it
    }
}
