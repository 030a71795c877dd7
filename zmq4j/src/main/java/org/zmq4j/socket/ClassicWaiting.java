package org.zmq4j.socket;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.zmq4j.SocketType;

/**
 * The blocking discipline of the classic types: one thread uses the socket at a time, so no lock.
 * A blocked caller publishes itself in {@link #parked}, re-checks its condition, then parks; a
 * waker publishes its change, then reads {@link #parked} (a Dekker-style handshake on volatiles:
 * no lost wake-up, no wake-up sent to a thread that is awake). At most one unpark per park.
 */
final class ClassicWaiting extends Waiting {
    private final long spinNanos;
    private final long inprocSpinNanos;

    /**
     * @param owner           the socket
     * @param type            its type
     * @param spinNanos       busy-wait before parking when the socket uses I/O threads
     * @param inprocSpinNanos busy-wait before parking when all its peers are inproc
     */
    ClassicWaiting(Owner owner, SocketType type, long spinNanos, long inprocSpinNanos) {
        super(owner, type);
        this.spinNanos = spinNanos;
        this.inprocSpinNanos = inprocSpinNanos;
    }

    @Override
    void enter() {
    }

    @Override
    void exit() {
    }

    @Override
    boolean await(BooleanSupplier ready, long deadline) {
        // checked on every wait, not only after parking: a retry loop whose condition holds but
        // whose operation keeps failing still answers an interrupt
        checkInterrupt();
        long spin = owner.usesIoThreads() ? spinNanos : Math.max(spinNanos, inprocSpinNanos);
        if (spin > 0 && spin(ready, spin)) {
            return true;
        }
        parked = Thread.currentThread();
        try {
            while (true) {
                unparkSent = false;
                owner.processCommands();
                if (ready.getAsBoolean()) {
                    return true;
                }
                owner.checkUsable();
                if (deadline == 0) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    LockSupport.parkNanos(this, left);
                }
                checkInterrupt();
            }
        } finally {
            parked = null;
        }
    }

    /** Spins briefly for {@code ready}; true when it became ready without parking. */
    private boolean spin(BooleanSupplier ready, long nanos) {
        long end = System.nanoTime() + nanos;
        do {
            Thread.onSpinWait();
            owner.processCommands();
            if (ready.getAsBoolean()) {
                return true;
            }
        } while (System.nanoTime() - end < 0 && !owner.isEnding());
        return false;
    }

    @Override
    void wake() {
        hintInput();
        Thread t = parked;
        if (t != null && !unparkSent) {
            // one unpark per park: the woken thread takes tens of microseconds to run on a VM, and
            // a writer used to unpark it again for every message it wrote meanwhile (inproc 1 B:
            // 214,577 unparks for 1,157 parks over 20M messages)
            unparkSent = true;
            LockSupport.unpark(t);
        }
    }

    @Override
    void pollingThread(Thread thread, boolean waiting) {
        unparkSent = false;
        parked = waiting ? thread : null;
    }
}
