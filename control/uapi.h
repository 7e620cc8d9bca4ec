/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * uapi.h - lunatik's control interface: the generic netlink family
 * "lunatik", shared by the kernel (control/genl.c) and the CLI (cli/).
 *
 * Every command needs CAP_SYS_ADMIN.  A request that fails is answered by
 * the usual netlink error (a negative errno in NLMSG_ERROR); the text that
 * explains it comes either as the extended ack message (NLMSGERR_ATTR_MSG,
 * for fixed texts and attribute validation; set NETLINK_EXT_ACK on the
 * socket) or, for text made at run time (Lua errors), in a
 * LUNATIK_CMD_ERROR message with LUNATIK_ATTR_ERROR sent just before the
 * NLMSG_ERROR of the same sequence number.
 */
#ifndef LUNATIK_UAPI_H
#define LUNATIK_UAPI_H

#define LUNATIK_GENL_NAME	"lunatik"
#define LUNATIK_GENL_VERSION	1

/* script names: relative, no ".." or "." component, not empty; NUL included */
#define LUNATIK_UAPI_NAME_MAX	64
/* longest budget of one entry (one day); longer: none */
#define LUNATIK_BUDGET_MAX_MS	86400000ULL
/* longest EXEC chunk: one attribute's payload less its NUL */
#define LUNATIK_CHUNK_MAX	(65535 - 4 - 1)
/* longest EXEC output and error text; longer ones are cut */
#define LUNATIK_OUTPUT_MAX	(32 * 1024)

enum lunatik_cmd {
	LUNATIK_CMD_UNSPEC,
	/* NAME, [CTX], [FLAGS], [MEMCAP], [BUDGET_NS] -> ack */
	LUNATIK_CMD_RUN,
	/* NAME -> ack */
	LUNATIK_CMD_STOP,
	/* dump -> one LUNATIK_CMD_LIST message per named runtime (NAME, CTX,
	 * READY, the counters, NCPUS for a percpu one), then one per runtime
	 * object scripts made (lunatik.runtime(), the runner's): OBJECT set,
	 * CPU for a per-CPU instance
	 */
	LUNATIK_CMD_LIST,
	/* NAME, CHUNK -> LUNATIK_CMD_EXEC with OUTPUT */
	LUNATIK_CMD_EXEC,
	/* NAME, options as RUN -> ack: run, then the returned function in a kthread */
	LUNATIK_CMD_SPAWN,
	/* kernel -> user only: ERROR, before a failed request's error */
	LUNATIK_CMD_ERROR,
	__LUNATIK_CMD_MAX,
};

#define LUNATIK_CMD_MAX	(__LUNATIK_CMD_MAX - 1)

enum lunatik_attr {
	LUNATIK_ATTR_UNSPEC,
	LUNATIK_ATTR_PAD,
	LUNATIK_ATTR_NAME,		/* string: script name */
	LUNATIK_ATTR_CTX,		/* string: process|softirq|hardirq */
	LUNATIK_ATTR_FLAGS,		/* u32: LUNATIK_RUN_* */
	LUNATIK_ATTR_MEMCAP,		/* u64: bytes, 0: default */
	LUNATIK_ATTR_BUDGET_NS,		/* u64: per entry; ~0: none */
	LUNATIK_ATTR_CHUNK,		/* string: Lua source (EXEC) */
	LUNATIK_ATTR_OUTPUT,		/* string: EXEC results, tab-separated */
	LUNATIK_ATTR_ERROR,		/* string: error text */
	LUNATIK_ATTR_MEM_USED,		/* u64: bytes held by the state */
	LUNATIK_ATTR_MEM_PEAK,		/* u64 */
	LUNATIK_ATTR_MEM_CAP,		/* u64 */
	LUNATIK_ATTR_CALLS,		/* u64: entries into Lua */
	LUNATIK_ATTR_ERRORS,		/* u64: entries that raised */
	LUNATIK_ATTR_NS,		/* u64: time in Lua */
	LUNATIK_ATTR_BUDGET_TRIPS,	/* u64: entries stopped by budget */
	LUNATIK_ATTR_SKIPPED,		/* u64: entries refused */
	LUNATIK_ATTR_READY,		/* u8: top-level chunk done */
	LUNATIK_ATTR_NCPUS,		/* u32: runtimes of a percpu one */
	LUNATIK_ATTR_OBJECT,		/* flag: a runtime object (below) */
	LUNATIK_ATTR_CPU,		/* u32: a per-CPU instance's CPU */
	__LUNATIK_ATTR_MAX,
};

#define LUNATIK_ATTR_MAX	(__LUNATIK_ATTR_MAX - 1)

/* LUNATIK_ATTR_FLAGS of RUN */
#define LUNATIK_RUN_PERCPU	(1U << 0)	/* one runtime per CPU */
#define LUNATIK_RUN_BYTECODE	(1U << 1)	/* allow binary chunks */
#define LUNATIK_RUN_ALL		(LUNATIK_RUN_PERCPU | LUNATIK_RUN_BYTECODE)

/* LUNATIK_ATTR_FLAGS of STOP, without NAME: every runtime, named or not
 * (those scripts made: lunatik.runtime(), the runner's), for unload
 */
#define LUNATIK_STOP_EVERY	(1U << 0)

#endif /* LUNATIK_UAPI_H */
