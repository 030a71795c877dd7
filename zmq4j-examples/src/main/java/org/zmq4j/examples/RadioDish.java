package org.zmq4j.examples;

import org.zmq4j.Context;
import org.zmq4j.Message;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * Groups: a RADIO sends each message to a named group, and a DISH receives only the groups it has
 * joined ({@link Socket#join}, {@link Socket#leave}). Unlike SUB prefixes, groups match exactly.
 * The same steps run over tcp and over udp.
 * <p>
 * Over tcp the dish tells the radio about each join and leave, and the radio sends a group only to
 * the dishes that joined it; messages sent before the radio learned of a join are not delivered.
 * Over udp the radio sends every datagram to its one destination and the dish drops the groups it
 * has not joined (and a datagram may in principle be lost). Either way a program that must not
 * miss the first messages waits until the path works: here the radio sends probes into a group of
 * their own until one arrives ({@link #awaitDelivery}).
 */
public final class RadioDish {
    private static final int TIMEOUT_MS = 5_000;
    private static final int PROBE_MS = 20;

    private RadioDish() {
    }

    public static void main(String[] args) {
        try (Context context = new Context()) {
            demo(context, "tcp://127.0.0.1:*");
            demo(context, "udp://127.0.0.1:*");
        }
    }

    private static void demo(Context context, String bindEndpoint) {
        try (Socket dish = context.socket(SocketType.DISH);
             Socket radio = context.socket(SocketType.RADIO)) {
            dish.setOption(Option.RCVTIMEO, TIMEOUT_MS);
            dish.bind(bindEndpoint);
            radio.connect(dish.lastEndpoint());
            System.out.println("Dish at " + dish.lastEndpoint());

            dish.join("weather");
            dish.join("news");
            awaitDelivery(radio, dish);
            radio.send(Message.of("sunny").withGroup("weather"));
            radio.send(Message.of("goal!").withGroup("sports"));        // not joined: never arrives
            radio.send(Message.of("elections").withGroup("news"));
            receive(dish, 2);

            dish.leave("news");
            awaitDelivery(radio, dish);
            radio.send(Message.of("more elections").withGroup("news")); // left: never arrives
            radio.send(Message.of("rainy").withGroup("weather"));
            receive(dish, 1);

            Message nothing = dish.recvMessage(Socket.DONTWAIT);
            System.out.println("Nothing else arrived: " + (nothing == null));
            System.out.println("RADIO/DISH over " + bindEndpoint.substring(0, bindEndpoint.indexOf(':')) + " done");
        }
    }

    private static void receive(Socket dish, int count) {
        for (int i = 0; i < count; i++) {
            Message m = dish.recvMessage();
            if (m == null) {
                throw new IllegalStateException("no message within " + TIMEOUT_MS + " ms");
            }
            System.out.println("Dish received [" + m.group() + "] " + m.text());
        }
    }

    /**
     * Sends probes into a group of their own until one reaches the dish (bounded). Over tcp, a
     * probe arriving also proves the radio has applied every join and leave the dish sent before.
     */
    private static void awaitDelivery(Socket radio, Socket dish) {
        String probes = "probes";
        dish.join(probes);
        dish.setOption(Option.RCVTIMEO, PROBE_MS);
        try {
            for (int attempt = 0; attempt < TIMEOUT_MS / PROBE_MS; attempt++) {
                radio.send(Message.of("probe").withGroup(probes));
                if (dish.recvMessage() != null) {
                    return;
                }
            }
            throw new IllegalStateException("no probe reached the dish within " + TIMEOUT_MS + " ms");
        } finally {
            dish.leave(probes); // probes still on their way are dropped by the dish from now on
            dish.setOption(Option.RCVTIMEO, TIMEOUT_MS);
        }
    }
}
