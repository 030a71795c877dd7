package org.zmq4j.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.ZmqException;

/** Context close with work in flight: every I/O thread ends, blocked threads get ETERM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ContextCloseTest {

    private static long zmq4jThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("zmq4j-io-") && t.isAlive()).count();
    }

    @Test
    void closeWithTrafficInFlightLeavesNoThreadRunning() throws Exception {
        long before = zmq4jThreads();
        Context ctx = new Context(3);
        Socket pull = ctx.socket(SocketType.PULL);
        pull.bind("tcp://127.0.0.1:*");
        Socket push = ctx.socket(SocketType.PUSH);
        push.setOption(Option.LINGER, 100);
        push.connect(pull.lastEndpoint());
        Thread sender = new Thread(() -> {
            try {
                byte[] m = new byte[512];
                while (true) {
                    push.send(m);
                }
            } catch (ZmqException e) {
                assertEquals(ZmqException.Errno.ETERM, e.errno());
                push.close();
            }
        });
        Thread receiver = new Thread(() -> {
            try {
                while (true) {
                    pull.recv();
                }
            } catch (ZmqException e) {
                assertEquals(ZmqException.Errno.ETERM, e.errno());
                pull.close();
            }
        });
        sender.start();
        receiver.start();
        // let traffic flow: wait until the receiver has certainly been busy (bounded)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline && receiver.getState() != Thread.State.RUNNABLE) {
            Thread.onSpinWait();
        }
        ctx.close();
        sender.join(10_000);
        receiver.join(10_000);
        assertTrue(!sender.isAlive() && !receiver.isAlive(), "blocked threads must get ETERM");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (zmq4jThreads() > before && System.nanoTime() < end) {
            Thread.onSpinWait();
        }
        assertEquals(before, zmq4jThreads(), "no I/O thread may outlive its context");
    }
}
