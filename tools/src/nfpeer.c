// SPDX-License-Identifier: GPL-2.0
/*
 * nfpeer: the user-space ends of the examples-net suite (dnsblock.lua and
 * snihook.lua): a DNS responder, raw DNS datagrams, a TCP sink and TLS
 * ClientHellos built by hand (no TLS library in the VM, and none needed:
 * the filters look at the first bytes only).
 *
 *   nfpeer dns-server ADDR PORT     answer every datagram, forever: a
 *	query gets an A record (10.0.0.1) or, for other types, an empty
 *	answer; anything else comes back with the QR bit set.  Prints
 *	"query NAME" or "raw LEN" for each one.
 *   nfpeer dns-raw ADDR PORT CASE   send one crafted datagram (see
 *	dns_case()) and wait 2 s for an answer
 *   nfpeer tcp-server ADDR PORT     take connections, forever: print
 *	"got LEN PRINTABLE" for what the first read brings, answer "ok"
 *   nfpeer tls-hello ADDR PORT SNI [CASE]   connect, send a ClientHello
 *	for SNI (CASE: a malformed variant, see tls_case()) and wait 3 s
 *	for the answer
 *   nfpeer frame IFACE HEX     send HEX (the whole Ethernet frame, in hex
 *	digits) out of IFACE through a packet socket, as it is: malformed
 *	packets for the lib-netfilter suite
 *
 * Clients exit 0 iff an answer came.  Everything gives up after 600 s.
 */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static struct sockaddr_storage peer;
static socklen_t peerlen;

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void address(const char *addr, const char *port)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&peer;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&peer;

	memset(&peer, 0, sizeof(peer));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(atoi(port));
		peerlen = sizeof(*sin);
	} else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(atoi(port));
		peerlen = sizeof(*sin6);
	} else {
		fprintf(stderr, "nfpeer: bad address %s\n", addr);
		exit(2);
	}
}

static int newsock(int type, int timeout)
{
	struct timeval tv = { timeout, 0 };
	int fd = socket(peer.ss_family, type, 0);

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static int listener(int type)
{
	int one = 1, fd = newsock(type, 0);

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&peer, peerlen))
		die("bind");
	if (type == SOCK_STREAM && listen(fd, 16))
		die("listen");
	return fd;
}

static void put16(unsigned char *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* appends NAME as DNS labels at p; returns the bytes written */
static size_t labels(unsigned char *p, const char *name)
{
	size_t n = 0, len;

	while (*name) {
		len = strcspn(name, ".");
		p[n++] = len;
		memcpy(p + n, name, len);
		n += len;
		name += len;
		if (*name == '.')
			name++;
	}
	p[n++] = 0;
	return n;
}

/* the question's name, printable, if the datagram is a query */
static int qname(const unsigned char *q, size_t n, char *out, size_t max)
{
	size_t p = 12, o = 0, len;

	if (n < 12 || (q[2] & 0x80))
		return -1;
	while (p < n && (len = q[p]) != 0) {
		if (len > 63 || p + 1 + len > n || o + len + 1 >= max)
			return -1;
		if (o)
			out[o++] = '.';
		memcpy(out + o, q + p + 1, len);
		o += len;
		p += 1 + len;
	}
	out[o] = 0;
	return p + 5 <= n ? (int)(p + 5) : -1;
}

static void dns_server(void)
{
	unsigned char q[512], a[600];
	struct sockaddr_storage from;
	socklen_t fl;
	char name[256];
	int fd = listener(SOCK_DGRAM), end;
	ssize_t n;

	printf("ready\n");
	fflush(stdout);
	for (;;) {
		fl = sizeof(from);
		n = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from, &fl);
		if (n < 0)
			die("recvfrom");
		memcpy(a, q, n);
		end = qname(q, n, name, sizeof(name));
		if (end < 0) {
			printf("raw %zd\n", n);
			if (n > 2)
				a[2] |= 0x80;
		} else {
			printf("query %s\n", name);
			n = end;
			a[2] = 0x81;	/* response, recursion desired */
			a[3] = 0x80;	/* recursion available, no error */
			put16(a + 6, 0);
			put16(a + 8, 0);
			put16(a + 10, 0);
			if (q[end - 4] == 0 && q[end - 3] == 1) {	/* A */
				static const unsigned char rr[] = {
					0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60,
					0, 4, 10, 0, 0, 1 };
				memcpy(a + n, rr, sizeof(rr));
				n += sizeof(rr);
				put16(a + 6, 1);
			}
		}
		fflush(stdout);
		sendto(fd, a, n, 0, (struct sockaddr *)&from, fl);
	}
}

