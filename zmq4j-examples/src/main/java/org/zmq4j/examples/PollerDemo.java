package org.zmq4j.examples;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.zmq4j.Context;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * Reading from several sockets on one thread: a {@link Poller} waits until any of its sockets has
 * a message, like {@code zmq_poll}.
 * <p>
 * Here one thread reads tasks from a PULL socket and weather updates from a SUB socket, whichever
 * comes first, without blocking on either. Two producer threads feed them: one pushes five tasks,
 * the other publishes an update every few milliseconds. The poller costs no file descriptor per
 * socket: the polling thread parks and the sockets wake it.
 */
public final class PollerDemo {
    private static final int TASKS = 5;
    private static final int UPDATES_WANTED = 3;
    private static final long LIMIT_MS = 10_000;

    private PollerDemo() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (Context context = new Context();
             Socket tasks = context.socket(SocketType.PULL);
             Socket weather = context.socket(SocketType.SUB);
             Poller poller = new Poller()) {
            tasks.bind("tcp://127.0.0.1:*");
            weather.subscribe(""); // everything
            weather.bind("tcp://127.0.0.1:*");
            String tasksEndpoint = tasks.lastEndpoint();
            String weatherEndpoint = weather.lastEndpoint();

            AtomicBoolean stop = new AtomicBoolean();
            Thread taskProducer = new Thread(() -> produceTasks(context, tasksEndpoint), "task-producer");
            Thread weatherProducer = new Thread(() -> publishWeather(context, weatherEndpoint, stop), "weather-producer");
            taskProducer.start();
            weatherProducer.start();

            poller.register(tasks, Poller.POLLIN);
            poller.register(weather, Poller.POLLIN);
            int taskCount = 0;
            int updateCount = 0;
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LIMIT_MS);
            while ((taskCount < TASKS || updateCount < UPDATES_WANTED) && System.nanoTime() < deadline) {
                if (poller.poll(1_000) == 0) {
                    continue; // nothing within a second
                }
                if (poller.isReadable(tasks)) {
                    System.out.println("Task:    " + tasks.recvString());
                    taskCount++;
                }
                if (poller.isReadable(weather)) {
                    System.out.println("Weather: " + weather.recvString());
                    updateCount++;
                }
            }
            stop.set(true);
            taskProducer.join();
            weatherProducer.join();
            System.out.println("One thread polled " + taskCount + " tasks and " + updateCount + " weather updates");
        }
    }

    private static void produceTasks(Context context, String endpoint) {
        try (Socket push = context.socket(SocketType.PUSH)) {
            push.connect(endpoint);
            for (int i = 1; i <= TASKS; i++) {
                push.send("task " + i);
                pause(30);
            }
        }
    }

    private static void publishWeather(Context context, String endpoint, AtomicBoolean stop) {
        try (Socket pub = context.socket(SocketType.PUB)) {
            pub.connect(endpoint);
            // Updates sent before the subscription reaches the publisher are dropped; it just keeps going.
            for (int i = 1; !stop.get() && i <= LIMIT_MS / 20; i++) {
                pub.send("update " + i + ": " + (15 + i % 10) + "C");
                pause(20);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
