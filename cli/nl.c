// SPDX-License-Identifier: GPL-2.0
/*
 * nl.c - a small generic netlink client: raw sockets, no libnl.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "nl.h"

#define NL_RCVBUF	(128 * 1024)

static char rcvbuf[NL_RCVBUF];

void nl_req_init(struct nl_req *req, uint16_t type, uint16_t flags,
		 uint8_t cmd)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)req->buf;
	struct genlmsghdr *g = NLMSG_DATA(nlh);

	memset(req->buf, 0, NLMSG_LENGTH(GENL_HDRLEN));
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	g->cmd = cmd;
	g->version = LUNATIK_GENL_VERSION;
	req->len = NLMSG_LENGTH(GENL_HDRLEN);
}

int nl_put(struct nl_req *req, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(req->buf + req->len);
	size_t total = NLA_ALIGN(NLA_HDRLEN + len);

	if (NLA_HDRLEN + len > UINT16_MAX ||
	    req->len + total > sizeof(req->buf))
		return -EMSGSIZE;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	memset((char *)a + NLA_HDRLEN + len, 0, total - NLA_HDRLEN - len);
	req->len += total;
	return 0;
}

int nl_put_str(struct nl_req *req, uint16_t type, const char *s)
{
	return nl_put(req, type, s, strlen(s) + 1);
}

int nl_put_u32(struct nl_req *req, uint16_t type, uint32_t v)
{
	return nl_put(req, type, &v, sizeof(v));
}

int nl_put_u64(struct nl_req *req, uint16_t type, uint64_t v)
{
	return nl_put(req, type, &v, sizeof(v));
}

const char *nl_str(const struct nlattr *a)
{
	const char *s = (const char *)a + NLA_HDRLEN;
	size_t len = a->nla_len - NLA_HDRLEN;

	return len && !s[len - 1] ? s : "";
}

uint64_t nl_u64(const struct nlattr *a)
{
	uint64_t v = 0;

	if (a->nla_len - NLA_HDRLEN == sizeof(v))
		memcpy(&v, (const char *)a + NLA_HDRLEN, sizeof(v));
	return v;
}

uint32_t nl_u32(const struct nlattr *a)
{
	uint32_t v = 0;

	if (a->nla_len - NLA_HDRLEN == sizeof(v))
		memcpy(&v, (const char *)a + NLA_HDRLEN, sizeof(v));
	return v;
}

uint8_t nl_u8(const struct nlattr *a)
{
	return a->nla_len > NLA_HDRLEN ? *((const uint8_t *)a + NLA_HDRLEN) : 0;
}

static void parse_attrs(const struct nlattr **tb, const void *data, int len)
{
	const struct nlattr *a = data;

	memset(tb, 0, sizeof(*tb) * (NL_ATTR_MAX + 1));
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= len) {
		int type = a->nla_type & NLA_TYPE_MASK;

		if (type <= NL_ATTR_MAX)
			tb[type] = a;
		len -= NLA_ALIGN(a->nla_len);
		a = (const struct nlattr *)((const char *)a +
					    NLA_ALIGN(a->nla_len));
	}
}

/* The extended ack's message, if the kernel sent one. */
static void parse_extack(struct nl *nl, const struct nlmsghdr *nlh,
			 size_t skip)
{
	const struct nlattr *tb[NL_ATTR_MAX + 1];
	int len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - (int)skip;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || len <= 0)
		return;
	parse_attrs(tb, (const char *)NLMSG_DATA(nlh) + skip, len);
	if (tb[NLMSGERR_ATTR_MSG] && !nl->err[0]) {
		strncpy(nl->err, nl_str(tb[NLMSGERR_ATTR_MSG]),
			sizeof(nl->err) - 1);
		nl->err[sizeof(nl->err) - 1] = '\0';
	}
}

static int on_error(struct nl *nl, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t skip = sizeof(*e);

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
		return -EPROTO;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		skip += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (e->error)
		parse_extack(nl, nlh, skip);
	return e->error;
}

static int on_done(struct nl *nl, const struct nlmsghdr *nlh)
{
	int err = 0;

	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(err)))
		memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
	if (err)
		parse_extack(nl, nlh, sizeof(err));
	return err;
}

static void on_lunatik_error(struct nl *nl, const struct nl_msg *msg)
{
	const struct nlattr *a = msg->tb[LUNATIK_ATTR_ERROR];

	if (!a)
		return;
	strncpy(nl->err, nl_str(a), sizeof(nl->err) - 1);
	nl->err[sizeof(nl->err) - 1] = '\0';
}

