package org.zmq4j.examples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

import org.zmq4j.ComponentMetrics;
import org.zmq4j.ConnectionMetrics;
import org.zmq4j.Context;
import org.zmq4j.Measurement;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketMetrics;
import org.zmq4j.SocketType;
import org.zmq4j.monitor.MonitorServer;
import org.zmq4j.patterns.mdp.MajordomoBroker;
import org.zmq4j.patterns.mdp.MajordomoClient;
import org.zmq4j.patterns.mdp.ClientConfig;
import org.zmq4j.patterns.mdp.MajordomoWorker;

/**
 * Metrics and the monitor (modules {@code zmq4j} and {@code zmq4j-monitor}): a consumer that stops
 * reading, seen as its queues filling against their HWMs; a Majordomo broker's services and
 * workers; the same numbers as Prometheus text from a {@link MonitorServer}, whose page a browser
 * can open. With {@code --serve} the page stays up until Enter.
 */
public final class MetricsAndMonitor {
    private MetricsAndMonitor() {
    }

    public static void main(String[] args) throws Exception {
        try (Context ctx = new Context(); Socket push = ctx.socket(SocketType.PUSH); Socket pull = ctx.socket(SocketType.PULL);
             MajordomoBroker broker = new MajordomoBroker(ctx);
             MonitorServer server = MonitorServer.builder(ctx).name("metrics example").start()) {
            // a consumer that stops reading: its queue fills to RCVHWM, then ours to SNDHWM
            push.setOption(Option.SNDHWM, 10);
            push.setOption(Option.LINGER, 0); // its queue is never delivered: closing must not wait for it
            pull.setOption(Option.RCVHWM, 10);
            pull.bind("tcp://127.0.0.1:*");
            push.connect(pull.lastEndpoint());
            push.setOption(Option.SNDTIMEO, 200);
            byte[] body = new byte[16 * 1024];
            int sent = 0;
            while (push.send(body)) {
                sent++;
            }
            SocketMetrics out = push.metrics();
            ConnectionMetrics c = out.connections().get(0);
            System.out.printf(Locale.ROOT, "PUSH sent %d messages, then waited %d ms in vain: the consumer reads nothing%n", sent,
                    out.sendBlocked().toMillis());
            System.out.printf(Locale.ROOT, "its connection to %s (%s, %s): %d of SNDHWM %d queued%n", c.remoteAddress(), c.peerType(),
                    c.state(), c.queuedOut(), c.sendHwm());
            ConnectionMetrics in = pull.metrics().connections().get(0);
            System.out.printf(Locale.ROOT, "the PULL holds %d of RCVHWM %d unread%n", in.queuedIn(), in.receiveHwm());

            // a broker with a worker: its services and workers are among the Context's components
            String endpoint = broker.bind("tcp://127.0.0.1:*");
            broker.start();
            MajordomoWorker worker = new MajordomoWorker(ctx, endpoint, "echo");
            Thread serving = new Thread(() -> {
                MajordomoWorker.Request r;
                while ((r = worker.receive()) != null) {
                    worker.reply(r, r.body());
                }
            });
            serving.start();
            try (MajordomoClient client = new MajordomoClient(ctx, ClientConfig.of(endpoint))) {
                client.call("echo", "hello");
            }
            ComponentMetrics b = awaitService(ctx);
            for (Measurement m : b.measurements()) {
                if (m.name().equals("service_workers") || m.name().equals("requests_total")) {
                    System.out.printf(Locale.ROOT, "broker %s %s%s = %.0f%n", b.name(), m.name(), m.labels(), m.value());
                }
            }

            // the same numbers for Prometheus, and the page for people
            HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.baseUrl() + "metrics")).build(), HttpResponse.BodyHandlers.ofString());
            String pullQueue = "zmq4j_connection_queued_in_messages{socket_id=\"" + pull.metrics().id() + "\"";
            scrape.body().lines().filter(l -> l.startsWith("zmq4j_majordomo_broker_service_workers{") || l.startsWith(pullQueue))
                    .forEach(l -> System.out.println("scraped: " + l));
            System.out.println("the monitor page: " + server.baseUrl());
            if (args.length > 0 && args[0].equals("--serve")) {
                System.out.println("serving until Enter");
                System.in.read();
            }
            worker.close();
            serving.join(10_000);
        }
    }

    /** The broker's numbers once its loop has published the worker (bounded wait). */
    private static ComponentMetrics awaitService(Context ctx) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            for (ComponentMetrics c : ctx.metrics().components()) {
                if (c.kind().equals("majordomo_broker")
                        && c.measurements().stream().anyMatch(m -> m.name().equals("service_workers") && m.value() == 1)) {
                    return c;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the broker never showed its worker: " + ctx.metrics().components());
            }
            Thread.sleep(20);
        }
    }
}
