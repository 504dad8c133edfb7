/*
 * Bench helper for the doctor section (not part of portlab): the floor of a native sock_diag reader. It
 * dumps every TCP socket of its network namespace, IPv4 then IPv6, through NETLINK_SOCK_DIAG (what `ss`
 * uses), optionally filtered by state in the kernel, and counts the messages per state, nothing more; it
 * times the dump itself (no process start) and prints one JSON line:
 *   {"ms": 12.3, "sockets": 100000, "states": {"6": 100000, "10": 16}}
 * Usage: sock-diag-count [STATE_MASK]   (default every state; 64 = 1 << TCP_TIME_WAIT)
 * Built by bench/sections/doctor.ts with the system's cc when there is one.
 */
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static long counts[16];

static int dump(int family, unsigned states) {
  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) return -1;
  struct {
    struct nlmsghdr nlh;
    struct inet_diag_req_v2 r;
  } req;
  memset(&req, 0, sizeof req);
  req.nlh.nlmsg_len = sizeof req;
  req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  req.r.sdiag_family = family;
  req.r.sdiag_protocol = IPPROTO_TCP;
  req.r.idiag_states = states;
  if (send(fd, &req, sizeof req, 0) < 0) {
    close(fd);
    return -1;
  }
  static char buf[1 << 20];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type == NLMSG_DONE) {
        close(fd);
        return 0;
      }
      if (h->nlmsg_type == NLMSG_ERROR) {
        close(fd);
        return -1;
      }
      struct inet_diag_msg *m = NLMSG_DATA(h);
      counts[m->idiag_state & 15]++;
    }
  }
  close(fd);
  return 0;
}

int main(int argc, char **argv) {
  unsigned states = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 0) : 0xffffffffu;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  if (dump(AF_INET, states) < 0 || dump(AF_INET6, states) < 0) {
    fprintf(stderr, "sock_diag dump failed\n");
    return 1;
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  long total = 0;
  for (int i = 0; i < 16; i++) total += counts[i];
  printf("{\"ms\": %.3f, \"sockets\": %ld, \"states\": {", (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6, total);
  const char *sep = "";
  for (int i = 0; i < 16; i++) {
    if (counts[i]) {
      printf("%s\"%d\": %ld", sep, i, counts[i]);
      sep = ", ";
    }
  }
  printf("}}\n");
  return 0;
}
