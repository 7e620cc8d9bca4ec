// SPDX-License-Identifier: GPL-2.0
/*
 * genlpeer: the user-space end of the lib-netlink suite, a generic netlink
 * client of a script's channel (netlink.channel(NAME)): command 1 with
 * attribute 1 (the message's bytes), multicast group "events".  Raw
 * netlink sockets only: no libnl in the VM.
 *
 *   genlpeer resolve NAME [SECS]    wait at most SECS (default 0) for the
 *	family; print "family ID group GID"; exit 1 if there is none
 *   genlpeer listen NAME COUNT [SECS [nojoin]]   join the group (unless
 *	nojoin), print "ready PORTID", then "msg PAYLOAD" for each message
 *	(multicast or unicast) until COUNT came; exit 1 after SECS
 *	(default 10) without them
 *   genlpeer send NAME MSG...       send each MSG asking for an ack; print
 *	"msg PAYLOAD" for what comes back first, then "ack 0" or
 *	"error ERRNO"; exit 0 iff every ack was 0
 *   genlpeer bare NAME              a message without the attribute
 *   genlpeer flood NAME SECS        send without acks for SECS or until the
 *	family goes away; print "sent N gone" or "sent N"
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#define BUFSZ	(1 << 16)

static int fd;
static unsigned int seq;
static int family_id, group_id;
static char buf[BUFSZ];

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void put_attr(char *msg, int type, const void *data, int len)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)msg;
	struct nlattr *na = (struct nlattr *)(msg + NLMSG_ALIGN(nlh->nlmsg_len));

	na->nla_type = type;
	na->nla_len = NLA_HDRLEN + len;
	memcpy((char *)na + NLA_HDRLEN, data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_ALIGN(na->nla_len);
}

/* a genl request to family @id, command @cmd; attributes follow */
static void put_hdr(char *msg, int id, int cmd, int flags)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)msg;
	struct genlmsghdr *g = NLMSG_DATA(nlh);

	memset(msg, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	nlh->nlmsg_type = id;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++seq;
	g->cmd = cmd;
	g->version = 1;
}

static int send_msg(char *msg)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };
	struct nlmsghdr *nlh = (struct nlmsghdr *)msg;

	return sendto(fd, msg, nlh->nlmsg_len, 0, (struct sockaddr *)&to,
		      sizeof(to));
}

static struct nlattr *attr_next(struct nlattr *na, int *left)
{
	int len = NLA_ALIGN(na->nla_len);

	*left -= len;
	return (struct nlattr *)((char *)na + len);
}

#define for_attrs(na, start, len, left) \
	for (na = (start), left = (len); left >= NLA_HDRLEN && \
	     na->nla_len >= NLA_HDRLEN && na->nla_len <= left; \
	     na = attr_next(na, &left))

static void parse_groups(struct nlattr *groups)
{
	struct nlattr *g, *a;
	int gl, al;

	for_attrs(g, (struct nlattr *)((char *)groups + NLA_HDRLEN),
		  groups->nla_len - NLA_HDRLEN, gl) {
		const char *name = NULL;
		int id = -1;

		for_attrs(a, (struct nlattr *)((char *)g + NLA_HDRLEN),
			  g->nla_len - NLA_HDRLEN, al) {
			if (a->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
				name = (char *)a + NLA_HDRLEN;
			else if (a->nla_type == CTRL_ATTR_MCAST_GRP_ID)
				id = *(int *)((char *)a + NLA_HDRLEN);
		}
		if (name && !strcmp(name, "events"))
			group_id = id;
	}
}

/* Asks the controller for @name.  Return: 0, or -errno. */
static int resolve_once(const char *name)
{
	static char msg[512];
	struct nlmsghdr *nlh;
	struct nlattr *na;
	int n, left;

	put_hdr(msg, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0);
	put_attr(msg, CTRL_ATTR_FAMILY_NAME, name, strlen(name) + 1);
	if (send_msg(msg) < 0)
		die("send");
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0)
		die("recv");
	nlh = (struct nlmsghdr *)buf;
	if (nlh->nlmsg_type == NLMSG_ERROR)
		return ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
	for_attrs(na, (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN),
		  nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, left) {
		if (na->nla_type == CTRL_ATTR_FAMILY_ID)
			family_id = *(unsigned short *)((char *)na + NLA_HDRLEN);
		else if (na->nla_type == CTRL_ATTR_MCAST_GROUPS)
			parse_groups(na);
	}
	return 0;
}

static int resolve(const char *name, int secs)
{
	long end = now_ms() + secs * 1000L;
	int ret;

	while ((ret = resolve_once(name)) && now_ms() < end)
		usleep(20000);
	return ret;
}

