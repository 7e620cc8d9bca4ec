// SPDX-License-Identifier: GPL-2.0
/*
 * udpflood ADDR N: sends N 16-byte UDP datagrams to ADDR port 9 with
 * sendmmsg(2), 64 a call, from one socket; prints the nanoseconds the
 * sends took.  Every datagram crosses NF_INET_LOCAL_OUT once; where it
 * goes then is up to the route (make bench: a dummy device, which frees
 * it).  Waits for the random generator first, like readloop.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64

int main(int argc, char **argv)
{
	static struct mmsghdr msgs[BATCH];
	static struct iovec iov;
	struct sockaddr_in dst = { .sin_family = AF_INET,
				   .sin_port = htons(9) };
	struct timespec a, b;
	char payload[16] = "lunatik bench";
	long n, sent = 0;
	int fd, i, r;

	if (argc != 3 || inet_pton(AF_INET, argv[1], &dst.sin_addr) != 1) {
		fprintf(stderr, "usage: udpflood IPV4-ADDR N\n");
		return 2;
	}
	n = atol(argv[2]);
	if (getrandom(payload, 1, 0) != 1)
		perror("getrandom");
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&dst, sizeof(dst))) {
		perror("socket");
		return 1;
	}
	iov.iov_base = payload;
	iov.iov_len = sizeof(payload);
	for (i = 0; i < BATCH; i++) {
		msgs[i].msg_hdr.msg_iov = &iov;
		msgs[i].msg_hdr.msg_iovlen = 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	while (sent < n) {
		r = sendmmsg(fd, msgs, n - sent < BATCH ? n - sent : BATCH, 0);
		if (r <= 0) {
			perror("sendmmsg");
			return 1;
		}
		sent += r;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%lld\n", (b.tv_sec - a.tv_sec) * 1000000000LL +
	       (b.tv_nsec - a.tv_nsec));
	close(fd);
	return 0;
}
