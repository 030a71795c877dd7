package org.zmq4j.patterns.mdp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Majordomo wire format (rfc 7 and rfc 18), sans-IO: command codes and the frames of each
 * command. Frames are {@code byte[]}s in a list; the ROUTER's routing id is not part of them.
 */
final class Mdp {
    static final byte[] EMPTY = new byte[0];

    /** MDP/0.2 client commands. */
    static final byte C_REQUEST = 1;
    static final byte C_PARTIAL = 2;
    static final byte C_FINAL = 3;

    /** Worker commands: READY, REQUEST and HEARTBEAT/DISCONNECT codes differ between the versions. */
    static final byte W_READY = 1;
    static final byte W_REQUEST = 2;
    /** MDP/0.1 REPLY; MDP/0.2 PARTIAL. */
    static final byte W01_REPLY = 3;
    static final byte W01_HEARTBEAT = 4;
    static final byte W01_DISCONNECT = 5;
    static final byte W02_PARTIAL = 3;
    static final byte W02_FINAL = 4;
    static final byte W02_HEARTBEAT = 5;
    static final byte W02_DISCONNECT = 6;

    private Mdp() {
    }

    static byte heartbeat(MdpVersion v) {
        return v == MdpVersion.MDP01 ? W01_HEARTBEAT : W02_HEARTBEAT;
    }

    static byte disconnect(MdpVersion v) {
        return v == MdpVersion.MDP01 ? W01_DISCONNECT : W02_DISCONNECT;
    }

    static byte[] code(byte c) {
        return new byte[] {c};
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static boolean is(byte[] frame, byte[] expected) {
        return Arrays.equals(frame, expected);
    }

    /** Whether {@code frame} is a one-byte command frame with code {@code c}. */
    static boolean isCode(byte[] frame, byte c) {
        return frame.length == 1 && frame[0] == c;
    }

    /**
     * A message to a worker: [empty when delimited,] header, command, then {@code rest}.
     *
     * @param v         the worker's version
     * @param delimited whether the worker put an empty frame first (MDP/0.1 always does)
     */
    static List<byte[]> toWorker(MdpVersion v, boolean delimited, byte command, List<byte[]> rest) {
        List<byte[]> f = new ArrayList<>(rest.size() + 3);
        if (delimited) {
            f.add(EMPTY);
        }
        f.add(v.worker());
        f.add(code(command));
        f.addAll(rest);
        return f;
    }

    /**
     * A reply to a client in its own framing: MDP/0.1 [empty, "MDPC01", service, body...];
     * MDP/0.2 ["MDPC02", PARTIAL or FINAL, service, body...], with an empty frame first when the
     * client sent one (some MDP/0.2 implementations do).
     */
    static List<byte[]> toClient(MdpVersion v, boolean delimited, boolean partial, String service, List<byte[]> body) {
        List<byte[]> f = new ArrayList<>(body.size() + 4);
        if (v == MdpVersion.MDP01 || delimited) {
            f.add(EMPTY);
        }
        f.add(v.client());
        if (v == MdpVersion.MDP02) {
            f.add(code(partial ? C_PARTIAL : C_FINAL));
        }
        f.add(ascii(service));
        f.addAll(body);
        return f;
    }
}
