package org.zmq4j.examples;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * Publish-subscribe: a PUB server broadcasts weather updates "zipcode temperature humidity" for
 * ten zip codes; a SUB client subscribes to the prefix "10001 " and receives only that zip code's
 * updates, then prints their average temperature.
 * <p>
 * A subscription is a byte prefix ({@link Option#SUBSCRIBE}); over tcp the publisher filters, so
 * updates nobody asked for never leave its process. A publisher sends to whoever is subscribed at
 * that moment: updates published before the subscription reached it are gone (the "slow joiner").
 * That is why the publisher here publishes continuously, as a real feed would, until the
 * subscriber has what it wants.
 */
public final class WeatherUpdates {
    private static final String ZIP_CODE = "10001";
    private static final int UPDATES_WANTED = 5;
    private static final int TIMEOUT_MS = 5_000;
    /** The publisher gives up after this long even if nobody tells it to stop. */
    private static final long PUBLISH_LIMIT_MS = 10_000;

    private WeatherUpdates() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (Context context = new Context();
             Socket publisher = context.socket(SocketType.PUB);
             Socket subscriber = context.socket(SocketType.SUB)) {
            publisher.bind("tcp://127.0.0.1:*");
            String endpoint = publisher.lastEndpoint();

            AtomicBoolean stop = new AtomicBoolean();
            Thread publisherThread = new Thread(() -> publish(publisher, stop), "weather-publisher");
            publisherThread.start();

            subscriber.setOption(Option.RCVTIMEO, TIMEOUT_MS);
            subscriber.subscribe(ZIP_CODE + " ");
            subscriber.connect(endpoint);
            System.out.println("Collecting updates for zip code " + ZIP_CODE + " from " + endpoint);

            long totalTemperature = 0;
            for (int i = 1; i <= UPDATES_WANTED; i++) {
                String update = subscriber.recvString();
                if (update == null) {
                    throw new IllegalStateException("no update within " + TIMEOUT_MS + " ms");
                }
                String text = update;
                System.out.println("Update " + i + ": " + text);
                String[] fields = text.split(" ");
                if (!fields[0].equals(ZIP_CODE)) {
                    throw new IllegalStateException("received an update for another zip code: " + text);
                }
                totalTemperature += Integer.parseInt(fields[1]);
            }
            stop.set(true);
            publisherThread.join();
            System.out.println("Average temperature for zip code " + ZIP_CODE + " was "
                    + (totalTemperature / UPDATES_WANTED) + "F over " + UPDATES_WANTED + " updates");
        }
    }

    private static void publish(Socket publisher, AtomicBoolean stop) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long deadline = System.nanoTime() + PUBLISH_LIMIT_MS * 1_000_000;
        long published = 0;
        while (!stop.get() && System.nanoTime() < deadline) {
            int zipCode = 10_000 + random.nextInt(10);   // 10000..10009
            int temperature = random.nextInt(-20, 100);
            int humidity = random.nextInt(10, 60);
            publisher.send(zipCode + " " + temperature + " " + humidity);
            published++;
            LockSupport.parkNanos(100_000); // a steady feed of some thousands of updates per second
        }
        System.out.println("Publisher sent " + published + " updates for all zip codes");
    }
}
