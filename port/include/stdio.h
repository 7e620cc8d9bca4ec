/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/* <stdio.h> for Lua in the kernel: see lport_libc.h */
#ifndef _LPORT_STDIO_H
#define _LPORT_STDIO_H
#include "lport_libc.h"
#include <uapi/linux/fs.h>	/* SEEK_SET, SEEK_CUR, SEEK_END */

#define EOF		(-1)
#define BUFSIZ		512
#define _IOFBF		0
#define _IOLBF		1
#define _IONBF		2

typedef LPORT_FILE FILE;
#define stdin		(&lport_stdin)
#define stdout		(&lport_stdout)
#define stderr		(&lport_stderr)

#define fopen(n, m)		lport_fopen(n, m)
#define freopen(n, m, f)	lport_freopen(n, m, f)
#define fclose(f)		lport_fclose(f)
#define getc(f)		lport_getc(f)
#define ungetc(c, f)		lport_ungetc(c, f)
#define fread(p, s, n, f)	lport_fread(p, s, n, f)
#define fwrite(p, s, n, f)	lport_fwrite(p, s, n, f)
#define fprintf(...)	lport_fprintf(__VA_ARGS__)
#define fseek(f, o, w)	lport_fseek(f, o, w)
#define ftell(f)		lport_ftell(f)
#define fflush(f)		lport_fflush(f)
#define feof(f)		lport_feof(f)
#define ferror(f)		lport_ferror(f)
#define clearerr(f)		lport_clearerr(f)
#define setvbuf(f, b, m, s)	lport_setvbuf(f, b, m, s)
#define tmpfile()		lport_tmpfile()
#endif
