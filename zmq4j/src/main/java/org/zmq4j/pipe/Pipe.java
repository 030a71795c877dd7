package org.zmq4j.pipe;

/**
 * A one-way, single-producer/single-consumer queue of message frames between a socket and an
 * engine (or between two sockets, for inproc), bounded by a high-water mark counted in messages.
 * <p>
 * Threading: exactly one writer thread and one reader thread at a time. Frames become visible to
 * the reader only when the message's last frame is written, so a multipart message is delivered
 * whole or not at all. Storage is a linked list of fixed-size chunks, so an unbounded pipe (HWM 0)
 * grows without copying.
 * <p>
 * Wake-ups follow a Dekker-style handshake on volatile fields: the writer publishes then checks
 * whether the reader may be asleep; the reader announces it is going to sleep then re-checks. The
 * {@link Wakeable}s are expected to make a wake of an awake target cheap.
 */
public final class Pipe extends PipePadAfterReader {
    /** Frame flag: more frames of this message follow. */
    public static final int MORE = 1;
    /** Frame flag: the frame is a subscription (first byte 1 + topic). */
    public static final int SUBSCRIBE = 2;
    /** Frame flag: the frame is a cancellation (first byte 0 + topic). */
    public static final int CANCEL = 4;
    /** Frame flag: the frame is a RADIO/DISH group to join (the group's bytes). */
    public static final int JOIN = 8;
    /** Frame flag: the frame is a RADIO/DISH group to leave (the group's bytes). */
    public static final int LEAVE = 16;
    /**
     * Frame flag: the array belongs to zmq4j (decoded from the wire, or a copy made by the copying
     * send) and goes back to the writer through {@link #recycleRead} / {@link #recycleWritten}
     * once the reader is done with it. Never set on arrays an application passed in or will see.
     */
    public static final int RECYCLABLE = 32;
    /**
     * Flags {@code JOIN | LEAVE} together on an empty frame: the connection behind this pipe was
     * (re)made, so the groups or subscriptions it sent before are gone. Written by a RADIO's or
     * PUB's engine ahead of anything the new connection sends, so the reset is ordered with the
     * JOINs/subscriptions that follow (as libzmq, which makes a new pipe per connection).
     */
    public static final int RESET = JOIN | LEAVE;

    private static final int CHUNK = 256;

    static final class Chunk {
        final byte[][] frames = new byte[CHUNK][];
        final byte[] flags = new byte[CHUNK];
        Chunk next;
    }

    private volatile int hwm;
    private final boolean conflate;

    /**
     * Drained chunks kept for reuse, so a pipe in steady state allocates nothing: the reader hands
     * back each chunk it leaves (every slot read and nulled), the writer takes one instead of
     * allocating. libzmq's yqueue keeps one spare chunk; a pipe at HWM 1000 spans several chunks,
     * and one spare was measured to leave about 4 B of chunk garbage per message, hence a few.
     */
    private final SpscRing<Chunk> spareChunks = new SpscRing<>(SPARE_CHUNKS);
    private static final int SPARE_CHUNKS = 8;

    // writer-owned, reader-owned and published fields: see PipeLayout.java

    private static final int CREDIT_BATCH = 32;
    /**
     * Read credit goes back to the writer every this many messages (a power of two): 32, or less
     * for a small HWM, never more than half of it, as libzmq returns credit every (HWM+1)/2
     * messages. Otherwise a pipe with HWM 4 would look full to a writer whose reader keeps up.
     */
    private int creditMask; // plain: a stale value after setHwm only changes the batching
    private static final java.lang.invoke.VarHandle MESSAGES_READ;
    /** The reader's own count, stored opaque so a metrics reader sees it whole (a plain store's cost). */
    private static final java.lang.invoke.VarHandle LOCAL_MESSAGES_READ;

