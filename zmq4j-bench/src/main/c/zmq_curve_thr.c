/* CURVE throughput and REQ/REP latency with libzmq, for side-by-side runs with zmq4j
 * (CurveThroughput.java).
 * usage: zmq_curve_thr recv <bind-endpoint> <size> <count> <server-secret-z85>
 *        zmq_curve_thr send <connect-endpoint> <size> <count> <server-public-z85>
 *        zmq_curve_thr rep <bind-endpoint> <size> <roundtrips> <server-secret-z85>
 *        zmq_curve_thr req <connect-endpoint> <size> <roundtrips> <server-public-z85>
 * The receiver prints "<msg/s> <MB/s>" over the last three quarters of the messages (the first
 * quarter warms up, the Java side's JIT needs one; same rule on both sides). REP echoes
 * <roundtrips> messages; REQ times the last three quarters of its round trips and prints the mean
 * one-way latency in microseconds (round trip / 2), as libzmq's remote_lat reports it. */
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

static void check(int rc, const char *what) {
    if (rc < 0) {
        perror(what);
        exit(1);
    }
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s recv|send|rep|req endpoint size count key-z85\n", argv[0]);
        return 2;
    }
    int server = strcmp(argv[1], "recv") == 0 || strcmp(argv[1], "rep") == 0;
    int latency = strcmp(argv[1], "rep") == 0 || strcmp(argv[1], "req") == 0;
    size_t size = (size_t) atol(argv[3]);
    long count = atol(argv[4]);
    long warm = count / 4;
    void *ctx = zmq_ctx_new();
    void *s = zmq_socket(ctx, latency ? (server ? ZMQ_REP : ZMQ_REQ) : (server ? ZMQ_PULL : ZMQ_PUSH));
    int one = 1, hwm = 1000;
    zmq_setsockopt(s, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(s, ZMQ_RCVHWM, &hwm, sizeof hwm);
    char *buf = calloc(1, size ? size : 1);
    if (server) {
        zmq_setsockopt(s, ZMQ_CURVE_SERVER, &one, sizeof one);
        zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, argv[5], 40);
        check(zmq_bind(s, argv[2]), "bind");
    } else {
        char pub[41], sec[41];
        zmq_curve_keypair(pub, sec);
        zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, argv[5], 40);
        zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, pub, 40);
        zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, sec, 40);
        check(zmq_connect(s, argv[2]), "connect");
    }
    if (latency && server) {
        for (long i = 0; i < count; i++) {
            check(zmq_recv(s, buf, size, 0), "recv");
            check(zmq_send(s, buf, size, 0), "send");
        }
    } else if (latency) {
        double t0 = now();
        for (long i = 0; i < count; i++) {
            if (i == warm) {
                t0 = now();
            }
            check(zmq_send(s, buf, size, 0), "send");
            check(zmq_recv(s, buf, size, 0), "recv");
        }
        printf("%.2f\n", (now() - t0) * 1e6 / (double) (count - warm) / 2);
    } else if (server) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        for (long i = 0; i < warm; i++) {
            zmq_msg_recv(&m, s, 0);
        }
        double t0 = now();
        for (long i = warm; i < count; i++) {
            zmq_msg_recv(&m, s, 0);
        }
        double dt = now() - t0;
        long timed = count - warm;
        printf("%.0f %.1f\n", timed / dt, timed * (double) size / dt / 1e6);
        zmq_msg_close(&m);
    } else {
        for (long i = 0; i < count; i++) {
            zmq_send(s, buf, size, 0);
        }
    }
    free(buf);
    int linger = -1;
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    zmq_close(s);
    zmq_ctx_term(ctx);
    return 0;
}
