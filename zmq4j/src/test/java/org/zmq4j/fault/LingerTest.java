package org.zmq4j.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * LINGER -1 (the default): closing the socket and the context with thousands of messages still
 * queued delivers every one of them to a reading peer, and close returns once they are written.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LingerTest {
    private static final int COUNT = 20_000;

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

    @Test
    void infiniteLingerDeliversEverythingToLibzmq() throws Exception {
        String python = System.getProperty("zmq4j.python", "/usr/bin/python3");
        Process check = new ProcessBuilder(python, "-c", "import zmq").start();
        Assumptions.assumeTrue(check.waitFor() == 0, "pyzmq not available");
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
