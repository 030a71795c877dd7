/**
 * The {@code zmq4j} command line (picocli): the one-liners (send, recv, pub, sub, proxy, monitor),
 * perf throughput/latency tools, a demo, key generation, the Majordomo broker, worker and client,
 * the Paranoid Pirate queue and worker, and durable delivery (durable-send, durable-recv) and Titanic; {@code --http} on the long-running ones serves the monitor page, and {@code top} shows a monitor in a terminal.
 */
module org.zmq4j.tools {
    requires org.zmq4j;
    requires org.zmq4j.patterns;
    requires org.zmq4j.durable;
    requires org.zmq4j.monitor;
    requires java.net.http; // zmq4j top reads a monitor's JSON API
    requires info.picocli;
    requires jdk.unsupported; // sun.misc.Signal: SIGINT/SIGTERM stop the long-running commands cleanly

    // picocli reads and writes the command classes' annotated fields reflectively
    opens org.zmq4j.tools to info.picocli;
    opens org.zmq4j.tools.perf to info.picocli;
    opens org.zmq4j.tools.patterns to info.picocli;
    opens org.zmq4j.tools.oneliners to info.picocli;
    opens org.zmq4j.tools.durable to info.picocli;
    opens org.zmq4j.tools.monitor to info.picocli;
}
