package org.zmq4j.testsuite;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.zmq4j.SocketType;
import org.zmq4j.testsuite.End.Impl;

/**
 * One run of a scenario: the transport, which implementation runs which socket type, and which
 * side binds. Its {@link #toString()} is the display name, so a failure reads like
 * "ipc: zmq4j PUSH binds, libzmq PULL connects".
 * <p>
 * The cases of a socket-type pair are zmq4j to zmq4j over tcp, ipc and inproc, and zmq4j to libzmq
 * (zmq4j on either side) over tcp and ipc, each side binding in turn. With
 * {@code -Dzmq4j.interop.control=true} libzmq-to-libzmq control cases are added over tcp and ipc;
 * they check the scenarios themselves (if a control fails, the test is wrong).
 */
record Case(Transport transport, Impl implA, SocketType typeA, Impl implB, SocketType typeB, boolean aBinds) {

    /** Whether the optional libzmq-to-libzmq control cases are generated. */
    static boolean controlsEnabled() {
        return Boolean.getBoolean("zmq4j.interop.control");
    }

    /**
     * The cases for a socket-type pair, e.g. (PUSH, PULL), in a scenario where two ends of the same
     * type are interchangeable (roles are binder and connector): mirror images are left out.
     */
    static Stream<Case> between(SocketType x, SocketType y) {
        return generate(x, y, false);
    }

    /**
     * The cases for a scenario whose ends a (of type {@code a}) and b play different roles even when
     * the types are equal (e.g. a sends first): every implementation on either role, each binding.
     */
    static Stream<Case> roles(SocketType a, SocketType b) {
        return generate(a, b, true);
    }

    private static Stream<Case> generate(SocketType x, SocketType y, boolean distinctRoles) {
        List<Case> cases = new ArrayList<>();
        for (Transport t : Transport.values()) {
            for (Impl[] impls : implementations(t)) {
                for (boolean aBinds : new boolean[] {true, false}) {
                    boolean mirror = x == y && !distinctRoles
                            && (impls[0] == impls[1] ? !aBinds : impls[0] == Impl.LIBZMQ);
                    if (!mirror) {
                        cases.add(new Case(t, impls[0], x, impls[1], y, aBinds));
                    }
                }
            }
        }
        return cases.stream();
    }

    /** The (a, b) implementation pairs run over {@code t}. */
    static List<Impl[]> implementations(Transport t) {
        List<Impl[]> out = new ArrayList<>();
        out.add(new Impl[] {Impl.ZMQ4J, Impl.ZMQ4J});
        if (t.reachesLibzmq()) {
            out.add(new Impl[] {Impl.ZMQ4J, Impl.LIBZMQ});
            out.add(new Impl[] {Impl.LIBZMQ, Impl.ZMQ4J});
            if (controlsEnabled()) {
                out.add(new Impl[] {Impl.LIBZMQ, Impl.LIBZMQ});
            }
        }
        return out;
    }

    /** The implementations a single zmq4j-side test runs with: zmq4j, plus libzmq as a control. */
    static Stream<Impl> subjects() {
        return controlsEnabled() ? Stream.of(Impl.ZMQ4J, Impl.LIBZMQ) : Stream.of(Impl.ZMQ4J);
    }

    /** The transports that reach a libzmq process. */
    static Stream<Transport> libzmqTransports() {
        return Stream.of(Transport.values()).filter(Transport::reachesLibzmq);
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

    /** Whether the end of {@code type} binds (the two types must differ). */
    boolean binds(SocketType type) {
        implOf(type);
        return (type == typeA) == aBinds;
    }

    /** A libzmq-to-libzmq case. */
    boolean isControl() {
        return implA == Impl.LIBZMQ && implB == Impl.LIBZMQ;
    }

    @Override
    public String toString() {
        boolean same = typeA == typeB;
        String a = implA + " " + typeA + (same ? " (a)" : "");
        String b = implB + " " + typeB + (same ? " (b)" : "");
        String s = aBinds ? a + " binds, " + b + " connects" : b + " binds, " + a + " connects";
        return transport + ": " + (isControl() ? "control: " + s : s);
    }
}
