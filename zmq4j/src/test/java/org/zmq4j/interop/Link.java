package org.zmq4j.interop;

import org.zmq4j.Context;
import org.zmq4j.SocketType;

/**
 * The two ends of a {@link Case}: created by {@link #create}, configured by the test (options
 * that must precede bind/connect), then joined over tcp://127.0.0.1 by {@link #connect()}.
 */
final class Link implements AutoCloseable {
    final Case c;
    final End a;
    final End b;
    private String endpoint;

    private Link(Case c, End a, End b) {
        this.c = c;
        this.a = a;
        this.b = b;
    }

    static Link create(Context ctx, LibzmqPeer peer, Case c) {
        End a = Interop.open(ctx, peer, c.implA(), c.typeA());
        End b;
        try {
            b = Interop.open(ctx, peer, c.implB(), c.typeB());
        } catch (RuntimeException | AssertionError e) {
            a.close();
            throw e;
        }
        return new Link(c, a, b);
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

    /** Binds the binder to tcp://127.0.0.1:* and connects the connector to the resolved endpoint. */
    Link connect() {
        endpoint = binder().bindAnyPort();
        connector().connect(endpoint);
        return this;
    }

    /** The resolved endpoint, after {@link #connect()}. */
    String endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        try {
            a.close();
        } finally {
            b.close();
        }
    }

    @Override
    public String toString() {
        return c.toString();
    }
}
