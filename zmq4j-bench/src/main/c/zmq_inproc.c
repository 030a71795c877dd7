/*
 * libzmq inproc, both ends in one process (two threads, one context):
 *   zmq_inproc thr <size> <warmup_ms> <duration_ms> <hwm>   PUSH thread -> PULL (main thread)
 *   zmq_inproc lat <size> <warmup_ms> <duration_ms> <hwm>   REQ (main thread) <-> REP thread
 *   zmq_inproc version                                      prints libzmq's version
 * libzmq's inproc HWM is the sum of the sender's SNDHWM and the receiver's RCVHWM, as zmq4j's.
 */
#include <pthread.h>
#include "zmq_common.h"

static void *ctx;
static long size;
static int hwm;

static void *pusher(void *arg) {
    (void) arg;
    void *s = zsocket(ctx, ZMQ_PUSH, hwm);
    zcheck(zmq_connect(s, "inproc://thr"), "zmq_connect");
    thr_send_forever(s, size);
    return NULL;
}

static void *replier(void *arg) {
    (void) arg;
    void *s = zsocket(ctx, ZMQ_REP, hwm);
    zcheck(zmq_connect(s, "inproc://lat"), "zmq_connect");
    lat_serve_forever(s);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "version") == 0) {
        int major, minor, patch;
        zmq_version(&major, &minor, &patch);
        printf("%d.%d.%d\n", major, minor, patch);
        return 0;
    }
    if (argc != 6) die("usage: zmq_inproc thr|lat <size> <warmup_ms> <duration_ms> <hwm>");
    size = atol(argv[2]);
    hwm = atoi(argv[5]);
    ctx = zcontext();
    pthread_t t;
    if (strcmp(argv[1], "thr") == 0) {
        void *s = zsocket(ctx, ZMQ_PULL, hwm);
        zcheck(zmq_bind(s, "inproc://thr"), "zmq_bind");
        pthread_create(&t, NULL, pusher, NULL);
        thr_recv_window(s, size, atol(argv[3]), atol(argv[4]));
    } else if (strcmp(argv[1], "lat") == 0) {
        void *s = zsocket(ctx, ZMQ_REQ, hwm);
        zcheck(zmq_bind(s, "inproc://lat"), "zmq_bind");
        pthread_create(&t, NULL, replier, NULL);
        lat_client_window(s, size, atol(argv[3]), atol(argv[4]));
    } else {
        die("mode must be thr or lat");
    }
    _exit(0);
}
