/* libzmq throughput sender: PUSH connects <endpoint>, sends until killed. Usage: zmq_thr_send <endpoint> <size> <hwm> */
#include "zmq_common.h"

int main(int argc, char **argv) {
    if (argc != 4) die("usage: zmq_thr_send <endpoint> <size> <hwm>");
    void *ctx = zcontext();
    void *s = zsocket(ctx, ZMQ_PUSH, atoi(argv[3]));
    zconnect(s, argv[1]);
    thr_send_forever(s, atol(argv[2]));
    return 0;
}
