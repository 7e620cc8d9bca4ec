// SPDX-License-Identifier: MIT OR GPL-2.0-only
/*
 * klibc.c - the C library functions Lua needs, for the kernel.
 *
 * Files: a FILE is a struct file opened with filp_open(), regular files
 * only, read through a small buffer (getc is Lua's main way of reading)
 * and written straight through kernel_write().  VFS calls may sleep, so
 * every file operation refuses to run in atomic context (EWOULDBLOCK)
 * rather than sleeping there; a file collected by the GC in atomic context
 * is released with fput(), which defers the final close.
 *
 * Output: print() and Lua's warnings go to the kernel log.
 */
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/jiffies.h>

#include "include/stdio.h"

#define LPORT_FILE_BUFSIZE	256

#define LPORT_FILE_EOF		0x1
#define LPORT_FILE_ERR		0x2

/**
 * struct lport_file - a FILE
 * @filp: the open file; NULL for the standard streams, which are empty
 *	for reading and refuse writing
 * @pos: file offset of the next kernel_read()/kernel_write()
 * @flags: LPORT_FILE_EOF, LPORT_FILE_ERR
 * @start: first unread byte in @buf
 * @end: end of the buffered bytes; @buf[@start..@end) sit just below @pos
 * @buf: read buffer
 */
struct lport_file {
	struct file *filp;
	loff_t pos;
	int flags;
	size_t start;
	size_t end;
	unsigned char buf[LPORT_FILE_BUFSIZE];
};

int lport_errno;

LPORT_FILE lport_stdin, lport_stdout, lport_stderr;

static const struct {
	int err;
	const char *msg;
} errmsgs[] = {
	{ EPERM, "Operation not permitted" },
	{ ENOENT, "No such file or directory" },
	{ EIO, "Input/output error" },
	{ EBADF, "Bad file descriptor" },
	{ ENOMEM, "Cannot allocate memory" },
	{ EACCES, "Permission denied" },
	{ EFAULT, "Bad address" },
	{ EBUSY, "Device or resource busy" },
	{ EEXIST, "File exists" },
	{ ENOTDIR, "Not a directory" },
	{ EISDIR, "Is a directory" },
	{ EINVAL, "Invalid argument" },
	{ ENFILE, "Too many open files in system" },
	{ EMFILE, "Too many open files" },
	{ ETXTBSY, "Text file busy" },
	{ EFBIG, "File too large" },
	{ ENOSPC, "No space left on device" },
	{ ESPIPE, "Illegal seek" },
	{ EROFS, "Read-only file system" },
	{ ENAMETOOLONG, "File name too long" },
	{ ENOSYS, "Function not implemented" },
	{ ELOOP, "Too many levels of symbolic links" },
	{ EWOULDBLOCK, "Operation would block (atomic context)" },
	{ EOVERFLOW, "Value too large for defined data type" },
};

const char *lport_strerror(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errmsgs); i++)
		if (errmsgs[i].err == err)
			return errmsgs[i].msg;
	return "Unknown error";
}

/* the kernel log takes whole lines: print() writes one per call */
void lport_writestring(const char *s, size_t len)
{
	if (len && s[len - 1] == '\n')
		len--;
	pr_info("%.*s\n", (int)min_t(size_t, len, INT_MAX), s);
}

