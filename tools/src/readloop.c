/*
 * readloop DEVICE N: N read(2)s of 1 byte from DEVICE in a tight loop;
 * prints the total nanoseconds.  Waits for the kernel's random generator
 * first (reads of random devices are much slower before it is ready).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>

int main(int argc, char **argv)
{
	struct timespec a, b;
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
		if (read(fd, &c, 1) != 1) {
			perror("read");
			return 1;
		}
		if (c < 32 || c > 126) {
			fprintf(stderr, "not printable: %d\n", c);
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%lld\n", (b.tv_sec - a.tv_sec) * 1000000000LL +
	       (b.tv_nsec - a.tv_nsec));
	return 0;
}
