// SPDX-License-Identifier: GPL-2.0
/*
 * lunatik - control Lua runtimes in the Linux kernel.
 *
 * Every error ends up as one line on stderr, "lunatik: <what>: <why>",
 * and a non-zero exit status.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "nl.h"

#define LUNATIK_VERSION		"lunatik 0.1"
#define TESTS_DIR		"/usr/lib/lunatik/tests"
#define DEFAULT_RUNTIME		"shell"
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

static struct {
	char *runtime;
	int verbose;
	int comma;
	int bytecode;
	uint64_t memcap;
	uint64_t budget_ns;
} opt = { .runtime = DEFAULT_RUNTIME };

static struct nl nl;
static struct nl_req req;

static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("lunatik: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/* "lunatik: <what>: <kernel text or strerror>" */
static int fail_nl(const char *what, int err)
{
	return fail("%s: %s", what, nl.err[0] ? nl.err : strerror(-err));
}

static int connect_kernel(void)
{
	int ret = nl_open(&nl);

	if (ret == -ENOENT)
		return fail("the lunatik module is not loaded (try 'lunatik load')");
	if (ret)
		return fail("netlink: %s", strerror(-ret));
	return 0;
}

/* --- run, stop, spawn ----------------------------------------------------- */

/*
 * A script's name: "examples/echo" or "examples/echo.lua" name the same
 * one (the suffix is dropped here).  A name too long for the kernel is
 * refused here, before it is cut.
 */
static int check_name(char *name)
{
	size_t n = strlen(name);

	if (n > 4 && !strcmp(name + n - 4, ".lua"))
		name[n - 4] = '\0';
	if (strlen(name) < LUNATIK_UAPI_NAME_MAX)
		return 0;
	return fail("script name too long (%zu characters, at most %d)",
		    strlen(name), LUNATIK_UAPI_NAME_MAX - 1);
}

static int parse_run_args(int argc, char **argv, const char **ctx,
			  uint32_t *flags)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "percpu"))
			*flags |= LUNATIK_RUN_PERCPU;
		else if (!strcmp(argv[i], "process") ||
			 !strcmp(argv[i], "softirq") ||
			 !strcmp(argv[i], "hardirq"))
			*ctx = argv[i];
		else
			return fail("run: unknown argument '%s' (softirq, hardirq or percpu)",
				    argv[i]);
	}
	return 0;
}

/* run and spawn: the script, its context and flags, the global options */
static int run_cmd(uint8_t cmd, const char *verb, char *name,
		   const char *ctx, uint32_t flags)
{
	char what[128];
	int ret;

	if (opt.bytecode)
		flags |= LUNATIK_RUN_BYTECODE;
	if (check_name(name) || connect_kernel())
		return 1;
	nl_lunatik_req(&nl, &req, cmd, 0);
	nl_put_str(&req, LUNATIK_ATTR_NAME, name);
	nl_put_str(&req, LUNATIK_ATTR_CTX, ctx);
	nl_put_u32(&req, LUNATIK_ATTR_FLAGS, flags);
	if (opt.memcap)
		nl_put_u64(&req, LUNATIK_ATTR_MEMCAP, opt.memcap);
	if (opt.budget_ns)
		nl_put_u64(&req, LUNATIK_ATTR_BUDGET_NS, opt.budget_ns);
	ret = nl_talk(&nl, &req, NULL, NULL);
	snprintf(what, sizeof(what), "%s %s", verb, name);
	return ret ? fail_nl(what, ret) : 0;
}

static int cmd_run(int argc, char **argv)
{
	const char *ctx = "process";
	uint32_t flags = 0;

	if (parse_run_args(argc, argv, &ctx, &flags))
		return 2;	/* a usage error */
	return run_cmd(LUNATIK_CMD_RUN, "run", argv[0], ctx, flags);
}

static int name_cmd(uint8_t cmd, const char *verb, char *name)
{
	char what[128];
	int ret;

	if (check_name(name) || connect_kernel())
		return 1;
	nl_lunatik_req(&nl, &req, cmd, 0);
	nl_put_str(&req, LUNATIK_ATTR_NAME, name);
	ret = nl_talk(&nl, &req, NULL, NULL);
	snprintf(what, sizeof(what), "%s %s", verb, name);
	return ret ? fail_nl(what, ret) : 0;
}

