/* libzmq latency server: REP binds <endpoint> and echoes until killed. Usage: zmq_lat_server <endpoint> <hwm> */
#include "zmq_common.h"

int main(int argc, char **argv) {
    if (argc != 3) die("usage: zmq_lat_server <endpoint> <hwm>");
    void *ctx = zcontext();
    void *s = zsocket(ctx, ZMQ_REP, atoi(argv[2]));
    zbind(s, argv[1]);
    lat_serve_forever(s);
    return 0;
}
