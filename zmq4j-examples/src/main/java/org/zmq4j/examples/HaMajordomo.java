package org.zmq4j.examples;

import java.time.Duration;
import java.util.List;

import org.zmq4j.Context;
import org.zmq4j.patterns.bstar.BinaryStarNode;
import org.zmq4j.patterns.bstar.BinaryStarState;
import org.zmq4j.patterns.mdp.BrokerConfig;
import org.zmq4j.patterns.mdp.ClientConfig;
import org.zmq4j.patterns.mdp.MajordomoBroker;
import org.zmq4j.patterns.mdp.MajordomoClient;
import org.zmq4j.patterns.mdp.MajordomoWorker;
import org.zmq4j.patterns.mdp.MdpVersion;

/**
 * A highly available Majordomo broker: two brokers as a Binary Star pair (clients on ports 5001
 * and 5002, the pair's state on 5003 and 5004, as in the zguide's {@code bstarsrv}), a worker and a
 * client that know both. The primary serves; when it dies, the backup takes over as soon as a
 * client or worker turns to it, and the client's retry is answered there. Heartbeats are short so
 * the example ends in a few seconds; the defaults are MDP's 2.5 s and Binary Star's 1 s.
 */
public final class HaMajordomo {
    private static final Duration BEAT = Duration.ofMillis(250);

    private HaMajordomo() {
    }

    private static MajordomoBroker broker(Context ctx, BinaryStarNode node, String clients) {
        MajordomoBroker broker = new MajordomoBroker(ctx, BrokerConfig.defaults().withHeartbeat(BEAT));
        broker.bind(clients);
        broker.pairWith(node);
        broker.start();
        return broker;
    }

    public static void main(String[] args) throws Exception {
        try (Context ctx = new Context()) {
            List<String> brokers = List.of("tcp://127.0.0.1:5001", "tcp://127.0.0.1:5002");
            Duration stateBeat = Duration.ofMillis(200);
            BinaryStarNode backupNode = new BinaryStarNode(ctx, BinaryStarState.BACKUP, "tcp://127.0.0.1:5004", "tcp://127.0.0.1:5003", stateBeat);
            MajordomoBroker primary = broker(ctx,
                    new BinaryStarNode(ctx, BinaryStarState.PRIMARY, "tcp://127.0.0.1:5003", "tcp://127.0.0.1:5004", stateBeat), brokers.get(0));
            MajordomoBroker backup = broker(ctx, backupNode, brokers.get(1));
            // the backup stands by once it heard the primary active; until then it would not take over
            for (int i = 0; i < 100 && backupNode.state() != BinaryStarState.PASSIVE; i++) {
                Thread.sleep(50);
            }
            System.out.println("backup broker: " + backupNode.state());

            MajordomoWorker worker = new MajordomoWorker(ctx, brokers, "echo", MdpVersion.MDP01, BEAT, 3);
            Thread serving = new Thread(() -> worker.serve(request -> request), "echo-worker");
            serving.start();

            ClientConfig config = ClientConfig.of(brokers.get(0)).withBrokers(brokers)
                    .withTimeout(Duration.ofMillis(1000)).withRetries(20);
            try (MajordomoClient client = new MajordomoClient(ctx, config)) {
                System.out.println("reply: " + client.call("echo", "before the failover").strings().get(0));
                primary.close();
                System.out.println("primary broker stopped");
                long start = System.nanoTime();
                System.out.println("reply: " + client.call("echo", "after the failover").strings().get(0));
                System.out.println("answered by the backup " + (System.nanoTime() - start) / 1_000_000 + " ms after the primary stopped");
            }
            serving.interrupt();
            serving.join();
            worker.close();
            backup.close();
        }
    }
}
