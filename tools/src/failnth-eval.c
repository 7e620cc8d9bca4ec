/*
 * failnth-eval: an allocation-failure sweep of one Lua chunk run through
 * the kernel's test entry /sys/kernel/debug/lunatik/eval.
 *
 *   failnth-eval [-s FIRST] [-m MAX] [-p STEP] [-a TEXT] [-v] FILE
 *
 * For N = FIRST, FIRST+1, ...: open the eval file, write FILE's text, write N
 * to /proc/thread-self/fail-nth, read the result (the chunk runs during that
 * read), then read fail-nth back.  A non-zero value means the N-th fault
 * point was never reached: the sweep is complete.  The chunk must print a
 * line containing "failnth-done" when it succeeds.
 *
 * -p STEP: persistent failures instead.  fail-nth fails one allocation
 * only, which Lua mostly absorbs (it collects and retries).  With -p the
 * helper sets failslab's task filter, probability 100 and times -1, marks
 * itself with /proc/thread-self/make-it-fail during the read, and sweeps
 * failslab's "space" (bytes allowed before every allocation fails) over
 * 0, STEP, 2*STEP, ... until a run succeeds with more than 8 KiB (the
 * largest slab object) of space left: no allocation failed then.
 *
 * Each run is classified:
 *   ok       the chunk succeeded
 *   nomem    it failed with "not enough memory" (Lua's allocation error)
 *   nostate  "cannot create a Lua state" (lport_newstate() failed)
 *   errno    it failed with another message naming memory (an errno
 *            ENOMEM turned into a Lua error, e.g. by io.open), or one
 *            containing the text given with -a
 *   lost     it ran but its output was lost (eval's own output buffer
 *            could not grow): counted, not a failure
 *   other    any other Lua error: printed, and a failure
 *   bad      the eval file misbehaved (open, write, or read failing with
 *            anything but ENOEXEC): printed, and a failure
 * Prints "points=P ok=.. nomem=.. nostate=.. errno=.. lost=.. other=..
 * bad=.." and exits 0 iff other and bad are 0 and the sweep completed.
 * Built static (gcc -static) so it runs in the test VM as is.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EVAL	"/sys/kernel/debug/lunatik/eval"
#define OUTMAX	(64 * 1024)

static char src[256 * 1024];
static size_t srclen;
static char out[OUTMAX + 1];

enum { OK, NOMEM, NOSTATE, ERRNO, LOST, OTHER, BAD, NCLASS };
static const char *const names[NCLASS] = {
	"ok", "nomem", "nostate", "errno", "lost", "other", "bad"
};

#define SPACE	"/sys/kernel/debug/failslab/space"

static int nthfd = -1, mitfd = -1;
static int persistent;
static const char *accept;	/* -a: another error text taken as clean */

static void put(int fd, const char *what, unsigned long v)
{
	char buf[32];
	int k = snprintf(buf, sizeof(buf), "%lu", v);

	if (pwrite(fd, buf, k, 0) != k) {
		perror(what);
		exit(2);
	}
}

static void put_fd_nonseek(int fd, const char *what, unsigned long v)
{
	char buf[32];
	int k = snprintf(buf, sizeof(buf), "%lu", v);

	if (write(fd, buf, k) != k) {
		perror(what);
		exit(2);
	}
}

static unsigned long get_attr(const char *path)
{
	char buf[32];
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0) {
		perror(path);
		exit(2);
	}
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[r > 0 ? r : 0] = 0;
	return strtoul(buf, NULL, 10);
}

/* debugfs attributes cannot seek: open them for each access */
static void put_attr(const char *path, unsigned long v)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0) {
		perror(path);
		exit(2);
	}
	put_fd_nonseek(fd, path, v);
	close(fd);
}

static unsigned long get(int fd)
{
	char buf[32];
	ssize_t r = pread(fd, buf, sizeof(buf) - 1, 0);

	buf[r > 0 ? r : 0] = 0;
	return strtoul(buf, NULL, 10);
}

/*
 * One run at fault point @n (or with @n bytes of failslab space);
 * *@reached: a fault was (or may have been) injected.
 */
