// SPDX-License-Identifier: GPL-2.0
/*
 * sockpeer: the user-space end of the socket suite (busybox nc does
 * neither UDP nor unix sockets).
 *
 *   sockpeer PROTO client ADDR PORT [MSG]   connect (retrying for 10 s),
 *	send MSG, and print what comes back: a stream until its end, a
 *	datagram (MSG is sent again every 200 ms until one comes)
 *   sockpeer PROTO send ADDR PORT MSG       connect, send MSG once, exit
 *   sockpeer PROTO server ADDR PORT [REPLY] bind, print "ready", take one
 *	connection or datagram, print what came, answer REPLY
 *
 * PROTO: tcp, udp (ADDR IPv4 or IPv6), unix, unixdgram (ADDR a path,
 * PORT ignored).  Everything gives up after 20 s (alarm).  Exits 0 on
 * success.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

static int dgram, family;
static struct sockaddr_storage peer;
static socklen_t peerlen;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void address(const char *proto, const char *addr, const char *port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&peer;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&peer;
	struct sockaddr_un *sun = (struct sockaddr_un *)&peer;

	memset(&peer, 0, sizeof(peer));
	dgram = !strcmp(proto, "udp") || !strcmp(proto, "unixdgram");
	if (!strncmp(proto, "unix", 4)) {
		family = sun->sun_family = AF_UNIX;
		snprintf(sun->sun_path, sizeof(sun->sun_path), "%s", addr);
		peerlen = sizeof(*sun);
	} else if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		family = sin->sin_family = AF_INET;
		sin->sin_port = htons(atoi(port));
		peerlen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		family = sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(atoi(port));
		peerlen = sizeof(*sin6);
	} else {
		fprintf(stderr, "sockpeer: bad address %s\n", addr);
		exit(2);
	}
}

static int newsock(void)
{
	int fd = socket(family, dgram ? SOCK_DGRAM : SOCK_STREAM, 0);

	if (fd < 0)
		die("socket");
	return fd;
}

/* a unix datagram client needs a name of its own to be answered */
static void bind_client(int fd)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	if (family != AF_UNIX || !dgram)
		return;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "/tmp/sockpeer.%d",
		 getpid());
	unlink(sun.sun_path);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)))
		die("bind");
}

static int connect_retry(void)
{
	int i, fd;

	for (i = 0; i < 100; i++) {
		fd = newsock();
		bind_client(fd);
		if (!connect(fd, (struct sockaddr *)&peer, peerlen))
			return fd;
		if (errno != ECONNREFUSED && errno != ENOENT)
			die("connect");
		close(fd);
		usleep(100000);
	}
	die("connect");
	return -1;
}

static void put(const char *buf, ssize_t n)
{
	fwrite(buf, 1, n, stdout);
	fflush(stdout);
}

static int client(const char *msg, int once)
{
	struct timeval tv = { 0, 200000 };
	char buf[4096];
	int fd = connect_retry();
	ssize_t n;

	if (!dgram) {
		if (msg && write(fd, msg, strlen(msg)) < 0)
			die("write");
		if (once)
			return 0;
		shutdown(fd, SHUT_WR);
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			put(buf, n);
		if (n < 0)
			die("read");
		return 0;
	}
	if (once)
		return send(fd, msg, strlen(msg), 0) < 0;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (;;) {
		/* refused while the kernel end is not bound yet */
		if (send(fd, msg ? msg : "", msg ? strlen(msg) : 0, 0) < 0 &&
		    errno != ECONNREFUSED && errno != ENOENT)
			die("send");
		n = recv(fd, buf, sizeof(buf), 0);
		if (n >= 0) {
			put(buf, n);
			return 0;
		}
		if (errno != EAGAIN && errno != ECONNREFUSED)
			die("recv");
	}
}

static int server(const char *reply)
{
	struct sockaddr_storage from;
	socklen_t fromlen = sizeof(from);
	int fd = newsock(), one = 1, c;
	char buf[4096];
	ssize_t n;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_UNIX)
		unlink(((struct sockaddr_un *)&peer)->sun_path);
	if (bind(fd, (struct sockaddr *)&peer, peerlen))
		die("bind");
	if (!dgram && listen(fd, 1))
		die("listen");
	put("ready\n", 6);
	if (dgram) {
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &fromlen);
		if (n < 0)
			die("recvfrom");
		put(buf, n);
		put("\n", 1);
		if (reply && sendto(fd, reply, strlen(reply), 0,
				    (struct sockaddr *)&from, fromlen) < 0)
			die("sendto");
		return 0;
	}
	c = accept(fd, NULL, NULL);
	if (c < 0)
		die("accept");
	n = read(c, buf, sizeof(buf));
	if (n < 0)
		die("read");
	put(buf, n);
	put("\n", 1);
	if (reply && write(c, reply, strlen(reply)) < 0)
		die("write");
	close(c);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: sockpeer tcp|udp|unix|unixdgram "
			"client|send|server ADDR PORT [MSG]\n");
		return 2;
	}
	alarm(20);
	address(argv[1], argv[3], argv[4]);
	if (!strcmp(argv[2], "server"))
		return server(argv[5]);
	if (!strcmp(argv[2], "send") && argc > 5)
		return client(argv[5], 1);
	return client(argv[5], 0);
}