/* @fmt is one of Lua's literal formats ("%s", "%s\n", the panic message) */
void lport_writeerror(const char *fmt, const char *s)
{
	char buf[192];
	int len = snprintf(buf, sizeof(buf), fmt, s);

	if (len > 0 && len < (int)sizeof(buf) && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	pr_err("%s\n", buf);
}

/*
 * Lua calls abort() only after its panic function returned, i.e. after an
 * error outside any lua_pcall() (a bug of the C caller, logged by
 * lport_newstate's panic function).  There is no Lua frame to go back to:
 * stop here rather than run on a corrupted state.
 */
void lport_abort(void)
{
	panic("lunatik: Lua error outside of a protected call\n");
}

void *lport_realloc(void *ptr, size_t size)
{
	return krealloc(ptr, size, GFP_KERNEL);
}

void lport_free(void *ptr)
{
	kfree(ptr);
}

unsigned int lport_makeseed(void)
{
	return get_random_u32();
}

lport_time_t lport_time(lport_time_t *t)
{
	lport_time_t now = ktime_get_real_seconds();

	if (t)
		*t = now;
	return now;
}

lport_clock_t lport_clock(void)
{
	return (lport_clock_t)jiffies;
}

static bool may_sleep(void)
{
	return !in_atomic() && !irqs_disabled();
}

/* check that @f can do I/O now; on failure set errno and the error flag */
/*
 * @mode: FMODE_READ and/or FMODE_WRITE, any of which will do.
 * kernel_read() and kernel_write() WARN on a file not opened for that, so
 * check here and fail like stdio does.
 */
static bool file_usable(LPORT_FILE *f, fmode_t mode)
{
	int err = 0;

	if (!f->filp || !(f->filp->f_mode & mode))
		err = EBADF;
	else if (!may_sleep())
		err = EWOULDBLOCK;
	if (!err)
		return true;
	lport_errno = err;
	f->flags |= LPORT_FILE_ERR;
	return false;
}

static int open_flags(const char *mode)
{
	int flags;

	switch (mode[0]) {
	case 'r':
		flags = 0;
		break;
	case 'w':
		flags = O_CREAT | O_TRUNC;
		break;
	default:	/* 'a', checked by Lua */
		flags = O_CREAT | O_APPEND;
		break;
	}
	if (strchr(mode, '+'))
		return flags | O_RDWR;
	return flags | (mode[0] == 'r' ? O_RDONLY : O_WRONLY);
}

/* open @name into @f; regular files only */
static int file_open(LPORT_FILE *f, const char *name, const char *mode)
{
	struct file *filp;

	if (!may_sleep())
		return -EWOULDBLOCK;
	/* O_NONBLOCK: opening a FIFO (or a device) must not wait for a
	 * peer; what is not a regular file is refused once open
	 */
	filp = filp_open(name, open_flags(mode) | O_LARGEFILE | O_NONBLOCK,
			 0666);
	if (IS_ERR(filp))
		return PTR_ERR(filp);
	if (!S_ISREG(file_inode(filp)->i_mode)) {
		filp_close(filp, NULL);
		return -EINVAL;
	}
	spin_lock(&filp->f_lock);
	filp->f_flags &= ~O_NONBLOCK;
	spin_unlock(&filp->f_lock);
	f->filp = filp;
	f->pos = 0;
	f->flags = 0;
	f->start = 0;
	f->end = 0;
	return 0;
}

static void file_release(LPORT_FILE *f)
{
	if (may_sleep())
		filp_close(f->filp, NULL);
	else
		fput(f->filp);	/* the last reference is dropped later */
	f->filp = NULL;
}

LPORT_FILE *lport_fopen(const char *name, const char *mode)
{
	LPORT_FILE *f;
	int err;

	f = kzalloc(sizeof(*f), may_sleep() ? GFP_KERNEL : GFP_ATOMIC);
	if (!f) {
		lport_errno = ENOMEM;
		return NULL;
	}
	err = file_open(f, name, mode);
	if (err) {
		kfree(f);
		lport_errno = -err;
		return NULL;
	}
	return f;
}

LPORT_FILE *lport_freopen(const char *name, const char *mode, LPORT_FILE *f)
{
	int err;

	if (f->filp)
		file_release(f);
	err = file_open(f, name, mode);
	if (err) {
		kfree(f);
		lport_errno = -err;
		return NULL;
	}
	return f;
}

int lport_fclose(LPORT_FILE *f)
{
	if (!f->filp) {		/* a standard stream */
		lport_errno = EBADF;
		return EOF;
	}
	file_release(f);
	kfree(f);
	return 0;
}

/* logical position: the file offset minus what is still buffered */
static loff_t file_tell(const LPORT_FILE *f)
{
	return f->pos - (loff_t)(f->end - f->start);
}

/* forget buffered input, so that @pos is the logical position again */
static void drop_buffer(LPORT_FILE *f)
{
	f->pos = file_tell(f);
	f->start = 0;
	f->end = 0;
}

static bool refill(LPORT_FILE *f)
{
	ssize_t n;

	if (!file_usable(f, FMODE_READ))
		return false;
	n = kernel_read(f->filp, f->buf, sizeof(f->buf), &f->pos);
	if (n < 0) {
		lport_errno = -n;
		f->flags |= LPORT_FILE_ERR;
		return false;
	}
	if (n == 0) {
		f->flags |= LPORT_FILE_EOF;
		return false;
	}
	f->start = 0;
	f->end = n;
	return true;
}

int lport_getc(LPORT_FILE *f)
{
	if (f->start == f->end) {
		if (!f->filp) {
			f->flags |= LPORT_FILE_EOF;
			return EOF;
		}
		if (!refill(f))
			return EOF;
	}
	return f->buf[f->start++];
}

/* Lua only pushes back the character it has just read */
int lport_ungetc(int c, LPORT_FILE *f)
{
	if (c == EOF || f->start == 0)
		return EOF;
	f->buf[--f->start] = (unsigned char)c;
	f->flags &= ~LPORT_FILE_EOF;
	return c;
}

size_t lport_fread(void *ptr, size_t size, size_t n, LPORT_FILE *f)
{
	size_t total, done = 0;
	char *p = ptr;

	if (check_mul_overflow(size, n, &total) || size == 0)
		return 0;
	while (done < total) {
		size_t chunk;

		if (f->start == f->end) {
			if (!f->filp) {
				f->flags |= LPORT_FILE_EOF;
				break;
			}
			if (!refill(f))
				break;
		}
		chunk = min(total - done, f->end - f->start);
		memcpy(p + done, f->buf + f->start, chunk);
		f->start += chunk;
		done += chunk;
	}
	return done / size;
}

size_t lport_fwrite(const void *ptr, size_t size, size_t n, LPORT_FILE *f)
{
	size_t total, done = 0;
	const char *p = ptr;

	if (check_mul_overflow(size, n, &total) || size == 0)
		return 0;
	if (!file_usable(f, FMODE_WRITE))
		return 0;
	drop_buffer(f);
	while (done < total) {
		ssize_t w = kernel_write(f->filp, p + done,
					 min_t(size_t, total - done, INT_MAX),
					 &f->pos);

		if (w <= 0) {
			lport_errno = w < 0 ? -w : EIO;
			f->flags |= LPORT_FILE_ERR;
			break;
		}
		done += w;
	}
	return done / size;
}

int lport_fprintf(LPORT_FILE *f, const char *fmt, ...)
{
	char small[64];
	char *s = small;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (len >= (int)sizeof(small)) {
		va_start(ap, fmt);
		s = kvasprintf(may_sleep() ? GFP_KERNEL : GFP_ATOMIC, fmt, ap);
		va_end(ap);
		if (!s) {
			lport_errno = ENOMEM;
			return -1;
		}
	}
	if (lport_fwrite(s, 1, len, f) != (size_t)len)
		len = -1;
	if (s != small)
		kfree(s);
	return len;
}

int lport_fseek(LPORT_FILE *f, long off, int whence)
{
	loff_t base;

	if (!file_usable(f, FMODE_READ | FMODE_WRITE))
		return -1;
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = file_tell(f);
		break;
	default:	/* SEEK_END */
		base = i_size_read(file_inode(f->filp));
		break;
	}
	if ((off < 0 && base + off < 0) ||
	    (off > 0 && base > MAX_LFS_FILESIZE - off)) {
		lport_errno = EINVAL;
		return -1;
	}
	f->pos = base + off;
	f->start = 0;
	f->end = 0;
	f->flags &= ~LPORT_FILE_EOF;
	return 0;
}

long lport_ftell(LPORT_FILE *f)
{
	if (!f->filp) {
		lport_errno = EBADF;
		return -1;
	}
	return file_tell(f);
}

int lport_fflush(LPORT_FILE *f)
{
	return 0;	/* writes are not buffered */
}

int lport_feof(LPORT_FILE *f)
{
	return f->flags & LPORT_FILE_EOF;
}

int lport_ferror(LPORT_FILE *f)
{
	return f->flags & LPORT_FILE_ERR;
}

void lport_clearerr(LPORT_FILE *f)
{
	f->flags = 0;
}

int lport_setvbuf(LPORT_FILE *f, char *buf, int mode, size_t size)
{
	return 0;	/* reads use a fixed buffer, writes none */
}

LPORT_FILE *lport_tmpfile(void)
{
	lport_errno = ENOSYS;
	return NULL;
}
