package org.zmq4j.durable.titanic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.patterns.testkit.PyInteropTest;
import org.zmq4j.patterns.testkit.PyPeer;
import org.zmq4j.patterns.mdp.BrokerConfig;
import org.zmq4j.patterns.mdp.ClientConfig;
import org.zmq4j.patterns.mdp.MajordomoBroker;

/**
 * Titanic against peers written in Python from rfc 9 (tsp_peer.py) and rfc 7 (mdp_peer.py), on
 * pyzmq (libzmq): our server with their broker, worker and client; their server with our client;
 * our server with our broker and their client, killed and restarted in between.
 */
@Timeout(180)
class TitanicInteropTest extends PyInteropTest {
    private static final String MDP_PEER = "../../../../zmq4j-patterns/src/test/python/mdp_peer.py";
    private static final Duration BEAT = Duration.ofMillis(200);

    TitanicInteropTest() {
        super("tsp_peer.py");
    }

    private PyPeer mdp(String... args) throws Exception {
        PyPeer p = held.keep(PyPeer.start(MDP_PEER, dir, args));
        return p;
    }

    private String pythonBroker() throws Exception {
        PyPeer b = mdp("broker", "--bind", "tcp://127.0.0.1:0", "--heartbeat-ms", "200");
        return b.awaitOut("READY (\\S+)", 30);
    }

    private void pythonEcho(String ep) throws Exception {
        mdp("worker", "--connect", ep, "--service", "echo", "--protocol", "mdp01", "--heartbeat-ms", "200")
                .awaitOut("READY", 30);
    }

    private TitanicServer javaTitanic(String ep) throws Exception {
        return held.keep(TitanicServer.start(held.ctx, TitanicConfig.builder(ep, dir.resolve("store")).heartbeat(BEAT)
                .dispatchTimeout(Duration.ofSeconds(2)).retryInterval(Duration.ofMillis(100)).build()));
    }

    @Test
    void ourTitanicServesTheirClientThroughTheirBroker() throws Exception {
        String ep = pythonBroker();
        pythonEcho(ep);
        javaTitanic(ep);
        PyPeer c = py("client", "--connect", ep, "--service", "echo", "--count", "20", "--wait", "60");
        assertEquals(0, c.exitCode(90), c.describe());
        assertTrue(c.out().contains("OK 20"), c.describe());
        PyPeer unknown = py("reply", "--connect", ep, "--uuid", "0123456789abcdef0123456789abcdef");
        assertEquals(5, unknown.exitCode(30), "400 for an unknown UUID: " + unknown.describe());
        assertNoProtocolErrors();
    }

    @Test
    void ourClientUsesTheirTitanic() throws Exception {
        String ep = pythonBroker();
        pythonEcho(ep);
        PyPeer server = py("server", "--connect", ep, "--store", dir.resolve("pystore").toString(), "--heartbeat-ms", "200",
                "--retry-ms", "100");
        server.awaitOut("READY", 30);
        try (TitanicClient c = new TitanicClient(held.ctx, ClientConfig.of(ep).withTimeout(Duration.ofSeconds(5)))) {
            for (int i = 0; i < 5; i++) {
                List<byte[]> r = c.call("echo", List.of(("m" + i).getBytes(StandardCharsets.UTF_8)), Duration.ofMillis(50),
                        Duration.ofSeconds(60));
                assertEquals("m" + i, new String(r.get(0), StandardCharsets.UTF_8));
            }
            TitanicClient.TitanicException e = assertThrows(TitanicClient.TitanicException.class,
                    () -> c.reply("0123456789abcdef0123456789abcdef"));
            assertEquals("400", e.status());
        }
        assertNoProtocolErrors();
    }

    @Test
    void ourTitanicWithOurBrokerKeepsTheirRequestsThroughARestart() throws Exception {
        MajordomoBroker b = held.keep(new MajordomoBroker(held.ctx, BrokerConfig.defaults().withHeartbeat(BEAT)));
        String ep = b.bind("tcp://127.0.0.1:0");
        b.start();
        TitanicServer t = javaTitanic(ep);
        PyPeer req = py("request", "--connect", ep, "--service", "echo", "--body", "survivor");
        assertEquals(0, req.exitCode(30), req.describe());
        String uuid = req.out().trim();
        t.close();
        javaTitanic(ep);
        pythonEcho(ep);
        PyPeer rep = py("reply", "--connect", ep, "--uuid", uuid, "--wait", "30");
        assertEquals(0, rep.exitCode(60), rep.describe());
        assertEquals("survivor", rep.out().trim());
        PyPeer close = py("close", "--connect", ep, "--uuid", uuid);
        assertEquals(0, close.exitCode(30), close.describe());
        assertNoProtocolErrors();
    }
}
