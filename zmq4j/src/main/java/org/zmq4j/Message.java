package org.zmq4j;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

import org.zmq4j.ZmqException.Errno;

/**
 * A single-frame message with the two properties the thread-safe socket types carry beside the
 * bytes, like libzmq's {@code zmq_msg_t}: a routing id (SERVER and PEER, {@code zmq_msg_routing_id})
 * and a group (RADIO and DISH, {@code zmq_msg_group}).
 * <p>
 * Immutable, so one message may be handed between threads freely; {@link #withRoutingId(int)} and
 * {@link #withGroup(String)} return copies that share the data array.
 * <pre>{@code
 * Message request = server.recvMessage();
 * server.send(new Message(reply).withRoutingId(request.routingId()));
 * radio.send(new Message(bytes).withGroup("weather"));
 * }</pre>
 */
public final class Message {
    /** Longest group in bytes (rfc-48: 0 to 255 octets, each 1-255). */
    public static final int MAX_GROUP_LENGTH = 255;

    private final byte[] data;
    private final int routingId;
    private final String group;

    /**
     * A message with no routing id and no group.
     *
     * @param data the bytes; kept by reference, so do not modify them after sending
     */
    public Message(byte[] data) {
        this(data, 0, null);
    }

    /**
     * A message with a routing id and a group.
     *
     * @param data      the bytes
     * @param routingId a SERVER/PEER routing id, 0 for none (ids are unsigned 32-bit values)
     * @param group     a RADIO/DISH group, or null for none
     * @throws ZmqException EINVAL for a group longer than 255 bytes or containing a NUL character
     */
    public Message(byte[] data, int routingId, String group) {
        this.data = Objects.requireNonNull(data, "data");
        this.routingId = routingId;
        this.group = group;
        if (group != null) {
            groupBytes(group);
        }
    }

    /**
     * A UTF-8 text message.
     *
     * @param text the text
     * @return a message with the text's UTF-8 bytes
     */
    public static Message of(String text) {
        return new Message(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes (the array itself, not a copy). */
    public byte[] data() {
        return data;
    }

    /** The number of bytes. */
    public int size() {
        return data.length;
    }

    /** The bytes decoded as UTF-8. */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    /**
     * The routing id: on a message received from a SERVER or PEER socket, the connection it came
     * from; on one to send, the connection to send it to. 0 when none. Compare with
     * {@link Integer#toUnsignedLong(int)} in mind: ids are unsigned 32-bit values.
     */
    public int routingId() {
        return routingId;
    }

    /** The group (RADIO/DISH), or null when none. */
    public String group() {
        return group;
    }

    /**
     * A copy addressed to a routing id (for SERVER and PEER sockets).
     *
     * @param id the routing id from a received message or {@link Socket#connectPeer(String)}
     * @return the copy
     */
    public Message withRoutingId(int id) {
        return new Message(data, id, group);
    }

    /**
     * A copy in a group (for RADIO sockets).
     *
     * @param newGroup the group: 0 to 255 bytes of UTF-8, no NUL character
     * @return the copy
     * @throws ZmqException EINVAL for an invalid group
     */
    public Message withGroup(String newGroup) {
        return new Message(data, routingId, Objects.requireNonNull(newGroup, "group"));
    }

    /**
     * The wire form of a group, checked against rfc-48's grammar.
     *
     * @param group the group
     * @return its UTF-8 bytes
     * @throws ZmqException EINVAL when longer than {@value #MAX_GROUP_LENGTH} bytes or containing NUL
     */
    public static byte[] groupBytes(String group) {
        byte[] b = group.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_GROUP_LENGTH) {
            throw new ZmqException(Errno.EINVAL, "group is " + b.length + " bytes; at most " + MAX_GROUP_LENGTH + " are allowed");
        }
        for (byte c : b) {
            if (c == 0) {
                throw new ZmqException(Errno.EINVAL, "group must not contain NUL characters");
            }
        }
        return b;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Message[").append(data.length).append(" B");
        if (routingId != 0) {
            sb.append(", routingId=").append(Integer.toUnsignedString(routingId));
        }
        if (group != null) {
            sb.append(", group=\"").append(group).append('"');
        }
        return sb.append(']').toString();
    }
}
