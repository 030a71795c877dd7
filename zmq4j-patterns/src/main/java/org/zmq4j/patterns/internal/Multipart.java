package org.zmq4j.patterns.internal;

import java.util.ArrayList;
import java.util.List;

import org.zmq4j.Socket;

/** Whole multipart messages over zmq4j's frame-at-a-time calls. Stateless; thread-safe as the socket is. */
public final class Multipart {
    private Multipart() {
    }

    /** Receives the rest of a message whose first frame is {@code first}. */
    public static List<byte[]> rest(Socket s, byte[] first) {
        List<byte[]> frames = new ArrayList<>(4);
        frames.add(first);
        while (s.hasMore()) {
            frames.add(s.recv());
        }
        return frames;
    }

    /** Receives a whole message without waiting; null when none is there. */
    public static List<byte[]> recvNow(Socket s) {
        byte[] first = s.recv(Socket.DONTWAIT);
        return first == null ? null : rest(s, first);
    }

    /** Sends {@code frames} as one message, after {@code routingId} when it is not null. */
    public static boolean send(Socket s, byte[] routingId, List<byte[]> frames) {
        if (routingId != null && !s.send(routingId, Socket.SNDMORE | Socket.DONTWAIT)) {
            return false;
        }
        for (int i = 0; i < frames.size(); i++) {
            s.send(frames.get(i), i < frames.size() - 1 ? Socket.SNDMORE : 0);
        }
        return true;
    }
}
