package org.zmq4j.socket;

import java.util.Objects;

import org.zmq4j.pipe.Peer;
import org.zmq4j.pipe.Pipe;

/**
 * The copying send and receive ({@code zmq_send}/{@code zmq_recv}), which let zmq4j reuse its own
 * arrays: a copy is made into an array the connection handed back once written, and a frame copied
 * out to the application goes back to the connection that decoded it. With equal-sized messages
 * this path allocates nothing. Owner thread only (inside the socket's enter/exit).
 */
final class CopyingCalls {
    private final SocketBase socket;
    /** True while the copying send runs (its frame is a zmq4j array). */
    private boolean sendingCopy;
    /** The out pipe the last copying send went to: arrays come back through it for reuse. */
    private Pipe copySource;

    CopyingCalls(SocketBase socket) {
        this.socket = socket;
    }

    /** {@code Pipe.RECYCLABLE} while a copying send runs, 0 otherwise. */
    int recyclable() {
        return sendingCopy ? Pipe.RECYCLABLE : 0;
    }

    boolean send(byte[] buffer, int offset, int length, int flags) {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(buffer, "buffer").length);
        byte[] frame = null;
        Pipe source = copySource;
        if (source != null && length > 0) {
            frame = source.takeRecycled(length);
        }
        if (frame == null) {
            frame = new byte[length];
        }
        System.arraycopy(buffer, offset, frame, 0, length);
        boolean sent;
        sendingCopy = true;
        try {
            sent = socket.send(frame, null, flags);
        } finally {
            sendingCopy = false;
        }
        if (sent) {
            Peer p = socket.xlastOutPeer();
            copySource = p == null ? null : p.out();
        }
        return sent;
    }

    int recv(byte[] buffer, int offset, int length, int flags) {
        Objects.checkFromIndexSize(offset, length, Objects.requireNonNull(buffer, "buffer").length);
        byte[] frame = socket.recv(flags);
        if (frame == null) {
            return -1;
        }
        System.arraycopy(frame, 0, buffer, offset, Math.min(length, frame.length));
        Peer p = socket.xlastPeer();
        if (p != null) {
            p.in().recycleRead(frame); // copied out: the array may carry the next message
        }
        return frame.length;
    }
}
