/**
 * JMX MXBeans for zmq4j, as JConsole, VisualVM or any JMX client sees them: one
 * {@link org.zmq4j.monitor.jmx.ContextMXBean} per registered {@link org.zmq4j.Context} and one
 * {@link org.zmq4j.monitor.jmx.SocketMXBean} per open socket of it, kept in step with the sockets
 * that come and go by {@link org.zmq4j.monitor.jmx.ZmqJmx}.
 * <p>
 * Every bean is read-only: attributes only, no operations, nothing that changes a socket. The
 * attributes are plain open types (numbers, strings, arrays, {@code CompositeData} and
 * {@code TabularData}), so a client needs no zmq4j class to read them.
 */
package org.zmq4j.monitor.jmx;
