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
        IoThread io = new IoThread("test-io");
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
        IoThread io = new IoThread("test-io");
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
}