/*
 * Handles one message.  Return: 1 to keep reading, 0 or a negative errno
 * when the request is answered, or @cb's positive value.
 */
static int on_message(struct nl *nl, const struct nlmsghdr *nlh, nl_cb cb,
		      void *arg, uint16_t type)
{
	const struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct nl_msg msg;
	int ret;

	if (nlh->nlmsg_type == NLMSG_ERROR)
		return on_error(nl, nlh);
	if (nlh->nlmsg_type == NLMSG_DONE)
		return on_done(nl, nlh);
	if (nlh->nlmsg_type != type ||
	    nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return 1;
	msg.cmd = g->cmd;
	parse_attrs(msg.tb, (const char *)g + GENL_HDRLEN,
		    nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN));
	if (type == nl->family && msg.cmd == LUNATIK_CMD_ERROR) {
		on_lunatik_error(nl, &msg);
		return 1;
	}
	if (cb) {
		ret = cb(&msg, arg);
		if (ret)
			return ret;
	}
	return 1;
}

static int receive(struct nl *nl, uint32_t seq, nl_cb cb, void *arg,
		   uint16_t type)
{
	for (;;) {
		struct sockaddr_nl sa;
		struct iovec iov = { rcvbuf, sizeof(rcvbuf) };
		struct msghdr mh = {
			.msg_name = &sa,
			.msg_namelen = sizeof(sa),
			.msg_iov = &iov,
			.msg_iovlen = 1,
		};
		struct nlmsghdr *nlh;
		ssize_t n;
		int ret;

		n = recvmsg(nl->fd, &mh, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (mh.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		if (sa.nl_pid != 0)
			continue;
		for (nlh = (struct nlmsghdr *)rcvbuf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			ret = on_message(nl, nlh, cb, arg, type);
			if (ret != 1)
				return ret;
		}
	}
}

static int send_req(struct nl *nl, struct nl_req *req, uint32_t *seq)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)req->buf;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	ssize_t n;

	nlh->nlmsg_len = req->len;
	nlh->nlmsg_seq = *seq = ++nl->seq;
	do {
		n = sendto(nl->fd, req->buf, req->len, 0,
			   (struct sockaddr *)&sa, sizeof(sa));
	} while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : 0;
}

int nl_talk(struct nl *nl, struct nl_req *req, nl_cb cb, void *arg)
{
	uint16_t type = ((struct nlmsghdr *)req->buf)->nlmsg_type;
	uint32_t seq;
	int ret;

	nl->err[0] = '\0';
	ret = send_req(nl, req, &seq);
	if (ret)
		return ret;
	return receive(nl, seq, cb, arg, type);
}

void nl_lunatik_req(struct nl *nl, struct nl_req *req, uint8_t cmd,
		    int dump)
{
	nl_req_init(req, nl->family, dump ? NLM_F_DUMP : NLM_F_ACK, cmd);
}

static int on_family(const struct nl_msg *msg, void *arg)
{
	uint16_t *id = arg;

	if (msg->tb[CTRL_ATTR_FAMILY_ID])
		memcpy(id, (const char *)msg->tb[CTRL_ATTR_FAMILY_ID] +
		       NLA_HDRLEN, sizeof(*id));
	return 0;
}

static int resolve(struct nl *nl)
{
	static struct nl_req req;
	uint16_t id = 0;
	int ret;

	nl_req_init(&req, GENL_ID_CTRL, NLM_F_ACK, CTRL_CMD_GETFAMILY);
	nl_put_str(&req, CTRL_ATTR_FAMILY_NAME, LUNATIK_GENL_NAME);
	ret = nl_talk(nl, &req, on_family, &id);
	if (ret)
		return ret;
	if (!id)
		return -ENOENT;
	nl->family = id;
	return 0;
}

int nl_open(struct nl *nl)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1;
	int ret;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -errno;
	/* errors carry text, and not a copy of our (maybe 64 KiB) request */
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto err_close;
	ret = resolve(nl);
	if (ret) {
		close(nl->fd);
		nl->fd = -1;
		return ret;
	}
	return 0;
err_close:
	ret = -errno;
	close(nl->fd);
	nl->fd = -1;
	return ret;
}

void nl_close(struct nl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}
