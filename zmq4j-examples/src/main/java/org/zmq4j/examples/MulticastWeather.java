package org.zmq4j.examples;

import java.util.concurrent.ThreadLocalRandom;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * Weather updates over multicast: a PUB sends to a multicast group with PGM in UDP
 * ({@code epgm://interface;group:port}), and every SUB that joined the group receives them, without
 * a connection per subscriber. It speaks libzmq's epgm, so libzmq (OpenPGM) subscribers and
 * publishers take part too. RATE bounds what the publisher sends (libzmq's default is 100 kbit/s);
 * set it on the subscribers as well, since it sizes their receive window.
 * <p>
 * Here both sockets sit on the loopback interface. A subscriber starts with the next message that
 * begins after it joined, so the publisher sends until each subscriber has had its first update;
 * subscribers filter by prefix as over tcp. Across hosts use the interface that reaches them, e.g.
 * {@code epgm://eth0;239.192.1.1:5555}; see docs/pgm.md.
 */
public final class MulticastWeather {
    private static final int UPDATES = 5;

    private MulticastWeather() {
    }

    public static void main(String[] args) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String endpoint = args.length > 0 ? args[0]
                : "epgm://127.0.0.1;239.192." + random.nextInt(1, 250) + "." + random.nextInt(1, 250) + ":" + random.nextInt(20_000, 40_000);
        try (Context context = new Context();
             Socket publisher = context.socket(SocketType.PUB);
             Socket nyc = context.socket(SocketType.SUB);
             Socket everything = context.socket(SocketType.SUB)) {
            for (Socket s : new Socket[] {publisher, nyc, everything}) {
                s.setOption(Option.RATE, 10_000); // kbit/s
            }
            nyc.setOption(Option.SUBSCRIBE, "10001 ".getBytes());
            everything.setOption(Option.SUBSCRIBE, new byte[0]);
            for (Socket s : new Socket[] {nyc, everything}) {
                s.setOption(Option.RCVTIMEO, 200);
                s.connect(endpoint);
            }
            publisher.connect(endpoint);
            System.out.println("Publishing on " + endpoint);

            int sent = 0;
            int nycGot = 0;
            int allGot = 0;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while ((nycGot < UPDATES || allGot < UPDATES) && System.nanoTime() < deadline) {
                int zip = sent % 2 == 0 ? 10001 : 94105;
                publisher.send((zip + " " + (10 + sent % 25) + "C update-" + sent++).getBytes());
                byte[] m;
                while (nycGot < UPDATES && (m = nyc.recv(Socket.DONTWAIT)) != null) {
                    System.out.println("NYC subscriber: " + new String(m));
                    nycGot++;
                }
                while (allGot < UPDATES && (m = everything.recv(Socket.DONTWAIT)) != null) {
                    System.out.println("Subscriber to all: " + new String(m));
                    allGot++;
                }
                if (nycGot < UPDATES || allGot < UPDATES) {
                    byte[] waited = everything.recv(); // up to RCVTIMEO: paces the publisher
                    if (waited != null && allGot < UPDATES) {
                        System.out.println("Subscriber to all: " + new String(waited));
                        allGot++;
                    }
                }
            }
            System.out.println("NYC subscriber got " + nycGot + " updates, the other " + allGot + "; " + sent + " sent");
        }
    }
}
