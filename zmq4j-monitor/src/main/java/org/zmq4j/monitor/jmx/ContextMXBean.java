package org.zmq4j.monitor.jmx;

import java.util.Date;

import javax.management.ObjectName;

/**
 * A {@link org.zmq4j.Context} as JMX shows it, registered by {@link ZmqJmx} under
 * {@code org.zmq4j:type=Context,name="<context name>"}: its I/O threads and their load, how many
 * sockets and connections it has, and the numbers of the components built on it (a Majordomo
 * broker's services and workers...). Read-only.
 * <p>
 * The values come from a snapshot of {@link org.zmq4j.Context#metrics()} that the Context's beans
 * share: taken at each {@link ZmqJmx#refresh()} and, when an attribute is read, again if the last
 * one is older than {@link ZmqJmx#SNAPSHOT_MAX_AGE}. {@link #getSnapshotTime()} says when.
 * <p>
 * Thread-safety: every getter may be called from any thread at any time (the MBean server's, an
 * RMI connection's), and stays safe after the Context is closed.
 */
public interface ContextMXBean {
    /** The name the Context was registered with. */
    String getName();

    /** Whether the Context has been closed. */
    boolean isClosed();

    /** Its number of I/O threads. */
    int getIoThreads();

    /** Its open sockets. */
    int getSocketCount();

    /** The connections of all its sockets (accepted, connected, inproc peers). */
    int getConnectionCount();

    /** The peers of all its sockets: connections past their handshake, inproc peers. */
    int getPeerCount();

    /**
     * Each I/O thread's busy ratio, 0 to 1: the share of its life it spent working rather than
     * waiting in its selector, in the order of {@link #getIoThreadDetails()}.
     */
    double[] getIoThreadLoad();

    /** Each I/O thread's name, busy and up time, wakeups and connections. */
    IoThreadInfo[] getIoThreadDetails();

    /**
     * The numbers of every component added to the Context with
     * {@link org.zmq4j.Context#addMetricsSource}.
     */
    ComponentInfo[] getComponents();

    /** The names of the socket beans registered for the Context now, by socket id. */
    ObjectName[] getSockets();

    /** When the snapshot the values come from was taken. */
    Date getSnapshotTime();
}
