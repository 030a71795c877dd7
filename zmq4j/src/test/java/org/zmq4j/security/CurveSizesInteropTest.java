package org.zmq4j.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.zmq4j.Context;
import org.zmq4j.CurveKeyPair;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.support.Python;

/**
 * CURVE messages of every size class against real libzmq (pyzmq), both directions of the box on
 * each connection, with each of our implementations: ours with the vector lanes (runs of whole
 * blocks from {@link SalsaBatch}), ours with the loop lanes, ours scalar, and Bouncy Castle. The
 * sizes sit on each side of the points where the keystream changes hands: block 0's 32 text bytes,
 * the 128-byte threshold of the vector batch, the 512-byte batch, the 640-byte threshold and
 * 1 KiB batch of the loops, and multiples of 64. Each frame is answered reversed, so
 * each side must really have opened what the other sealed.
 */
// a separate thread: the test blocks reading a child process's output, which an interrupt cannot stop
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CurveSizesInteropTest {
    private static final HexFormat HEX = HexFormat.of();
    /** CURVE MESSAGE plaintext is one flags byte, then the frame: the keystream sees size + 1 bytes. */
    private static final int[] SIZES = {0, 1, 30, 31, 32, 33, 63, 64, 65, 94, 95, 96, 97, 126, 127, 128, 129, 130, 159,
        160, 161, 200, 479, 480, 481, 510, 511, 512, 513, 543, 544, 545, 671, 672, 673, 1000, 1023, 1024, 1025, 1500, 4095, 4096, 8193,
        65_536, 100_003, 1_048_576};

    /** A libzmq REP with CURVE: prints its port, answers each frame reversed, stops after the single frame STOP. */
    private static final String LIBZMQ_REP = """
            import sys, zmq
            ctx = zmq.Context()
            s = ctx.socket(zmq.REP)
            s.linger = 0
            s.rcvtimeo = 20000
            s.curve_server = True
            s.curve_secretkey = bytes.fromhex(sys.argv[1])
            print(s.bind_to_random_port('tcp://127.0.0.1'), flush=True)
            n = 0
            while True:
                frames = s.recv_multipart()
                s.send_multipart([f[::-1] for f in frames])
                if frames == [b'STOP']:
                    break
                n += 1
            print('served', n, flush=True)
            """;

    /** A libzmq REQ with CURVE: sends each line's frames (hex), checks the reversed answer, prints a verdict. */
    private static final String LIBZMQ_REQ = """
            import sys, zmq
            ctx = zmq.Context()
            s = ctx.socket(zmq.REQ)
            s.linger = 0
            s.rcvtimeo = 20000
            s.curve_serverkey = bytes.fromhex(sys.argv[2])
            s.curve_publickey = bytes.fromhex(sys.argv[3])
            s.curve_secretkey = bytes.fromhex(sys.argv[4])
            s.connect('tcp://127.0.0.1:%s' % sys.argv[1])
            n = 0
            for line in sys.stdin:
                line = line.strip()
                if not line:
                    continue
                frames = [bytes.fromhex(h) if h != '-' else b'' for h in line.split(' ')]
                s.send_multipart(frames)
                reply = s.recv_multipart()
                if reply != [f[::-1] for f in frames]:
                    print('MISMATCH at message', n, flush=True)
                    sys.exit(1)
                n += 1
            print('checked', n, flush=True)
            """;

    private final List<Process> processes = new ArrayList<>();
    private Context ctx;

    @BeforeEach
    void setUp() {
        Python.assume("import zmq; assert zmq.has('curve')", "pyzmq with CURVE");
        ctx = new Context();
    }

    @AfterEach
    void tearDown() {
        CurveCrypto.restore();
        processes.forEach(Process::destroyForcibly);
        ctx.close();
    }

    private Process python(String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Python.interpreter(), "-c", script));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(p);
        return p;
    }

    /** The messages: each size alone, then pairs of sizes as two-frame messages. */
    private static List<byte[][]> messages() {
        SplittableRandom random = new SplittableRandom(2112);
        List<byte[][]> messages = new ArrayList<>();
        for (int size : SIZES) {
            messages.add(new byte[][] {bytes(random, size)});
        }
        for (int i = 0; i + 1 < SIZES.length; i += 3) {
            messages.add(new byte[][] {bytes(random, SIZES[i]), bytes(random, SIZES[i + 1] % 70_000)});
        }
        return messages;
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] reversed(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    private static void assertImplementation(String crypto) {
        if (crypto.equals(CurveCrypto.ZMQ4J)) {
            assertInstanceOf(VectorSalsa20.class, SalsaBatch.available(), "this case is meant to run the vector lanes");
        }
        assertEquals(crypto, CryptoBox.withKey(new byte[32]).implementation(), "the chosen implementation boxes");
    }

    @ParameterizedTest
    @ValueSource(strings = {CurveCrypto.ZMQ4J, CurveCrypto.ZMQ4J_LOOPS, CurveCrypto.ZMQ4J_SCALAR, CurveCrypto.BOUNCY_CASTLE})
    void zmq4jClientSendsEverySizeToLibzmqServer(String crypto) throws Exception {
        CurveCrypto.use(crypto);
        assertImplementation(crypto);
        CurveKeyPair server = CurveKeyPair.generate();
        CurveKeyPair client = CurveKeyPair.generate();
        Process py = python(LIBZMQ_REP, HEX.formatHex(server.secretKey()));
        BufferedReader out = new BufferedReader(new InputStreamReader(py.getInputStream(), StandardCharsets.UTF_8));
        String port = out.readLine();
        assertTrue(port != null && port.matches("\\d+"), "libzmq REP said: " + port);
        try (Socket req = ctx.socket(SocketType.REQ)) {
            req.setOption(Option.LINGER, 0);
            req.setOption(Option.RCVTIMEO, 20_000);
            req.setOption(Option.CURVE_SERVERKEY, server.publicKey());
            req.setOption(Option.CURVE_PUBLICKEY, client.publicKey());
            req.setOption(Option.CURVE_SECRETKEY, client.secretKey());
            req.connect("tcp://127.0.0.1:" + port);
            List<byte[][]> messages = messages();
            for (int m = 0; m < messages.size(); m++) {
                byte[][] frames = messages.get(m);
                for (int f = 0; f < frames.length; f++) {
                    if (f + 1 < frames.length) {
                        req.sendMore(frames[f]);
                    } else {
                        req.send(frames[f]);
                    }
                }
                for (byte[] frame : frames) {
                    byte[] answer = req.recv();
                    assertNotNull(answer, "no answer to message " + m);
                    int mm = m;
                    assertArrayEquals(reversed(frame), answer, () -> "message " + mm + " of " + frame.length + " bytes");
                }
            }
            req.send("STOP".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals("POTS".getBytes(StandardCharsets.US_ASCII), req.recv());
            assertEquals("served " + messages.size(), out.readLine());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {CurveCrypto.ZMQ4J, CurveCrypto.ZMQ4J_LOOPS, CurveCrypto.ZMQ4J_SCALAR, CurveCrypto.BOUNCY_CASTLE})
    void libzmqClientSendsEverySizeToZmq4jServer(String crypto) throws Exception {
        CurveCrypto.use(crypto);
        assertImplementation(crypto);
        CurveKeyPair server = CurveKeyPair.generate();
        CurveKeyPair client = CurveKeyPair.generate();
        try (Socket rep = ctx.socket(SocketType.REP)) {
            rep.setOption(Option.LINGER, 0);
            rep.setOption(Option.RCVTIMEO, 20_000);
            rep.setOption(Option.CURVE_SERVER, true);
            rep.setOption(Option.CURVE_SECRETKEY, server.secretKey());
            rep.bind("tcp://127.0.0.1:*");
            String port = rep.lastEndpoint().substring(rep.lastEndpoint().lastIndexOf(':') + 1);
            Process py = python(LIBZMQ_REQ, port, HEX.formatHex(server.publicKey()), HEX.formatHex(client.publicKey()),
                    HEX.formatHex(client.secretKey()));
            List<byte[][]> messages = messages();
            StringBuilder lines = new StringBuilder();
            for (byte[][] frames : messages) {
                for (int f = 0; f < frames.length; f++) {
                    lines.append(f == 0 ? "" : " ").append(frames[f].length == 0 ? "-" : HEX.formatHex(frames[f]));
                }
                lines.append('\n');
            }
            Thread feeder = new Thread(() -> {
                try (var stdin = py.getOutputStream()) {
                    stdin.write(lines.toString().getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException e) {
                    // the script died; its output says why
                }
            }, "libzmq-req-feeder");
            feeder.setDaemon(true);
            feeder.start();
            for (int m = 0; m < messages.size(); m++) {
                byte[][] frames = messages.get(m);
                List<byte[]> got = new ArrayList<>();
                do {
                    byte[] frame = rep.recv();
                    assertNotNull(frame, "message " + m + " did not arrive");
                    got.add(frame);
                } while (rep.hasMore());
                assertEquals(frames.length, got.size(), "frames of message " + m);
                for (int f = 0; f < frames.length; f++) {
                    int mm = m;
                    assertArrayEquals(frames[f], got.get(f), () -> "message " + mm);
                    if (f + 1 < frames.length) {
                        rep.sendMore(reversed(got.get(f)));
                    } else {
                        rep.send(reversed(got.get(f)));
                    }
                }
            }
            BufferedReader out = new BufferedReader(new InputStreamReader(py.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("checked " + messages.size(), out.readLine());
        }
    }
}
