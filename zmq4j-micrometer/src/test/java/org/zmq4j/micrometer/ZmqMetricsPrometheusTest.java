package org.zmq4j.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.ComponentMetrics;
import org.zmq4j.Context;
import org.zmq4j.Measurement;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/** The meters as a Prometheus server scrapes them from Micrometer's Prometheus registry. */
@Timeout(60)
class ZmqMetricsPrometheusTest {
    @Test
    void aScrapeShowsTheSocketsAndComponentsInPrometheusNames() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Context ctx = new Context(1); Socket push = ctx.socket(SocketType.PUSH); Socket pull = ctx.socket(SocketType.PULL);
                ZmqMetrics zmq = new ZmqMetrics(ctx, Tags.of("context", "main"), Duration.ZERO, ZmqMetrics.DEFAULT_SNAPSHOT_MAX_AGE)) {
            ctx.addMetricsSource(() -> new ComponentMetrics("majordomo_broker", "tcp://127.0.0.1:5555", List.of(
                    Measurement.counter("requests_total", "requests received", 42),
                    new Measurement("service_queued_requests", "requests waiting", Measurement.Kind.GAUGE, Map.of("service", "echo"), 3),
                    new Measurement("service_queued_requests", "requests waiting", Measurement.Kind.GAUGE, Map.of("service", "time"), 0))));
            zmq.bindTo(registry);
            pull.bind("tcp://127.0.0.1:*");
            push.connect(pull.lastEndpoint());
            for (int i = 0; i < 64; i++) {
                push.send(new byte[5]);
            }
            for (int i = 0; i < 64; i++) {
                pull.recv();
            }
            zmq.refresh();
            String text = registry.scrape();
            String out = "socket_id=\"" + push.metrics().id() + "\"";
            String in = "socket_id=\"" + pull.metrics().id() + "\"";

            assertEquals("64.0", value(text, "zmq4j_socket_messages_sent_total", out));
            assertEquals("320.0", value(text, "zmq4j_socket_payload_sent_bytes_total", out));
            assertEquals("64.0", value(text, "zmq4j_socket_messages_received_total", in));
            assertEquals("320.0", value(text, "zmq4j_socket_payload_received_bytes_total", in));
            assertEquals("1.0", value(text, "zmq4j_socket_peers", in));
            assertEquals("0.0", value(text, "zmq4j_socket_handshake_failures_total", in, "reason=\"GREETING\""));
            assertEquals("0.0", value(text, "zmq4j_socket_send_blocked_seconds_total", in));
            assertEquals("2.0", value(text, "zmq4j_context_sockets", "context=\"main\""));
            assertEquals("42.0", value(text, "zmq4j_majordomo_broker_requests_total", "component=\"tcp://127.0.0.1:5555\""));
            assertEquals("3.0", value(text, "zmq4j_majordomo_broker_service_queued_requests", "service=\"echo\""));
            assertEquals("0.0", value(text, "zmq4j_majordomo_broker_service_queued_requests", "service=\"time\""));
            assertTrue(text.contains("zmq4j_io_thread_busy{"), text);
            assertTrue(text.contains("# TYPE zmq4j_socket_messages_sent_total counter"), text);
        }
    }

    /** The value of the one sample of {@code name} whose labels hold every one of {@code labels}. */
    private static String value(String scrape, String name, String... labels) {
        List<String> lines = Arrays.stream(scrape.split("\n"))
                .filter(l -> l.startsWith(name + "{") && Arrays.stream(labels).allMatch(l::contains))
                .toList();
        assertEquals(1, lines.size(), name + " " + Arrays.toString(labels) + " in:\n" + scrape);
        String line = lines.get(0);
        return line.substring(line.lastIndexOf(' ') + 1);
    }
}
