/*
 * echo.c - react to console input: echo each line, end after one.
 *
 * It waits for input as an event (async_on_input), never by polling:
 * when bytes arrive the runtime calls echo, which reads what is there
 * and waits again unless the line is complete.
 */
#include "baton.h"

static char line[128];
static size_t used;

static void echo(void *arg, uint64_t waiting)
{
	long n = read(line + used, sizeof(line) - 1 - used);

	(void)arg;
	(void)waiting;
	if (n < 0) {
		printf("echo: read: %s\n", errno_name((int)-n));
		exit(1);
	}
	used += (size_t)n;
	line[used] = '\0';
	if (used > 0 && line[used - 1] == '\n') {
		line[used - 1] = '\0';
		printf("echo: got \"%s\"\n", line);
		exit(0);
	}
	async_on_input(echo, NULL);
}

int main(void)
{
	print("echo: type a line\n");
	async_on_input(echo, NULL);
	async_end();
}
