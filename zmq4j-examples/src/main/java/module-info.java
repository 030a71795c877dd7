/** Small runnable examples of the zmq4j API, one pattern per class; they use the exported API only. */
module org.zmq4j.examples {
    requires org.zmq4j;
    requires org.zmq4j.patterns;
    requires org.zmq4j.durable;
    requires org.zmq4j.monitor;
    requires java.net.http; // MetricsAndMonitor scrapes its own /metrics
    requires jdk.management; // ZeroGarbage reads the thread's allocation counter

    exports org.zmq4j.examples;
}
