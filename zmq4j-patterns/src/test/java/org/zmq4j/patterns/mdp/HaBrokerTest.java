package org.zmq4j.patterns.mdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.zmq4j.patterns.testkit.Held.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.patterns.testkit.Held;
import org.zmq4j.patterns.bstar.BinaryStarNode;
import org.zmq4j.patterns.bstar.BinaryStarState;

/**
 * Two Majordomo brokers as a Binary Star pair (the HA broker): a worker and a client that know both
 * brokers; the primary dies, the backup takes over on the first vote, and the worker and the
 * client's retries follow it.
 */
@Timeout(60)
class HaBrokerTest {
    private static final Duration BEAT = Duration.ofMillis(200);
    private static final Duration STATE_BEAT = Duration.ofMillis(100);

    private final Held held = new Held();

    @AfterEach
    void tearDown() throws Exception {
        held.close();
    }

    private MajordomoBroker broker(BinaryStarNode node, String frontend) {
        MajordomoBroker b = held.keep(new MajordomoBroker(held.ctx, BrokerConfig.defaults().withHeartbeat(BEAT)));
        b.bind(frontend);
        b.pairWith(node);
        b.start();
        return b;
    }

    @Test
    void clientsAndWorkersFollowTheBackupWhenThePrimaryBrokerDies() throws Exception {
        String[] ep = Held.freeEndpoints(4);
        BinaryStarNode primaryNode = new BinaryStarNode(held.ctx, BinaryStarState.PRIMARY, ep[2], ep[3], STATE_BEAT);
        BinaryStarNode backupNode = new BinaryStarNode(held.ctx, BinaryStarState.BACKUP, ep[3], ep[2], STATE_BEAT);
        MajordomoBroker primary = broker(primaryNode, ep[0]);
        broker(backupNode, ep[1]);
        // a backup that never heard the primary active stays undecided and never serves (the zguide's rule)
        await(() -> primaryNode.state() == BinaryStarState.ACTIVE && backupNode.state() == BinaryStarState.PASSIVE,
                "the pair to settle");
        MajordomoWorker worker = held.keep(new MajordomoWorker(held.ctx, List.of(ep[0], ep[1]), "echo", MdpVersion.MDP01, BEAT, 3));
        Thread serving = new Thread(() -> worker.serve(body -> body), "ha-worker");
        serving.start();
        held.joinAtEnd(serving);
        ClientConfig config = ClientConfig.of(ep[0]).withBrokers(List.of(ep[0], ep[1]))
                .withTimeout(Duration.ofMillis(500)).withRetries(40);
        try (MajordomoClient client = held.keep(new MajordomoClient(held.ctx, config))) {
            assertEquals(List.of("before"), client.call("echo", "before").strings());
            await(() -> primary.workers() == 1, "the worker on the primary");
            long killed = System.nanoTime();
            primary.close();
            assertEquals(List.of("after"), client.call("echo", "after").strings());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            System.out.println("HA Majordomo failover (broker heartbeat " + BEAT.toMillis() + " ms, state heartbeat "
                    + STATE_BEAT.toMillis() + " ms, client timeout 500 ms): " + ms + " ms");
        }
    }
}