static int cmd_stop(int argc, char **argv)
{
	return name_cmd(LUNATIK_CMD_STOP, "stop", argv[0]);
}

static int cmd_spawn(int argc, char **argv)
{
	return run_cmd(LUNATIK_CMD_SPAWN, "spawn", argv[0], "process", 0);
}

/* --- list, status --------------------------------------------------------- */

static uint64_t u64_of(const struct nl_msg *m, int type)
{
	return m->tb[type] ? nl_u64(m->tb[type]) : 0;
}

static const char *str_of(const struct nl_msg *m, int type)
{
	return m->tb[type] ? nl_str(m->tb[type]) : "?";
}

/* a runtime object's name: a per-CPU instance's as the runner keys it */
static const char *name_of(const struct nl_msg *m, char *buf, size_t len)
{
	const char *name = str_of(m, LUNATIK_ATTR_NAME);

	if (!m->tb[LUNATIK_ATTR_CPU])
		return name;
	snprintf(buf, len, "%s:%u", name, nl_u32(m->tb[LUNATIK_ATTR_CPU]));
	return buf;
}

static int print_short(const struct nl_msg *m, void *arg)
{
	char buf[LUNATIK_UAPI_NAME_MAX + 16];

	if (m->cmd != LUNATIK_CMD_LIST)
		return 0;
	printf("%s %s%s%s\n", name_of(m, buf, sizeof(buf)),
	       str_of(m, LUNATIK_ATTR_CTX),
	       m->tb[LUNATIK_ATTR_NCPUS] ? " percpu" : "",
	       m->tb[LUNATIK_ATTR_OBJECT] ? " object" : "");
	return 0;
}

static void print_header(const char *first)
{
	printf("%-20s %-8s %-5s %21s %10s %8s %7s %12s %5s %7s %4s\n", first,
	       "CTX", "READY", "MEM KiB (used/cap)", "PEAK KiB", "CALLS",
	       "ERRORS", "TIME ms", "TRIPS", "SKIPPED", "CPUS");
}

static int print_long(const struct nl_msg *m, void *arg)
{
	char mem[48], cpus[16] = "-", buf[LUNATIK_UAPI_NAME_MAX + 16];
	uint64_t ns = u64_of(m, LUNATIK_ATTR_NS);
	int *objects = arg;

	if (m->cmd != LUNATIK_CMD_LIST)
		return 0;
	/* the runtime objects come after the named runtimes, apart */
	if (m->tb[LUNATIK_ATTR_OBJECT] && !(*objects)++) {
		printf("\n");
		print_header("OBJECT");
	}
	/* a per-CPU runtime: the figures are its runtimes' sums */
	if (m->tb[LUNATIK_ATTR_NCPUS])
		snprintf(cpus, sizeof(cpus), "%u",
			 nl_u32(m->tb[LUNATIK_ATTR_NCPUS]));
	snprintf(mem, sizeof(mem), "%" PRIu64 "/%" PRIu64,
		 u64_of(m, LUNATIK_ATTR_MEM_USED) / 1024,
		 u64_of(m, LUNATIK_ATTR_MEM_CAP) / 1024);
	printf("%-20s %-8s %-5s %21s %10" PRIu64 " %8" PRIu64 " %7" PRIu64
	       " %8" PRIu64 ".%03" PRIu64 " %5" PRIu64 " %7" PRIu64 " %4s\n",
	       name_of(m, buf, sizeof(buf)), str_of(m, LUNATIK_ATTR_CTX),
	       m->tb[LUNATIK_ATTR_READY] &&
	       nl_u8(m->tb[LUNATIK_ATTR_READY]) ? "yes" : "no", mem,
	       u64_of(m, LUNATIK_ATTR_MEM_PEAK) / 1024,
	       u64_of(m, LUNATIK_ATTR_CALLS), u64_of(m, LUNATIK_ATTR_ERRORS),
	       ns / 1000000, ns / 1000 % 1000,
	       u64_of(m, LUNATIK_ATTR_BUDGET_TRIPS),
	       u64_of(m, LUNATIK_ATTR_SKIPPED), cpus);
	return 0;
}

