// A load generator in plain C: GetParagraph against verbatimd, or GET against
// redis-server, unpipelined, for a comparison in which neither server is measured through
// a client heavier than the other's (docs/PERFORMANCE.md, session 17). `verbatim-bench
// rpc` runs on SwiftNIO and `redis-benchmark` is C: a request's round trip includes the
// client's own time, and at 50 connections both clients use a whole CPU, so neither
// compares the two servers alone.
//
//   cc -O2 -o /tmp/lean-client tools/lean-client.c
//   lean-client verbatim PORT KEYFILE SECONDS WARMUP [CONNECTIONS]   KEYFILE: lines "DOCUMENT PARAGRAPHS"
//                                                                    (verbatim-bench rpc --db DB --print-key-file)
//   lean-client redis PORT KEYS SECONDS WARMUP [CONNECTIONS]         GET key:%012d, index below KEYS
//
// Each connection has one call in flight at a time. One connection (the default) blocks
// in `read`; more are non-blocking, served by one thread from `epoll_wait`. Keys are
// uniform over all paragraphs (or all KEYS). Prints one line: requests/s, p50, p99 and
// p99.9 latency in µs (from the write of a request to the read of the end of its reply),
// the requests measured, and all requests completed, the warm-up's included. An error, a
// status other than OK or a reply of the wrong shape stops it with a message.
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { BUFFER = 1 << 20 };

struct conn {
    int fd;
    uint32_t stream;  // of the call in flight (verbatim)
    double sent;      // when its request was written, µs
    size_t have, used;  // bytes in `in`, bytes of them consumed
    unsigned char in[BUFFER];
};

static int verbatim;
static size_t docs;
static char **names;
static uint64_t *ends, total;  // ends[i]: paragraphs of documents 0...i

static void die(const char *what) {
    fprintf(stderr, "lean-client: %s\n", what);
    exit(1);
}

static double now_us(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next_random(void) {  // splitmix64
    uint64_t z = (rng += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static void send_all(int fd, const void *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EAGAIN) continue;
        if (w <= 0) die("write failed");
        p = (const char *)p + w;
        n -= (size_t)w;
    }
}

static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

// Writes the next request on `c`, for a key chosen at random.
static void send_request(struct conn *c) {
    unsigned char req[600];
    uint64_t r = next_random() % total;
    size_t n;
    if (verbatim) {
        size_t lo = 0, hi = docs - 1;  // the first document whose end is past r
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (ends[mid] > r) hi = mid; else lo = mid + 1;
        }
        uint64_t number = r - (lo == 0 ? 0 : ends[lo - 1]) + 1;
        size_t len = strlen(names[lo]);
        if (len > 127) die("document name over 127 bytes");
        c->stream = c->stream == 0x7fffffff ? 1 : c->stream + 1;
        unsigned char *p = req + 10;
        *p++ = 0, *p++ = 1;                      // method 1, GetParagraph
        *p++ = 0, *p++ = 0, *p++ = 0, *p++ = 0;  // no deadline
        *p++ = 0x0a, *p++ = (unsigned char)len;  // field 1: document
        memcpy(p, names[lo], len), p += len;
        *p++ = 0x10;                             // field 2: number, a varint
        for (; number >= 0x80; number >>= 7) *p++ = (unsigned char)(number | 0x80);
        *p++ = (unsigned char)number;
        n = (size_t)(p - req);
        uint32_t length = (uint32_t)(n - 10), s = c->stream;
        unsigned char header[10] = {length >> 24, length >> 16, length >> 8, length, 0x01, 0, s >> 24, s >> 16, s >> 8, s};
        memcpy(req, header, 10);
    } else {
        n = (size_t)snprintf((char *)req, sizeof req, "*2\r\n$3\r\nGET\r\n$16\r\nkey:%012llu\r\n", (unsigned long long)r);
    }
    c->sent = now_us();
    send_all(c->fd, req, n);
}

