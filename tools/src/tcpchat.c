// SPDX-License-Identifier: GPL-2.0
/*
 * tcpchat: a user-space TCP client for the examples-sock suite.
 *
 *   tcpchat ADDR PORT MSG [GATE]
 *
 * Connects to ADDR (IPv4 or IPv6) PORT, retrying for 10 s while refused,
 * sends MSG, then prints everything that comes back until the server
 * closes.  With GATE, it first reads until as many lines came back as MSG
 * has, prints them, and holds the connection open until the file GATE
 * exists; only then does it shut its side down.  A reset connection ends
 * the output like a close does.  Everything gives up after 20 s (alarm).
 * Exits 0 if it connected.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static socklen_t address(const char *addr, const char *port,
			 struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(atoi(port));
		return sizeof(*sin);
	}
	if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(atoi(port));
		return sizeof(*sin6);
	}
	fprintf(stderr, "tcpchat: bad address %s\n", addr);
	exit(2);
}

static int connect_retry(const char *addr, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len = address(addr, port, &ss);
	int i, fd;

	for (i = 0; i < 100; i++) {
		fd = socket(ss.ss_family, SOCK_STREAM, 0);
		if (fd < 0)
			die("socket");
		if (!connect(fd, (struct sockaddr *)&ss, len))
			return fd;
		if (errno != ECONNREFUSED)
			die("connect");
		close(fd);
		usleep(100000);
	}
	die("connect");
	return -1;
}

/* prints what comes, until @lines newlines came (0: until the end) */
static void drain(int fd, int lines)
{
	char buf[4096];
	ssize_t n, i;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			return;		/* closed, or reset */
		fwrite(buf, 1, n, stdout);
		fflush(stdout);
		for (i = 0; lines && i < n; i++)
			if (buf[i] == '\n' && --lines == 0)
				return;
	}
}

static void send_all(int fd, const char *msg)
{
	size_t len = strlen(msg), sent = 0;
	ssize_t n;

	while (sent < len) {
		n = send(fd, msg + sent, len - sent, MSG_NOSIGNAL);
		if (n < 0)
			return;		/* the server gave up on us */
		sent += n;
	}
}

static void hold(const char *gate)
{
	struct stat st;

	while (stat(gate, &st))
		usleep(50000);
}

int main(int argc, char **argv)
{
	int fd, lines = 0;
	const char *p;

	if (argc < 4) {
		fprintf(stderr, "usage: tcpchat ADDR PORT MSG [GATE]\n");
		return 2;
	}
	alarm(20);
	fd = connect_retry(argv[1], argv[2]);
	send_all(fd, argv[3]);
	if (argc > 4) {
		for (p = argv[3]; *p; p++)
			lines += *p == '\n';
		if (lines)
			drain(fd, lines);
		hold(argv[4]);
	}
	shutdown(fd, SHUT_WR);
	drain(fd, 0);
	close(fd);
	return 0;
}
