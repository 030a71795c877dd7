package org.zmq4j.io;

/**
 * What an engine takes from its context, apart from its channel: where it counts, the direct-write
 * policy and the ZAP handler. Immutable.
 *
 * @param statistics           the context's counters
 * @param directWriteIdleNanos idle time after which a sending thread writes itself; -1: never
 * @param zap                  how to reach the ZAP handler
 */
record EngineContext(IoStatistics statistics, long directWriteIdleNanos, ZapGateway zap) {
    /**
     * The settings of {@code ctx}, for an engine on {@code io}.
     *
     * @param ctx the context
     * @param io  the engine's I/O thread (ZAP replies are read there)
     * @return the settings
     */
    static EngineContext of(IoContext ctx, IoThread io) {
        long idle = ctx.config().directWriteIdle().map(java.time.Duration::toNanos).orElse(-1L);
        return new EngineContext(ctx.statistics(), idle,
                (request, domain, address, routingId, onReply, onFailure) ->
                        ZapClient.request(ctx, io, request, domain, address, routingId, onReply, onFailure));
    }
}
