/* PUB fan-out with libzmq, for side-by-side runs with zmq4j (FanoutThroughput.java).
 * usage: zmq_fanout pub <bind-endpoint> <size> <count> <subscribers>
 *        zmq_fanout sub <connect-endpoint> <size> <count> <subscribers>
 * The publisher waits until every subscriber has said hello on a side channel (port+1, PULL), then
 * publishes count messages (HWM 0: nothing is dropped, so every subscriber gets every message);
 * the subscriber process holds all SUB sockets, polls them, and prints messages delivered per second
 * over all subscribers, timed from the first message. */
#include <zmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static char *side_channel(const char *ep) {
    static char buf[256];
    const char *colon = strrchr(ep, ':');
    snprintf(buf, sizeof buf, "%.*s:%d", (int) (colon - ep), ep, atoi(colon + 1) + 1);
    return buf;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s pub|sub endpoint size count subscribers\n", argv[0]);
        return 2;
    }
    size_t size = (size_t) atol(argv[3]);
    long count = atol(argv[4]);
    int n = atoi(argv[5]), zero = 0;
    void *ctx = zmq_ctx_new();
    if (strcmp(argv[1], "pub") == 0) {
        void *pub = zmq_socket(ctx, ZMQ_PUB);
        zmq_setsockopt(pub, ZMQ_SNDHWM, &zero, sizeof zero);
        zmq_bind(pub, argv[2]);
        void *hello = zmq_socket(ctx, ZMQ_PULL);
        zmq_bind(hello, side_channel(argv[2]));
        char b[8];
        for (int i = 0; i < n; i++) {
            zmq_recv(hello, b, sizeof b, 0);
        }
        char *buf = calloc(1, size ? size : 1);
        /* subscriptions may still be in flight: send probes until the subscriber process says go */
        for (;;) {
            zmq_send(pub, "", 0, 0);
            if (zmq_recv(hello, b, sizeof b, ZMQ_DONTWAIT) >= 0) {
                break;
            }
            struct timespec ms = {0, 1000000};
            nanosleep(&ms, NULL);
        }
        for (long i = 0; i < count; i++) {
            zmq_send(pub, buf, size, 0);
        }
        zmq_recv(hello, b, sizeof b, 0); /* done */
        free(buf);
        zmq_close(hello);
        zmq_close(pub);
    } else {
        void **subs = calloc(n, sizeof *subs);
        zmq_pollitem_t *items = calloc(n, sizeof *items);
        void *hello = zmq_socket(ctx, ZMQ_PUSH);
        zmq_connect(hello, side_channel(argv[2]));
        for (int i = 0; i < n; i++) {
            subs[i] = zmq_socket(ctx, ZMQ_SUB);
            zmq_setsockopt(subs[i], ZMQ_RCVHWM, &zero, sizeof zero);
            zmq_setsockopt(subs[i], ZMQ_SUBSCRIBE, "", 0);
            zmq_connect(subs[i], argv[2]);
            items[i].socket = subs[i];
            items[i].events = ZMQ_POLLIN;
            zmq_send(hello, "hi", 2, 0);
        }
        /* wait for the probe on every subscriber */
        zmq_msg_t m;
        zmq_msg_init(&m);
        for (int i = 0; i < n; i++) {
            zmq_msg_recv(&m, subs[i], 0);
        }
        zmq_send(hello, "go", 2, 0);
        long total = (long) n * count, got = 0;
        double t0 = 0;
        while (got < total) {
            zmq_poll(items, n, -1);
            for (int i = 0; i < n; i++) {
                while (zmq_msg_recv(&m, subs[i], ZMQ_DONTWAIT) >= 0) {
                    if (zmq_msg_size(&m) == 0) {
                        continue; /* a late probe */
                    }
                    if (got++ == 0) {
                        t0 = now();
                    }
                }
            }
        }
        double dt = now() - t0;
        printf("%.0f\n", total / dt);
        zmq_send(hello, "done", 4, 0);
        zmq_msg_close(&m);
        for (int i = 0; i < n; i++) {
            zmq_close(subs[i]);
        }
        zmq_close(hello);
    }
    zmq_ctx_term(ctx);
    return 0;
}
