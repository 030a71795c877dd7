package org.zmq4j.durable.delivery;

import java.nio.charset.StandardCharsets;

/**
 * One message handed to the application by a {@link DurableReceiver}: who sent it, its sequence in
 * that sender's stream, and the payload. The sender keeps resending it (after any crash) until the
 * application calls {@link #ack()}: acknowledge once the message is taken for good (processed, or
 * stored). Acknowledging a message acknowledges every earlier one from the same sender.
 *
 * <p>Thread-safety: immutable; {@link #ack()} may be called from any thread.
 */
public final class Delivery {
    private final DurableReceiver receiver;
    private final String senderId;
    private final long epoch;
    private final long sequence;
    private final byte[] payload;

    Delivery(DurableReceiver receiver, String senderId, long epoch, long sequence, byte[] payload) {
        this.receiver = receiver;
        this.senderId = senderId;
        this.epoch = epoch;
        this.sequence = sequence;
        this.payload = payload;
    }

    DurableReceiver receiver() {
        return receiver;
    }

    public String senderId() {
        return senderId;
    }

    /** The sender's stream (its journal's id). */
    public long epoch() {
        return epoch;
    }

    public long sequence() {
        return sequence;
    }

    /** The payload (the array itself: the delivery owns no other copy). */
    public byte[] payload() {
        return payload;
    }

    /** The payload as UTF-8. */
    public String payloadString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** Acknowledges this message (and every earlier one from its sender): stored, then ACKed to the sender. */
    public void ack() {
        receiver.acknowledge(this, null);
    }

    /**
     * Acknowledges this message and stores {@code checkpoint} with the acknowledgement, atomically:
     * after a crash, {@link DurableReceiver#checkpoint()} gives the checkpoint of the last stored
     * acknowledgement, so an application that writes its output elsewhere can cut that output back to
     * match (the {@code durable-recv} command stores its output file's length this way).
     */
    public void ack(byte[] checkpoint) {
        receiver.acknowledge(this, checkpoint.clone());
    }

    @Override
    public String toString() {
        return "Delivery[" + senderId + "#" + sequence + ", " + payload.length + " bytes]";
    }
}
