package org.zmq4j.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Poller;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;
import org.zmq4j.patterns.mdp.ClientConfig;
import org.zmq4j.patterns.mdp.MajordomoBroker;
import org.zmq4j.patterns.mdp.MajordomoClient;
import org.zmq4j.patterns.mdp.MajordomoWorker;

/**
 * The zmq4j processes of the Majordomo benchmark ({@link MajordomoBench} starts them, one role per
 * process):
 * <pre>
 * MdLoad broker &lt;bind-endpoint&gt;                        a MajordomoBroker (defaults), run on the main thread
 * MdLoad workers &lt;broker&gt; &lt;n&gt; &lt;service&gt;               n MajordomoWorkers (MDP/0.1), one thread each, echoing
 * MdLoad clients &lt;broker&gt; &lt;n&gt; &lt;size&gt; &lt;service&gt;        n MajordomoClients (MDP/0.1), one thread each
 * MdLoad direct-workers &lt;ep1,ep2,...&gt;                one ROUTER bound per endpoint, one thread each, echoing
 * MdLoad direct-clients &lt;ep1,ep2,...&gt; &lt;n&gt; &lt;size&gt;      n DEALERs, each connected to every endpoint
 * </pre>
 * One {@link Context} per process (its default I/O threads). Clients are synchronous callers: one
 * request of {@code size} bytes in flight each, the next sent when the reply is in. They follow the
 * load protocol of {@code src/main/c/md_load_common.h}: "READY" once every client has had a reply,
 * then "WINDOW &lt;start-ms&gt; &lt;end-ms&gt;" (epoch milliseconds) on standard input, then
 * "RESULT &lt;replies-in-window&gt; &lt;errors&gt; &lt;window-ms&gt;". A request without a reply within
 * {@link #TIMEOUT} counts as an error once the client has had its first reply (no retry). Workers print "READY" once their threads run and
 * serve until the process is killed.
 */
public final class MdLoad {
    /** How long a client waits for one reply before it counts an error and sends the next request. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** How long clients wait for every client's first reply. */
    private static final long READY_LIMIT_MS = 60_000;

    private MdLoad() {
    }

    /**
     * Runs one role.
     *
     * @param args see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            usage();
        }
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> { // a dead worker or client thread ends the process
            System.err.println(t.getName() + ": " + e);
            e.printStackTrace();
            Runtime.getRuntime().halt(4);
        });
        switch (args[0]) {
            case "broker":
                broker(args[1]);
                break;
            case "workers":
                need(args, 4);
                workers(args[1], Integer.parseInt(args[2]), args[3]);
                break;
            case "clients":
                need(args, 5);
                clients(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), args[4]);
                break;
            case "direct-workers":
                directWorkers(args[1].split(","));
                break;
            case "direct-clients":
                need(args, 4);
                directClients(args[1].split(","), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                break;
            default:
                usage();
        }
    }

    private static void need(String[] args, int n) {
        if (args.length != n) {
            usage();
        }
    }

    private static void usage() {
        System.err.println("usage: MdLoad broker <bind-endpoint> | workers <broker> <n> <service> | clients <broker> <n> <size> <service>"
                + " | direct-workers <ep,...> | direct-clients <ep,...> <n> <size>");
        System.exit(2);
    }

    // ------------------------------------------------------------------ broker and workers

    private static void broker(String endpoint) {
        Context ctx = new Context();
        MajordomoBroker broker = new MajordomoBroker(ctx);
        broker.bind(endpoint);
        ready();
        broker.run(); // until the process is killed
    }

    private static void workers(String broker, int n, String service) throws InterruptedException {
        Context ctx = new Context();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                MajordomoWorker worker = new MajordomoWorker(ctx, broker, service);
                worker.serve(body -> body);
            }, "md-worker-" + i);
            t.start();
            threads.add(t);
        }
        ready();
        for (Thread t : threads) {
            t.join(); // the runner kills the process
        }
    }

    private static void directWorkers(String[] endpoints) throws InterruptedException {
        Context ctx = new Context();
        CountDownLatch bound = new CountDownLatch(endpoints.length);
        List<Thread> threads = new ArrayList<>();
        for (String ep : endpoints) {
            Thread t = new Thread(() -> {
                Socket router = ctx.socket(SocketType.ROUTER);
                router.setOption(Option.LINGER, 0);
                router.bind(ep);
                bound.countDown();
                while (true) { // every frame back to where it came from, the routing id first
                    byte[] frame = router.recv();
                    boolean more = router.hasMore();
                    router.send(frame, more ? Socket.SNDMORE : 0);
                }
            }, "direct-worker-" + ep);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        if (!bound.await(30, TimeUnit.SECONDS)) {
            System.err.println("the ROUTERs did not bind within 30 s");
            System.exit(3);
        }
        ready();
        for (Thread t : threads) {
            t.join(); // the runner kills the process
        }
    }

    private static void ready() {
        System.out.println("READY");
        System.out.flush();
    }

    // ------------------------------------------------------------------ clients

    /** One client's synchronous request: true when its reply came. */
    private interface Caller {
        boolean call();
    }

