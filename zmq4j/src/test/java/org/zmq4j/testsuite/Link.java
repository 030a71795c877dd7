package org.zmq4j.testsuite;

import org.zmq4j.SocketType;

/**
 * The two ends of a {@link Case} in their own {@link Harness}: opened by {@link #open}, configured
 * by the test (options that must precede bind/connect), then joined by {@link #connect()} (bind,
 * then connect to the resolved endpoint) or {@link #connectBeforeBind()} and {@link #bindLate()}.
 */
final class Link implements AutoCloseable {
    final Case c;
    final Harness harness;
    final End a;
    final End b;
    private String endpoint;

    private Link(Case c, Harness harness, End a, End b) {
        this.c = c;
        this.harness = harness;
        this.a = a;
        this.b = b;
    }

    static Link open(Case c) {
        Harness h = new Harness(c.transport());
        try {
            return new Link(c, h, h.open(c.implA(), c.typeA()), h.open(c.implB(), c.typeB()));
        } catch (RuntimeException | AssertionError e) {
            h.close();
            throw e;
        }
    }

    /** The end of this type (the two types must differ). */
    End end(SocketType type) {
        if (c.typeA() == c.typeB()) {
            throw new IllegalStateException("both ends are " + type + "; use binder()/connector()");
        }
        if (a.type() == type) {
            return a;
        }
        if (b.type() == type) {
            return b;
        }
        throw new IllegalArgumentException(type + " is not in " + c);
    }

    End binder() {
        return c.aBinds() ? a : b;
    }

    End connector() {
        return c.aBinds() ? b : a;
    }

    /**
     * Binds the binder to a fresh endpoint and connects the connector to the resolved one; closes
     * the link when that fails (so {@code try (Link l = Link.open(c).connect())} leaks nothing).
     */
    Link connect() {
        try {
            endpoint = harness.bind(binder());
            connector().connect(endpoint);
            return this;
        } catch (RuntimeException | AssertionError e) {
            close();
            throw e;
        }
    }

    /** Connects the connector to an endpoint nothing is bound to yet, and returns it. */
    String connectBeforeBind() {
        endpoint = harness.unbound();
        connector().connect(endpoint);
        return endpoint;
    }

    /** After {@link #connectBeforeBind()}: binds the binder to that endpoint. */
    void bindLate() {
        binder().bind(endpoint);
    }

    /** The endpoint, after {@link #connect()} or {@link #connectBeforeBind()}. */
    String endpoint() {
        return endpoint;
    }

    /** Closes both ends with the harness (its context and its libzmq process). */
    @Override
    public void close() {
        harness.close();
    }

    @Override
    public String toString() {
        return c.toString();
    }
}