static int run(unsigned int n, int *reached, char *why, size_t whylen)
{
	unsigned long left;
	size_t len = 0;
	ssize_t r;
	int fd, err = 0;
	const char *e;

	why[0] = 0;
	fd = open(EVAL, O_RDWR);
	if (fd < 0) {
		snprintf(why, whylen, "open: %s", strerror(errno));
		*reached = 1;
		return BAD;
	}
	if (write(fd, src, srclen) != (ssize_t)srclen) {
		snprintf(why, whylen, "write: %s", strerror(errno));
		close(fd);
		*reached = 1;
		return BAD;
	}
	/* from here to the read back, the only kernel work is the eval read */
	if (persistent) {
		put_attr(SPACE, n);
		put(mitfd, "make-it-fail", 1);
	} else {
		put(nthfd, "fail-nth", n);
	}
	for (;;) {
		r = read(fd, out + len, OUTMAX - len);
		if (r < 0) {
			err = errno;
			break;
		}
		if (r == 0 || (len += r) == OUTMAX)
			break;
	}
	/* disarm: a fault point left over must not hit close() or later */
	if (persistent) {
		put(mitfd, "make-it-fail", 0);
		left = get_attr(SPACE);
	} else {
		left = get(nthfd);
		put(nthfd, "fail-nth", 0);
	}
	close(fd);
	out[len] = 0;
	*reached = persistent ? left <= 8192 : left == 0;

	if (err && err != ENOEXEC) {
		snprintf(why, whylen, "read: %s; output: %.200s", strerror(err),
			 out);
		return BAD;
	}
	if (!err)
		return strstr(out, "failnth-done") ? OK : LOST;
	if (!len)
		return LOST;
	e = strstr(out, "lua error: ");
	if (!e) {
		if (strstr(out, "cannot create a Lua state"))
			return NOSTATE;
		snprintf(why, whylen, "failed with: %.200s", out);
		return OTHER;
	}
	e += strlen("lua error: ");
	snprintf(why, whylen, "%.300s", e);
	why[strcspn(why, "\n")] = 0;
	if (strstr(e, "not enough memory"))
		return NOMEM;
	if (strcasestr(e, "memory") || (accept && strstr(e, accept)))
		return ERRNO;
	return OTHER;
}

int main(int argc, char **argv)
{
	unsigned long count[NCLASS] = { 0 };
	unsigned int n, first = 1, max = 100000, step = 1, runs = 0;
	int opt, reached = 1, verbose = 0, c, k, kmsg;
	char sum[256];
	char why[512];
	FILE *f;

	while ((opt = getopt(argc, argv, "s:m:p:a:v")) != -1) {
		switch (opt) {
		case 's': first = strtoul(optarg, NULL, 0); break;
		case 'm': max = strtoul(optarg, NULL, 0); break;
		case 'p': step = strtoul(optarg, NULL, 0); persistent = 1;
			  first = 0; break;
		case 'a': accept = optarg; break;
		case 'v': verbose = 1; break;
		default: goto usage;
		}
	}
	if (optind + 1 != argc)
		goto usage;
	f = fopen(argv[optind], "r");
	if (!f) {
		perror(argv[optind]);
		return 2;
	}
	srclen = fread(src, 1, sizeof(src), f);
	fclose(f);
	memset(out, 0, sizeof(out));	/* no page fault during the read */
	if (persistent) {
		int fd = open("/sys/kernel/debug/failslab/task-filter", O_WRONLY);

		if (fd < 0 || write(fd, "Y", 1) != 1)
			return perror("failslab/task-filter"), 2;
		close(fd);
		fd = open("/sys/kernel/debug/failslab/times", O_WRONLY);
		if (fd < 0 || write(fd, "-1", 2) != 2)
			return perror("failslab/times"), 2;
		close(fd);
		fd = open("/sys/kernel/debug/failslab/probability", O_WRONLY);
		if (fd < 0 || write(fd, "100", 3) != 3)
			return perror("failslab/probability"), 2;
		close(fd);
		mitfd = open("/proc/thread-self/make-it-fail", O_RDWR);
		if (mitfd < 0)
			return perror("make-it-fail"), 2;
	} else {
		nthfd = open("/proc/thread-self/fail-nth", O_RDWR);
		if (nthfd < 0)
			return perror("/proc/thread-self/fail-nth"), 2;
	}
	kmsg = open("/dev/kmsg", O_WRONLY);
	for (n = first; runs < max; n += step, runs++) {
		if (kmsg >= 0 && runs % 100 == 0)
			dprintf(kmsg, "<4>failnth-eval: %s %s at %u\n",
				argv[optind], persistent ? "space" : "fail-nth", n);
		c = run(n, &reached, why, sizeof(why));
		count[c]++;
		if (c == OTHER || c == BAD || (verbose && why[0]))
			printf("# %u %s: %s\n", n, names[c], why);
		if (!reached && (!persistent || c == OK))
			break;
	}
	if (persistent) {	/* back to fail-nth only */
		int fd = open("/sys/kernel/debug/failslab/probability", O_WRONLY);

		if (fd < 0 || write(fd, "0", 1) != 1)
			return perror("failslab/probability"), 2;
		close(fd);
		k = snprintf(sum, sizeof(sum), "runs=%u bytes=%u", runs, n);
	} else {
		k = snprintf(sum, sizeof(sum), "points=%u", n - first);
	}
	for (c = 0; c < NCLASS; c++)
		k += snprintf(sum + k, sizeof(sum) - k, " %s=%lu", names[c],
			      count[c]);
	snprintf(sum + k, sizeof(sum) - k, "%s",
		 runs == max ? " (incomplete)" : "");
	printf("%s\n", sum);
	if (kmsg >= 0)	/* the figures survive in the kernel log */
		dprintf(kmsg, "<4>failnth-eval: %s: %s\n", argv[optind], sum);
	return count[OTHER] || count[BAD] || runs == max;
usage:
	fprintf(stderr, "usage: %s [-s FIRST] [-m MAX] [-p STEP] [-a TEXT] [-v] FILE\n",
		argv[0]);
	return 2;
}
