package org.zmq4j.monitor.jmx;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.zmq4j.Context;
import org.zmq4j.SocketMetrics;
import org.zmq4j.SocketType;

/**
 * A {@link Context} and its sockets as JMX MXBeans, for JConsole, VisualVM or any JMX client:
 * <pre>{@code
 * Context ctx = new Context();
 * try (ZmqJmx jmx = ZmqJmx.register(ctx, "main")) {   // the platform MBeanServer
 *     ...                                              // sockets come and go
 * }                                                    // every bean unregistered
 * }</pre>
 * It registers one {@link ContextMXBean} under {@code org.zmq4j:type=Context,name="main"} and one
 * {@link SocketMXBean} per open socket under
 * {@code org.zmq4j:type=Socket,context="main",id=7,socketType=PUSH}. The context name is always
 * quoted ({@link ObjectName#quote}), so any string will do; two registrations on one MBeanServer
 * need different names.
 * <p>
 * Sockets come and go: {@link #refresh()} registers a bean for every socket opened since the last
 * refresh and unregisters the beans of the sockets closed since. A daemon thread calls it every
 * {@link #DEFAULT_REFRESH_INTERVAL} (or the interval given to
 * {@link #register(Context, String, MBeanServer, Duration)}); {@link #close()} stops that thread
 * and unregisters every bean. Closing the Context does not close this: its Context bean stays
 * (showing {@code Closed = true}) until {@link #close()}, and a socket's bean goes at the first
 * refresh after the socket is closed (as in libzmq, closing a Context does not close its sockets;
 * their owners still do).
 * <p>
 * Attribute values are not read from the sockets one by one: the beans of a Context share one
 * snapshot of {@link Context#metrics()}, taken at each refresh and, when an attribute is read,
 * again if the last one is older than {@link #SNAPSHOT_MAX_AGE}. So the attributes of a bean read
 * together are consistent with each other, and a client polling many beans costs a few snapshots
 * a second at most; a value may be up to {@link #SNAPSHOT_MAX_AGE} old (or as old as the last
 * {@link #refresh()} if that was more recent).
 * <p>
 * Thread-safety: thread-safe. {@link #refresh()} and {@link #close()} may be called from any
 * thread, concurrently with the refresher thread and with JMX clients reading attributes; they are
 * serialized with each other.
 */
public final class ZmqJmx implements AutoCloseable {
    /** The JMX domain of every bean: {@value}. */
    public static final String DOMAIN = "org.zmq4j";

    /** How often the sockets are looked at again by default: every second. */
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofSeconds(1);

    /** How old the snapshot attributes are read from may get before a read takes a new one: 250 ms. */
    public static final Duration SNAPSHOT_MAX_AGE = Duration.ofMillis(250);

    private static final System.Logger LOG = System.getLogger("org.zmq4j.monitor.jmx");

    private final Context context;
    private final String name;
    private final MBeanServer server;
    private final ObjectName contextObjectName;
    private final Snapshots snapshots;
    /** The socket beans registered, by socket id. Guarded by {@code this}; read by the Context bean. */
    private final Map<Integer, ObjectName> sockets = Collections.synchronizedMap(new TreeMap<>());
    private ScheduledExecutorService refresher; // guarded by this
    private boolean closed; // guarded by this

    private ZmqJmx(Context context, String name, MBeanServer server) {
        this.context = context;
        this.name = name;
        this.server = server;
        this.contextObjectName = contextObjectName(name);
        this.snapshots = new Snapshots(context, SNAPSHOT_MAX_AGE.toNanos());
    }

    /**
     * Registers a Context and its sockets with the platform MBeanServer (what JConsole and VisualVM
     * show), refreshed every second.
     *
     * @param context     the Context
     * @param contextName its name in the beans' ObjectNames; any string
     * @return the registration, to {@link #close()} when done
     * @throws IllegalStateException when a Context of that name is already registered there
     */
    public static ZmqJmx register(Context context, String contextName) {
        return register(context, contextName, ManagementFactory.getPlatformMBeanServer());
    }

    /**
     * Registers a Context and its sockets with an MBeanServer, refreshed every second.
     *
     * @param context     the Context
     * @param contextName its name in the beans' ObjectNames; any string
     * @param server      the MBeanServer
     * @return the registration, to {@link #close()} when done
     * @throws IllegalStateException when a Context of that name is already registered there
     */
    public static ZmqJmx register(Context context, String contextName, MBeanServer server) {
        return register(context, contextName, server, DEFAULT_REFRESH_INTERVAL);
    }