/* a crafted datagram to port 53: malformed ones, and one query for NAME */
static size_t dns_case(const char *c, unsigned char *p)
{
	static const unsigned char hdr[] = {
		0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
	size_t n = sizeof(hdr);

	memcpy(p, hdr, n);
	if (!strcmp(c, "short")) {		/* 5 bytes: no full header */
		return 5;
	} else if (!strcmp(c, "empty")) {	/* no payload at all */
		return 0;
	} else if (!strcmp(c, "label-past-end")) {
		/* "blocked" then a label of 60 bytes with 3 there */
		n += labels(p + n, "blocked") - 1;
		memcpy(p + n, "\x3c" "abc", 4);
		return n + 4;
	} else if (!strcmp(c, "no-end")) {
		/* a listed name whose last label has no terminating 0 */
		return n + labels(p + n, "blocked.example") - 1;
	} else if (!strcmp(c, "compressed")) {
		/* a pointer where a query has none */
		memcpy(p + n, "\x07" "blocked" "\xc0\x0c" "\0\1\0\1", 14);
		return n + 14;
	} else if (!strcmp(c, "long")) {
		/* labels past the 255 bytes a name may have */
		memset(p + n, 0, 400);
		for (int i = 0; i < 6; i++)
			memcpy(p + n + i * 64, "\x3f", 1);
		for (int i = 0; i < 6; i++)
			memset(p + n + i * 64 + 1, 'a', 63);
		n += 6 * 64;
		p[n++] = 0;
		memcpy(p + n, "\0\1\0\1", 4);
		return n + 4;
	}
	/* any other CASE: a well-formed A query for that name */
	n += labels(p + n, c);
	memcpy(p + n, "\0\1\0\1", 4);
	return n + 4;
}

static int dns_raw(const char *c)
{
	unsigned char buf[600];
	size_t n = dns_case(c, buf);
	int fd = newsock(SOCK_DGRAM, 2);

	if (sendto(fd, buf, n, 0, (struct sockaddr *)&peer, peerlen) < 0)
		die("sendto");
	if (recv(fd, buf, sizeof(buf), 0) < 0) {
		perror("recv");
		return 1;
	}
	printf("answered\n");
	return 0;
}

static void tcp_conn(int c)
{
	char buf[4096];
	ssize_t n = read(c, buf, sizeof(buf));

	if (n < 0)
		exit(1);
	printf("got %zd ", n);
	for (ssize_t i = 0; i < n; i++)
		putchar(buf[i] >= 32 && buf[i] < 127 ? buf[i] : '.');
	putchar('\n');
	fflush(stdout);
	if (write(c, "ok", 2) < 0)
		exit(1);
	exit(0);
}

static void tcp_server(void)
{
	int fd = listener(SOCK_STREAM), c;

	signal(SIGCHLD, SIG_IGN);
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		c = accept(fd, NULL, NULL);
		if (c < 0)
			continue;
		if (fork() == 0)
			tcp_conn(c);
		close(c);
	}
}

/*
 * A ClientHello for SNI: record, handshake, version, random, session id,
 * two cipher suites, no compression, then extensions: a padding-like
 * unknown one (type 0xfe00) and server_name.  Returns its length; the
 * offsets of the fields a CASE breaks are stored in *at.
 */
struct hello_at {
	size_t exts, sid, ext0, namelen, name;
};

static unsigned int get16(const unsigned char *p)
{
	return p[0] << 8 | p[1];
}

/* k more bytes at the end of the extensions, the handshake, the record */
static void grow(unsigned char *p, const struct hello_at *at, size_t k)
{
	put16(p + at->exts, get16(p + at->exts) + k);
	put16(p + 7, get16(p + 7) + k);
	put16(p + 3, get16(p + 3) + k);
}

static size_t hello(unsigned char *p, const char *sni, int type,
		    struct hello_at *at)
{
	size_t n = 0, hs, exts, sn = strlen(sni);

