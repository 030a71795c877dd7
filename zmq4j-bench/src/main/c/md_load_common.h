/* The load protocol shared by the Majordomo benchmark's C load programs (MajordomoBench.java
 * drives them; the Java and Python load generators speak the same):
 *   - N client threads each run synchronous requests back to back (one in flight per client);
 *   - once every thread has had its first reply the process prints "READY";
 *   - the runner then writes "WINDOW <start-ms> <end-ms>" (epoch milliseconds) on stdin;
 *   - a reply completed at t counts when start <= t < end; a thread stops at the first reply
 *     (or timeout) after end; the process prints "RESULT <replies-in-window> <errors> <window-ms>"
 *     and exits. Errors are requests without a reply in time, counted after a client's first reply.
 * Workers print "READY" once their threads are started and run until they are killed. */
#ifndef ZMQ4J_BENCH_MD_LOAD_COMMON_H
#define ZMQ4J_BENCH_MD_LOAD_COMMON_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static atomic_llong md_window_start; /* 0 until the runner says */
static atomic_llong md_window_end;
static atomic_int md_ready;
static atomic_llong md_replies;
static atomic_llong md_errors;

static inline long long md_now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (long long) t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Called by a client thread after each request: ok = got its reply. Returns 1 when the thread
 * should stop. */
static inline int md_after_request(int ok, int *first, long long *count) {
    long long t = md_now_ms();
    if (!ok) {
        if (!*first) { /* a timeout before the first reply is start-up (the broker or worker not there yet) */
            atomic_fetch_add(&md_errors, 1);
        }
    } else if (*first) {
        *first = 0;
        atomic_fetch_add(&md_ready, 1);
    }
    long long end = atomic_load(&md_window_end);
    if (end != 0 && t >= end) {
        atomic_fetch_add(&md_replies, *count);
        return 1;
    }
    long long start = atomic_load(&md_window_start);
    if (ok && start != 0 && t >= start) {
        (*count)++;
    }
    return 0;
}

/* The client process's main thread: waits for READY, reads the window, joins, prints RESULT. */
static inline int md_client_main(pthread_t *threads, int n) {
    long long give_up = md_now_ms() + 60000;
    while (atomic_load(&md_ready) < n) {
        if (md_now_ms() > give_up) {
            fprintf(stderr, "only %d of %d clients got a reply within 60 s\n", atomic_load(&md_ready), n);
            return 3;
        }
        usleep(2000);
    }
    printf("READY\n");
    fflush(stdout);
    char line[256];
    long long start, end;
    if (!fgets(line, sizeof line, stdin) || sscanf(line, "WINDOW %lld %lld", &start, &end) != 2) {
        fprintf(stderr, "expected WINDOW <start-ms> <end-ms> on stdin\n");
        return 3;
    }
    atomic_store(&md_window_start, start);
    atomic_store(&md_window_end, end);
    for (int i = 0; i < n; i++) {
        pthread_join(threads[i], NULL);
    }
    printf("RESULT %lld %lld %lld\n", atomic_load(&md_replies), atomic_load(&md_errors), end - start);
    fflush(stdout);
    return 0;
}

static inline void md_worker_ready_then_wait(void) {
    printf("READY\n");
    fflush(stdout);
    for (;;) {
        pause(); /* the runner kills the process */
    }
}

static inline void md_die(const char *what) {
    fprintf(stderr, "error: %s\n", what);
    exit(2);
}

#endif
