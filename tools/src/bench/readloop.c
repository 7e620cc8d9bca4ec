/*
 * readloop DEVICE N: N read(2)s of 1 byte from DEVICE in a tight loop;
 * prints the total nanoseconds, then the fastest chunk of CHUNK reads
 * scaled to N (the chunk least disturbed by a busy host).  Waits for the
 * kernel's random generator first (reads of random devices are much
 * slower before it is ready).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

#define CHUNK	50

static long long ns_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000000000LL +
	       (t.tv_nsec - t0->tv_nsec);
}

int main(int argc, char **argv)
{
	struct timespec a, chunk;
	long long t, best = -1;
	char c;
	long n, i;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: readloop DEVICE N\n");
		return 2;
	}
	n = atol(argv[2]);
	if (getrandom(&c, 1, 0) != 1)
		perror("getrandom");
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++) {
		if (i % CHUNK == 0)
			clock_gettime(CLOCK_MONOTONIC, &chunk);
		if (read(fd, &c, 1) != 1) {
			perror("read");
			return 1;
		}
		if (c < 32 || c > 126) {
			fprintf(stderr, "not printable: %d\n", c);
			return 1;
		}
		if (i % CHUNK == CHUNK - 1) {
			t = ns_since(&chunk);
			if (best < 0 || t < best)
				best = t;
		}
	}
	t = ns_since(&a);
	printf("%lld %lld\n", t, best < 0 ? t : best * n / CHUNK);
	return 0;
}
