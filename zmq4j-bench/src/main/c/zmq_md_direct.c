/* The no-broker reference of the Majordomo benchmark with libzmq alone:
 *   zmq_md_direct workers <ep1,ep2,...>          one ROUTER per endpoint (bound), each on its own
 *                                                thread, sends every message back to its sender
 *   zmq_md_direct clients <ep1,ep2,...> <n> <size>   n DEALERs, each connected to every endpoint
 *                                                (round robin), one request in flight each
 *   zmq_md_direct version                        prints libzmq's version
 * One context (one I/O thread) per process. Clients follow the load protocol of md_load_common.h. */
#include <zmq.h>
#include "md_load_common.h"

static void *ctx;
static char **endpoints;
static int endpoint_count;
static int body_size;

static void *worker_thread(void *arg) {
    const char *ep = (const char *) arg;
    void *router = zmq_socket(ctx, ZMQ_ROUTER);
    if (zmq_bind(router, ep) != 0) {
        fprintf(stderr, "bind %s: %s\n", ep, zmq_strerror(zmq_errno()));
        exit(2);
    }
    zmq_msg_t part;
    zmq_msg_init(&part);
    for (;;) { /* forward every frame back: the routing id first, so it goes to the sender */
        if (zmq_msg_recv(&part, router, 0) < 0) break;
        int more = zmq_msg_more(&part);
        if (zmq_msg_send(&part, router, more ? ZMQ_SNDMORE : 0) < 0) break;
    }
    return NULL;
}

static void *client_thread(void *arg) {
    (void) arg;
    void *dealer = zmq_socket(ctx, ZMQ_DEALER);
    for (int i = 0; i < endpoint_count; i++) {
        if (zmq_connect(dealer, endpoints[i]) != 0) md_die("zmq_connect");
    }
    char *body = calloc(1, body_size > 0 ? body_size : 1);
    int first = 1;
    long long count = 0;
    zmq_pollitem_t item = {dealer, 0, ZMQ_POLLIN, 0};
    for (;;) {
        zmq_send(dealer, body, body_size, 0);
        int ok = zmq_poll(&item, 1, 5000) == 1;
        if (ok) {
            zmq_msg_t reply;
            zmq_msg_init(&reply);
            zmq_msg_recv(&reply, dealer, 0);
            zmq_msg_close(&reply);
        }
        if (md_after_request(ok, &first, &count)) break;
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "version") == 0) {
        int major, minor, patch;
        zmq_version(&major, &minor, &patch);
        printf("%d.%d.%d\n", major, minor, patch);
        return 0;
    }
    int clients = argc == 5 && strcmp(argv[1], "clients") == 0;
    if (!clients && !(argc == 3 && strcmp(argv[1], "workers") == 0)) {
        fprintf(stderr, "usage: zmq_md_direct workers <ep1,ep2,...>\n"
                        "       zmq_md_direct clients <ep1,ep2,...> <n> <body-size>\n");
        return 2;
    }
    char *list = strdup(argv[2]);
    endpoints = calloc(1000, sizeof(char *));
    for (char *tok = strtok(list, ","); tok && endpoint_count < 1000; tok = strtok(NULL, ",")) {
        endpoints[endpoint_count++] = tok;
    }
    ctx = zmq_ctx_new();
    if (!clients) {
        pthread_t t;
        for (int i = 0; i < endpoint_count; i++) {
            if (pthread_create(&t, NULL, worker_thread, endpoints[i]) != 0) md_die("pthread_create");
        }
        md_worker_ready_then_wait();
    }
    int n = atoi(argv[3]);
    body_size = atoi(argv[4]);
    if (n < 1 || n > 1000) md_die("n must be 1..1000");
    pthread_t *threads = calloc(n, sizeof(pthread_t));
    for (int i = 0; i < n; i++) {
        if (pthread_create(&threads[i], NULL, client_thread, NULL) != 0) md_die("pthread_create");
    }
    int rc = md_client_main(threads, n);
    _exit(rc);
}
