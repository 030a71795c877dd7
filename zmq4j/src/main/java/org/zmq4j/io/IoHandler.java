package org.zmq4j.io;

import java.io.IOException;
import java.nio.channels.SelectionKey;

/** Something registered with an {@link IoThread}'s selector: a listener, connecter or engine. */
public interface IoHandler {
    /**
     * The channel is ready for the operations in {@code key.readyOps()}.
     *
     * @param key the selection key
     * @throws IOException on I/O failure (the handler is then failed with {@link #onFailure})
     */
    void onReady(SelectionKey key) throws IOException;

    /**
     * An exception escaped {@link #onReady}: release the channel. Never rethrows.
     *
     * @param cause what went wrong
     */
    void onFailure(Throwable cause);
}