	p[n++] = 22;
	p[n++] = 3;
	p[n++] = 1;
	n += 2;				/* record length */
	p[n++] = type;
	n += 3;				/* handshake length */
	hs = n;
	p[n++] = 3;
	p[n++] = 3;
	memset(p + n, 0x5a, 32);
	n += 32;
	at->sid = n;
	p[n++] = 32;
	memset(p + n, 0x33, 32);
	n += 32;
	put16(p + n, 4);
	memcpy(p + n + 2, "\x13\x01\x13\x02", 4);
	n += 6;
	p[n++] = 1;
	p[n++] = 0;
	at->exts = exts = n;
	n += 2;
	at->ext0 = n;
	put16(p + n, 0xfe00);
	put16(p + n + 2, 3);
	memcpy(p + n + 4, "xyz", 3);
	n += 7;
	put16(p + n, 0);		/* server_name */
	put16(p + n + 2, sn + 5);
	put16(p + n + 4, sn + 3);
	p[n + 6] = 0;			/* host_name */
	at->namelen = n + 7;
	put16(p + n + 7, sn);
	at->name = n + 9;
	memcpy(p + n + 9, sni, sn);
	n += 9 + sn;
	put16(p + exts, n - exts - 2);
	put16(p + 3, n - 5);
	p[6] = 0;
	put16(p + 7, n - hs);
	return n;
}

/* CASE: how to break it; returns the bytes to send */
static size_t tls_case(const char *c, const char *sni, unsigned char *p)
{
	struct hello_at at;
	size_t n;

	if (!strcmp(c, "server-hello"))	/* not a ClientHello */
		return hello(p, sni, 2, &at);
	n = hello(p, sni, 1, &at);
	if (!strcmp(c, "good"))
		return n;
	if (!strcmp(c, "short"))		/* a partial record header */
		return 3;
	if (!strcmp(c, "cut-name"))		/* the name runs past the end */
		return n - strlen(sni) / 2;
	if (!strcmp(c, "sid-past-end")) {	/* session id length 255 */
		p[at.sid] = 255;
		return n;
	}
	if (!strcmp(c, "ext-past-end")) {	/* 1st extension past the end */
		put16(p + at.ext0 + 2, 0xfff0);
		return n;
	}
	if (!strcmp(c, "name-past-ext")) {
		/*
		 * the name runs past its extension's end, into bytes that
		 * are in the packet: SNI "blocked" would read as
		 * "blocked.example"
		 */
		put16(p + at.namelen, strlen(sni) + 8);
		memcpy(p + n, ".example", 8);
		grow(p, &at, 8);
		return n + 8;
	}
	fprintf(stderr, "nfpeer: unknown case %s\n", c);
	exit(2);
}

static int tls_hello(const char *sni, const char *c)
{
	/* a reset on exit: no retransmission of a dropped hello later */
	struct linger lg = { 1, 0 };
	unsigned char buf[1024];
	size_t n;
	int fd = newsock(SOCK_STREAM, 3);

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));

	if (strlen(sni) > 200)
		return 2;
	n = tls_case(c, sni, buf);
	if (connect(fd, (struct sockaddr *)&peer, peerlen))
		die("connect");
	if (write(fd, buf, n) < 0)
		die("write");
	n = read(fd, buf, sizeof(buf));
	if ((ssize_t)n <= 0) {
		perror("read");
		return 1;
	}
	printf("answered\n");
	return 0;
}

static int frame(const char *iface, const char *hex)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	unsigned char buf[2048];
	size_t n = 0;
	unsigned int b;
	int fd;

	while (hex[0] && hex[1] && n < sizeof(buf)) {
		if (sscanf(hex, "%2x", &b) != 1)
			break;
		buf[n++] = b;
		hex += 2;
	}
	if (*hex || n < 14) {
		fprintf(stderr, "nfpeer: bad frame\n");
		return 2;
	}
	sll.sll_ifindex = if_nametoindex(iface);
	if (!sll.sll_ifindex)
		die(iface);
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, buf, 6);
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0)
		die("socket");
	if (sendto(fd, buf, n, 0, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		die("sendto");
	return 0;
}

int main(int argc, char **argv)
{
	alarm(600);
	if (argc == 4 && !strcmp(argv[1], "frame"))
		return frame(argv[2], argv[3]);
	if (argc < 4) {
		fprintf(stderr, "usage: see tools/src/nfpeer.c\n");
		return 2;
	}
	alarm(600);
	address(argv[2], argv[3]);
	if (!strcmp(argv[1], "dns-server"))
		dns_server();
	if (!strcmp(argv[1], "dns-raw") && argc == 5)
		return dns_raw(argv[4]);
	if (!strcmp(argv[1], "tcp-server"))
		tcp_server();
	if (!strcmp(argv[1], "tls-hello") && argc >= 5)
		return tls_hello(argv[4], argc > 5 ? argv[5] : "good");
	fprintf(stderr, "usage: see tools/src/nfpeer.c\n");
	return 2;
}