// Consumes the reply to the call in flight on `c` if it is all in the buffer: 1 if so,
// 0 if more bytes are needed. verbatim: frames up to the call's STATUS, which must be OK;
// redis: one bulk string, `$N\r\n`, N bytes, `\r\n`.
static int take_reply(struct conn *c) {
    if (verbatim) {
        for (;;) {
            size_t avail = c->have - c->used;
            if (avail < 10) return 0;
            const unsigned char *h = c->in + c->used;
            uint32_t length = be32(h), stream = be32(h + 6);
            if (length > BUFFER - 10) die("frame larger than the buffer");
            if (avail < 10 + (size_t)length) return 0;
            if (h[4] == 0x06) die("GOAWAY from the server");
            if (stream != c->stream && h[4] != 0x07) die("frame for another stream");
            c->used += 10 + length;
            if (h[4] == 0x03) {
                if (length < 4 || be32(h + 10) != 0) die("status other than OK");
                return 1;
            }
        }
    }
    size_t avail = c->have - c->used, n = 0, i = 1;
    const unsigned char *p = c->in + c->used;
    if (avail < 1) return 0;
    if (p[0] != '$') die("not a bulk string reply");
    for (;; i++) {
        if (i >= avail) return 0;
        if (p[i] == '\r') break;
        if (p[i] < '0' || p[i] > '9') die("missing key (nil reply)");
        n = n * 10 + (p[i] - '0');
    }
    if (i + 2 + n + 2 > BUFFER) die("reply larger than the buffer");
    if (avail < i + 2 + n + 2) return 0;
    c->used += i + 2 + n + 2;
    return 1;
}

// Reads what `c` has (blocking if its socket blocks): 0 if nothing was there.
static int fill(struct conn *c) {
    if (c->used > 0) {
        memmove(c->in, c->in + c->used, c->have - c->used);
        c->have -= c->used;
        c->used = 0;
    }
    ssize_t r = read(c->fd, c->in + c->have, BUFFER - c->have);
    if (r < 0 && errno == EAGAIN) return 0;
    if (r <= 0) die("connection closed or read failed");
    c->have += (size_t)r;
    return 1;
}

static int cmp(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 6 && argc != 7) die("usage: lean-client verbatim|redis PORT KEYFILE|KEYS SECONDS WARMUP [CONNECTIONS]");
    verbatim = strcmp(argv[1], "verbatim") == 0;
    double seconds = atof(argv[4]), warmup = atof(argv[5]);
    int nconns = argc == 7 ? atoi(argv[6]) : 1;
    if (nconns < 1 || nconns > 1000) die("connections: 1 to 1000");

    // Documents and their paragraph counts (verbatim), or the number of keys (redis).
    if (verbatim) {
        size_t cap = 1 << 16;
        names = malloc(cap * sizeof *names);
        ends = malloc(cap * sizeof *ends);
        FILE *f = fopen(argv[3], "r");
        if (!f) die("cannot open the key file");
        char name[512];
        unsigned long count;
        while (fscanf(f, "%511s %lu", name, &count) == 2) {
            if (count == 0) continue;
            if (docs == cap) {
                cap *= 2;
                names = realloc(names, cap * sizeof *names);
                ends = realloc(ends, cap * sizeof *ends);
            }
            names[docs] = strdup(name);
            ends[docs++] = total += count;
        }
        fclose(f);
    } else {
        total = strtoull(argv[3], NULL, 10);
    }
    if (total == 0) die("no keys");

    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2]))};
    inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    struct conn *conns = calloc((size_t)nconns, sizeof *conns);
    int ep = nconns > 1 ? epoll_create1(0) : -1;
    for (int i = 0; i < nconns; i++) {
        struct conn *c = &conns[i];
        c->fd = socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (connect(c->fd, (struct sockaddr *)&addr, sizeof addr) != 0) die("cannot connect");
        if (verbatim) send_all(c->fd, "VERBATIM\0\1\0\0", 12);
        if (ep >= 0) {
            fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
            struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
            if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) != 0) die("epoll_ctl failed");
        }
    }

    size_t max_samples = 1 << 25, samples = 0, all = 0;
    float *latency = malloc(max_samples * sizeof *latency);
    double start = now_us(), measure_from = start + warmup * 1e6, end = measure_from + seconds * 1e6;
    for (int i = 0; i < nconns; i++) send_request(&conns[i]);
    struct epoll_event events[256];
    for (;;) {
        int ready = 1;
        if (ep >= 0) {
            ready = epoll_wait(ep, events, 256, -1);
            if (ready < 0 && errno == EINTR) continue;
            if (ready < 0) die("epoll_wait failed");
        }
        for (int e = 0; e < ready; e++) {
            struct conn *c = ep >= 0 ? events[e].data.ptr : &conns[0];
            if (!fill(c)) continue;
            while (take_reply(c)) {
                double t1 = now_us();
                all++;
                if (t1 >= end) goto done;
                if (c->sent >= measure_from && samples < max_samples) latency[samples++] = (float)(t1 - c->sent);
                send_request(c);
            }
        }
    }
done:
    if (samples == 0) die("nothing measured");
    qsort(latency, samples, sizeof *latency, cmp);
    printf("%.0f %.1f %.1f %.1f %zu %zu\n", samples / seconds, latency[samples / 2], latency[samples * 99 / 100],
           latency[samples * 999 / 1000], samples, all);
    return 0;
}