/* upstream's form: every script's name once, sorted, comma-separated */
struct namelist {
	char **v;
	size_t n, max;
};

static int collect_unique(const struct nl_msg *m, void *arg)
{
	struct namelist *ns = arg;
	const char *name = str_of(m, LUNATIK_ATTR_NAME);
	size_t i;

	if (m->cmd != LUNATIK_CMD_LIST)
		return 0;
	for (i = 0; i < ns->n; i++)
		if (!strcmp(ns->v[i], name))
			return 0;
	if (ns->n == ns->max) {
		size_t max = ns->max ? 2 * ns->max : 16;
		char **v = realloc(ns->v, max * sizeof(*v));

		if (!v)
			return -ENOMEM;
		ns->v = v;
		ns->max = max;
	}
	ns->v[ns->n] = strdup(name);
	if (!ns->v[ns->n])
		return -ENOMEM;
	ns->n++;
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_comma(void)
{
	struct namelist ns = { 0 };
	size_t i;
	int ret;

	nl_lunatik_req(&nl, &req, LUNATIK_CMD_LIST, 1);
	ret = nl_talk(&nl, &req, collect_unique, &ns);
	if (!ret) {
		qsort(ns.v, ns.n, sizeof(*ns.v), cmp_name);
		for (i = 0; i < ns.n; i++)
			printf("%s%s", i ? ", " : "", ns.v[i]);
		printf("\n");
	}
	for (i = 0; i < ns.n; i++)
		free(ns.v[i]);
	free(ns.v);
	return ret ? fail_nl("list", ret) : 0;
}

static int list_runtimes(int verbose)
{
	int objects = 0, ret;

	nl_lunatik_req(&nl, &req, LUNATIK_CMD_LIST, 1);
	if (verbose)
		print_header("NAME");
	ret = nl_talk(&nl, &req, verbose ? print_long : print_short, &objects);
	return ret ? fail_nl("list", ret) : 0;
}

static int cmd_list(int argc, char **argv)
{
	if (connect_kernel())
		return 1;
	return opt.comma ? list_comma() : list_runtimes(opt.verbose);
}

struct kmod {
	char name[64];
	int refs;
	int holders;	/* other modules using it */
};

/* Reads the lunatik and lua* modules from /proc/modules. */
static int read_modules(struct kmod *mods, int max)
{
	char line[512];
	FILE *f = fopen("/proc/modules", "re");
	int n = 0;

	if (!f)
		return -errno;
	while (n < max && fgets(line, sizeof(line), f)) {
		char deps[256];
		struct kmod *m = &mods[n];

		if (sscanf(line, "%63s %*s %d %255s", m->name, &m->refs,
			   deps) != 3)
			continue;
		if (strcmp(m->name, "lunatik") && strncmp(m->name, "lua", 3))
			continue;
		m->holders = strcmp(deps, "-") != 0;
		n++;
	}
	fclose(f);
	return n;
}

static int module_loaded(const char *name)
{
	struct kmod mods[64];
	int i, n = read_modules(mods, 64);

	for (i = 0; i < n; i++)
		if (!strcmp(mods[i].name, name))
			return 1;
	return 0;
}

static int cmd_status(int argc, char **argv)
{
	struct kmod mods[64];
	int i, n = read_modules(mods, 64);

	if (n < 0)
		return fail("/proc/modules: %s", strerror(-n));
	if (!module_loaded("lunatik")) {
		printf("lunatik is not loaded\n");
		return 0;
	}
	printf("%-20s %s\n", "MODULE", "USERS");
	for (i = 0; i < n; i++)
		printf("%-20s %d\n", mods[i].name, mods[i].refs);
	printf("\n");
	if (connect_kernel())
		return 1;
	return list_runtimes(1);
}

/* --- load, unload, reload ------------------------------------------------- */

static int run_modprobe(const char *name)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return fail("load: fork: %s", strerror(errno));
	if (!pid) {
		execl("/sbin/modprobe", "modprobe", name, (char *)NULL);
		execlp("modprobe", "modprobe", name, (char *)NULL);
		fprintf(stderr, "lunatik: load: modprobe: %s\n",
			strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return fail("load: waitpid: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return fail("load: modprobe %s failed", name);
	return 0;
}

/* lunatik, and luarcu: lunatik._ENV with the runner's registries */
static int cmd_load(int argc, char **argv)
{
	return run_modprobe("lunatik") || run_modprobe("luarcu");
}

static int rmmod(const char *name)
{
	if (syscall(SYS_delete_module, name, O_NONBLOCK) == 0)
		return 0;
	if (errno == EWOULDBLOCK || errno == EBUSY)
		return fail("unload: %s is in use", name);
	return fail("unload: %s: %s", name, strerror(errno));
}

struct names {
	int n;
	char name[256][LUNATIK_UAPI_NAME_MAX];
};

static int collect_name(const struct nl_msg *m, void *arg)
{
	struct names *names = arg;

	/* runtime objects have no name to stop them by (see below) */
	if (m->cmd != LUNATIK_CMD_LIST || m->tb[LUNATIK_ATTR_OBJECT] ||
	    names->n >= 256)
		return 0;
	snprintf(names->name[names->n++], LUNATIK_UAPI_NAME_MAX, "%s",
		 str_of(m, LUNATIK_ATTR_NAME));
	return 0;
}

/* Stops every runtime; one that is gone meanwhile is not an error. */
static int stop_all(void)
{
	static struct names names;
	int i, ret;

	do {
		names.n = 0;
		nl_lunatik_req(&nl, &req, LUNATIK_CMD_LIST, 1);
		ret = nl_talk(&nl, &req, collect_name, &names);
		if (ret)
			return fail_nl("unload: list", ret);
		for (i = 0; i < names.n; i++) {
			nl_lunatik_req(&nl, &req, LUNATIK_CMD_STOP, 0);
			nl_put_str(&req, LUNATIK_ATTR_NAME, names.name[i]);
			ret = nl_talk(&nl, &req, NULL, NULL);
			if (ret && ret != -ESRCH)
				return fail_nl("unload: stop", ret);
		}
	} while (names.n == 256);
	/* then the runtimes scripts made (lunatik.runtime(), the runner's):
	 * they may pin the bindings they use, and lunatik._ENV pins them
	 */
	nl_lunatik_req(&nl, &req, LUNATIK_CMD_STOP, 0);
	nl_put_u32(&req, LUNATIK_ATTR_FLAGS, LUNATIK_STOP_EVERY);
	ret = nl_talk(&nl, &req, NULL, NULL);
	if (ret)
		return fail_nl("unload: stop", ret);
	return 0;
}

/*
 * Removes the lua* bindings, unused ones first, then lunatik.  A binding
 * no module depends on may still be used a moment after its runtimes
 * stopped: the core's queue unregisters hooks (netlink families) and
 * drops their objects, each a reference on the binding.  Wait for that,
 * at most LUNATIK_UNLOAD_WAIT_MS.
 */
#define LUNATIK_UNLOAD_WAIT_MS	5000

static int remove_modules(void)
{
	struct kmod mods[64];
	int i, n, removed, pinned, waited = 0;

	for (;;) {
		n = read_modules(mods, 64);
		if (n < 0)
			return fail("/proc/modules: %s", strerror(-n));
		removed = pinned = 0;
		for (i = 0; i < n; i++) {
			if (!strcmp(mods[i].name, "lunatik") ||
			    mods[i].holders)
				continue;
			if (mods[i].refs) {
				pinned++;
				continue;
			}
			if (rmmod(mods[i].name))
				return 1;
			removed++;
		}
		if (removed)
			continue;
		if (!pinned || waited >= LUNATIK_UNLOAD_WAIT_MS)
			break;
		usleep(100 * 1000);
		waited += 100;
	}
	for (i = 0; i < n; i++)
		if (strcmp(mods[i].name, "lunatik"))
			return fail("unload: %s is in use", mods[i].name);
	return rmmod("lunatik");
}

static int cmd_unload(int argc, char **argv)
{
	if (!module_loaded("lunatik"))
		return 0;
	if (connect_kernel() || stop_all())
		return 1;
	nl_close(&nl);
	return remove_modules();
}

static int cmd_reload(int argc, char **argv)
{
	return cmd_unload(argc, argv) || cmd_load(argc, argv);
}

/* --- exec and the shell --------------------------------------------------- */

static char output[LUNATIK_OUTPUT_MAX];

static int on_output(const struct nl_msg *m, void *arg)
{
	if (m->cmd == LUNATIK_CMD_EXEC && m->tb[LUNATIK_ATTR_OUTPUT])
		snprintf(output, sizeof(output), "%s",
			 nl_str(m->tb[LUNATIK_ATTR_OUTPUT]));
	return 0;
}

/* Runs @chunk in the runtime; its results are in output[]. */
static int exec_chunk(const char *chunk)
{
	output[0] = '\0';
	if (strlen(chunk) > LUNATIK_CHUNK_MAX) {
		snprintf(nl.err, sizeof(nl.err), "chunk longer than %d bytes",
			 LUNATIK_CHUNK_MAX);
		return -EMSGSIZE;
	}
	nl_lunatik_req(&nl, &req, LUNATIK_CMD_EXEC, 0);
	nl_put_str(&req, LUNATIK_ATTR_NAME, opt.runtime);
	nl_put_str(&req, LUNATIK_ATTR_CHUNK, chunk);
	return nl_talk(&nl, &req, on_output, NULL);
}

static int report(int ret)
{
	if (ret)
		return fail("%s", nl.err[0] ? nl.err : strerror(-ret));
	if (output[0])
		printf("%s\n", output);
	fflush(stdout);
	return 0;
}

/* A syntax error at the end of the input: the chunk goes on. */
static int incomplete(int ret)
{
	size_t len = strlen(nl.err);

	return ret == -ENOEXEC && len >= 5 && !strcmp(nl.err + len - 5, "<eof>");
}

/* Like lua.c: try "return <line>" first; then the line itself. */
static int first_line(const char *line, int *done)
{
	static char chunk[LUNATIK_CHUNK_MAX + 16];
	int ret;

	snprintf(chunk, sizeof(chunk), "return %s",
		 line[0] == '=' ? line + 1 : line);
	ret = exec_chunk(chunk);
	*done = ret != -ENOEXEC || line[0] == '=';
	return ret;
}

static int cmd_exec(int argc, char **argv)
{
	int ret, done;

	opt.runtime = argv[0];
	if (check_name(opt.runtime) || connect_kernel())
		return 1;
	ret = first_line(argv[1], &done);
	if (!done)
		ret = exec_chunk(argv[1]);
	return report(ret);
}

static int append(char **buf, size_t *len, const char *line)
{
	size_t n = strlen(line);
	char *p = realloc(*buf, *len + n + 2);

	if (!p)
		return -ENOMEM;
	if (*len)
		p[(*len)++] = '\n';
	memcpy(p + *len, line, n + 1);
	*len += n;
	*buf = p;
	return 0;
}

static int shell_check(void)
{
	int ret = exec_chunk("");

	if (ret == -ESRCH)
		return fail("no runtime named '%s': start one with 'lunatik run <script>' or choose one with --runtime",
			    opt.runtime);
	if (ret)
		return fail("runtime %s: %s", opt.runtime,
			    nl.err[0] ? nl.err : strerror(-ret));
	return 0;
}

static int repl(void)
{
	int tty = isatty(STDIN_FILENO), errors = 0, ret, done;
	char *line = NULL, *buf = NULL;
	size_t cap = 0, len = 0;
	ssize_t n;

	if (connect_kernel() || shell_check())
		return 1;
	if (tty)
		printf("%s (runtime %s)\n", LUNATIK_VERSION, opt.runtime);
	for (;;) {
		if (tty) {
			fputs(len ? ">> " : "> ", stdout);
			fflush(stdout);
		}
		n = getline(&line, &cap, stdin);
		if (n < 0)
			break;
		if (n && line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (!len) {
			ret = first_line(line, &done);
			if (done) {
				errors += report(ret);
				continue;
			}
		}
		if (append(&buf, &len, line))
			return fail("shell: %s", strerror(ENOMEM));
		ret = exec_chunk(buf);
		if (incomplete(ret))
			continue;
		errors += report(ret);
		len = 0;
	}
	if (len)
		errors += report(exec_chunk(buf));
	if (tty)
		putchar('\n');
	free(line);
	free(buf);
	return errors ? 1 : 0;
}

/* --- test ----------------------------------------------------------------- */

/*
 * The suites `make install` puts in TESTS_DIR (LUNATIK_TESTS overrides it):
 * NN-name/ folders with an executable `run` printing KTAP, and lib/ (the
 * shell helpers and test programs, put first on the suites' PATH).  Each
 * runs in its folder; then every script stops and the modules go, as after
 * each suite in the test VM, so the next suite starts from nothing.
 */
static const char *tests_dir(void)
{
	const char *dir = getenv("LUNATIK_TESTS");

	return dir && *dir ? dir : TESTS_DIR;
}

static int is_suite(const char *name)
{
	char run[PATH_MAX];

	if (!isdigit((unsigned char)name[0]) ||
	    !isdigit((unsigned char)name[1]) || name[2] != '-' || !name[3])
		return 0;
	snprintf(run, sizeof(run), "%s/%s/run", tests_dir(), name);
	return !access(run, X_OK);
}

static int skip_nonsuite(const struct dirent *d)
{
	return is_suite(d->d_name);
}

/* "16-lib-rcu", "lib-rcu" and "rcu" name the same suite */
static int suite_is(const char *dir, const char *name)
{
	const char *s = dir + 3;

	return !strcmp(dir, name) || !strcmp(s, name) ||
	       (!strncmp(s, "lib-", 4) && !strcmp(s + 4, name));
}

static int run_suite(const char *name)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	const char *old = getenv("PATH");
	int status;
	pid_t pid;

	snprintf(dir, sizeof(dir), "%s/%s", tests_dir(), name);
	printf("# lunatik test: %s\n", name);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return fail("test: fork: %s", strerror(errno));
	if (!pid) {
		snprintf(path, sizeof(path), "%s/lib:%s", tests_dir(),
			 old ? old : "/usr/sbin:/usr/bin:/sbin:/bin");
		if (!setenv("PATH", path, 1) && !chdir(dir))
			execl("./run", "run", (char *)NULL);
		fprintf(stderr, "lunatik: test: %s/run: %s\n", dir,
			strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return fail("test: waitpid: %s", strerror(errno));
	if (cmd_unload(0, NULL))
		return fail("test: suite %s left what it ran", name);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return fail("test: suite %s failed", name);
	return 0;
}

static int cmd_test(int argc, char **argv)
{
	struct dirent **list;
	int i, n, ran = 0, failed = 0;

	if (argc && (!*argv[0] || strchr(argv[0], '/')))
		return fail("test: invalid suite name '%s'", argv[0]);
	n = scandir(tests_dir(), &list, skip_nonsuite, alphasort);
	if (n < 0)
		return fail("test: %s: %s", tests_dir(), strerror(errno));
	for (i = 0; i < n; i++) {
		if (!argc || suite_is(list[i]->d_name, argv[0])) {
			failed += !!run_suite(list[i]->d_name);
			ran++;
		}
		free(list[i]);
	}
	free(list);
	if (!ran)
		return argc ? fail("test: no suite '%s' in %s", argv[0],
				   tests_dir()) :
			      fail("test: no suites in %s", tests_dir());
	printf("# lunatik test: %d passed, %d failed\n", ran - failed, failed);
	return !!failed;
}

/* --- main ----------------------------------------------------------------- */

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	int min, max;
	const char *usage;
};

static const struct command commands[] = {
	{ "run", cmd_run, 1, 3, "run <script> [softirq|hardirq] [percpu]" },
	{ "stop", cmd_stop, 1, 1, "stop <script>" },
	{ "list", cmd_list, 0, 0, "list [-v|-c]" },
	{ "status", cmd_status, 0, 0, "status" },
	{ "load", cmd_load, 0, 0, "load" },
	{ "unload", cmd_unload, 0, 0, "unload" },
	{ "reload", cmd_reload, 0, 0, "reload" },
	{ "spawn", cmd_spawn, 1, 1, "spawn <script>" },
	{ "exec", cmd_exec, 2, 2, "exec <runtime> <chunk>" },
	{ "test", cmd_test, 0, 1, "test [suite]" },
};

static void print_usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: lunatik [options] [command]\n"
		"  (no command)  Lua shell into the runtime --runtime NAME (default %s)\n",
		DEFAULT_RUNTIME);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  lunatik %s\n", commands[i].usage);
	fprintf(f, "options:\n"
		"  -r, --runtime NAME  runtime of the shell\n"
		"  -v, --verbose       list: counters and memory\n"
		"  -c, --comma         list: the names, comma-separated on one line\n"
		"      --bytecode      run: allow precompiled chunks\n"
		"      --memcap BYTES  run: memory cap (suffixes K, M, G)\n"
		"      --budget MS     run: longest entry into Lua, or 'none'\n"
		"  -h, --help          this text\n"
		"  -V, --version       the version\n");
}

static int parse_size(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long n;

	int shift = 0;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || end == s || *s == '-')
		return -1;
	switch (toupper((unsigned char)*end)) {
	case 'G':
		shift += 10;
		/* fall through */
	case 'M':
		shift += 10;
		/* fall through */
	case 'K':
		shift += 10;
		end++;
		break;
	}
	if (n > UINT64_MAX >> shift)	/* out of range: never wrap */
		return -1;
	n <<= shift;
	*v = n;
	return *end || !n ? -1 : 0;
}

static int parse_budget(const char *s, uint64_t *ns)
{
	uint64_t ms;
	char *end;

	if (!strcmp(s, "none")) {
		*ns = UINT64_MAX;
		return 0;
	}
	errno = 0;
	ms = strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || !ms ||
	    ms > LUNATIK_BUDGET_MAX_MS)
		return -1;
	*ns = ms * 1000000;
	return 0;
}