static void open_socket(void)
{
	struct sockaddr_nl me = { .nl_family = AF_NETLINK };

	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (fd < 0)
		die("socket");
	if (bind(fd, (struct sockaddr *)&me, sizeof(me)))
		die("bind");
}

static unsigned int my_port(void)
{
	struct sockaddr_nl me;
	socklen_t len = sizeof(me);

	if (getsockname(fd, (struct sockaddr *)&me, &len))
		die("getsockname");
	return me.nl_pid;
}

/* Prints "msg PAYLOAD" if @nlh is a channel message; returns 1 if so. */
static int print_msg(struct nlmsghdr *nlh)
{
	struct nlattr *na;
	int left;

	if (nlh->nlmsg_type != family_id)
		return 0;
	for_attrs(na, (struct nlattr *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN),
		  nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, left) {
		if (na->nla_type == 1) {
			printf("msg %.*s\n", na->nla_len - NLA_HDRLEN,
			       (char *)na + NLA_HDRLEN);
			fflush(stdout);
			return 1;
		}
	}
	return 0;
}

static int do_listen(int count, int secs, int join)
{
	long end = now_ms() + secs * 1000L;
	struct pollfd p = { .events = POLLIN };
	int got = 0;

	if (join && setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			       &group_id, sizeof(group_id)))
		die("join");
	printf("ready %u\n", my_port());
	fflush(stdout);
	p.fd = fd;
	while (got < count) {
		long left = end - now_ms();
		struct nlmsghdr *nlh;
		int n;

		if (left <= 0 || poll(&p, 1, left) <= 0) {
			printf("timeout after %d\n", got);
			return 1;
		}
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			die("recv");
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n))
			got += print_msg(nlh);
	}
	return 0;
}

/* Sends one message (without attribute if !@text); waits for its ack. */
static int send_one(const char *text)
{
	static char msg[BUFSZ];
	struct nlmsghdr *nlh;
	int n;

	put_hdr(msg, family_id, 1, NLM_F_ACK);
	if (text)
		put_attr(msg, 1, text, strlen(text));
	if (send_msg(msg) < 0) {
		printf("error %d\n", errno);
		return 1;
	}
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			die("recv");
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			int err;

			if (print_msg(nlh) || nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			err = ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
			if (err)
				printf("error %d\n", -err);
			else
				printf("ack 0\n");
			fflush(stdout);
			return err != 0;
		}
	}
}

/* Floods until @secs pass or a send fails with ENOENT (family gone). */
static int flood(int secs)
{
	static char msg[256];
	long end = now_ms() + secs * 1000L;
	unsigned long sent = 0;
	int gone = 0;

	while (!gone && now_ms() < end) {
		struct nlmsghdr *nlh;
		int n;

		put_hdr(msg, family_id, 1, 0);
		put_attr(msg, 1, "flood", 5);
		if (send_msg(msg) >= 0)
			sent++;
		/* errors come back as messages: drain them */
		while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
			for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, n);
			     nlh = NLMSG_NEXT(nlh, n)) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);

				if (nlh->nlmsg_type == NLMSG_ERROR &&
				    e->error == -ENOENT)
					gone = 1;
			}
		}
	}
	printf("sent %lu%s\n", sent, gone ? " gone" : "");
	return 0;
}

int main(int argc, char **argv)
{
	int i, ret = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: genlpeer resolve|listen|send|bare|flood NAME ...\n");
		return 2;
	}
	alarm(600);
	open_socket();
	if (!strcmp(argv[1], "resolve")) {
		ret = resolve(argv[2], argc > 3 ? atoi(argv[3]) : 0);
		if (ret) {
			printf("error %d\n", -ret);
			return 1;
		}
		printf("family %d group %d\n", family_id, group_id);
		return 0;
	}
	ret = resolve(argv[2], 5);
	if (ret) {
		printf("no family %s (%d)\n", argv[2], -ret);
		return 1;
	}
	if (!strcmp(argv[1], "listen") && argc > 3)
		return do_listen(atoi(argv[3]), argc > 4 ? atoi(argv[4]) : 10,
				 !(argc > 5 && !strcmp(argv[5], "nojoin")));
	if (!strcmp(argv[1], "send")) {
		for (i = 3; i < argc; i++)
			ret |= send_one(argv[i]);
		return ret;
	}
	if (!strcmp(argv[1], "bare"))
		return send_one(NULL);
	if (!strcmp(argv[1], "flood") && argc > 3)
		return flood(atoi(argv[3]));
	fprintf(stderr, "genlpeer: bad command\n");
	return 2;
}
