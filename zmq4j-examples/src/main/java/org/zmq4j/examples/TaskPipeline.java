package org.zmq4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.zmq4j.Context;
import org.zmq4j.MonitorHandle;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;

/**
 * Pipeline (divide and conquer): a ventilator PUSHes tasks, three workers PULL them, do them in
 * parallel and PUSH their results to a sink that PULLs them all in.
 * <p>
 * PUSH hands each message to the next connected PULL in turn (round-robin) and PULL takes from its
 * pushers fairly, so the work spreads over the workers and the results come together in one place.
 * Round-robin only covers the workers connected at that moment: the ventilator waits (with a
 * monitor) until all three are connected before it sends, or the first to connect would get the
 * whole batch. The workers stop when the context is closed: their blocked {@code recv} throws
 * {@code ZmqException(ETERM)}, which is how ZeroMQ tells a thread to finish.
 */
public final class TaskPipeline {
    private static final int WORKERS = 3;
    private static final int TASKS = 30;
    private static final int TIMEOUT_MS = 5_000;

    private TaskPipeline() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<Thread> workers = new ArrayList<>();
        try (Context context = new Context();
             Socket ventilator = context.socket(SocketType.PUSH);
             Socket sink = context.socket(SocketType.PULL)) {
            ventilator.bind("tcp://127.0.0.1:*");
            sink.bind("tcp://127.0.0.1:*");
            sink.setOption(Option.RCVTIMEO, TIMEOUT_MS);
            String tasksEndpoint = ventilator.lastEndpoint();
            String resultsEndpoint = sink.lastEndpoint();

            CountDownLatch connected = new CountDownLatch(WORKERS);
            try (MonitorHandle monitor = ventilator.addMonitor(event -> connected.countDown(),
                    SocketEvent.Type.HANDSHAKE_SUCCEEDED.code())) {
                for (int i = 1; i <= WORKERS; i++) {
                    String name = "worker-" + i;
                    Thread worker = new Thread(() -> work(context, name, tasksEndpoint, resultsEndpoint), name);
                    workers.add(worker);
                    worker.start();
                }
                if (!connected.await(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("the workers did not connect within " + TIMEOUT_MS + " ms");
                }
            }

            long start = System.nanoTime();
            int totalMs = 0;
            for (int i = 0; i < TASKS; i++) {
                int workloadMs = ThreadLocalRandom.current().nextInt(1, 20);
                totalMs += workloadMs;
                ventilator.send(Integer.toString(workloadMs));
            }
            System.out.println("Ventilator sent " + TASKS + " tasks, " + totalMs + " ms of work in total");

            Map<String, Integer> perWorker = new TreeMap<>();
            for (int i = 0; i < TASKS; i++) {
                String result = sink.recvString();
                if (result == null) {
                    throw new IllegalStateException("no result within " + TIMEOUT_MS + " ms");
                }
                perWorker.merge(result, 1, Integer::sum);
            }
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("Sink collected " + TASKS + " results in " + elapsedMs + " ms; tasks per worker: " + perWorker);
        } // closing the context makes the workers' recv throw ETERM
        for (Thread worker : workers) {
            worker.join();
        }
    }

    private static void work(Context context, String name, String tasksEndpoint, String resultsEndpoint) {
        try (Socket tasks = context.socket(SocketType.PULL);
             Socket results = context.socket(SocketType.PUSH)) {
            tasks.connect(tasksEndpoint);
            results.connect(resultsEndpoint);
            while (true) {
                int workloadMs = Integer.parseInt(tasks.recvString());
                Thread.sleep(workloadMs); // the "work"
                results.send(name);
            }
        } catch (ZmqException e) {
            if (e.errno() != ZmqException.Errno.ETERM) {
                throw e;
            }
            System.out.println(name + " stopping: context closed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
