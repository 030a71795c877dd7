/*
 * Shared helpers for zmq4j-bench's C programs: a monotonic clock, the receiver's timing window,
 * and the result lines the runner (org.zmq4j.bench.Compare) parses:
 *
 *   RESULT thr <messages> <elapsed_ns>
 *   RESULT lat <samples> <mean_rtt_ns> <p50_ns> <p99_ns> <p999_ns> <max_ns>
 *
 * Every implementation (zmq4j, JeroMQ, libzmq, raw) prints the same two lines, measured the same
 * way: a warm-up period after the first message is discarded, then a fixed-duration window
 * (latency: the warm-up also lasts at least LAT_WARMUP_MIN round trips).
 */
#ifndef ZMQ4J_BENCH_COMMON_H
#define ZMQ4J_BENCH_COMMON_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static inline int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline void die(const char *what) {
    fprintf(stderr, "error: %s\n", what);
    fflush(stderr);
    _exit(2);
}

/* How many messages between clock reads in a throughput receiver (about 1 MiB or 1024 messages). */
static inline long check_every(long size) {
    long n = 1048576L / (size > 0 ? size : 1);
    if (n > 1024) n = 1024;
    if (n < 1) n = 1;
    return n;
}

/*
 * The receiver's window. Call thr_first() after the first message, then thr_tick() after every
 * further one; it returns 1 when the window is over (after printing the result).
 */
typedef struct {
    int64_t warmup_ns, duration_ns, t0, start;
    long every, k, counted;
    int measuring;
} thr_window;

static inline void thr_init(thr_window *w, long size, long warmup_ms, long duration_ms) {
    memset(w, 0, sizeof *w);
    w->warmup_ns = warmup_ms * 1000000LL;
    w->duration_ns = duration_ms * 1000000LL;
    w->every = check_every(size);
}

static inline void thr_first(thr_window *w) {
    w->t0 = now_ns();
    if (w->warmup_ns <= 0) {
        w->measuring = 1;
        w->start = w->t0;
    }
}

static inline int thr_tick(thr_window *w) {
    if (w->measuring) {
        w->counted++;
    }
    if (++w->k < w->every) {
        return 0;
    }
    w->k = 0;
    int64_t t = now_ns();
    if (!w->measuring) {
        if (t - w->t0 >= w->warmup_ns) {
            w->measuring = 1;
            w->start = t;
            w->counted = 0;
        }
        return 0;
    }
    if (t - w->start >= w->duration_ns) {
        printf("RESULT thr %ld %lld\n", w->counted, (long long) (t - w->start));
        fflush(stdout);
        return 1;
    }
    return 0;
}

static inline int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *) a, y = *(const int64_t *) b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array. */
static inline int64_t pct(const int64_t *v, long n, double q) {
    long i = (long) (q * n + 0.999999) - 1;
    if (i < 0) i = 0;
    if (i >= n) i = n - 1;
    return v[i];
}

static inline void print_lat(int64_t *rtt, long n) {
    if (n == 0) {
        die("no round trips measured");
    }
    qsort(rtt, n, sizeof *rtt, cmp_i64);
    double sum = 0;
    for (long i = 0; i < n; i++) sum += (double) rtt[i];
    printf("RESULT lat %ld %lld %lld %lld %lld %lld\n", n, (long long) (sum / n), (long long) pct(rtt, n, 0.50),
           (long long) pct(rtt, n, 0.99), (long long) pct(rtt, n, 0.999), (long long) rtt[n - 1]);
    fflush(stdout);
}

#define LAT_MAX_SAMPLES (4L * 1024 * 1024)
/* A latency warm-up lasts its time and at least this many round trips (JIT compilers count calls). */
#define LAT_WARMUP_MIN 20000

#endif
