package org.zmq4j.wire;

/** Where a {@link FrameDecoder} gets arrays for frame bodies, so they can be recycled. */
@FunctionalInterface
public interface BodyAllocator {
    /**
     * An array of exactly {@code size} bytes whose contents will be overwritten, or null to let the
     * decoder allocate a new one.
     *
     * @param size the body length (1 to {@link FrameDecoder#EAGER_LIMIT})
     * @return a reusable array, or null
     */
    byte[] reuse(int size);
}
