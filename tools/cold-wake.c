// What a short sleep costs the caches (docs/PERFORMANCE.md, session 16, "Where the
// one-connection gap is"): chases a random cycle through a buffer's cache lines (each load
// depends on the one before, as a request's lookups do) 2,000 times, sleeping SLEEP_US
// between chases or not at all, and prints the mean time per line. The buffer is touched
// just before each sleep, so what the sleep loses is what the idle CPU lost meanwhile. A
// negative SLEEP_US spins that long instead (the CPU stays busy, on the program's own
// code), to tell the CPU idling apart from time passing. Experiments only.
//
//   cc -O2 -o /tmp/cold-wake tools/cold-wake.c
//   taskset -c 0 /tmp/cold-wake KIB SLEEP_US      # e.g. 16 0, 16 60, 16 -60
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile uint64_t sink;

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char **argv) {
    long sleep_us = argc == 3 ? atol(argv[2]) : 0;
    if (argc != 3 || sleep_us <= -1000000 || sleep_us >= 1000000) {
        fprintf(stderr, "usage: cold-wake KIB SLEEP_US   (SLEEP_US under one second either way)\n");
        return 2;
    }
    size_t lines = (size_t)atoi(argv[1]) * 1024 / 64;
    const int rounds = 2000;
    // One 8-byte slot per 64-byte line, holding the index of the next line's slot.
    uint64_t *buf = aligned_alloc(4096, lines * 64);
    size_t *order = malloc(lines * sizeof *order);
    if (!buf || !order || lines < 2) return 1;
    for (size_t i = 0; i < lines; i++) order[i] = i;
    srand(1);
    for (size_t i = lines - 1; i > 0; i--) {
        size_t j = (size_t)rand() % (i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (size_t i = 0; i < lines; i++) buf[order[i] * 8] = order[(i + 1) % lines] * 8;
    struct timespec pause = {0, sleep_us * 1000};
    double total = 0;
    uint64_t p = 0;
    for (int r = 0; r < rounds; r++) {
        if (sleep_us > 0) {
            nanosleep(&pause, NULL);
        } else if (sleep_us < 0) {
            double until = now_ns() - sleep_us * 1000.0;
            while (now_ns() < until) {}
        }
        double t0 = now_ns();
        for (size_t i = 0; i < lines; i++) p = buf[p];
        total += now_ns() - t0;
    }
    sink = p;
    printf("%s KiB (%zu lines), %s %ld us: %.1f ns per line\n", argv[1], lines, sleep_us < 0 ? "spin" : "sleep",
           sleep_us < 0 ? -sleep_us : sleep_us, total / rounds / lines);
    return 0;
}
