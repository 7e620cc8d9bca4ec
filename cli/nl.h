/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nl.h - a small generic netlink client for the "lunatik" family.
 */
#ifndef LUNATIK_CLI_NL_H
#define LUNATIK_CLI_NL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#include "../control/uapi.h"

#define NL_ATTR_MAX	31	/* highest attribute type we keep */

struct nl {
	int fd;
	uint16_t family;
	uint32_t seq;
	/* why the last request failed: kernel text, or "" */
	char err[LUNATIK_OUTPUT_MAX];
};

struct nl_req {
	size_t len;
	char buf[LUNATIK_CHUNK_MAX + 1024];
};

/* a parsed message: its command and its attributes by type (or NULL) */
struct nl_msg {
	uint8_t cmd;
	const struct nlattr *tb[NL_ATTR_MAX + 1];
};

typedef int (*nl_cb)(const struct nl_msg *msg, void *arg);

/*
 * Opens a socket and finds the family.  Return: 0, or a negative errno
 * (-ENOENT: the lunatik module is not loaded).
 */
int nl_open(struct nl *nl);
void nl_close(struct nl *nl);

void nl_req_init(struct nl_req *req, uint16_t type, uint16_t flags,
		 uint8_t cmd);
int nl_put(struct nl_req *req, uint16_t type, const void *data, size_t len);
int nl_put_str(struct nl_req *req, uint16_t type, const char *s);
int nl_put_u32(struct nl_req *req, uint16_t type, uint32_t v);
int nl_put_u64(struct nl_req *req, uint16_t type, uint64_t v);

/*
 * Sends @req and reads until its ack (or the end of a dump), calling @cb
 * for each message of the family.  Return: 0, a negative errno from the
 * kernel (text in nl->err when there is one), or @cb's non-zero value.
 */
int nl_talk(struct nl *nl, struct nl_req *req, nl_cb cb, void *arg);

/* A lunatik request: type is the family, flags NLM_F_ACK (or dump). */
void nl_lunatik_req(struct nl *nl, struct nl_req *req, uint8_t cmd,
		    int dump);

const char *nl_str(const struct nlattr *a);
uint64_t nl_u64(const struct nlattr *a);
uint32_t nl_u32(const struct nlattr *a);
uint8_t nl_u8(const struct nlattr *a);

#endif /* LUNATIK_CLI_NL_H */