    static {
        try {
            MESSAGES_READ = java.lang.invoke.MethodHandles.lookup().findVarHandle(PipeCreditFields.class, "messagesRead", long.class);
            LOCAL_MESSAGES_READ = java.lang.invoke.MethodHandles.lookup().findVarHandle(PipeReaderFields.class, "localMessagesRead",
                    long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // ---- read-mostly ----
    private volatile Wakeable readerWake = Wakeable.NONE;
    private volatile Wakeable writerWake = Wakeable.NONE;
    /**
     * Conflate mode: the single latest message (single-frame), replaced by each write. Frame flags
     * are not kept: conflating pipes never carry subscriptions (see SocketOptions.conflateOut).
     */
    private final java.util.concurrent.atomic.AtomicReference<byte[]> slot;
    /** Arrays going back from reader to writer; made by the first recycle. */
    private volatile Recycler recycler;

    /**
     * @param hwm      high-water mark in messages; 0 means unbounded
     * @param conflate keep only the latest single-frame message (ZMQ_CONFLATE)
     */
    public Pipe(int hwm, boolean conflate) {
        this.hwm = Math.max(0, hwm);
        this.hwmSeen = this.hwm;
        this.creditMask = creditMaskFor(this.hwm);
        this.conflate = conflate;
        this.slot = conflate ? new java.util.concurrent.atomic.AtomicReference<>() : null;
        Chunk first = new Chunk();
        writeChunk = first;
        readChunk = first;
    }

    /** @param wake who to wake when a message becomes readable */
    public void setReaderWake(Wakeable wake) {
        readerWake = wake == null ? Wakeable.NONE : wake;
    }

    /** @param wake who to wake when room frees up after the writer found the pipe full */
    public void setWriterWake(Wakeable wake) {
        writerWake = wake == null ? Wakeable.NONE : wake;
    }

    // ------------------------------------------------------------------ writer side

    /**
     * Whether a new message may be started now (below HWM). While a message is in progress,
     * its remaining frames are always accepted. Records that the writer wants to be woken when
     * room frees up if the answer is no.
     */
    public boolean hasRoom() {
        if (conflate || writingMessage) {
            return true;
        }
        // fast path: plain fields only; the reader's credit may be stale, which only errs on "full"
        if (hwmSeen == 0 || messagesWritten - readSeen < hwmSeen) {
            return true;
        }
        hwmSeen = hwm;
        readSeen = messagesRead;
        if (hwmSeen == 0 || messagesWritten - readSeen < hwmSeen) {
            return true;
        }
        writerBlocked = true;
        // re-check after announcing: the reader may have consumed in between
        readSeen = messagesRead;
        if (messagesWritten - readSeen < hwmSeen) {
            writerBlocked = false;
            return true;
        }
        return false;
    }

    /**
     * Appends a frame, ignoring HWM (callers check {@link #hasRoom()} first when HWM applies).
     * The message becomes visible to the reader when a frame without {@link #MORE} is written.
     *
     * @param frame the frame bytes
     * @param flags {@link #MORE}, {@link #SUBSCRIBE}, {@link #CANCEL}
     */
    public void write(byte[] frame, int flags) {
        if (append(frame, flags)) {
            publish();
        }
    }

    /**
     * Appends a frame without publishing it: the reader sees completed messages only after
     * {@link #flush()}. Lets an engine publish a whole read's worth of messages with one volatile
     * write and at most one wake-up.
     *
     * @param frame the frame bytes
     * @param flags {@link #MORE}, {@link #SUBSCRIBE}, {@link #CANCEL}
     */
    public void writeBatched(byte[] frame, int flags) {
        append(frame, flags);
    }

    /** Publishes every complete message appended by {@link #writeBatched} and wakes the reader. */
    public void flush() {
        if (conflate) {
            return;
        }
        if (framesCommitted != committedByWriter) {
            publish();
        }
    }

    private void publish() {
        framesCommitted = committedByWriter;
        readerWake.wake();
    }

    /** @return true when a message was completed (it needs publishing) */
    private boolean append(byte[] frame, int flags) {
        if (conflate) {
            slot.set(frame);
            readerWake.wake();
            return false;
        }
        Chunk chunk = writeChunk;
        chunk.frames[writePos] = frame;
        chunk.flags[writePos] = (byte) flags;
        if (++writePos == CHUNK) {
            Chunk next = spareChunks.poll();
            if (next == null) {
                next = new Chunk();
            } else {
                next.next = null;
            }
            chunk.next = next; // published by the volatile write of framesCommitted below
            writeChunk = next;
            writePos = 0;
        }
        framesWritten++;
        if ((flags & MORE) != 0) {
            writingMessage = true;
            return false;
        }
        writingMessage = false;
        messagesWritten++;
        committedByWriter = framesWritten;
        return true;
    }

    /** Whether the writer is part-way through a multipart message. */
    public boolean isWritingMessage() {
        return writingMessage;
    }

    /** Writer: no more messages will come; the reader sees end-of-pipe after draining. */
    public void closeWriter() {
        writerClosed = true;
        readerWake.wake();
    }

    /** Whether the reader end is gone (writes are pointless). */
    public boolean isReaderClosed() {
        return readerClosed;
    }

    // ------------------------------------------------------------------ reader side

    /**
     * Takes the next frame, or returns null when no complete message is queued. After a non-null
     * result, {@link #lastFlags()} tells whether more frames of the message follow.
     */
    public byte[] read() {
        if (conflate) {
            byte[] frame = slot.getAndSet(null);
            lastFlags = 0;
            return frame;
        }
        if (framesRead == committedSeen) {
            committedSeen = framesCommitted;
            if (framesRead == committedSeen) {
                publishCredit();
                return null;
            }
        }
        Chunk chunk = readChunk;
        byte[] frame = chunk.frames[readPos];
        int flags = chunk.flags[readPos];
        chunk.frames[readPos] = null;
        if (++readPos == CHUNK) {
            readChunk = chunk.next;
            readPos = 0;
            spareChunks.offer(chunk); // every slot read and nulled: the writer may reuse it
        }
        framesRead++;
        lastFlags = flags;
        lastFrame = frame;
        if ((flags & MORE) == 0) {
            // credit goes back to the writer in batches (a release store, no fence), and so does a
            // blocked writer's wake-up, as libzmq's low-water mark: waking it on the first read
            // after it blocked made a faster writer block, park and be unparked once per message
            // (inproc 1 B then swung between 4M and 22M msg/s from run to run; with batches 15-17M).
            // When the pipe runs dry, publishCredit publishes and wakes at once.
            long read = localMessagesRead + 1;
            LOCAL_MESSAGES_READ.setOpaque(this, read);
            if ((read & creditMask) == 0) {
                MESSAGES_READ.setRelease(this, localMessagesRead);
                if (writerBlocked) {
                    messagesRead = localMessagesRead;
                    writerBlocked = false;
                    writerWake.wake();
                }
            }
        }
        return frame;
    }

    /**
     * The reader caught up: publish all credit with a full volatile store, then check whether the
     * writer is waiting (the StoreLoad order of volatiles makes this the point where a blocked
     * writer can never be missed).
     */
    private void publishCredit() {
        // once per credit value, even when a batch's release store already published it: that
        // store has no fence, so a writer blocking at the same moment may have read the old
        // credit while read() missed its flag (a lost wake-up, seen in PipeTest)
        if (creditFenced != localMessagesRead) {
            creditFenced = localMessagesRead;
            messagesRead = localMessagesRead;
            if (writerBlocked) {
                writerBlocked = false;
                writerWake.wake();
            }
        }
    }

    /**
     * Reader: {@code frame}, just returned by {@link #read()} and copied out, may be reused by the
     * writer. Ignored unless it is the last frame read and was flagged {@link #RECYCLABLE}.
     *
     * @param frame the frame
     */
    public void recycleRead(byte[] frame) {
        if (frame == lastFrame && (lastFlags & RECYCLABLE) != 0 && frame.length > 0) {
            lastFrame = null;
            offer(frame);
        }
    }

    /**
     * Reader (an engine): a frame flagged {@link #RECYCLABLE} has been written out; the writer may
     * reuse it.
     *
     * @param frame the frame
     */
    public void recycleWritten(byte[] frame) {
        if (frame.length > 0) {
            offer(frame);
        }
    }

    private void offer(byte[] frame) {
        Recycler r = recycler;
        if (r == null) {
            r = new Recycler(hwm);
            recycler = r;
        }
        r.offer(frame);
    }

    /**
     * Writer: a recycled array of exactly {@code size} bytes (stale contents), or null.
     *
     * @param size the length needed
     * @return the array or null
     */
    public byte[] takeRecycled(int size) {
        Recycler r = recycler;
        return r == null ? null : r.take(size);
    }

    /** Flags of the frame last returned by {@link #read()}. */
    public int lastFlags() {
        return lastFlags;
    }

    /** Whether a complete message is waiting (reader side). */
    public boolean hasMessage() {
        if (conflate) {
            return slot.get() != null;
        }
        if (framesRead != committedSeen) {
            return true;
        }
        committedSeen = framesCommitted;
        if (framesRead != committedSeen) {
            return true;
        }
        publishCredit();
        return false;
    }

    /** Whether the writer closed and every committed message has been read. */
    public boolean isDrainedAndClosed() {
        return writerClosed && !hasMessage();
    }

    /** Whether the writer closed its end. */
    public boolean isWriterClosed() {
        return writerClosed;
    }

    /** Reader: stop consuming; the writer should stop writing and may be woken to notice. */
    public void closeReader() {
        readerClosed = true;
        writerWake.wake();
    }

    /**
     * Messages queued and not yet read; any thread. From a third thread the two counts are read one
     * after the other, so the figure may be a moment old; it is never below 0.
     */
    public long queuedMessages() {
        if (conflate) {
            return slot.get() == null ? 0 : 1;
        }
        long read = (long) LOCAL_MESSAGES_READ.getOpaque(this);
        return Math.max(0, messagesWritten - read);
    }

    /** Reader: drops every queued frame (used when a socket closes with its inbound queue). */
    public void drain() {
        while (read() != null) {
            // discard
        }
    }

    /**
     * Changes the HWM (inproc connect-before-bind learns the binder's RCVHWM late).
     *
     * @param hwm high-water mark in messages; 0 means unbounded
     */
    public void setHwm(int hwm) {
        this.hwm = Math.max(0, hwm);
        this.creditMask = creditMaskFor(this.hwm);
    }

    private static int creditMaskFor(int hwm) {
        int batch = CREDIT_BATCH;
        while (hwm > 0 && batch > 1 && batch > (hwm + 1) / 2) {
            batch >>= 1;
        }
        return batch - 1;
    }

    /** The pipe's HWM in messages (0 = unbounded). */
    public int hwm() {
        return hwm;
    }
}
