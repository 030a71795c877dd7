package org.zmq4j.semantics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * Resource use (GUIDE section 6): an idle Context does not spin; sockets without connections cost
 * no file descriptors; reconnect attempts do not leak them.
 */
class ResourceUsageTest extends SocketTestBase {

    private static final SocketType[] CLASSIC = {
        SocketType.PAIR, SocketType.PUB, SocketType.SUB, SocketType.REQ, SocketType.REP, SocketType.DEALER,
        SocketType.ROUTER, SocketType.PULL, SocketType.PUSH, SocketType.XPUB, SocketType.XSUB,
    };

    static long openFds() {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CPU time of every live thread but the caller, by thread id (ns). */
    private static Map<Long, Long> threadCpu(ThreadMXBean mx) {
        Map<Long, Long> cpu = new HashMap<>();
        long self = Thread.currentThread().getId();
        for (long id : mx.getAllThreadIds()) {
            if (id == self) {
                continue;
            }
            long t = mx.getThreadCpuTime(id);
            if (t >= 0) {
                cpu.put(id, t);
            }
        }
        return cpu;
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void idleContextDoesNotSpin() throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx.isThreadCpuTimeSupported(), "thread CPU time not supported");
        if (!mx.isThreadCpuTimeEnabled()) {
            mx.setThreadCpuTimeEnabled(true);
        }
        // some live state: connected pairs that have carried traffic, a pending reconnect, a poller-less SUB
        Socket pull = socket(SocketType.PULL);
        Socket push = socket(SocketType.PUSH);
        push.connect(bindAny(pull));
        for (int i = 0; i < 1_000; i++) {
            sendMsg(push, "warm" + i);
        }
        for (int i = 0; i < 1_000; i++) {
            recvStr(pull);
        }
        Socket pub = socket(SocketType.PUB);
        Socket sub = socket(SocketType.SUB);
        sub.setOption(Option.SUBSCRIBE, new byte[0]);
        sub.connect(bindAny(pub));
        syncSubscribers(pub, "p", sub);
        Socket dangling = socket(SocketType.DEALER);
        dangling.connect(freeEndpoint());

        Map<Long, Long> before = threadCpu(mx);
        long wall0 = System.nanoTime();
        new CountDownLatch(1).await(300, TimeUnit.MILLISECONDS); // idle period being measured
        long wallMs = millisSince(wall0);
        Map<Long, Long> after = threadCpu(mx);

        long totalNs = 0;
        long worstNs = 0;
        String worst = "";
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            totalNs += d;
            if (d > worstNs) {
                worstNs = d;
                java.lang.management.ThreadInfo info = mx.getThreadInfo(e.getKey());
                worst = info == null ? "#" + e.getKey() : info.getThreadName();
            }
        }
        long totalMs = TimeUnit.NANOSECONDS.toMillis(totalNs);
        System.out.println("[ResourceUsageTest] idle " + wallMs + " ms: all other threads used " + totalMs
                + " ms CPU; busiest '" + worst + "' " + TimeUnit.NANOSECONDS.toMillis(worstNs) + " ms");
        // a spinning thread burns ~wallMs; allow a lot of slack for GC/JIT/timers
        assertTrue(totalMs < wallMs / 2, "idle Context used " + totalMs + " ms CPU in " + wallMs
                + " ms wall time (busiest thread: " + worst + ")");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void twoThousandSocketsWithoutConnectionsUseNoFileDescriptors() {
        // warm up anything created lazily on first use (I/O thread selector etc.)
        ctx.socket(SocketType.PAIR).close();
        long baseline = openFds();
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            Socket s = ctx.socket(CLASSIC[i % CLASSIC.length]);
            s.setOption(Option.LINGER, 0);
            sockets.add(s);
        }
        long open = openFds();
        for (Socket s : sockets) {
            s.close();
        }
        long afterClose = openFds();
        System.out.println("[ResourceUsageTest] fds: baseline " + baseline + ", with 2000 sockets " + open
                + ", after closing them " + afterClose);
        assertTrue(open - baseline <= 8, "2000 connection-less sockets must not use file descriptors: "
                + (open - baseline) + " more fds");
        assertTrue(afterClose - baseline <= 8, "fds leaked after close: " + (afterClose - baseline));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void bindingAndClosingManySocketsReturnsEveryDescriptor() {
        ctx.socket(SocketType.PAIR).close();
        long baseline = openFds();
        for (int round = 0; round < 5; round++) {
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                Socket pull = socket(SocketType.PULL);
                Socket push = socket(SocketType.PUSH);
                push.connect(bindAny(pull));
                sockets.add(pull);
                sockets.add(push);
            }
            for (Socket s : sockets) {
                s.close();
            }
        }
        // closing is asynchronous (the I/O thread closes the channels): bounded wait
        long[] now = {0};
        awaitTrue("descriptors back to the baseline " + baseline, SETTLE_DEADLINE_MS, () -> {
            now[0] = openFds();
            return now[0] - baseline <= 8;
        });
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void reconnectAttemptsDoNotLeakFileDescriptors() throws Exception {
        ctx.socket(SocketType.PAIR).close();
        Socket push = socket(SocketType.PUSH);
        push.setOption(Option.RECONNECT_IVL, 10);
        assertEquals(10, push.getOption(Option.RECONNECT_IVL));
        push.connect(freeEndpoint()); // refused every 10 ms
        new CountDownLatch(1).await(200, TimeUnit.MILLISECONDS); // let a few attempts happen
        long first = openFds();
        new CountDownLatch(1).await(500, TimeUnit.MILLISECONDS); // ~50 more attempts
        long second = openFds();
        System.out.println("[ResourceUsageTest] fds during reconnect loop: " + first + " then " + second);
        assertTrue(second - first <= 3, "fds grew from " + first + " to " + second + " over ~50 reconnect attempts");
    }
}
