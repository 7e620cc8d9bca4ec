// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * hlibc.c - the hosted build's side of the output functions of
 * lportconf.h (standard output and error instead of the kernel log) and of
 * the stack check (the thread's stack instead of the task's).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "lport.h"

/*
 * Lua's io and loadfile open files through these (linked with
 * --wrap=fopen --wrap=fopen64): like the kernel's shim, they open only
 * regular files.
 */
FILE *__real_fopen(const char *name, const char *mode);
FILE *__real_fopen64(const char *name, const char *mode);

static FILE *regular_only(FILE *f)
{
	struct stat st;

	if (f && (fstat(fileno(f), &st) || !S_ISREG(st.st_mode))) {
		fclose(f);
		errno = EINVAL;
		return NULL;
	}
	return f;
}

FILE *__wrap_fopen(const char *name, const char *mode)
{
	return regular_only(__real_fopen(name, mode));
}

FILE *__wrap_fopen64(const char *name, const char *mode)
{
	return regular_only(__real_fopen64(name, mode));
}

/*
 * The clock the budget reads (linked with --wrap=clock_gettime).  Once
 * hlibc_clock_frozen is set it stands still, as jiffies do with interrupts
 * off on the CPU that advances them.
 */
int __real_clock_gettime(clockid_t id, struct timespec *ts);
int hlibc_clock_frozen;

int __wrap_clock_gettime(clockid_t id, struct timespec *ts)
{
	static struct timespec frozen;

	if (!hlibc_clock_frozen)
		return __real_clock_gettime(id, ts);
	if (!frozen.tv_sec && __real_clock_gettime(id, &frozen))
		return -1;
	*ts = frozen;
	return 0;
}

int lport_quiet;	/* the fuzzer discards print() */

void lport_writestring(const char *s, size_t len)
{
	if (!lport_quiet)
		fwrite(s, 1, len, stdout);
}

void lport_writeerror(const char *fmt, const char *s)
{
	fprintf(stderr, fmt, s);
	fflush(stderr);
}

/*
 * The lowest address of the calling thread's stack: the floor of states
 * whose struct lport_mem leaves stack_limit 0, as the task's stack is in
 * the kernel.
 */
unsigned long lport_hosted_stack_floor(void)
{
	static __thread unsigned long floor;
	pthread_attr_t attr;
	void *addr;
	size_t size;

	if (!floor && pthread_getattr_np(pthread_self(), &attr) == 0) {
		if (pthread_attr_getstack(&attr, &addr, &size) == 0)
			floor = (unsigned long)addr;
		pthread_attr_destroy(&attr);
	}
	return floor;
}
