package org.zmq4j.common;

import java.util.Locale;

import org.zmq4j.ZmqException;
import org.zmq4j.ZmqException.Errno;

/** An endpoint string split into transport and address: {@code tcp://127.0.0.1:5555}. */
public final class Endpoint {
    private final String text;
    private final String transport;
    private final String address;

    private Endpoint(String text, String transport, String address) {
        this.text = text;
        this.transport = transport;
        this.address = address;
    }

    /**
     * Parses {@code transport://address}.
     *
     * @param text the endpoint
     * @return the parsed endpoint
     * @throws ZmqException EINVAL when malformed
     */
    public static Endpoint parse(String text) {
        if (text == null) {
            throw new ZmqException(Errno.EINVAL, "endpoint must not be null");
        }
        int sep = text.indexOf("://");
        if (sep <= 0 || sep + 3 >= text.length()) {
            throw new ZmqException(Errno.EINVAL, "malformed endpoint '" + text + "': expected transport://address");
        }
        return new Endpoint(text, text.substring(0, sep).toLowerCase(Locale.ROOT), text.substring(sep + 3));
    }

    /** The endpoint as given. */
    public String text() {
        return text;
    }

    /** The transport name, lower case ("tcp"). */
    public String transport() {
        return transport;
    }

    /** Everything after "://". */
    public String address() {
        return address;
    }

    @Override
    public String toString() {
        return text;
    }
}