    private static void clients(String broker, int n, int size, String service) throws Exception {
        Context ctx = new Context();
        ClientConfig config = ClientConfig.of(broker).withTimeout(TIMEOUT).withRetries(0);
        List<byte[]> body = List.of(new byte[size]);
        run(n, i -> {
            MajordomoClient client = new MajordomoClient(ctx, config);
            return () -> {
                try {
                    client.call(service, body);
                    return true;
                } catch (ZmqException e) {
                    throw e; // interrupted or the context is gone: not a lost request
                } catch (RuntimeException e) {
                    return false; // no reply within the timeout
                }
            };
        });
    }

    private static void directClients(String[] endpoints, int n, int size) throws Exception {
        Context ctx = new Context();
        byte[] body = new byte[size];
        run(n, i -> {
            Socket dealer = ctx.socket(SocketType.DEALER);
            dealer.setOption(Option.LINGER, 0);
            for (String ep : endpoints) {
                dealer.connect(ep); // round robin over the workers
            }
            Poller poller = new Poller();
            poller.register(dealer, Poller.POLLIN);
            return () -> {
                dealer.send(body);
                if (poller.poll(TIMEOUT.toMillis()) == 0) {
                    return false;
                }
                dealer.recv();
                return true;
            };
        });
    }

    /** Makes client {@code i}'s caller (on the client's own thread). */
    private interface CallerFactory {
        Caller make(int i);
    }

    /** The load protocol: runs n callers on their own threads, counts the replies in the window. */
    private static void run(int n, CallerFactory factory) throws Exception {
        Window w = new Window();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                Caller caller = factory.make(id);
                boolean first = true;
                long count = 0;
                while (true) {
                    boolean ok = caller.call();
                    long t1 = System.currentTimeMillis();
                    if (!ok) {
                        if (!first) { // before the first reply it is start-up, not a lost request
                            w.errors.incrementAndGet();
                        }
                    } else if (first) {
                        first = false;
                        w.ready.incrementAndGet();
                    }
                    long end = w.end;
                    if (end != 0 && t1 >= end) {
                        w.replies.addAndGet(count);
                        return;
                    }
                    long start = w.start;
                    if (ok && start != 0 && t1 >= start) {
                        count++;
                    }
                }
            }, "md-client-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        long giveUp = System.currentTimeMillis() + READY_LIMIT_MS;
        while (w.ready.get() < n) {
            if (System.currentTimeMillis() > giveUp) {
                System.err.println("only " + w.ready.get() + " of " + n + " clients had a reply within " + READY_LIMIT_MS + " ms");
                System.exit(3);
            }
            Thread.sleep(2);
        }
        ready();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        String line = in.readLine();
        String[] f = line == null ? new String[0] : line.trim().split("\\s+");
        if (f.length != 3 || !f[0].equals("WINDOW")) {
            System.err.println("expected WINDOW <start-ms> <end-ms> on stdin, got " + line);
            System.exit(3);
        }
        long start = Long.parseLong(f[1]);
        long end = Long.parseLong(f[2]);
        w.start = start;
        w.end = end;
        for (Thread t : threads) {
            t.join(); // each ends at its first reply (or timeout) after the end of the window
        }
        System.out.println("RESULT " + w.replies.get() + " " + w.errors.get() + " " + (end - start));
        System.out.flush();
        System.exit(0); // without closing the sockets: the runner kills the rest
    }

    /** What the client threads share. */
    private static final class Window {
        volatile long start;
        volatile long end;
        final AtomicInteger ready = new AtomicInteger();
        final AtomicLong replies = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
    }
}
