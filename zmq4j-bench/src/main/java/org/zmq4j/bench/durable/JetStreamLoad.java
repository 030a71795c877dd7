package org.zmq4j.bench.durable;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.ConsumerContext;
import io.nats.client.ErrorListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.MessageConsumer;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

/**
 * NATS JetStream doing the durable-delivery work of issue 16 with its own Java client (jnats):
 * Debian's {@code nats-server} started here on 127.0.0.1 and a free port, JetStream on, its store
 * in a fresh directory under the directory under test; one stream with file storage and one
 * replica; a publisher that publishes asynchronously with JetStream publish acks, at most
 * {@code window} unacknowledged at a time; and, on a connection of its own, a pull consumer
 * (explicit ack, at most {@code window} acks pending) that acks each message. A run is timed from
 * the first publish until every publish ack came back and the server confirmed the consumer's ack
 * of the last message ({@code ackSync}; acks of one consumer are processed in order, and the
 * consumer's ack floor is checked afterwards).
 * <p>
 * Durability: nats-server 2.9 (Debian 12's 2.9.10) has no setting for when a stream syncs to
 * disk. Its file store writes each message to the file (a {@code write(2)}, "flush in place")
 * before the publish ack, and fsyncs every two minutes, a value set in the code for every stream
 * ({@code stream.go}: {@code SyncInterval = 2 * time.Minute}); {@code jetstream { sync_interval }}
 * is a 2.10 option that 2.9.10 rejects ("unknown field"). So an ack means "in the OS's page
 * cache": it survives the server process dying, not the machine losing power. The closest setting
 * 2.9 offers is therefore its only one, file storage; the comparable zmq4j row is the fsync policy
 * that never fsyncs on the path (write, no fsync). Replication (R3) is 2.9's answer to machine
 * loss; it needs a cluster of three servers and is not measured.
 * <p>
 * Usage: {@link #unavailable(String)} says why it cannot run (no nats-server), else
 * {@code try (JetStreamLoad js = JetStreamLoad.start(config)) { js.run(64, 200_000); }}.
 * Not thread-safe. Every wait is bounded; {@link #close()} stops the server (SIGTERM, then kill).
 */
public final class JetStreamLoad implements AutoCloseable {
    /** The subject the stream captures. */
    private static final String SUBJECT = "zmq4j.bench.durable";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** A run that has not finished by then failed. */
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(300);

    /**
     * Settings.
     *
     * @param server the nats-server program (a name on PATH, or a path)
     * @param dir the directory under test: the server's store goes into a new directory in it
     * @param window publishes without a publish ack at most, and the consumer's max ack pending
     * @param retention {@link RetentionPolicy#WorkQueue} (a message is removed when acked, as in a
     *        delivery queue) or {@link RetentionPolicy#Limits} (kept)
     */
    public record Config(String server, Path dir, int window, RetentionPolicy retention) {
        /** nats-server from PATH, window 1000, work-queue retention. */
        public static Config defaults(Path dir) {
            return new Config("nats-server", dir, 1000, RetentionPolicy.WorkQueue);
        }

        public Config withServer(String s) {
            return new Config(s, dir, window, retention);
        }

        public Config withWindow(int w) {
            return new Config(server, dir, w, retention);
        }

        public Config withRetention(RetentionPolicy r) {
            return new Config(server, dir, window, r);
        }
    }

    /**
     * One run.
     *
     * @param size the payload per message
     * @param messages messages published, and acked by the consumer
     * @param nanos from the first publish until the last publish ack and the consumer's last ack
     * @param publishNanos from the first publish until the last publish ack
     */
    public record Run(int size, long messages, long nanos, long publishNanos) {
        /** Messages published and acked end to end per second. */
        public double messagesPerSecond() {
            return messages * 1e9 / nanos;
        }

