package org.zmq4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IoThreadTest {

    @Test
    void taskThatThrowsDoesNotKillTheThread() throws Exception {
        IoThread io = new IoThread("test-io", false);
        io.start();
        try {
            io.execute(() -> {
                throw new IllegalStateException("boom (expected by the test)");
            });
            CountDownLatch ran = new CountDownLatch(1);
            io.execute(ran::countDown);
            assertTrue(ran.await(5, TimeUnit.SECONDS));
        } finally {
            io.stop();
        }
    }

    @Test
    void timersFireInOrder() throws Exception {
        IoThread io = new IoThread("test-io", false);
        io.start();
        try {
            StringBuffer order = new StringBuffer();
            CountDownLatch done = new CountDownLatch(2);
            io.execute(() -> {
                io.schedule(60, () -> {
                    order.append('b');
                    done.countDown();
                });
                io.schedule(10, () -> {
                    order.append('a');
                    done.countDown();
                });
            });
            assertTrue(done.await(5, TimeUnit.SECONDS));
            assertEquals("ab", order.toString());
        } finally {
            io.stop();
        }
    }

    /**
     * A stream of tasks that never runs dry (a reader waking one engine again and again) must not
     * keep the selector from dispatching other channels: before the fix, one busy PULL connection
     * starved the others' reads (PushPullTest.pullFairQueuesAmongFullPipes saw 16 messages in a
     * row from one source).
     */
    @Test
    void endlessTasksDoNotStarveReadyChannels() throws Exception {
        IoThread io = new IoThread("test-io", false);
        io.start();
        java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            pipe.source().configureBlocking(false);
            CountDownLatch dispatched = new CountDownLatch(1);
            AtomicInteger taskRuns = new AtomicInteger();
            IoHandler handler = new IoHandler() {
                @Override
                public void onReady(java.nio.channels.SelectionKey key) {
                    key.cancel();
                    dispatched.countDown();
                }

                @Override
                public void onFailure(Throwable cause) {
                }
            };
            CountDownLatch registered = new CountDownLatch(1);
            io.execute(() -> {
                try {
                    io.register(pipe.source(), java.nio.channels.SelectionKey.OP_READ, handler);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                registered.countDown();
            });
            assertTrue(registered.await(5, TimeUnit.SECONDS));
            Runnable requeue = new Runnable() {
                @Override
                public void run() {
                    taskRuns.incrementAndGet();
                    if (!stop.get()) {
                        io.execute(this);
                    }
                }
            };
            io.execute(requeue);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (taskRuns.get() < 1000 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(taskRuns.get() >= 1000, "the re-queuing task runs");
            pipe.sink().write(java.nio.ByteBuffer.wrap(new byte[] {1}));
            assertTrue(dispatched.await(5, TimeUnit.SECONDS),
                    "a readable channel was not dispatched while tasks kept coming (" + taskRuns.get() + " task runs)");
        } finally {
            stop.set(true);
            io.stop();
            pipe.sink().close();
            pipe.source().close();
        }
    }

    @Test
    void rebuiltSelectorKeepsLiveConnectionsWorking() throws Exception {
        try (Context ctx = new Context()) {
            Socket pull = ctx.socket(SocketType.PULL);
            pull.setOption(Option.RCVTIMEO, 5000);
            pull.bind("tcp://127.0.0.1:*");
            Socket push = ctx.socket(SocketType.PUSH);
            push.connect(pull.lastEndpoint());
            push.send("before".getBytes());
            assertArrayEquals("before".getBytes(), pull.recv());
            IoThread io = ctxIoThread(ctx);
            CompletableFuture<Integer> rebuilt = new CompletableFuture<>();
            io.execute(() -> {
                io.rebuildSelector();
                rebuilt.complete(io.selectorRebuilds());
            });
            assertEquals(1, rebuilt.get(5, TimeUnit.SECONDS));
            AtomicInteger got = new AtomicInteger();
            for (int i = 0; i < 100; i++) {
                push.send(("after" + i).getBytes());
            }
            for (int i = 0; i < 100; i++) {
                assertArrayEquals(("after" + i).getBytes(), pull.recv());
                got.incrementAndGet();
            }
            assertEquals(100, got.get());
            push.setOption(Option.LINGER, 0);
            push.close();
            pull.close();
        }
    }

    /** The context's only I/O thread, reached through the engine's package (test-only reflection). */
    private static IoThread ctxIoThread(Context ctx) throws Exception {
        java.lang.reflect.Field f = Context.class.getDeclaredField("io");
        f.setAccessible(true);
        return ((IoContext) f.get(ctx)).chooseThread();
    }

    /**
     * An Error from a handler whose failure handling throws too, while logging itself fails (as
     * under memory pressure): the I/O thread goes on. It used to die there, silently, taking every
     * socket of its context with it.
     */
    @Test
    void anErrorThatEscapesEvenTheFailureHandlingDoesNotStopTheThread() throws Exception {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("org.zmq4j.io");
        java.util.logging.Handler failingLog = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                throw new OutOfMemoryError("logging failed (forced by the test)");
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(failingLog);
        IoThread io = new IoThread("test-io", false);
        io.start();
        java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            AtomicInteger failures = new AtomicInteger();
            CountDownLatch registered = new CountDownLatch(1);
            io.execute(() -> {
                try {
                    io.register(pipe.source(), java.nio.channels.SelectionKey.OP_READ, new IoHandler() {
                        @Override
                        public void onReady(java.nio.channels.SelectionKey key) {
                            throw new OutOfMemoryError("engine callback (forced by the test)");
                        }

                        @Override
                        public void onFailure(Throwable cause) {
                            if (failures.incrementAndGet() >= 3) {
                                try {
                                    pipe.source().close(); // stop after a few rounds of it
                                } catch (java.io.IOException ignored) {
                                    // closing anyway
                                }
                            }
                            throw new StackOverflowError("failure handling failed too (forced by the test)");
                        }
                    });
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                registered.countDown();
            });
            assertTrue(registered.await(5, TimeUnit.SECONDS));
            pipe.sink().write(java.nio.ByteBuffer.wrap(new byte[] {1}));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (failures.get() < 3 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertTrue(failures.get() >= 3, "the handler failed " + failures.get() + " times");
            CountDownLatch alive = new CountDownLatch(2);
            io.execute(alive::countDown);
            io.execute(() -> io.schedule(10, alive::countDown));
            assertTrue(alive.await(5, TimeUnit.SECONDS), "tasks and timers still run on the I/O thread");
            assertTrue(io.isRunning());
        } finally {
            log.removeHandler(failingLog);
            pipe.sink().close();
            pipe.source().close();
            io.stop();
        }
    }
}
