/*
 * libzmq over epgm:// (OpenPGM), one side of PgmThroughput.
 *   zmq_pgm pub <endpoint> <size> <count> <rate>: PUB, RATE kbit/s, SNDHWM 0; sends <count> messages
 *     of <size> bytes, then stays up (so that it can still repair) until killed.
 *   zmq_pgm sub <endpoint> <size> <count> <rate>: SUB, RCVHWM 0, RCVBUF 4 MiB; prints "ready", then receives until
 *     <count> messages or 3 s without one, and prints "<received> <ns from the first to the last>".
 */
#include "zmq_common.h"

int main(int argc, char **argv) {
    if (argc != 6) die("usage: zmq_pgm pub|sub <endpoint> <size> <count> <rate>");
    int pub = strcmp(argv[1], "pub") == 0;
    long size = atol(argv[3]);
    long count = atol(argv[4]);
    int rate = atoi(argv[5]);
    void *ctx = zcontext();
    void *s = zsocket(ctx, pub ? ZMQ_PUB : ZMQ_SUB, 0);
    zcheck(zmq_setsockopt(s, ZMQ_RATE, &rate, sizeof rate), "ZMQ_RATE");
    if (pub) {
        zcheck(zmq_connect(s, argv[2]), "zmq_connect");
        char *buf = calloc(1, size > 0 ? size : 1);
        for (long i = 0; i < count; i++) {
            zcheck(zmq_send(s, buf, size, 0), "zmq_send");
        }
        for (;;) sleep(1);
    }
    int rcvbuf = 4 << 20; /* the kernel's default 208 KiB overflows at these rates on loopback */
    zcheck(zmq_setsockopt(s, ZMQ_RCVBUF, &rcvbuf, sizeof rcvbuf), "ZMQ_RCVBUF");
    zcheck(zmq_setsockopt(s, ZMQ_SUBSCRIBE, "", 0), "ZMQ_SUBSCRIBE");
    zcheck(zmq_connect(s, argv[2]), "zmq_connect");
    printf("ready\n");
    fflush(stdout);
    int timeout = 60000;
    zcheck(zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof timeout), "ZMQ_RCVTIMEO");
    char *buf = malloc(size + 1);
    long n = 0;
    int64_t first = 0, last = 0;
    for (;;) {
        int rc = zmq_recv(s, buf, size + 1, 0);
        if (rc == -1) break;
        if (rc != size) die("message of the wrong size");
        last = now_ns();
        if (n++ == 0) {
            first = last;
            timeout = 3000;
            zcheck(zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof timeout), "ZMQ_RCVTIMEO");
        }
        if (n == count) break;
    }
    printf("%ld %lld\n", n, (long long) (last - first));
    fflush(stdout);
    _exit(0);
}
