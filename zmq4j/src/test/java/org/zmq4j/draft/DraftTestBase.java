package org.zmq4j.draft;

import org.zmq4j.Socket;
import org.zmq4j.SocketType;
import org.zmq4j.support.ContextPerTest;

/** A fresh context per test, closed after it (bounded), and sockets made through DraftSupport. */
abstract class DraftTestBase extends ContextPerTest {
    /** A socket of {@code type} in this test's context, with DraftSupport's test defaults. */
    Socket socket(SocketType type) {
        return DraftSupport.socket(ctx, type);
    }
}
