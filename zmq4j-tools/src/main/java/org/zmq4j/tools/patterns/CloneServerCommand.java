package org.zmq4j.tools.patterns;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.zmq4j.Context;
import org.zmq4j.patterns.bstar.BinaryStarState;
import org.zmq4j.patterns.clone.CloneServer;
import org.zmq4j.patterns.clone.CloneServerConfig;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code zmq4j clone-server}: a Clone server (rfc 12 CHP, the zguide's model six), alone or as one
 * of a Binary Star pair, until SIGINT or SIGTERM.
 */
@Command(name = "clone-server",
        mixinStandardHelpOptions = true,
        header = "Runs a Clone server (rfc 12 CHP): a shared key-value map, alone or as a Binary Star pair, until interrupted.",
        description = {"Snapshots (ICANHAZ?) on the ROUTER at port P, updates and HUGZ on the PUB at P+1, client updates"
                + " (KVSET) on the SUB at P+2, as the zguide's clonesrv6. Every update gets the next sequence number;"
                + " keys with a ttl property expire.",
                "With --primary or --backup the server is one of a pair: the passive one follows the active one's"
                + " updates (port Q+1) and takes over when the active one's Binary Star state stops (--bstar-remote) and a"
                + " client asks it for a snapshot. The zguide's pair: --primary --port 5556 --peer 5566 --bstar-local"
                + " tcp://*:5003 --bstar-remote tcp://localhost:5004, and --backup --port 5566 --peer 5556 --bstar-local"
                + " tcp://*:5004 --bstar-remote tcp://localhost:5003."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGINT/SIGTERM", "1:could not bind, or the pair failed (dual active or passive)",
            "2:usage error"})
public final class CloneServerCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private Pairing.Role role;

    @Option(names = "--port", required = true, paramLabel = "P", description = "Snapshot port; P+1 and P+2 are used too.")
    private int port;

    @Option(names = "--peer", paramLabel = "Q", description = "The peer server's snapshot port (with --primary/--backup).")
    private Integer peer;

    @Option(names = "--bstar-local", paramLabel = "EP",
            description = "Where this server publishes its Binary Star state (bound), e.g. tcp://*:5003.")
    private String bstarLocal;

    @Option(names = "--bstar-remote", paramLabel = "EP",
            description = "The peer's Binary Star state (connected), e.g. tcp://localhost:5004.")
    private String bstarRemote;

    @Option(names = "--bind-host", defaultValue = "*", paramLabel = "HOST",
            description = "Interface to bind the three ports on (default: ${DEFAULT-VALUE}, every one).")
    private String bindHost;

    @Option(names = "--peer-host", defaultValue = "localhost", paramLabel = "HOST",
            description = "Where the peer server runs (default: ${DEFAULT-VALUE}).")
    private String peerHost;

    @Option(names = "--heartbeat-ms", defaultValue = "1000", paramLabel = "N",
            description = "Binary Star heartbeat; the peer is gone after two missed (default: ${DEFAULT-VALUE}).")
    private long heartbeatMillis;

    @Option(names = "--hugz-ms", defaultValue = "1000", paramLabel = "N",
            description = "HUGZ interval, the clients' sign of life (default: ${DEFAULT-VALUE}).")
    private long hugzMillis;

    /** Used by picocli. */
    public CloneServerCommand() {
    }

    @picocli.CommandLine.Mixin
    private org.zmq4j.tools.monitor.HttpOption http = new org.zmq4j.tools.monitor.HttpOption();

    @Override
    public Integer call() throws Exception {
        CloneServerConfig config = Options.check(spec, this::config);
        PrintWriter err = spec.commandLine().getErr();
        CountDownLatch stop = new CountDownLatch(1);
        try (Context ctx = new Context(); CloneServer server = CloneServer.start(ctx, config);
                AutoCloseable monitor = http.start(spec, "zmq4j clone-server", ctx);
                StopSignals signals = StopSignals.install(stop::countDown)) {
            err.println("clone-server: " + config + "; snapshots on port " + port + ", updates on " + (port + 1)
                    + ", collector on " + (port + 2));
            err.flush();
            BinaryStarState shown = null;
            boolean wasActive = false;
            long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!stop.await(100, TimeUnit.MILLISECONDS)) {
                if (server.failure() != null) {
                    err.println("clone-server: stopped: " + server.failure());
                    err.flush();
                    return 1;
                }
                if (server.state() != shown || server.isActive() != wasActive) {
                    shown = server.state();
                    wasActive = server.isActive();
                    err.println("clone-server: " + stateName(server) + " at sequence " + server.sequence() + ", "
                            + server.size() + " keys");
                    err.flush();
                }
                if (System.nanoTime() - nextReport >= 0) {
                    nextReport += TimeUnit.SECONDS.toNanos(60);
                    err.println("clone-server: " + stateName(server) + ", sequence "
                            + server.sequence() + ", " + server.size() + " keys, " + server.published() + " published, "
                            + server.malformed() + " malformed dropped");
                    err.flush();
                }
            }
            err.println("clone-server: stopped by signal at sequence " + server.sequence() + ", " + server.size() + " keys");
            err.flush();
        }
        return 0;
    }

    /** active, passive, or (a pair's server still deciding) primary or backup. */
    private static String stateName(CloneServer server) {
        if (server.state() == null) {
            return "active";
        }
        return server.state().name().toLowerCase(java.util.Locale.ROOT);
    }

    private CloneServerConfig config() {
        Duration beat = Duration.ofMillis(heartbeatMillis);
        Duration hugz = Duration.ofMillis(hugzMillis);
        if (role == null) {
            if (peer != null || bstarLocal != null || bstarRemote != null) {
                throw new ParameterException(spec.commandLine(),
                        "--peer, --bstar-local and --bstar-remote belong to a pair: add --primary or --backup");
            }
            return CloneServerConfig.standalone(port).withBindHost(bindHost).withHeartbeat(beat).withHugz(hugz);
        }
        if (peer == null || bstarLocal == null || bstarRemote == null) {
            throw new ParameterException(spec.commandLine(),
                    "a pair's server needs --peer Q, --bstar-local EP and --bstar-remote EP");
        }
        BinaryStarState r = role.primary ? BinaryStarState.PRIMARY : BinaryStarState.BACKUP;
        return CloneServerConfig.pair(r, port, peer, bstarLocal, bstarRemote).withBindHost(bindHost).withPeerHost(peerHost)
                .withHeartbeat(beat).withHugz(hugz);
    }
}
