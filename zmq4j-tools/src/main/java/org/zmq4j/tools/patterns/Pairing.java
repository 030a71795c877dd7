package org.zmq4j.tools.patterns;

import java.time.Duration;

import org.zmq4j.Context;
import org.zmq4j.patterns.bstar.BinaryStarNode;
import org.zmq4j.patterns.bstar.BinaryStarState;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * {@code --primary|--backup --state-bind EP --state-connect EP [--state-heartbeat-ms N]}: a server
 * command as one node of a Binary Star pair. picocli fills it; all or nothing.
 */
final class Pairing {
    /** {@code --primary} or {@code --backup}. */
    static final class Role {
        @Option(names = "--primary", required = true, description = "Run as the primary of a Binary Star pair.")
        boolean primary;

        @Option(names = "--backup", required = true, description = "Run as the backup of a Binary Star pair.")
        boolean backup;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Role role;

    @Option(names = "--state-bind", required = true, paramLabel = "EP",
            description = "Where this node publishes its state to its peer (bound), e.g. tcp://*:5003.")
    String stateBind;

    @Option(names = "--state-connect", required = true, paramLabel = "EP",
            description = "The peer's --state-bind (connected), e.g. tcp://backup:5004.")
    String stateConnect;

    @Option(names = "--state-heartbeat-ms", defaultValue = "1000", paramLabel = "N",
            description = "How often the state is published; the peer is gone after two missed (default: ${DEFAULT-VALUE}, the zguide's).")
    long heartbeatMillis;

    /** Used by picocli. */
    Pairing() {
    }

    BinaryStarState state() {
        return role.primary ? BinaryStarState.PRIMARY : BinaryStarState.BACKUP;
    }

    BinaryStarNode node(Context ctx) {
        return new BinaryStarNode(ctx, state(), stateBind, stateConnect, Duration.ofMillis(heartbeatMillis));
    }
}
