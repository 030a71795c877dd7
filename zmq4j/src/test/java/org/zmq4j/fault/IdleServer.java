package org.zmq4j.fault;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketEvent;
import org.zmq4j.SocketType;

/**
 * A zmq4j socket in a process of its own, for measuring what connections cost it: binds a socket
 * of the type given, prints {@code endpoint <e>}, then answers commands on stdin: {@code measure}
 * prints {@code heap <bytes after GC> rss <KiB> handshakes <n> accepted <n> outOfMemory <connections closed on an OutOfMemoryError> disconnected <n>}; {@code recv} prints
 * {@code got <length>} for the next message (or {@code timeout} after 10 s); {@code quit} ends.
 * Run by {@link MemoryPerConnectionTest}.
 */
public final class IdleServer {
    private IdleServer() {
    }

    public static void main(String[] args) throws Exception {
        SocketType type = SocketType.valueOf(args[0]);
        AtomicInteger handshakes = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger outOfMemory = new AtomicInteger();
        AtomicInteger disconnected = new AtomicInteger();
        try (Context ctx = new Context(); Socket s = ctx.socket(type)) {
            s.setOption(Option.LINGER, 0);
            s.setOption(Option.BACKLOG, 4096);
            s.addMonitor(e -> (e.type() == SocketEvent.Type.ACCEPTED ? accepted : handshakes).incrementAndGet(),
                    SocketEvent.Type.ACCEPTED.code() | SocketEvent.Type.HANDSHAKE_SUCCEEDED.code());
            s.addMonitor(e -> {
                disconnected.incrementAndGet();
                if (e.reason().contains("ran out of memory")) {
                    outOfMemory.incrementAndGet();
                }
            }, SocketEvent.Type.DISCONNECTED.code());
            s.bind("tcp://127.0.0.1:*");
            System.out.println("endpoint " + s.lastEndpoint());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("measure")) {
                    long heap = heapAfterGc();
                    System.out.println("heap " + heap + " rss " + rssKib() + " handshakes " + handshakes.get()
                            + " accepted " + accepted.get() + " outOfMemory " + outOfMemory.get()
                            + " disconnected " + disconnected.get());
                    System.out.flush();
                } else if (line.equals("recv")) {
                    s.setOption(Option.RCVTIMEO, 10_000);
                    byte[] m = s.recv();
                    System.out.println(m == null ? "timeout" : "got " + m.length);
                    System.out.flush();
                } else if (line.equals("quit")) {
                    break;
                }
            }
        }
    }

    /** Used heap after full collections, once it stops falling. */
    static long heapAfterGc() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            best = Math.min(best, used);
        }
        return best;
    }

    /** The process's resident set size in KiB (Linux), -1 elsewhere. */
    static long rssKib() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }
}
