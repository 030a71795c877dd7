/*
 * The raw-socket reference: the same bytes as the ZeroMQ runs, moved over a plain TCP or Unix
 * socket with no messaging library, so every figure can be read as a fraction of the limit.
 * Each message is a 4-byte big-endian length and the payload (ZMTP uses 2 or 9 header bytes).
 *
 *   raw thr-recv   <addr> <size> <warmup_ms> <duration_ms>   listens; counts messages in the window
 *   raw thr-send   <addr> <size>                             connects; sends until killed
 *   raw lat-server <addr> <size>                             listens; echoes each message
 *   raw lat-client <addr> <size> <warmup_ms> <duration_ms>   connects; timed round trips
 *
 * <addr> is tcp:<ipv4>:<port> or unix:<path>. The sender batches small messages into 64 KiB
 * writes and writes large bodies with writev (no copy), the receiver reads 256 KiB at a time:
 * the best a user-space library could do with the same syscalls.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include "bench_common.h"

static int make_socket(const char *addr, struct sockaddr_storage *sa, socklen_t *len) {
    memset(sa, 0, sizeof *sa);
    if (strncmp(addr, "tcp:", 4) == 0) {
        char host[64];
        const char *colon = strrchr(addr + 4, ':');
        if (!colon || colon - (addr + 4) >= (long) sizeof host) die("bad tcp address");
        memcpy(host, addr + 4, colon - (addr + 4));
        host[colon - (addr + 4)] = 0;
        struct sockaddr_in *in = (struct sockaddr_in *) sa;
        in->sin_family = AF_INET;
        in->sin_port = htons(atoi(colon + 1));
        if (inet_pton(AF_INET, host, &in->sin_addr) != 1) die("bad ipv4 address");
        *len = sizeof *in;
        return socket(AF_INET, SOCK_STREAM, 0);
    }
    if (strncmp(addr, "unix:", 5) == 0) {
        struct sockaddr_un *un = (struct sockaddr_un *) sa;
        un->sun_family = AF_UNIX;
        if (strlen(addr + 5) >= sizeof un->sun_path) die("unix path too long");
        strcpy(un->sun_path, addr + 5);
        *len = sizeof *un;
        return socket(AF_UNIX, SOCK_STREAM, 0);
    }
    die("address must be tcp:<ip>:<port> or unix:<path>");
    return -1;
}

static void nodelay(int fd, const struct sockaddr_storage *sa) {
    if (sa->ss_family == AF_INET) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
}

static int listen_accept(const char *addr) {
    struct sockaddr_storage sa;
    socklen_t len;
    int fd = make_socket(addr, &sa, &len);
    if (fd < 0) die("socket");
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (sa.ss_family == AF_UNIX) unlink(((struct sockaddr_un *) &sa)->sun_path);
    if (bind(fd, (struct sockaddr *) &sa, len) != 0) die("bind");
    if (listen(fd, 1) != 0) die("listen");
    int c = accept(fd, NULL, NULL);
    if (c < 0) die("accept");
    nodelay(c, &sa);
    close(fd);
    return c;
}

static int connect_retry(const char *addr) {
    for (int attempt = 0; attempt < 1000; attempt++) {
        struct sockaddr_storage sa;
        socklen_t len;
        int fd = make_socket(addr, &sa, &len);
        if (fd < 0) die("socket");
        if (connect(fd, (struct sockaddr *) &sa, len) == 0) {
            nodelay(fd, &sa);
            return fd;
        }
        close(fd);
        usleep(10000);
    }
    die("could not connect within 10 s");
    return -1;
}

static void write_all(int fd, const void *p, size_t n) {
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            die("write");
        }
        c += w;
        n -= w;
    }
}

static void writev_all(int fd, struct iovec *iov, int cnt) {
    while (cnt > 0) {
        ssize_t w = writev(fd, iov, cnt);
        if (w < 0) {
            if (errno == EINTR) continue;
            die("writev");
        }
        while (cnt > 0 && (size_t) w >= iov->iov_len) {
            w -= iov->iov_len;
            iov++;
            cnt--;
        }
        if (cnt > 0) {
            iov->iov_base = (char *) iov->iov_base + w;
            iov->iov_len -= w;
        }
    }
}

static void read_all(int fd, void *p, size_t n) {
    char *c = p;
    while (n > 0) {
        ssize_t r = read(fd, c, n);
        if (r < 0) {
            if (errno == EINTR) continue;
            die("read");
        }
        if (r == 0) die("peer closed");
        c += r;
        n -= r;
    }
}

static void put_len(unsigned char *p, uint32_t v) {
    p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

#define BATCH (64 * 1024)
#define LARGE (16 * 1024)

static void thr_send(const char *addr, long size) {
    int fd = connect_retry(addr);
    unsigned char *payload = calloc(1, size > 0 ? size : 1);
    if (size + 4 >= LARGE) {
        unsigned char hdr[4];
        put_len(hdr, (uint32_t) size);
        for (;;) {
            struct iovec iov[2] = {{hdr, 4}, {payload, (size_t) size}};
            writev_all(fd, iov, 2);
        }
    }
    static unsigned char batch[BATCH];
    long rec = size + 4, per = BATCH / rec;
    for (long i = 0; i < per; i++) put_len(batch + i * rec, (uint32_t) size); /* payload already zero */
    for (;;) write_all(fd, batch, per * rec);
}

