/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * lport_libc.h - the C library Lua needs, on top of the kernel's.
 *
 * Lua includes <stdio.h>, <stdlib.h>, <string.h>... The files next to this
 * one are those headers: each maps its names to the kernel's own headers or
 * to the lport_ functions of port/klibc.c declared here.  Only the Lua
 * sources and the shim itself are built with this directory on the include
 * path.
 */
#ifndef _LPORT_LIBC_H
#define _LPORT_LIBC_H

#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/stdarg.h>
#include <linux/limits.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/ctype.h>
#include <linux/printk.h>

/* <errno.h>: one errno for the whole module; it only feeds messages */
extern int lport_errno;
#define errno lport_errno

/* <string.h> */
const char *lport_strerror(int err);

/* <stdlib.h> */
void lport_abort(void);
void *lport_realloc(void *ptr, size_t size);
void lport_free(void *ptr);

/* <time.h> */
typedef long long lport_time_t;
typedef long lport_clock_t;
lport_time_t lport_time(lport_time_t *t);
lport_clock_t lport_clock(void);

/* <stdio.h>: regular files only, see port/klibc.c */
typedef struct lport_file LPORT_FILE;
extern LPORT_FILE lport_stdin, lport_stdout, lport_stderr;
LPORT_FILE *lport_fopen(const char *name, const char *mode);
LPORT_FILE *lport_freopen(const char *name, const char *mode, LPORT_FILE *f);
int lport_fclose(LPORT_FILE *f);
int lport_getc(LPORT_FILE *f);
int lport_ungetc(int c, LPORT_FILE *f);
size_t lport_fread(void *ptr, size_t size, size_t n, LPORT_FILE *f);
size_t lport_fwrite(const void *ptr, size_t size, size_t n, LPORT_FILE *f);
int lport_fprintf(LPORT_FILE *f, const char *fmt, ...) __printf(2, 3);
int lport_fseek(LPORT_FILE *f, long off, int whence);
long lport_ftell(LPORT_FILE *f);
int lport_fflush(LPORT_FILE *f);
int lport_feof(LPORT_FILE *f);
int lport_ferror(LPORT_FILE *f);
void lport_clearerr(LPORT_FILE *f);
int lport_setvbuf(LPORT_FILE *f, char *buf, int mode, size_t size);
LPORT_FILE *lport_tmpfile(void);

#endif /* _LPORT_LIBC_H */
