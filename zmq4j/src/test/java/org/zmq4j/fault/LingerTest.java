package org.zmq4j.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.support.LibzmqScript;
import org.zmq4j.support.Python;

/**
 * LINGER -1 (the default): closing the socket and the context with thousands of messages still
 * queued delivers every one of them to a reading peer, and close returns once they are written.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LingerTest {
    private static final int COUNT = 20_000;

    /**
     * A libzmq PULL that barely reads: RCVHWM 1 and a 4 KiB receive buffer. Prints its port, then
     * "first" after one message; waits for a line on stdin, then receives up to argv[1] messages in
     * all (5 s without one ends it) and prints how many it got.
     */
    private static final String SLOW_PULL = String.join("\n",
            "import os, sys, threading, zmq",
            "threading.Timer(100, lambda: os._exit(3)).start()",
            "n_max = int(sys.argv[1])",
            "c = zmq.Context()",
            "s = c.socket(zmq.PULL); s.rcvhwm = 1; s.rcvbuf = 4096; s.linger = 0",
            "print(s.bind_to_random_port('tcp://127.0.0.1'), flush=True)",
            "s.recv(); print('first', flush=True)",
            "sys.stdin.readline()",
            "s.rcvtimeo = 5000; n = 1",
            "try:",
            "    while n < n_max:",
            "        s.recv(); n += 1",
            "except zmq.Again:",
            "    pass",
            "print(n, flush=True)",
            "os._exit(0)");

    @Test
    void infiniteLingerDeliversEverythingBeforeContextCloseReturns() throws Exception {
        try (Context receiverCtx = new Context()) {
            Socket pull = receiverCtx.socket(SocketType.PULL);
            pull.setOption(Option.RCVTIMEO, 10_000);
            pull.bind("tcp://127.0.0.1:*");
            AtomicInteger received = new AtomicInteger();
            Thread reader = new Thread(() -> {
                while (received.get() < COUNT && pull.recv() != null) {
                    received.incrementAndGet();
                }
            });
            Context senderCtx = new Context();
            Socket push = senderCtx.socket(SocketType.PUSH);
            assertEquals(-1, push.getOption(Option.LINGER), "libzmq's default");
            push.setOption(Option.SNDHWM, 0); // queue everything in the pipe at once
            push.connect(pull.lastEndpoint());
            byte[] payload = new byte[1024];
            for (int i = 0; i < COUNT; i++) {
                push.send(payload);
            }
            reader.start();
            push.close(); // returns at once; the I/O thread keeps delivering
            senderCtx.close(); // waits for LINGER: until everything is written
            reader.join(60_000);
            assertEquals(COUNT, received.get(), "every queued message is delivered");
            pull.close();
        }
    }

    /**
     * The messages a socket still owes may have left its pipe already: the connection takes as many
     * as fit in its output buffer, and a slow peer leaves them there. Closing the socket then must
     * linger for those too (it used to see an empty pipe and drop them: a perf interop run lost the
     * tail of 50,000 messages this way).
     */
    @Test
    void lingerAlsoWaitsForFramesTheConnectionTookButCouldNotWriteYet() {
        int count = 60; // 60 frames of 1 KiB: all fit in the connection's 64 KiB output buffer at once
        try (LibzmqScript pull = LibzmqScript.start(SLOW_PULL, Integer.toString(count))) {
            String port = pull.readLine(10_000);
            Context senderCtx = new Context();
            Socket push = senderCtx.socket(SocketType.PUSH);
            push.setOption(Option.SNDBUF, 4096);
            push.connect("tcp://127.0.0.1:" + port);
            byte[] payload = new byte[1024];
            for (int i = 0; i < count; i++) {
                push.send(payload); // queued before the handshake ends, so one flush takes them all
            }
            assertEquals("first", pull.readLine(10_000), pull.stderrTail());
            push.close(); // the pipe is empty now; the rest sits in the connection's buffer
            pull.writeLine("go");
            senderCtx.close();
            assertEquals(Integer.toString(count), pull.readLine(20_000), "libzmq received every message" + pull.stderrTail());
        }
    }

    @Test
    void infiniteLingerDeliversEverythingToLibzmq() throws Exception {
        Python.assumePyzmq();
        String python = Python.interpreter();
        String script = "import zmq,sys\nc=zmq.Context()\ns=c.socket(zmq.PULL)\np=s.bind_to_random_port('tcp://127.0.0.1')\n"
                + "print(p,flush=True)\ns.RCVTIMEO=10000\nn=0\ntry:\n    while n<" + COUNT + ":\n        s.recv(); n+=1\n"
                + "except zmq.Again:\n    pass\nprint(n,flush=True)\n";
        Process p = new ProcessBuilder(python, "-c", script).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String port = out.readLine();
            Context senderCtx = new Context();
            Socket push = senderCtx.socket(SocketType.PUSH);
            push.setOption(Option.SNDHWM, 0);
            push.connect("tcp://127.0.0.1:" + port);
            byte[] payload = new byte[1024];
            for (int i = 0; i < COUNT; i++) {
                push.send(payload);
            }
            push.close();
            senderCtx.close();
            assertEquals(Integer.toString(COUNT), out.readLine(), "libzmq received every queued message");
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
    }
}
