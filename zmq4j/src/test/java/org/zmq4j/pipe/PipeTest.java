package org.zmq4j.pipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class PipeTest {

    @Test
    void multipartMessageIsInvisibleUntilItsLastFrame() {
        Pipe p = new Pipe(10, false);
        p.write("a".getBytes(), Pipe.MORE);
        p.write("b".getBytes(), Pipe.MORE);
        assertFalse(p.hasMessage());
        assertNull(p.read());
        p.write("c".getBytes(), 0);
        assertTrue(p.hasMessage());
        assertArrayEquals("a".getBytes(), p.read());
        assertEquals(Pipe.MORE, p.lastFlags() & Pipe.MORE);
        p.read();
        assertArrayEquals("c".getBytes(), p.read());
        assertEquals(0, p.lastFlags() & Pipe.MORE);
        assertNull(p.read());
    }

    @Test
    void hwmCountsMessagesNotFrames() {
        Pipe p = new Pipe(2, false);
        for (int i = 0; i < 2; i++) {
            assertTrue(p.hasRoom());
            p.write(new byte[1], Pipe.MORE);
            assertTrue(p.hasRoom(), "frames of a message in progress are always accepted");
            p.write(new byte[1], 0);
        }
        assertFalse(p.hasRoom());
        p.read();
        assertFalse(p.hasRoom(), "half a message read frees nothing");
        p.read();
        assertTrue(p.hasRoom());
    }

    @Test
    void readerWakeFiresOncePerCommittedMessage() {
        AtomicInteger wakes = new AtomicInteger();
        Pipe p = new Pipe(0, false);
        p.setReaderWake(wakes::incrementAndGet);
        p.write(new byte[1], Pipe.MORE);
        assertEquals(0, wakes.get());
        p.write(new byte[1], 0);
        assertEquals(1, wakes.get());
    }

    @Test
    void writerIsWokenWhenRoomFreesAfterItFoundThePipeFull() {
        AtomicInteger wakes = new AtomicInteger();
        Pipe p = new Pipe(1, false);
        p.setWriterWake(wakes::incrementAndGet);
        p.write(new byte[1], 0);
        assertFalse(p.hasRoom());
        p.read();
        assertEquals(1, wakes.get());
        p.write(new byte[1], 0);
        p.read();
        assertEquals(1, wakes.get(), "no wake when the writer never found the pipe full");
    }

    @Test
    void conflateKeepsOnlyTheLatest() {
        Pipe p = new Pipe(1, true);
        for (int i = 0; i < 5; i++) {
            assertTrue(p.hasRoom());
            p.write(new byte[] {(byte) i}, 0);
        }
        assertArrayEquals(new byte[] {4}, p.read());
        assertNull(p.read());
    }

    @Test
    void closedWriterIsSeenAfterDraining() {
        Pipe p = new Pipe(0, false);
        p.write(new byte[1], 0);
        p.closeWriter();
        assertFalse(p.isDrainedAndClosed());
        p.read();
        assertTrue(p.isDrainedAndClosed());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentProducerAndConsumerKeepOrderAcrossChunksWithParking() throws Exception {
        int n = 500_000;
        Pipe p = new Pipe(100, false);
        Thread consumerThread = Thread.currentThread();
        Thread[] producer = new Thread[1];
        p.setReaderWake(() -> LockSupport.unpark(consumerThread));
        p.setWriterWake(() -> LockSupport.unpark(producer[0]));
        producer[0] = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                while (!p.hasRoom()) {
                    LockSupport.parkNanos(1_000_000);
                }
                p.write(new byte[] {(byte) i, (byte) (i >> 8)}, Pipe.MORE);
                p.write(new byte[] {(byte) (i >> 16)}, 0);
            }
        });
        producer[0].start();
        for (int i = 0; i < n; i++) {
            byte[] a;
            while ((a = p.read()) == null) {
                LockSupport.parkNanos(1_000_000);
            }
            byte[] b = p.read();
            int v = (a[0] & 0xFF) | ((a[1] & 0xFF) << 8) | ((b[0] & 0xFF) << 16);
            assertEquals(i & 0xFFFFFF, v);
        }
        producer[0].join();
    }

    /**
     * The writer blocks at HWM and waits for its wake-up alone (no timed re-check); the reader
     * spins. Credit published in batches without a fence must still never lose the wake-up of a
     * writer that blocked as the reader drained the pipe: a lost one leaves the writer parked with
     * an empty pipe, which this test reports instead of hanging.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void blockedWriterIsAlwaysWokenWhenTheReaderDrainsThePipe() throws Exception {
        for (int hwm : new int[] {2, 4, 64}) {
            int n = 300_000;
            Pipe p = new Pipe(hwm, false);
            java.util.concurrent.Semaphore woken = new java.util.concurrent.Semaphore(0);
            p.setWriterWake(woken::release);
            java.util.concurrent.atomic.AtomicReference<String> lost = new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            Thread producer = new Thread(() -> {
                for (int i = 0; i < n && lost.get() == null; i++) {
                    while (!p.hasRoom()) {
                        try {
                            if (!woken.tryAcquire(2, TimeUnit.SECONDS)) {
                                lost.set("writer at message " + i + " never woken; pipe has a message: " + p.hasMessage());
                                return;
                            }
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    p.write(new byte[] {(byte) i}, 0);
                }
                done.set(true);
            });
            producer.start();
            int got = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (got < n && lost.get() == null && System.nanoTime() < deadline) {
                byte[] m = p.read();
                if (m == null) {
                    Thread.onSpinWait();
                    continue;
                }
                assertEquals((byte) got, m[0]);
                got++;
            }
            producer.join(5000);
            assertEquals(null, lost.get(), "HWM " + hwm);
            assertEquals(n, got, "HWM " + hwm);
        }
    }
}
