package org.zmq4j.examples;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import org.zmq4j.Context;
import org.zmq4j.patterns.mdp.AsyncMajordomoClient;
import org.zmq4j.patterns.mdp.ClientConfig;
import org.zmq4j.patterns.mdp.MajordomoBroker;
import org.zmq4j.patterns.mdp.MajordomoClient;
import org.zmq4j.patterns.mdp.MajordomoWorker;
import org.zmq4j.patterns.mdp.MdpVersion;
import org.zmq4j.patterns.mdp.Reply;

/**
 * Reliable request-reply with Majordomo (module {@code zmq4j-patterns}): a broker, two workers for
 * an "upper" service (one MDP/0.1, one MDP/0.2 that streams partial replies), a synchronous client
 * with timeout and retries, and an asynchronous one with many requests in flight. Clients know the
 * broker and the service name only; workers come and go.
 */
public final class Majordomo {
    private Majordomo() {
    }

    public static void main(String[] args) throws Exception {
        try (Context ctx = new Context(); MajordomoBroker broker = new MajordomoBroker(ctx)) {
            String endpoint = broker.bind("tcp://127.0.0.1:*");
            broker.start();

            List<Thread> workers = new ArrayList<>();
            for (MdpVersion v : MdpVersion.values()) {
                MajordomoWorker worker = new MajordomoWorker(ctx, endpoint, "upper", v, Duration.ofMillis(2500), 3);
                Thread t = new Thread(() -> {
                    MajordomoWorker.Request r;
                    while ((r = worker.receive()) != null) {
                        if (v == MdpVersion.MDP02) {
                            worker.partial(r, List.of(bytes("working on it")));
                        }
                        String text = new String(r.body().get(0), StandardCharsets.UTF_8);
                        worker.reply(r, List.of(bytes(text.toUpperCase(Locale.ROOT) + " (by " + v + ")")));
                    }
                    worker.close();
                }, "worker-" + v);
                t.start();
                workers.add(t);
            }

            ClientConfig config = ClientConfig.of(endpoint).withVersion(MdpVersion.MDP02)
                    .withTimeout(Duration.ofSeconds(5)).withRetries(2);
            try (MajordomoClient client = new MajordomoClient(ctx, config)) {
                System.out.println("mmi.service upper: " + client.call("mmi.service", "upper").strings().get(0));
                for (String word : List.of("hello", "majordomo")) {
                    Reply reply = client.call("upper", List.of(bytes(word)),
                            partial -> System.out.println("  partial: " + text(partial)));
                    System.out.println("reply: " + reply.strings().get(0));
                }
            }
            try (AsyncMajordomoClient client = new AsyncMajordomoClient(ctx, config, 8)) {
                List<CompletableFuture<Reply>> replies = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    replies.add(client.submit("upper", "request " + i));
                }
                int answered = 0;
                for (CompletableFuture<Reply> r : replies) {
                    if (r.join().strings().get(0).startsWith("REQUEST ")) {
                        answered++;
                    }
                }
                System.out.println("async replies: " + answered + " of " + replies.size());
            }
            for (Thread t : workers) {
                t.interrupt(); // a worker blocked in receive() returns null and closes
                t.join();
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(List<byte[]> frames) {
        return new String(frames.get(0), StandardCharsets.UTF_8);
    }
}