    /**
     * Registers a Context and its sockets with an MBeanServer.
     *
     * @param context         the Context
     * @param contextName     its name in the beans' ObjectNames; any string
     * @param server          the MBeanServer
     * @param refreshInterval how often a daemon thread calls {@link #refresh()}; zero for no thread
     *                        (the caller refreshes)
     * @return the registration, to {@link #close()} when done
     * @throws IllegalStateException    when a Context of that name is already registered there
     * @throws IllegalArgumentException for a negative interval
     */
    public static ZmqJmx register(Context context, String contextName, MBeanServer server, Duration refreshInterval) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(contextName, "contextName");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        if (refreshInterval.isNegative()) {
            throw new IllegalArgumentException("refresh interval must not be negative: " + refreshInterval);
        }
        ZmqJmx jmx = new ZmqJmx(context, contextName, server);
        jmx.start(refreshInterval);
        return jmx;
    }

    private synchronized void start(Duration refreshInterval) {
        try {
            server.registerMBean(new ContextBean(name, context, snapshots, this::socketObjectNamesArray), contextObjectName);
        } catch (InstanceAlreadyExistsException e) {
            throw new IllegalStateException("a Context named " + name + " is already registered: " + contextObjectName, e);
        } catch (JMException e) {
            throw new IllegalStateException("cannot register " + contextObjectName + ": " + e, e);
        }
        try {
            refresh();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        if (!refreshInterval.isZero()) {
            refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "zmq4j-jmx-" + name);
                t.setDaemon(true);
                return t;
            });
            long nanos = refreshInterval.toNanos();
            refresher.scheduleWithFixedDelay(this::refreshQuietly, nanos, nanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The ObjectName of a Context's bean: {@code org.zmq4j:type=Context,name="<contextName>"}.
     *
     * @param contextName the name given to {@link #register}
     * @return the ObjectName
     */
    public static ObjectName contextObjectName(String contextName) {
        return objectName("type=Context,name=" + ObjectName.quote(contextName));
    }

    /**
     * The ObjectName of a socket's bean:
     * {@code org.zmq4j:type=Socket,context="<contextName>",id=<id>,socketType=<TYPE>}.
     *
     * @param contextName the name given to {@link #register}
     * @param id          the socket's {@link SocketMetrics#id()}
     * @param type        its type
     * @return the ObjectName
     */
    public static ObjectName socketObjectName(String contextName, int id, SocketType type) {
        return objectName("type=Socket,context=" + ObjectName.quote(contextName) + ",id=" + id + ",socketType=" + type.name());
    }

    private static ObjectName objectName(String keys) {
        try {
            return new ObjectName(DOMAIN + ":" + keys);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The name the Context was registered with. */
    public String contextName() {
        return name;
    }

    /** The ObjectName of the Context's bean. */
    public ObjectName contextObjectName() {
        return contextObjectName;
    }

    /** The ObjectNames of the socket beans registered now, in socket id order. */
    public java.util.List<ObjectName> socketObjectNames() {
        synchronized (sockets) {
            return java.util.List.copyOf(sockets.values());
        }
    }

    private ObjectName[] socketObjectNamesArray() {
        return socketObjectNames().toArray(ObjectName[]::new);
    }

    /**
     * Takes a new snapshot of the Context's metrics, registers a bean for every socket that has
     * none and unregisters the beans of the sockets that are gone. The refresher thread calls it;
     * call it to see a change at once. Nothing happens after {@link #close()}.
     *
     * @throws IllegalStateException when the MBeanServer refuses a bean (the refresh goes on with the
     *                               others first)
     */
    public synchronized void refresh() {
        if (closed) {
            return;
        }
        Snapshots.Snapshot s = snapshots.takeNow();
        RuntimeException failure = null;
        for (Integer id : new ArrayList<>(sockets.keySet())) {
            if (!s.sockets().containsKey(id)) {
                unregister(sockets.remove(id));
            }
        }
        for (SocketMetrics m : s.sockets().values()) {
            if (sockets.containsKey(m.id())) {
                continue;
            }
            ObjectName on = socketObjectName(name, m.id(), m.type());
            try {
                server.registerMBean(new SocketBean(name, m, snapshots), on);
                sockets.put(m.id(), on);
            } catch (JMException | RuntimeException e) {
                if (failure == null) {
                    failure = new IllegalStateException("cannot register " + on + ": " + e, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) { // a failed refresh must not end the schedule
            LOG.log(System.Logger.Level.WARNING, "JMX refresh of Context " + name + " failed: " + e, e);
        }
    }

    private void unregister(ObjectName on) {
        try {
            server.unregisterMBean(on);
        } catch (InstanceNotFoundException e) {
            // someone else unregistered it: gone either way
        } catch (JMException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot unregister " + on + ": " + e, e);
        }
    }

    /**
     * Stops the refresher thread and unregisters the Context's bean and every socket bean.
     * Idempotent; the Context itself stays open.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (refresher != null) {
            refresher.shutdownNow();
        }
        for (ObjectName on : socketObjectNames()) {
            unregister(on);
        }
        sockets.clear();
        unregister(contextObjectName);
    }

    /** Whether {@link #close()} has been called. */
    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "ZmqJmx[" + contextObjectName + ", " + sockets.size() + " sockets]";
    }

    /** The socket ids registered now (for tests and diagnostics). */
    Set<Integer> registeredIds() {
        synchronized (sockets) {
            return Set.copyOf(sockets.keySet());
        }
    }
}
