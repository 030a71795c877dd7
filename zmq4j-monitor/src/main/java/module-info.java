/**
 * A management view of zmq4j: {@code org.zmq4j.monitor}, the Prometheus text format, a JSON API,
 * a Server-Sent Events stream and a live web page served by the JDK's HTTP server;
 * {@code org.zmq4j.monitor.jmx}, MXBeans for Contexts and sockets.
 */
module org.zmq4j.monitor {
    requires transitive org.zmq4j;
    requires jdk.httpserver;
    requires transitive java.management; // the jmx package's API names ObjectName and MBeanServer

    exports org.zmq4j.monitor;
    exports org.zmq4j.monitor.jmx;
}