        /** Publish-acked messages per second (the publisher's side alone). */
        public double publishedPerSecond() {
            return messages * 1e9 / publishNanos;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d B x %d: %.0f msg/s end to end (%.0f msg/s published)", size, messages,
                    messagesPerSecond(), publishedPerSecond());
        }
    }

    private final Config config;
    private final Path store;
    private final Path log;
    private final Process process;
    private final String url;
    private final String version;
    /** Kills the server if the JVM exits without {@link #close()}. */
    private final Thread hook;
    private int streams;

    private JetStreamLoad(Config config, Path store, Path log, Process process, String url, String version) {
        this.config = config;
        this.store = store;
        this.log = log;
        this.process = process;
        this.url = url;
        this.version = version;
        this.hook = new Thread(process::destroyForcibly, "jetstream-load-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Why JetStream cannot be measured here (no nats-server program), or empty when it can. */
    public static Optional<String> unavailable(String server) {
        try {
            version(server);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(server + " not runnable (apt-get install nats-server): " + e.getMessage());
        }
    }

    /** The output of {@code nats-server --version}, e.g. {@code nats-server: v2.9.10}. */
    static String version(String server) throws IOException {
        Process p = new ProcessBuilder(server, "--version").redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("no answer to --version within 10 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                throw new IOException("--version exited " + p.exitValue() + ": " + out);
            }
            return out;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Starts nats-server with JetStream, its store in a new directory in {@code config.dir()}, and waits until it answers. */
    public static JetStreamLoad start(Config config) throws IOException {
        String version = version(config.server());
        Path store = Files.createTempDirectory(config.dir(), "zmq4j-jetstream-");
        Path log = store.resolve("nats-server.log");
        int port = freePort();
        List<String> cmd = List.of(config.server(), "-a", "127.0.0.1", "-p", Integer.toString(port), "-n", "zmq4j-bench", "-js", "-sd",
                store.resolve("data").toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        JetStreamLoad js = new JetStreamLoad(config, store, log, p, "nats://127.0.0.1:" + port, version);
        try {
            js.awaitReady();
        } catch (IOException | RuntimeException e) {
            js.close();
            throw e;
        }
        return js;
    }

    /** What {@code nats-server --version} said. */
    public String serverVersion() {
        return version;
    }

    /** The stream measured, for a table (how it syncs is in the class comment: write(2) before the ack, fsync every 2 min). */
    public String setting() {
        return "file storage, R1, " + (config.retention() == RetentionPolicy.WorkQueue ? "work-queue retention (removed when acked)"
                : "limits retention (kept)");
    }

    /** The median of {@code reps} runs ({@link #runs}). */
    public Run median(int size, int messages, int reps) throws IOException {
        return medianOf(runs(size, messages, reps));
    }

    /** {@code reps} runs ({@link #run}), after one warm-up run of {@code messages / 4}, at least 10,000. */
    public List<Run> runs(int size, int messages, int reps) throws IOException {
        run(size, Math.max(10_000, messages / 4));
        List<Run> rs = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            rs.add(run(size, messages));
        }
        return rs;
    }

    /** The run of the median end-to-end rate. */
    public static Run medianOf(List<Run> runs) {
        List<Run> s = new ArrayList<>(runs);
        s.sort(Comparator.comparingDouble(Run::messagesPerSecond));
        return s.get(s.size() / 2);
    }

    /**
     * Publishes {@code messages} messages of {@code size} bytes into a fresh stream and consumes
     * and acks them all; deletes the stream afterwards.
     */
    @SuppressWarnings("try") // Connection.close() may throw InterruptedException, handled below
    public Run run(int size, int messages) throws IOException {
        if (size < 0 || messages < 1) {
            throw new IllegalArgumentException("size " + size + ", messages " + messages);
        }
        String stream = "BENCH" + (++streams);
        String subject = SUBJECT + "." + streams;
        try (Connection pubConn = connect("zmq4j-bench-pub")) {
            JetStreamManagement jsm = pubConn.jetStreamManagement();
            jsm.addStream(StreamConfiguration.builder().name(stream).subjects(subject).storageType(StorageType.File).replicas(1)
                    .retentionPolicy(config.retention()).build());
            try {
                // The consumer's connection is closed before the stream is deleted: its outstanding pulls go with it.
                try (Connection subConn = connect("zmq4j-bench-sub")) {
                    return measure(pubConn, subConn, jsm, stream, subject, size, messages);
                }
            } finally {
                jsm.deleteStream(stream);
            }
        } catch (JetStreamApiException e) {
            throw new IOException("JetStream: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private Run measure(Connection pubConn, Connection subConn, JetStreamManagement jsm, String stream, String subject, int size,
            int messages) throws IOException, JetStreamApiException, InterruptedException {
        String durable = "acker";
        jsm.addOrUpdateConsumer(stream, ConsumerConfiguration.builder().durable(durable).ackPolicy(AckPolicy.Explicit)
                .deliverPolicy(DeliverPolicy.All).maxAckPending(config.window()).build());
        ConsumerContext cc = subConn.getStreamContext(stream).getConsumerContext(durable);
        CountDownLatch consumed = new CountDownLatch(1);
        AtomicLong received = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] consumedAt = new long[1];
        // The handler runs on the client's dispatcher thread, one message at a time.
        ConsumeOptions co = ConsumeOptions.builder().batchSize(Math.min(config.window(), 500)).build();
        MessageConsumer consumer = cc.consume(co, (Message m) -> {
            long n = received.incrementAndGet();
            if (n < messages) {
                m.ack();
            } else if (n == messages) {
                try {
                    m.ackSync(Duration.ofSeconds(30));
                    consumedAt[0] = System.nanoTime();
                } catch (TimeoutException | InterruptedException | RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
                consumed.countDown();
            }
        });
        try {
            JetStream js = pubConn.jetStream();
            Semaphore window = new Semaphore(config.window());
            CountDownLatch published = new CountDownLatch(messages);
            byte[] payload = new byte[size];
            for (int i = 0; i < size; i++) {
                payload[i] = (byte) ('a' + i % 26);
            }
            long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
            long start = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                if (!window.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new IOException("no publish ack within " + RUN_TIMEOUT.toSeconds() + " s (" + i + " published)");
                }
                failIf(failure);
                js.publishAsync(subject, payload).whenComplete((ack, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else if (ack.hasError()) {
                        failure.compareAndSet(null, new IOException("publish ack error: " + ack.getError()));
                    }
                    window.release();
                    published.countDown();
                });
            }
            if (!published.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                failIf(failure);
                throw new IOException("publish acks missing after " + RUN_TIMEOUT.toSeconds() + " s: " + published.getCount());
            }
            long publishedAt = System.nanoTime();
            failIf(failure);
            if (!consumed.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IOException("the consumer got " + received.get() + " of " + messages + " within " + RUN_TIMEOUT.toSeconds() + " s");
            }
            failIf(failure);
            long end = Math.max(publishedAt, consumedAt[0]);
            ConsumerInfo info = jsm.getConsumerInfo(stream, durable);
            if (info.getAckFloor().getStreamSequence() < messages || received.get() != messages) {
                throw new IOException("consumer ack floor " + info.getAckFloor().getStreamSequence() + ", received " + received.get()
                        + ", expected " + messages);
            }
            return new Run(size, messages, end - start, publishedAt - start);
        } finally {
            consumer.stop();
        }
    }

    private static void failIf(AtomicReference<Throwable> failure) throws IOException {
        Throwable t = failure.get();
        if (t != null) {
            throw new IOException("JetStream run failed: " + t, t);
        }
    }

    private Connection connect(String name) throws IOException, InterruptedException {
        return Nats.connect(options(name).build());
    }

    private Options.Builder options(String name) {
        return new Options.Builder().server(url).connectionName(name).connectionTimeout(Duration.ofSeconds(5)).noReconnect();
    }

    @SuppressWarnings("try") // Connection.close() may throw InterruptedException, handled below
    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("nats-server exited " + process.exitValue() + ": " + logTail());
            }
            // the probe's refused connections while the server starts are expected: not logged
            try (Connection c = Nats.connect(options("zmq4j-bench-probe").errorListener(new ErrorListener() {
            }).build())) {
                c.jetStreamManagement().getAccountStatistics();
                return;
            } catch (IOException | JetStreamApiException e) {
                last = e instanceof IOException io ? io : new IOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw new IOException("nats-server with JetStream not ready within " + START_TIMEOUT.toSeconds() + " s: " + logTail(), last);
    }

    /** The last lines of the server's log. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s) and deletes its store. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook kills the server
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        deleteTree(store);
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // left behind in the temp directory
                }
            });
        } catch (IOException e) {
            // left behind in the temp directory
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A quick look: {@code java -cp zmq4j-bench.jar org.zmq4j.bench.durable.JetStreamLoad [size] [messages]}. */
    public static void main(String[] args) throws IOException {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        try (JetStreamLoad js = start(Config.defaults(Paths.get(System.getProperty("java.io.tmpdir"))))) {
            System.out.println(js.serverVersion() + ": " + js.median(size, messages, 3));
        }
    }
}