static void thr_recv(const char *addr, long size, long warmup_ms, long duration_ms) {
    int fd = listen_accept(addr);
    static unsigned char buf[256 * 1024];
    thr_window w;
    thr_init(&w, size, warmup_ms, duration_ms);
    int first = 1, hdr_have = 0;
    unsigned char hdr[4];
    long remaining = 0;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("read");
        }
        if (n == 0) die("sender closed");
        for (ssize_t i = 0; i < n;) {
            if (hdr_have < 4) {
                hdr[hdr_have++] = buf[i++];
                if (hdr_have < 4) continue;
                remaining = ((long) hdr[0] << 24) | ((long) hdr[1] << 16) | ((long) hdr[2] << 8) | hdr[3];
                if (remaining != size) die("message of the wrong size");
            }
            long take = remaining < n - i ? remaining : n - i;
            i += take;
            remaining -= take;
            if (remaining == 0) {
                hdr_have = 0;
                if (first) {
                    first = 0;
                    thr_first(&w);
                } else if (thr_tick(&w)) {
                    _exit(0);
                }
            }
        }
    }
}

static void lat_server(const char *addr, long size) {
    int fd = listen_accept(addr);
    unsigned char *msg = malloc(size + 4);
    for (;;) {
        read_all(fd, msg, size + 4);
        write_all(fd, msg, size + 4);
    }
}

static void lat_client(const char *addr, long size, long warmup_ms, long duration_ms) {
    int fd = connect_retry(addr);
    unsigned char *msg = calloc(1, size + 4), *reply = malloc(size + 4);
    put_len(msg, (uint32_t) size);
    int64_t *rtt = malloc(sizeof(int64_t) * LAT_MAX_SAMPLES);
    int64_t t0 = now_ns(), start = t0;
    long n = 0, warm = 0;
    int measuring = 0;
    for (;;) {
        int64_t a = now_ns();
        write_all(fd, msg, size + 4);
        read_all(fd, reply, size + 4);
        int64_t b = now_ns();
        if (!measuring) {
            if (++warm >= LAT_WARMUP_MIN && b - t0 >= warmup_ms * 1000000LL) {
                measuring = 1;
                start = b;
            }
            continue;
        }
        rtt[n++] = b - a;
        if (b - start >= duration_ms * 1000000LL || n == LAT_MAX_SAMPLES) break;
    }
    print_lat(rtt, n);
    _exit(0);
}

int main(int argc, char **argv) {
    if (argc < 4) die("usage: raw thr-recv|thr-send|lat-server|lat-client <addr> <size> [<warmup_ms> <duration_ms>]");
    const char *mode = argv[1], *addr = argv[2];
    long size = atol(argv[3]);
    if (strcmp(mode, "thr-send") == 0) thr_send(addr, size);
    else if (strcmp(mode, "lat-server") == 0) lat_server(addr, size);
    else if (argc != 6) die("thr-recv and lat-client need <warmup_ms> <duration_ms>");
    else if (strcmp(mode, "thr-recv") == 0) thr_recv(addr, size, atol(argv[4]), atol(argv[5]));
    else if (strcmp(mode, "lat-client") == 0) lat_client(addr, size, atol(argv[4]), atol(argv[5]));
    else die("unknown mode");
    return 0;
}
