package org.zmq4j.monitor.jmx;

import java.util.Date;
import java.util.function.Supplier;

import javax.management.ObjectName;

import org.zmq4j.Context;
import org.zmq4j.ContextMetrics;
import org.zmq4j.IoThreadMetrics;

/** The {@link ContextMXBean} of one Context. Thread-safe: reads the shared snapshot only. */
final class ContextBean implements ContextMXBean {
    private final String name;
    private final Context context;
    private final Snapshots snapshots;
    private final Supplier<ObjectName[]> sockets;

    ContextBean(String name, Context context, Snapshots snapshots, Supplier<ObjectName[]> sockets) {
        this.name = name;
        this.context = context;
        this.snapshots = snapshots;
        this.sockets = sockets;
    }

    private ContextMetrics m() {
        return snapshots.get().metrics();
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean isClosed() {
        return context.isClosed();
    }

    @Override
    public int getIoThreads() {
        return m().ioThreads();
    }

    @Override
    public int getSocketCount() {
        return m().sockets().size();
    }

    @Override
    public int getConnectionCount() {
        return m().connections();
    }

    @Override
    public int getPeerCount() {
        return m().peers();
    }

    @Override
    public double[] getIoThreadLoad() {
        return m().ioThreadLoad().stream().mapToDouble(IoThreadMetrics::busyRatio).toArray();
    }

    @Override
    public IoThreadInfo[] getIoThreadDetails() {
        return m().ioThreadLoad().stream().map(Views.IoThread::new).toArray(IoThreadInfo[]::new);
    }

    @Override
    public ComponentInfo[] getComponents() {
        return m().components().stream().map(Views.Component::new).toArray(ComponentInfo[]::new);
    }

    @Override
    public ObjectName[] getSockets() {
        return sockets.get();
    }

    @Override
    public Date getSnapshotTime() {
        return Date.from(snapshots.get().takenAt());
    }
}
