package org.zmq4j.interop;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.zmq4j.SocketType;
import org.zmq4j.interop.End.Impl;

/**
 * One interop scenario: which implementation runs which socket type, and which side binds.
 * Its {@link #toString()} is the display name, so a failure reads like
 * "zmq4j PUSH binds, libzmq PULL connects".
 * <p>
 * {@link #between(SocketType, SocketType)} gives zmq4j on each side of the pair in each
 * bind/connect direction. With {@code -Dzmq4j.interop.control=true} it adds libzmq-to-libzmq
 * control cases that check the scenarios themselves (if a control fails, the test is wrong).
 */
record Case(Impl implA, SocketType typeA, Impl implB, SocketType typeB, boolean aBinds) {

    /** Whether the optional libzmq-to-libzmq control cases are generated. */
    static boolean controlsEnabled() {
        return Boolean.getBoolean("zmq4j.interop.control");
    }

    /** The cases for a socket-type pair, e.g. (PUSH, PULL). */
    static Stream<Case> between(SocketType x, SocketType y) {
        List<Case> cases = new ArrayList<>();
        if (x == y) {
            cases.add(new Case(Impl.ZMQ4J, x, Impl.LIBZMQ, y, true));
            cases.add(new Case(Impl.ZMQ4J, x, Impl.LIBZMQ, y, false));
        } else {
            cases.add(new Case(Impl.ZMQ4J, x, Impl.LIBZMQ, y, true));
            cases.add(new Case(Impl.ZMQ4J, x, Impl.LIBZMQ, y, false));
            cases.add(new Case(Impl.LIBZMQ, x, Impl.ZMQ4J, y, true));
            cases.add(new Case(Impl.LIBZMQ, x, Impl.ZMQ4J, y, false));
        }
        if (controlsEnabled()) {
            cases.add(new Case(Impl.LIBZMQ, x, Impl.LIBZMQ, y, true));
            if (x != y) {
                cases.add(new Case(Impl.LIBZMQ, x, Impl.LIBZMQ, y, false));
            }
        }
        return cases.stream();
    }

    /** The implementations a single zmq4j-side test runs with: zmq4j, plus libzmq as a control. */
    static Stream<Impl> subjects() {
        return controlsEnabled() ? Stream.of(Impl.ZMQ4J, Impl.LIBZMQ) : Stream.of(Impl.ZMQ4J);
    }

    Impl implOf(SocketType type) {
        if (typeA == typeB) {
            throw new IllegalStateException("both ends are " + type + "; use binder()/connector()");
        }
        if (type == typeA) {
            return implA;
        }
        if (type == typeB) {
            return implB;
        }
        throw new IllegalArgumentException(type + " is not in " + this);
    }

    boolean isControl() {
        return implA == implB;
    }

    @Override
    public String toString() {
        String a = implA + " " + typeA;
        String b = implB + " " + typeB;
        String s = aBinds ? a + " binds, " + b + " connects" : b + " binds, " + a + " connects";
        return isControl() ? "control: " + s : s;
    }
}
