package org.zmq4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.wire.Command;
import org.zmq4j.wire.FrameEncoder;

/** ZMTP 3.1 heartbeats: PING with TTL, HEARTBEAT_TIMEOUT, and the peer's TTL. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HeartbeatTest {

    private static Command command(byte[] frame) throws Exception {
        assertEquals(0x04, frame[0] & 0x04, "expected a command frame");
        return Command.parse(Arrays.copyOfRange(frame, 1, frame.length));
    }

    @Test
    void silentPeerIsDroppedAfterHeartbeatTimeout() throws Exception {
        try (Context ctx = new Context(); Socket pull = ctx.socket(SocketType.PULL)) {
            pull.setOption(Option.LINGER, 0);
            pull.setOption(Option.HEARTBEAT_IVL, 100);
            pull.setOption(Option.HEARTBEAT_TIMEOUT, 300);
            pull.setOption(Option.HEARTBEAT_TTL, 2000);
            pull.bind("tcp://127.0.0.1:*");
            try (RawPeer raw = new RawPeer(pull.lastEndpoint())) {
                raw.handshake("PUSH", 1);
                assertEquals("READY", command(raw.readFrame()).name());
                Command ping = command(raw.readFrame());
                assertEquals("PING", ping.name());
                assertArrayEquals(new byte[] {0, 20}, ping.data(), "TTL 2000 ms travels as 20 deciseconds");
                assertTrue(raw.closedByPeerWithin(5000), "a peer that never answers must be dropped");
            }
        }
    }

    @Test
    void peerThatAnswersPingsStaysConnected() throws Exception {
        try (Context ctx = new Context(); Socket pull = ctx.socket(SocketType.PULL)) {
            pull.setOption(Option.LINGER, 0);
            pull.setOption(Option.RCVTIMEO, 5000);
            pull.setOption(Option.HEARTBEAT_IVL, 50);
            pull.setOption(Option.HEARTBEAT_TIMEOUT, 200);
            pull.bind("tcp://127.0.0.1:*");
            try (RawPeer raw = new RawPeer(pull.lastEndpoint())) {
                raw.handshake("PUSH", 1);
                raw.readFrame(); // READY
                for (int i = 0; i < 15; i++) { // 15 PINGs: about 750 ms, well past the 200 ms timeout
                    Command ping = command(raw.readFrame());
                    assertEquals("PING", ping.name());
                    raw.send(FrameEncoder.command("PONG", new byte[0]));
                }
                raw.send(FrameEncoder.message("alive".getBytes(), false));
                assertArrayEquals("alive".getBytes(), pull.recv());
            }
        }
    }

    @Test
    void peersTtlDropsTheConnectionWhenTheyFallSilent() throws Exception {
        try (Context ctx = new Context(); Socket pull = ctx.socket(SocketType.PULL)) {
            pull.setOption(Option.LINGER, 0);
            pull.bind("tcp://127.0.0.1:*");
            try (RawPeer raw = new RawPeer(pull.lastEndpoint())) {
                raw.handshake("PUSH", 1);
                raw.readFrame(); // READY
                raw.send(FrameEncoder.command("PING", new byte[] {0, 3})); // TTL 300 ms
                assertEquals("PONG", command(raw.readFrame()).name());
                assertTrue(raw.closedByPeerWithin(5000), "the peer's TTL must be honoured");
            }
        }
    }

    @Test
    void heartbeatOptionsValidateAndReadBack() {
        try (Context ctx = new Context(); Socket s = ctx.socket(SocketType.DEALER)) {
            assertEquals(0, s.getOption(Option.HEARTBEAT_IVL));
            assertEquals(-1, s.getOption(Option.HEARTBEAT_TIMEOUT));
            assertEquals(0, s.getOption(Option.HEARTBEAT_TTL));
            s.setOption(Option.HEARTBEAT_TTL, 6_553_500);
            assertEquals(6_553_500, s.getOption(Option.HEARTBEAT_TTL));
            org.junit.jupiter.api.Assertions.assertThrows(org.zmq4j.ZmqException.class,
                    () -> s.setOption(Option.HEARTBEAT_TTL, 6_553_600));
        }
    }

    /**
     * A libzmq peer with heartbeats on (PING every 100 ms, 300 ms timeout) must keep an idle
     * connection to zmq4j: libzmq's own monitor must see no disconnect.
     */
    @Test
    void libzmqPeerWithHeartbeatsKeepsAnIdleZmq4jConnection() throws Exception {
        String python = System.getProperty("zmq4j.python", "/usr/bin/python3");
        Process check = new ProcessBuilder(python, "-c", "import zmq").start();
        Assumptions.assumeTrue(check.waitFor() == 0, "pyzmq not available");
        String script = String.join("\n",
                "import sys, time, zmq",
                "from zmq.utils.monitor import recv_monitor_message",
                "ctx = zmq.Context()",
                "s = ctx.socket(zmq.DEALER)",
                "s.setsockopt(zmq.HEARTBEAT_IVL, 100)",
                "s.setsockopt(zmq.HEARTBEAT_TIMEOUT, 300)",
                "m = s.get_monitor_socket()",
                "s.connect(sys.argv[1])",
                "s.send(b'hello')",
                "disconnects = 0",
                "end = time.time() + 1.5",
                "while time.time() < end:",
                "    if m.poll(50):",
                "        ev = recv_monitor_message(m)",
                "        if ev['event'] == zmq.EVENT_DISCONNECTED: disconnects += 1",
                "s.send(b'still here')",
                "print('disconnects', disconnects, flush=True)",
                "s.RCVTIMEO = 5000",
                "print(s.recv().decode(), flush=True)");
        try (Context ctx = new Context(); Socket router = ctx.socket(SocketType.ROUTER)) {
            router.setOption(Option.LINGER, 0);
            router.setOption(Option.RCVTIMEO, 10_000);
            router.bind("tcp://127.0.0.1:*");
            Process p = new ProcessBuilder(python, "-c", script, router.lastEndpoint()).redirectErrorStream(true).start();
            try {
                byte[] id = router.recv();
                assertArrayEquals("hello".getBytes(), router.recv());
                byte[] id2 = router.recv();
                assertArrayEquals("still here".getBytes(), router.recv());
                assertArrayEquals(id, id2, "same connection: no reconnect happened");
                router.sendMore(id);
                router.send("bye".getBytes());
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("disconnects 0", out.readLine());
                assertEquals("bye", out.readLine());
                assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void zmq4jHeartbeatsToLibzmqAreAnswered() throws Exception {
        String python = System.getProperty("zmq4j.python", "/usr/bin/python3");
        Process check = new ProcessBuilder(python, "-c", "import zmq").start();
        Assumptions.assumeTrue(check.waitFor() == 0, "pyzmq not available");
        String script = String.join("\n",
                "import sys, zmq",
                "ctx = zmq.Context()",
                "s = ctx.socket(zmq.ROUTER)",
                "port = s.bind_to_random_port('tcp://127.0.0.1')",
                "print(port, flush=True)",
                "s.RCVTIMEO = 10000",
                "a = s.recv_multipart()",
                "b = s.recv_multipart()",
                "s.send_multipart([b[0], b'same' if a[0] == b[0] else b'reconnected'])",
                "s.RCVTIMEO = 5000",
                "s.recv_multipart()");
        Process p = new ProcessBuilder(python, "-c", script).redirectErrorStream(true).start();
        try (Context ctx = new Context(); Socket dealer = ctx.socket(SocketType.DEALER)) {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String port = out.readLine();
            dealer.setOption(Option.LINGER, 0);
            dealer.setOption(Option.RCVTIMEO, 10_000);
            dealer.setOption(Option.HEARTBEAT_IVL, 100);
            dealer.setOption(Option.HEARTBEAT_TIMEOUT, 300);
            dealer.connect("tcp://127.0.0.1:" + port);
            dealer.send("one".getBytes());
            // stay idle for many heartbeat timeouts: bounded wait on a reply that only comes later
            dealer.setOption(Option.RCVTIMEO, 1500);
            assertFalse(dealer.recv() != null, "nothing is sent to us yet");
            dealer.send("two".getBytes());
            dealer.setOption(Option.RCVTIMEO, 10_000);
            assertArrayEquals("same".getBytes(), dealer.recv(), "libzmq answered our PINGs: no reconnect");
            dealer.send("done".getBytes());
        } finally {
            p.waitFor(10, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
    }
}
