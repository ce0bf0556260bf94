// The least a server can do per request, as a floor beside verbatimd and Redis
// (docs/PERFORMANCE.md, "One connection"): one thread, epoll, and for every RESP array read
// (each `*`) one bulk string of 567 bytes of `x`, as `verbatim-bench rpc --redis` expects.
// No parsing, no store. Experiments only.
//
//   cc -O2 -D_GNU_SOURCE -o /tmp/min-epoll-server tools/min-epoll-server.c
//   taskset -c 0 /tmp/min-epoll-server PORT TIMEOUT_MS    # epoll_wait's timeout; -1: none
#include <sys/epoll.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv) {
    int port = atoi(argv[1]), timeout = atoi(argv[2]);
    int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ls, (void *)&a, sizeof a) || listen(ls, 256)) { perror("bind"); return 1; }
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = ls};
    epoll_ctl(ep, EPOLL_CTL_ADD, ls, &ev);
    static char reply[600], buf[65536];
    int n = sprintf(reply, "$567\r\n"); memset(reply + n, 'x', 567); n += 567; memcpy(reply + n, "\r\n", 2); n += 2;
    struct epoll_event evs[64];
    for (;;) {
        int k = epoll_wait(ep, evs, 64, timeout);
        for (int i = 0; i < k; i++) {
            int fd = evs[i].data.fd;
            if (fd == ls) {
                int c = accept4(ls, 0, 0, SOCK_NONBLOCK);
                setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                struct epoll_event e = {.events = EPOLLIN, .data.fd = c};
                epoll_ctl(ep, EPOLL_CTL_ADD, c, &e);
                continue;
            }
            ssize_t r = read(fd, buf, sizeof buf);
            if (r <= 0) { close(fd); continue; }
            int reqs = 0; for (ssize_t j = 0; j < r; j++) if (buf[j] == '*') reqs++;
            for (int q = 0; q < reqs; q++) write(fd, reply, n);
        }
    }
}
