/* libzmq throughput receiver: PULL binds <endpoint>. Usage: zmq_thr_recv <endpoint> <size> <warmup_ms> <duration_ms> <hwm> */
#include "zmq_common.h"

int main(int argc, char **argv) {
    if (argc != 6) die("usage: zmq_thr_recv <endpoint> <size> <warmup_ms> <duration_ms> <hwm>");
    void *ctx = zcontext();
    void *s = zsocket(ctx, ZMQ_PULL, atoi(argv[5]));
    zbind(s, argv[1]);
    thr_recv_window(s, atol(argv[2]), atol(argv[3]), atol(argv[4]));
    _exit(0); /* the sender is still sending; do not wait for it in zmq_ctx_term */
}
