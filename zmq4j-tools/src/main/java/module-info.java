/** The {@code zmq4j} command line (picocli): perf throughput/latency tools, a demo, key generation. */
module org.zmq4j.tools {
    requires org.zmq4j;
    requires info.picocli;

    // picocli reads and writes the command classes' annotated fields reflectively
    opens org.zmq4j.tools to info.picocli;
    opens org.zmq4j.tools.perf to info.picocli;
}
