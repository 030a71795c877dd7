/* libzmq latency client: REQ connects <endpoint>. Usage: zmq_lat_client <endpoint> <size> <warmup_ms> <duration_ms> <hwm> */
#include "zmq_common.h"

int main(int argc, char **argv) {
    if (argc != 6) die("usage: zmq_lat_client <endpoint> <size> <warmup_ms> <duration_ms> <hwm>");
    void *ctx = zcontext();
    void *s = zsocket(ctx, ZMQ_REQ, atoi(argv[5]));
    zconnect(s, argv[1]);
    lat_client_window(s, atol(argv[2]), atol(argv[3]), atol(argv[4]));
    _exit(0);
}
