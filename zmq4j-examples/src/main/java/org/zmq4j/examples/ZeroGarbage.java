package org.zmq4j.examples;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import org.zmq4j.Context;
import org.zmq4j.Option;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/**
 * Sending and receiving without garbage: {@code send(buffer, offset, length, flags)} and
 * {@code recv(buffer, offset, length, flags)} copy into and out of arrays the application owns,
 * like libzmq's {@code zmq_send} and {@code zmq_recv}, so one buffer per side serves every message.
 * <p>
 * A PUSH thread streams 200,000 messages of 64 bytes over tcp to a PULL thread; each message
 * carries its sequence number, which the receiver reads in place and checks. Behind these calls
 * zmq4j hands its own frame arrays back from the connection to the socket for reuse, so that a
 * stream of equal-sized messages needs no new arrays; the example prints what the JVM counted as
 * allocated on the sending and the receiving thread after a warm-up (which lets the JIT compile the
 * loops). {@code recv} returns the message's full size: more than {@code length} when the buffer
 * was too short and the message was truncated, -1 when nothing came within RCVTIMEO.
 */
public final class ZeroGarbage {
    private static final int MESSAGES = 200_000;
    private static final int WARM_UP = 20_000;
    private static final int SIZE = 64;
    private static final int TIMEOUT_MS = 5_000;
    /** Counts each thread's allocations; null on a JVM without com.sun.management. */
    private static final com.sun.management.ThreadMXBean THREADS =
            ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean bean ? bean : null;

    private ZeroGarbage() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (Context context = new Context();
             Socket pull = context.socket(SocketType.PULL);
             Socket push = context.socket(SocketType.PUSH)) {
            pull.setOption(Option.RCVTIMEO, TIMEOUT_MS);
            pull.bind("tcp://127.0.0.1:*");
            push.connect(pull.lastEndpoint());

            AtomicLong senderBytes = new AtomicLong(-1);
            Thread sender = new Thread(() -> senderBytes.set(send(push)), "sender");
            sender.start();

            byte[] buffer = new byte[SIZE];
            ByteBuffer view = ByteBuffer.wrap(buffer);  // reads the sequence number in place
            long allocatedAtWarmUp = 0;
            for (int i = 0; i < MESSAGES; i++) {
                if (i == WARM_UP) {
                    allocatedAtWarmUp = allocatedBytes();
                }
                int size = pull.recv(buffer, 0, buffer.length, 0);
                if (size < 0) {
                    throw new IllegalStateException("no message within " + TIMEOUT_MS + " ms");
                }
                if (size != SIZE) {
                    throw new IllegalStateException("expected " + SIZE + " bytes, got " + size);
                }
                long sequence = view.getLong(0);
                if (sequence != i) {
                    throw new IllegalStateException("message " + i + " carried sequence number " + sequence);
                }
            }
            long receiverBytes = allocatedBytes() - allocatedAtWarmUp;
            sender.join();

            System.out.println("Received " + MESSAGES + " messages of " + SIZE + " bytes, in order, through one buffer per side");
            System.out.println("Allocated during the last " + (MESSAGES - WARM_UP) + " messages: receiving thread "
                    + describe(receiverBytes) + ", sending thread " + describe(senderBytes.get()));
        }
    }

    /** Sends every message from one reused buffer; returns the bytes allocated after the warm-up. */
    private static long send(Socket push) {
        byte[] buffer = new byte[SIZE];
        ByteBuffer view = ByteBuffer.wrap(buffer);
        long allocatedAtWarmUp = 0;
        for (int i = 0; i < MESSAGES; i++) {
            if (i == WARM_UP) {
                allocatedAtWarmUp = allocatedBytes();
            }
            view.putLong(0, i);
            push.send(buffer, 0, buffer.length, 0);  // copies: the buffer is free again at once
        }
        return allocatedBytes() - allocatedAtWarmUp;
    }

    /** Bytes the JVM allocated on the calling thread so far (0 where it cannot tell). */
    private static long allocatedBytes() {
        return THREADS == null ? 0 : THREADS.getCurrentThreadAllocatedBytes();
    }

    private static String describe(long bytes) {
        if (THREADS == null) {
            return "(not measurable on this JVM)";
        }
        return String.format("%d B (%.2f B per message)", bytes, (double) bytes / (MESSAGES - WARM_UP));
    }
}
