package org.zmq4j.draft;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.zmq4j.Context;
import org.zmq4j.Socket;
import org.zmq4j.SocketType;

/** A fresh context per test, closed after it (bounded), and sockets made through DraftSupport. */
abstract class DraftTestBase {
    Context ctx;

    @BeforeEach
    void setUpContext() {
        ctx = new Context();
    }

    @AfterEach
    @Timeout(value = 20, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void closeContext() {
        ctx.close();
    }

    /** A socket of {@code type} in this test's context, with DraftSupport's test defaults. */
    Socket socket(SocketType type) {
        return DraftSupport.socket(ctx, type);
    }
}
