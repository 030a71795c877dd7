/* Load for the Majordomo benchmark through the zguide's C Majordomo API (mdcliapi / mdwrkapi,
 * compiled from a zguide checkout together with this file; MajordomoBench builds it with
 * gcc -include zguide_czmq3_compat.h -I<zguide>/examples/C):
 *   md_zguide_load clients <broker-endpoint> <n> <body-size>   n client threads, one mdcli_t each
 *   md_zguide_load workers <broker-endpoint> <n> <service>     n echo workers, one mdwrk_t each
 *   md_zguide_load version                                     prints the czmq and libzmq versions
 * Clients call the service "echo" synchronously (mdcli_send), one request in flight each, and
 * follow the load protocol of md_load_common.h; a request without a reply within 5 s counts as an
 * error (one attempt: mdcli_set_retries 1, as the Java and Python clients of the benchmark).
 * Workers answer every request with its own frames. Each mdcli_t / mdwrk_t has its own context
 * (zctx_new), hence its own libzmq I/O thread, as the zguide's API makes them. */
#include "mdcliapi.h"
#include "mdwrkapi.h"
#include "md_load_common.h"

static const char *broker;
static const char *service = "echo";
static int body_size;

static void *client_thread(void *arg) {
    (void) arg;
    mdcli_t *session = mdcli_new((char *) broker, 0);
    mdcli_set_timeout(session, 5000);
    mdcli_set_retries(session, 1); /* one attempt */
    char *body = calloc(1, body_size > 0 ? body_size : 1);
    int first = 1;
    long long count = 0;
    for (;;) {
        zmsg_t *request = zmsg_new();
        zmsg_addmem(request, body, body_size);
        zmsg_t *reply = mdcli_send(session, (char *) service, &request);
        int ok = reply != NULL;
        if (reply) {
            zmsg_destroy(&reply);
        }
        if (md_after_request(ok, &first, &count)) {
            break;
        }
    }
    free(body);
    /* no mdcli_destroy: the process exits right after, and zmq_ctx_term could wait */
    return NULL;
}

static void *worker_thread(void *arg) {
    (void) arg;
    mdwrk_t *session = mdwrk_new((char *) broker, (char *) service, 0);
    zmsg_t *reply = NULL;
    for (;;) {
        zmsg_t *request = mdwrk_recv(session, &reply);
        if (!request) break;
        reply = request; /* echo */
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "version") == 0) {
        int major, minor, patch;
        zmq_version(&major, &minor, &patch);
        printf("czmq %d.%d.%d (libzmq %d.%d.%d)\n", CZMQ_VERSION_MAJOR, CZMQ_VERSION_MINOR, CZMQ_VERSION_PATCH, major, minor, patch);
        return 0;
    }
    if (argc != 5 || (strcmp(argv[1], "clients") != 0 && strcmp(argv[1], "workers") != 0)) {
        fprintf(stderr, "usage: md_zguide_load clients <broker-endpoint> <n> <body-size>\n"
                        "       md_zguide_load workers <broker-endpoint> <n> <service>\n");
        return 2;
    }
    broker = argv[2];
    int n = atoi(argv[3]);
    if (n < 1 || n > 1000) md_die("n must be 1..1000");
    pthread_t *threads = calloc(n, sizeof(pthread_t));
    if (strcmp(argv[1], "clients") == 0) {
        body_size = atoi(argv[4]);
        for (int i = 0; i < n; i++) {
            if (pthread_create(&threads[i], NULL, client_thread, NULL) != 0) md_die("pthread_create");
        }
        int rc = md_client_main(threads, n);
        fflush(stdout);
        _exit(rc); /* without tearing down the sessions */
    }
    service = argv[4];
    for (int i = 0; i < n; i++) {
        if (pthread_create(&threads[i], NULL, worker_thread, NULL) != 0) md_die("pthread_create");
    }
    md_worker_ready_then_wait();
    return 0;
}
