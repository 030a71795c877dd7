package org.zmq4j.socket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import org.zmq4j.SocketType;

/**
 * The blocking discipline of the thread-safe types (SERVER, CLIENT, RADIO, DISH, SCATTER, GATHER,
 * PEER, CHANNEL): every public call runs under one lock; a blocked caller joins the set of waiters,
 * re-checks, releases the lock and parks. Every wake-up unparks all waiters, and so does every call
 * that leaves the lock while threads wait (one thread's connect may be what another's send waits for).
 */
final class SharedWaiting extends Waiting {
    private final ReentrantLock lock = new ReentrantLock();
    /** The threads parked in a blocking call or a Poller. */
    private final Set<Thread> waiters = ConcurrentHashMap.newKeySet();

    SharedWaiting(Owner owner, SocketType type) {
        super(owner, type);
    }

    @Override
    void enter() {
        lock.lock();
    }

    @Override
    void exit() {
        lock.unlock();
        unparkWaiters();
    }

    private void unparkWaiters() {
        if (!waiters.isEmpty()) {
            Thread self = Thread.currentThread();
            for (Thread t : waiters) {
                if (t != self) { // a Poller's own scan leaves the lock too: waking itself made its park return at once
                    LockSupport.unpark(t);
                }
            }
        }
    }

    @Override
    boolean await(BooleanSupplier ready, long deadline) {
        checkInterrupt();
        Thread self = Thread.currentThread();
        waiters.add(self);
        try {
            while (true) {
                owner.processCommands();
                if (ready.getAsBoolean()) {
                    return true;
                }
                owner.checkUsable();
                long left = 0;
                if (deadline != 0) {
                    left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                }
                lock.unlock();
                try {
                    if (deadline == 0) {
                        LockSupport.park(this);
                    } else {
                        LockSupport.parkNanos(this, left);
                    }
                } finally {
                    lock.lock();
                }
                checkInterrupt();
            }
        } finally {
            waiters.remove(self);
        }
    }

    @Override
    void wake() {
        hintInput();
        unparkWaiters();
    }

    @Override
    void pollingThread(Thread thread, boolean waiting) {
        if (waiting) {
            waiters.add(thread);
        } else {
            waiters.remove(thread);
        }
    }
}
