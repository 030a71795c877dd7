/* ROUTER/DEALER with libzmq, for side-by-side runs with zmq4j and JeroMQ (RouterDealer.java).
 * usage: zmq_router_dealer server <bind-endpoint>
 *        zmq_router_dealer client <connect-endpoint> <size> <count> <dealers> <window>
 * The server is a ROUTER that sends every message back to the peer it came from (identity frame
 * first), until it is killed. The client process holds all DEALER sockets, polls them, keeps
 * <window> requests in flight on each, and stops after <count> replies in all. It prints the
 * replies per second over the last three quarters of them (the first quarter warms up). */
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

static int serve(void *ctx, const char *endpoint) {
    void *router = zmq_socket(ctx, ZMQ_ROUTER);
    int zero = 0;
    zmq_setsockopt(router, ZMQ_SNDHWM, &zero, sizeof zero);
    zmq_setsockopt(router, ZMQ_RCVHWM, &zero, sizeof zero);
    if (zmq_bind(router, endpoint) != 0) {
        fprintf(stderr, "bind %s: %s\n", endpoint, zmq_strerror(zmq_errno()));
        return 1;
    }
    zmq_msg_t id, body;
    zmq_msg_init(&id);
    zmq_msg_init(&body);
    for (;;) {
        if (zmq_msg_recv(&id, router, 0) < 0 || zmq_msg_recv(&body, router, 0) < 0) {
            break;
        }
        zmq_msg_send(&id, router, ZMQ_SNDMORE);
        zmq_msg_send(&body, router, 0);
    }
    zmq_msg_close(&id);
    zmq_msg_close(&body);
    zmq_close(router);
    return 0;
}

static int request(void *dealer, size_t size) {
    zmq_msg_t m;
    zmq_msg_init_size(&m, size);
    memset(zmq_msg_data(&m), 0, size);
    return zmq_msg_send(&m, dealer, 0) < 0 ? -1 : 0;
}

static int client(void *ctx, const char *endpoint, size_t size, long count, int n, int window) {
    void **dealers = calloc(n, sizeof *dealers);
    zmq_pollitem_t *items = calloc(n, sizeof *items);
    int zero = 0;
    for (int i = 0; i < n; i++) {
        dealers[i] = zmq_socket(ctx, ZMQ_DEALER);
        zmq_setsockopt(dealers[i], ZMQ_SNDHWM, &zero, sizeof zero);
        zmq_setsockopt(dealers[i], ZMQ_RCVHWM, &zero, sizeof zero);
        zmq_connect(dealers[i], endpoint);
        items[i].socket = dealers[i];
        items[i].events = ZMQ_POLLIN;
    }
    long sent = 0, got = 0, mark = count / 4;
    for (int i = 0; i < n; i++) {
        for (int w = 0; w < window && sent < count; w++, sent++) {
            request(dealers[i], size);
        }
    }
    zmq_msg_t m;
    zmq_msg_init(&m);
    double t0 = 0;
    while (got < count) {
        zmq_poll(items, n, -1);
        for (int i = 0; i < n; i++) {
            while (zmq_msg_recv(&m, dealers[i], ZMQ_DONTWAIT) >= 0) {
                if (++got == mark) {
                    t0 = now();
                }
                if (sent < count) {
                    request(dealers[i], size);
                    sent++;
                }
            }
        }
    }
    double dt = now() - t0;
    printf("%.0f\n", (count - mark) / dt);
    fflush(stdout);
    zmq_msg_close(&m);
    for (int i = 0; i < n; i++) {
        zmq_close(dealers[i]);
    }
    free(items);
    free(dealers);
    return 0;
}

int main(int argc, char **argv) {
    void *ctx = zmq_ctx_new();
    int rc;
    if (argc == 3 && strcmp(argv[1], "server") == 0) {
        rc = serve(ctx, argv[2]);
    } else if (argc == 7 && strcmp(argv[1], "client") == 0) {
        rc = client(ctx, argv[2], (size_t) atol(argv[3]), atol(argv[4]), atoi(argv[5]), atoi(argv[6]));
    } else {
        fprintf(stderr, "usage: %s server endpoint | client endpoint size count dealers window\n", argv[0]);
        return 2;
    }
    zmq_ctx_term(ctx);
    return rc;
}
