package org.zmq4j.tools.oneliners;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.Option;

/**
 * {@code --bind EP} and {@code --connect EP}, repeatable, at least one in all (a picocli mixin).
 * Thread-safety: filled in by picocli, then read by the command's thread only.
 */
public final class Endpoints {
    @Option(names = "--bind", order = 2, paramLabel = "EP",
            description = "Bind to EP, e.g. tcp://*:5555, or tcp://127.0.0.1:* for a free port (the endpoint"
                    + " bound is printed on standard error); repeatable.")
    List<String> binds = new ArrayList<>();

    @Option(names = "--connect", order = 3, paramLabel = "EP",
            description = "Connect to EP, e.g. tcp://localhost:5555 (before or after the peer binds); repeatable.")
    List<String> connects = new ArrayList<>();

    /** Used by picocli. */
    public Endpoints() {
    }

    /**
     * Whether at least one endpoint was given.
     *
     * @return true with a --bind or --connect
     */
    boolean any() {
        return !binds.isEmpty() || !connects.isEmpty();
    }

    /**
     * Whether an endpoint is inproc (no handshake to watch for: the peer is in this process).
     *
     * @return true when any is inproc://
     */
    boolean anyInproc() {
        return binds.stream().anyMatch(e -> e.startsWith("inproc://")) || connects.stream().anyMatch(e -> e.startsWith("inproc://"));
    }
}
