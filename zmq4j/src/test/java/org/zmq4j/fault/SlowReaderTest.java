package org.zmq4j.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.support.Msgs;
import org.zmq4j.support.Python;

/**
 * A libzmq peer that stops reading (its process is SIGSTOPped): the zmq4j sender's queue to it
 * fills to SNDHWM and the kernel buffers, then round-robin carries on with the healthy peer; a
 * sender with only the stalled peer times out instead of growing memory.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowReaderTest {
    private static final String PYTHON = Python.interpreter();

    private static Process stalledPuller(String endpoint) throws Exception {
        String script = "import zmq,sys\nc=zmq.Context()\ns=c.socket(zmq.PULL)\ns.setsockopt(zmq.RCVHWM,10)\n"
                + "s.setsockopt(zmq.RCVBUF,65536)\ns.connect(sys.argv[1])\nprint('up',flush=True)\nsys.stdin.readline()\n";
        Process p = new ProcessBuilder(PYTHON, "-c", script, endpoint).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("up", out.readLine());
        return p;
    }

    private static void signal(Process p, String sig) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start().waitFor());
    }

    /** A PUSH with small queues (SNDHWM 100, SNDBUF 64 KiB), LINGER 0, bound to a loopback port. */
    private static Socket boundPush(Context ctx, int sndtimeoMs) {
        Socket push = Msgs.socket(ctx, SocketType.PUSH, -1, sndtimeoMs);
        push.setOption(Option.SNDHWM, 100);
        push.setOption(Option.SNDBUF, 65536);
        push.bind("tcp://127.0.0.1:*");
        return push;
    }

    @Test
    void stalledPeerFillsItsQueueAndTheHealthyPeerGetsTheRest() throws Exception {
        Python.assumePyzmq();
        try (Context ctx = new Context()) {
            Socket push = boundPush(ctx, 5000);
            Process stalled = stalledPuller(push.lastEndpoint());
            try {
                // wait until the libzmq peer is attached: a probe reaches it before we freeze it
                signal(stalled, "STOP");
                Socket healthy = Msgs.socket(ctx, SocketType.PULL, 5000, -1);
                healthy.connect(push.lastEndpoint());
                byte[] payload = new byte[1024];
                int healthyGot = 0;
                for (int i = 0; i < 20_000; i++) {
                    assertTrue(push.send(payload), "the send must not block forever while a healthy peer reads");
                    while (healthy.recv(Socket.DONTWAIT) != null) {
                        healthyGot++;
                    }
                }
                while (healthy.recv() != null && healthyGot < 20_000) {
                    healthyGot++;
                    if (healthyGot > 15_000) {
                        healthy.setOption(Option.RCVTIMEO, 500);
                    }
                }
                assertTrue(healthyGot > 15_000, "the healthy peer must carry the load, got " + healthyGot);
                healthy.close();
            } finally {
                signal(stalled, "CONT");
                stalled.destroyForcibly();
            }
            push.close();
        }
    }

    @Test
    void senderWithOnlyAStalledPeerTimesOutInsteadOfGrowing() throws Exception {
        Python.assumePyzmq();
        try (Context ctx = new Context()) {
            Socket push = boundPush(ctx, 200);
            Process stalled = stalledPuller(push.lastEndpoint());
            try {
                signal(stalled, "STOP");
                byte[] payload = new byte[1024];
                int sent = 0;
                while (sent < 100_000 && push.send(payload)) {
                    sent++;
                }
                assertTrue(sent < 100_000, "the queue must be bounded (SNDHWM + socket buffers), sent " + sent);
                System.out.println("SlowReaderTest: " + sent + " x 1 KiB fit before SNDTIMEO (SNDHWM 100 + kernel buffers)");
            } finally {
                signal(stalled, "CONT");
                stalled.destroyForcibly();
            }
            push.close();
        }
    }
}
