/**
 * The {@code zmq4j} command line (picocli): the one-liners (send, recv, pub, sub, proxy, monitor),
 * perf throughput/latency tools, a demo, key generation, the Majordomo broker, worker and client,
 * the Paranoid Pirate queue and worker, and durable delivery (durable-send, durable-recv) and Titanic.
 */
module org.zmq4j.tools {
    requires org.zmq4j;
    requires org.zmq4j.patterns;
    requires org.zmq4j.durable;
    requires info.picocli;
    requires jdk.unsupported; // sun.misc.Signal: SIGINT/SIGTERM stop the long-running commands cleanly

    // picocli reads and writes the command classes' annotated fields reflectively
    opens org.zmq4j.tools to info.picocli;
    opens org.zmq4j.tools.perf to info.picocli;
    opens org.zmq4j.tools.patterns to info.picocli;
    opens org.zmq4j.tools.oneliners to info.picocli;
    opens org.zmq4j.tools.durable to info.picocli;
}
