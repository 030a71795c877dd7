package org.zmq4j.tools.patterns;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import org.zmq4j.Context;
import org.zmq4j.patterns.bstar.BinaryStarNode;
import org.zmq4j.patterns.mdp.BrokerConfig;
import org.zmq4j.patterns.mdp.MajordomoBroker;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zmq4j broker}: a Majordomo broker (MDP/0.1 and MDP/0.2, MMI) on one or more endpoints,
 * until SIGINT or SIGTERM.
 */
@Command(name = "broker",
        mixinStandardHelpOptions = true,
        header = "Runs a Majordomo broker (MDP/0.1 and MDP/0.2 clients and workers, MMI) until interrupted.",
        description = {"Clients send requests for named services; workers register for a service and get them,"
                + " least recently used first. Heartbeats find dead workers. Logs to standard error.",
                "With --primary or --backup, two brokers form a Binary Star pair: one serves, the other stands by and"
                + " takes over when the first is gone and a client or worker turns to it."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGINT/SIGTERM", "1:could not bind or failed", "2:usage error"})
public final class BrokerCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--bind", required = true, paramLabel = "EP",
            description = "Endpoint to bind, e.g. tcp://*:5555; repeat for several.")
    private List<String> endpoints;

    @Option(names = "--heartbeat-ms", defaultValue = "2500", paramLabel = "N",
            description = "Heartbeat interval (default: ${DEFAULT-VALUE}, MDP's).")
    private long heartbeatMillis;

    @Option(names = "--liveness", defaultValue = "3", paramLabel = "N",
            description = "Heartbeats a worker may miss before it is dropped (default: ${DEFAULT-VALUE}).")
    private int liveness;

    @Option(names = "--max-queue", defaultValue = "10000", paramLabel = "N",
            description = "Requests a service may hold waiting for a worker; more are answered 503 (default: ${DEFAULT-VALUE}).")
    private int maxQueue;

    @ArgGroup(exclusive = false, multiplicity = "0..1", heading = "%nHigh availability (Binary Star pair):%n")
    private Pairing pairing;

    @picocli.CommandLine.Mixin
    private org.zmq4j.tools.monitor.HttpOption http = new org.zmq4j.tools.monitor.HttpOption();

    /** Used by picocli. */
    public BrokerCommand() {
    }

    @Override
    public Integer call() throws Exception {
        BrokerConfig config = Options.check(spec, () -> BrokerConfig.defaults()
                .withHeartbeat(Duration.ofMillis(heartbeatMillis)).withLiveness(liveness).withMaxQueuedPerService(maxQueue));
        PrintWriter err = spec.commandLine().getErr();
        try (Context ctx = new Context(); MajordomoBroker broker = new MajordomoBroker(ctx, config);
                AutoCloseable monitor = http.start(spec, "zmq4j broker", ctx)) {
            for (String ep : endpoints) {
                broker.bind(ep);
                err.println("broker: listening on " + broker.endpoints().get(broker.endpoints().size() - 1));
            }
            if (pairing != null) {
                BinaryStarNode node = pairing.node(ctx);
                node.onChange(state -> {
                    err.println("broker: " + state.name().toLowerCase(java.util.Locale.ROOT));
                    err.flush();
                });
                broker.pairWith(node);
                err.println("broker: " + pairing.state().name().toLowerCase(java.util.Locale.ROOT) + " of a Binary Star pair, state on "
                        + node.statePubEndpoint() + ", peer's from " + pairing.stateConnect);
            }
            err.flush();
            Thread self = Thread.currentThread();
            try (StopSignals signals = StopSignals.install(self::interrupt)) {
                broker.run();
                err.println("broker: stopped" + (signals.fired() ? " by signal" : ""));
                err.flush();
                if (pairing != null && !signals.fired()) {
                    return 1; // the pair failed (dual active or passive): say so to whoever restarts us
                }
                err.flush();
            }
        }
        return 0;
    }
}
