/* The czmq 2/3 calls the zguide's C Majordomo files (mdbroker.c, mdcliapi.c, mdwrkapi.c) still
 * use, which czmq 4 (Debian's libczmq-dev 4.2.1) dropped: zctx_new/zctx_destroy,
 * zsocket_new/zsocket_destroy/zsocket_bind. Written for zmq4j-bench on plain libzmq, following
 * the documented behaviour of those calls (a context owns its sockets and closes them, with
 * linger 0, when it is destroyed). MajordomoBench force-includes this header (gcc -include) so
 * that the zguide's files compile unmodified from a checkout.
 *
 * One addition: mdbroker.c binds port 5555 on every interface, hard-coded. When ZGUIDE_BIND_ENDPOINT is set in
 * the environment, zsocket_bind binds that endpoint instead, so that the runner can choose the
 * port. Nothing else changes. */
#ifndef ZMQ4J_BENCH_ZGUIDE_CZMQ3_COMPAT_H
#define ZMQ4J_BENCH_ZGUIDE_CZMQ3_COMPAT_H

#include <czmq.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if CZMQ_VERSION_MAJOR >= 4

#define ZMQ4J_COMPAT_MAX_SOCKETS 64

typedef struct {
    void *handle;                                  /* the libzmq context */
    void *sockets[ZMQ4J_COMPAT_MAX_SOCKETS];       /* the sockets it owns */
    int count;
} zctx_t;

static inline zctx_t *zctx_new(void) {
    zctx_t *ctx = (zctx_t *) calloc(1, sizeof(zctx_t));
    if (!ctx) return NULL;
    ctx->handle = zmq_ctx_new();
    if (!ctx->handle) {
        free(ctx);
        return NULL;
    }
    return ctx;
}

static inline void *zsocket_new(zctx_t *ctx, int type) {
    if (ctx->count == ZMQ4J_COMPAT_MAX_SOCKETS) return NULL;
    void *s = zmq_socket(ctx->handle, type);
    if (!s) return NULL;
    int linger = 0;
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    ctx->sockets[ctx->count++] = s;
    return s;
}

static inline void zsocket_destroy(zctx_t *ctx, void *s) {
    for (int i = 0; i < ctx->count; i++) {
        if (ctx->sockets[i] == s) {
            ctx->sockets[i] = ctx->sockets[--ctx->count];
            break;
        }
    }
    zmq_close(s);
}

/* Binds; returns the port for tcp, 0 otherwise, -1 on failure (as czmq 3). */
static inline int zsocket_bind(void *s, const char *format, ...) {
    char endpoint[256];
    va_list args;
    va_start(args, format);
    vsnprintf(endpoint, sizeof endpoint, format, args);
    va_end(args);
    const char *override = getenv("ZGUIDE_BIND_ENDPOINT");
    if (override && *override) {
        snprintf(endpoint, sizeof endpoint, "%s", override);
    }
    if (zmq_bind(s, endpoint) != 0) {
        fprintf(stderr, "zsocket_bind %s: %s\n", endpoint, zmq_strerror(zmq_errno()));
        return -1;
    }
    const char *colon = strrchr(endpoint, ':');
    return strncmp(endpoint, "tcp://", 6) == 0 && colon ? atoi(colon + 1) : 0;
}

static inline void zctx_destroy(zctx_t **ctx_p) {
    if (!ctx_p || !*ctx_p) return;
    zctx_t *ctx = *ctx_p;
    while (ctx->count > 0) {
        zmq_close(ctx->sockets[--ctx->count]);
    }
    zmq_ctx_term(ctx->handle);
    free(ctx);
    *ctx_p = NULL;
}

#endif /* CZMQ_VERSION_MAJOR >= 4 */
#endif
