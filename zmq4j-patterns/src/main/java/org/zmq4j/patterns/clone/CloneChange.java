package org.zmq4j.patterns.clone;

/**
 * A change a {@link CloneClient} applied to its copy of the map: an update the server published,
 * or a difference found when a snapshot replaced the copy (after a failover or a gap).
 *
 * @param key      the key
 * @param value    the new value, or null when the key was deleted (or expired)
 * @param sequence the server's sequence number of the change (for a snapshot difference: the
 *                 snapshot's)
 * @param snapshot whether the change came from a snapshot rather than from an update
 */
public record CloneChange(String key, byte[] value, long sequence, boolean snapshot) {
    /** Whether the key was deleted. */
    public boolean deleted() {
        return value == null;
    }
}
