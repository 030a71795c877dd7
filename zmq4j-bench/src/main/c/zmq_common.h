/* libzmq helpers shared by the zmq_* programs. */
#ifndef ZMQ4J_BENCH_ZMQ_COMMON_H
#define ZMQ4J_BENCH_ZMQ_COMMON_H

#include <zmq.h>
#include "bench_common.h"

static inline void zcheck(int rc, const char *what) {
    if (rc == -1) {
        fprintf(stderr, "error: %s: %s\n", what, zmq_strerror(zmq_errno()));
        fflush(stderr);
        _exit(2);
    }
}

/* A context with one I/O thread (libzmq's default) and a socket with SNDHWM = RCVHWM = hwm. */
static inline void *zsocket(void *ctx, int type, int hwm) {
    void *s = zmq_socket(ctx, type);
    if (!s) zcheck(-1, "zmq_socket");
    zcheck(zmq_setsockopt(s, ZMQ_SNDHWM, &hwm, sizeof hwm), "ZMQ_SNDHWM");
    zcheck(zmq_setsockopt(s, ZMQ_RCVHWM, &hwm, sizeof hwm), "ZMQ_RCVHWM");
    return s;
}

static inline void *zcontext(void) {
    void *ctx = zmq_ctx_new();
    if (!ctx) zcheck(-1, "zmq_ctx_new");
    zcheck(zmq_ctx_set(ctx, ZMQ_IO_THREADS, 1), "ZMQ_IO_THREADS");
    return ctx;
}

/*
 * CURVE, when the runner hands a server key pair over in the environment (Compare --curve):
 * ZMQ4J_BENCH_CURVE_SERVER_PUBLIC and ZMQ4J_BENCH_CURVE_SERVER_SECRET, Z85 (40 characters).
 * The binding side is the server; the connecting side is a client with a key pair of its own.
 * Without them the socket stays NULL-secured.
 */
static inline void zcurve(void *s, int server) {
    const char *pub = getenv("ZMQ4J_BENCH_CURVE_SERVER_PUBLIC");
    const char *sec = getenv("ZMQ4J_BENCH_CURVE_SERVER_SECRET");
    if (!pub || !sec) return;
    if (strlen(pub) != 40 || strlen(sec) != 40) die("ZMQ4J_BENCH_CURVE_SERVER_PUBLIC/SECRET must be 40-character Z85 keys");
    if (server) {
        int one = 1;
        zcheck(zmq_setsockopt(s, ZMQ_CURVE_SERVER, &one, sizeof one), "ZMQ_CURVE_SERVER");
        zcheck(zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, sec, 40), "ZMQ_CURVE_SECRETKEY");
    } else {
        char client_pub[41], client_sec[41];
        zcheck(zmq_curve_keypair(client_pub, client_sec), "zmq_curve_keypair");
        zcheck(zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, pub, 40), "ZMQ_CURVE_SERVERKEY");
        zcheck(zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, client_pub, 40), "ZMQ_CURVE_PUBLICKEY");
        zcheck(zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, client_sec, 40), "ZMQ_CURVE_SECRETKEY");
    }
}

/* Binds as the CURVE server when the environment asks for CURVE (zcurve), else plainly. */
static inline void zbind(void *s, const char *endpoint) {
    zcurve(s, 1);
    zcheck(zmq_bind(s, endpoint), "zmq_bind");
}

/* Connects as a CURVE client when the environment asks for CURVE (zcurve), else plainly. */
static inline void zconnect(void *s, const char *endpoint) {
    zcurve(s, 0);
    zcheck(zmq_connect(s, endpoint), "zmq_connect");
}

/*
 * Sends new messages of `size` bytes forever (as libzmq's remote_thr: a fresh zmq_msg_t per
 * message, zero-filled). The runner kills the process when the receiver is done.
 */
static inline void thr_send_forever(void *s, long size) {
    zmq_msg_t msg;
    for (;;) {
        zcheck(zmq_msg_init_size(&msg, size), "zmq_msg_init_size");
        memset(zmq_msg_data(&msg), 0, size);
        zcheck(zmq_msg_send(&msg, s, 0), "zmq_msg_send");
    }
}

/* Receives until the window ends (as libzmq's local_thr: one zmq_msg_t reused). */
static inline void thr_recv_window(void *s, long size, long warmup_ms, long duration_ms) {
    zmq_msg_t msg;
    thr_window w;
    thr_init(&w, size, warmup_ms, duration_ms);
    zcheck(zmq_msg_init(&msg), "zmq_msg_init");
    zcheck(zmq_msg_recv(&msg, s, 0), "zmq_msg_recv");
    if ((long) zmq_msg_size(&msg) != size) die("message of the wrong size");
    thr_first(&w);
    do {
        zcheck(zmq_msg_recv(&msg, s, 0), "zmq_msg_recv");
        if ((long) zmq_msg_size(&msg) != size) die("message of the wrong size");
    } while (!thr_tick(&w));
}

/* REP: echo forever. */
static inline void lat_serve_forever(void *s) {
    zmq_msg_t msg;
    zcheck(zmq_msg_init(&msg), "zmq_msg_init");
    for (;;) {
        zcheck(zmq_msg_recv(&msg, s, 0), "zmq_msg_recv");
        zcheck(zmq_msg_send(&msg, s, 0), "zmq_msg_send");
    }
}

/* REQ: round trips of `size` bytes; warm-up discarded, then a window of recorded RTTs. */
static inline void lat_client_window(void *s, long size, long warmup_ms, long duration_ms) {
    int64_t *rtt = malloc(sizeof(int64_t) * LAT_MAX_SAMPLES);
    if (!rtt) die("out of memory");
    char *buf = calloc(1, size > 0 ? size : 1);
    zmq_msg_t msg;
    zcheck(zmq_msg_init(&msg), "zmq_msg_init");
    int64_t t0 = now_ns(), start = 0;
    long n = 0, warm = 0;
    int measuring = 0;
    for (;;) {
        int64_t a = now_ns();
        zcheck(zmq_send(s, buf, size, 0), "zmq_send");
        zcheck(zmq_msg_recv(&msg, s, 0), "zmq_msg_recv");
        int64_t b = now_ns();
        if ((long) zmq_msg_size(&msg) != size) die("reply of the wrong size");
        if (!measuring) {
            if (++warm >= LAT_WARMUP_MIN && b - t0 >= warmup_ms * 1000000LL) {
                measuring = 1;
                start = b;
            }
            continue;
        }
        rtt[n++] = b - a;
        if (b - start >= duration_ms * 1000000LL || n == LAT_MAX_SAMPLES) break;
    }
    print_lat(rtt, n);
}

#endif