enum { OPT_BYTECODE = 256, OPT_MEMCAP, OPT_BUDGET };

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "runtime", required_argument, NULL, 'r' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "comma", no_argument, NULL, 'c' },
	{ "bytecode", no_argument, NULL, OPT_BYTECODE },
	{ "memcap", required_argument, NULL, OPT_MEMCAP },
	{ "budget", required_argument, NULL, OPT_BUDGET },
	{ NULL, 0, NULL, 0 },
};

static int parse_opts(int argc, char **argv)
{
	int c;

	while ((c = getopt_long(argc, argv, "hVr:vc", long_opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			print_usage(stdout);
			exit(0);
		case 'V':
			printf("%s\n", LUNATIK_VERSION);
			exit(0);
		case 'r':
			opt.runtime = optarg;
			if (check_name(optarg))
				return -1;
			break;
		case 'v':
			opt.verbose = 1;
			break;
		case 'c':
			opt.comma = 1;
			break;
		case OPT_BYTECODE:
			opt.bytecode = 1;
			break;
		case OPT_MEMCAP:
			if (parse_size(optarg, &opt.memcap))
				return fail("--memcap: bad size '%s' (bytes, with K, M or G, below 16 EiB)", optarg);
			break;
		case OPT_BUDGET:
			if (parse_budget(optarg, &opt.budget_ns))
				return fail("--budget: bad value '%s' (1 to %llu milliseconds, or 'none')",
					    optarg, LUNATIK_BUDGET_MAX_MS);
			break;
		default:
			print_usage(stderr);
			return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	const struct command *cmd;
	size_t i;
	int nargs;

	nl.fd = -1;
	if (parse_opts(argc, argv))
		return 2;
	if (optind == argc)
		return repl();
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		cmd = &commands[i];
		if (strcmp(argv[optind], cmd->name))
			continue;
		nargs = argc - optind - 1;
		if (nargs < cmd->min || nargs > cmd->max) {
			fail("usage: lunatik %s", cmd->usage);
			return 2;
		}
		return cmd->fn(nargs, argv + optind + 1);
	}
	fail("unknown command '%s' (see lunatik --help)", argv[optind]);
	return 2;
}
