// A load generator in plain C for one connection, unpipelined: GetParagraph against
// verbatimd, or GET against redis-server, for a comparison in which neither server is
// measured through a client heavier than the other's (docs/PERFORMANCE.md, session 17).
// `verbatim-bench rpc` runs on SwiftNIO and `redis-benchmark` is C: at one connection a
// request's round trip includes the client's own time, so the two clients do not
// compare the two servers.
//
//   cc -O2 -o /tmp/lean-client tools/lean-client.c
//   lean-client verbatim PORT KEYFILE SECONDS WARMUP   KEYFILE: lines "DOCUMENT PARAGRAPHS"
//   lean-client redis PORT KEYS SECONDS WARMUP         GET key:%012d, index below KEYS
//
// Keys are uniform over all paragraphs (or all KEYS). Prints one line: requests/s, p50,
// p99 and p99.9 latency in µs (from the write of a request to the read of its last byte),
// the requests measured, and all requests sent, the warm-up's included.
// Any error, a status other than OK or a reply of the wrong shape stops it with a message.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int fd;
static unsigned char in[1 << 20];
static size_t have, used;  // bytes in `in`, bytes of them consumed

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

static void send_all(const void *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w <= 0) die("write failed");
        p = (const char *)p + w;
        n -= (size_t)w;
    }
}

// At least `n` unconsumed bytes in `in`, reading as needed.
static void need(size_t n) {
    if (used > 0 && used == have) used = have = 0;
    if (n > sizeof in) die("reply larger than the buffer");
    if (used + n > sizeof in) {
        memmove(in, in + used, have - used);
        have -= used;
        used = 0;
    }
    while (have - used < n) {
        ssize_t r = read(fd, in + have, sizeof in - have);
        if (r <= 0) die("connection closed or read failed");
        have += (size_t)r;
    }
}

static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

// verbatim: reads frames until the STATUS of `stream`; it must be OK.
static void read_verbatim_reply(uint32_t stream) {
    for (;;) {
        need(10);
        uint32_t length = be32(in + used), frame_stream = be32(in + used + 6);
        unsigned char type = in[used + 4];
        need(10 + length);
        if (type == 0x06) die("GOAWAY from the server");
        if (frame_stream != stream && type != 0x07) die("frame for another stream");
        used += 10 + length;
        if (type == 0x03) {
            if (length < 4 || be32(in + used - length) != 0) die("status other than OK");
            return;
        }
    }
}

// redis: one bulk string reply, `$N\r\n` then N bytes and `\r\n`.
static void read_redis_reply(void) {
    need(1);
    if (in[used] != '$') die("not a bulk string reply");
    size_t n = 0, i = 1;
    for (;; i++) {
        need(i + 1);
        unsigned char c = in[used + i];
        if (c == '\r') break;
        if (c < '0' || c > '9') die("missing key (nil reply)");
        n = n * 10 + (c - '0');
    }
    need(i + 2 + n + 2);
    used += i + 2 + n + 2;
}

static int cmp(const void *a, const void *b) {
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 6) die("usage: lean-client verbatim|redis PORT KEYFILE|KEYS SECONDS WARMUP");
    int verbatim = strcmp(argv[1], "verbatim") == 0;
    double seconds = atof(argv[4]), warmup = atof(argv[5]);

    // Documents and their paragraph counts (verbatim), or the number of keys (redis).
    size_t docs = 0, cap = 1 << 16;
    char **names = malloc(cap * sizeof *names);
    uint64_t *ends = malloc(cap * sizeof *ends), total = 0;
    if (verbatim) {
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
    fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) die("cannot connect");
    if (verbatim) send_all("VERBATIM\0\1\0\0", 12);

    size_t max_samples = 1 << 24, samples = 0, all = 0;
    float *latency = malloc(max_samples * sizeof *latency);
    unsigned char req[600];
    uint32_t stream = 0;
    double start = now_us(), measure_from = start + warmup * 1e6, end = measure_from + seconds * 1e6;
    for (;;) {
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
            stream = stream == 0x7fffffff ? 1 : stream + 1;
            unsigned char *p = req + 10;
            *p++ = 0, *p++ = 1;              // method 1, GetParagraph
            *p++ = 0, *p++ = 0, *p++ = 0, *p++ = 0;  // no deadline
            *p++ = 0x0a, *p++ = (unsigned char)len;  // field 1: document
            memcpy(p, names[lo], len), p += len;
            *p++ = 0x10;                     // field 2: number, a varint
            for (; number >= 0x80; number >>= 7) *p++ = (unsigned char)(number | 0x80);
            *p++ = (unsigned char)number;
            n = (size_t)(p - req);
            uint32_t length = (uint32_t)(n - 10);
            unsigned char header[10] = {length >> 24, length >> 16, length >> 8, length, 0x01, 0,
                                        stream >> 24, stream >> 16, stream >> 8, stream};
            memcpy(req, header, 10);
        } else {
            n = (size_t)snprintf((char *)req, sizeof req, "*2\r\n$3\r\nGET\r\n$16\r\nkey:%012llu\r\n",
                                 (unsigned long long)r);
        }
        double t0 = now_us();
        send_all(req, n);
        if (verbatim) read_verbatim_reply(stream); else read_redis_reply();
        double t1 = now_us();
        all++;
        if (t1 >= end) break;
        if (t0 >= measure_from && samples < max_samples) latency[samples++] = (float)(t1 - t0);
    }
    if (samples == 0) die("nothing measured");
    qsort(latency, samples, sizeof *latency, cmp);
    printf("%.0f %.1f %.1f %.1f %zu %zu\n", samples / seconds, latency[samples / 2], latency[samples * 99 / 100],
           latency[samples * 999 / 1000], samples, all);
    return 0;
}
