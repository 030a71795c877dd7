/**
 * zmq4j: ZeroMQ sockets in pure Java, wire-compatible with libzmq 4.x (ZMTP 3.1).
 * <p>
 * Only {@code org.zmq4j} is exported: {@link org.zmq4j.Context}, {@link org.zmq4j.Socket},
 * {@link org.zmq4j.Poller}, {@link org.zmq4j.Proxy} and the types they use. Everything else (the
 * socket machinery, routing strategies, I/O threads, engines, transports, security mechanisms,
 * the wire codec) is internal and may change in any release; docs/design.md maps it.
 */
module org.zmq4j {
    requires org.bouncycastle.provider;
    requires jdk.net;
    requires java.management; // an I/O thread's CPU time, for Context.metrics()
    // CURVE's Salsa20 runs eight blocks at a time when the application adds this module
    // (--add-modules jdk.incubator.vector); without it the scalar code runs (security.SalsaBatch)
    requires static jdk.incubator.vector;

    exports org.zmq4j;
}
