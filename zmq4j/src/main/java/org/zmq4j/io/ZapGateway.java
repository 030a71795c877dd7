package org.zmq4j.io;

import java.util.function.Consumer;

import org.zmq4j.security.ZapReply;
import org.zmq4j.security.ZapRequest;

/** How an engine asks the context's ZAP handler (rfc-27) about a peer. */
interface ZapGateway {
    /** No handler is ever bound: every request is answered "unavailable". */
    ZapGateway NONE = (request, domain, address, routingId, onReply, onFailure) -> null;

    /** One request in flight. */
    interface Exchange {
        /** Abandons it (the connection closed); no callback follows. */
        void close();
    }

    /**
     * Sends a request, if a handler is bound; the callbacks run later on the engine's thread.
     *
     * @param request   the mechanism and credentials
     * @param domain    the ZAP_DOMAIN
     * @param address   the peer's IP address
     * @param routingId our ROUTING_ID
     * @param onReply   gets the handler's reply
     * @param onFailure gets why no valid reply came
     * @return the exchange, or null when no handler is bound
     */
    Exchange request(ZapRequest request, String domain, String address, byte[] routingId, Consumer<ZapReply> onReply,
                     Consumer<String> onFailure);
}
