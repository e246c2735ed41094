/*
 * pipeline.c - three domains passing pages along channels (make run).
 *
 * One program, three roles (spawn_arg), each spawned by the one before
 * with exactly one capability, the receiving end of its input:
 *   0 source  writes FRAMES pages of text and sends them, one message
 *             each, as fast as the channel takes them;
 *   1 upcase  changes each page to upper case, in place, and sends it
 *             on;
 *   2 sink    prints each page and gives it back to the kernel.
 * Every page is moved, never copied: it keeps its address from the
 * source to the sink, and the only copying is of each message's few
 * bytes of data. Nobody waits: each stage is continuations that run
 * when a message (or room in a full channel) arrives. When the source
 * has sent everything it closes its end; each stage, once its input is
 * drained and closed, closes its own output, and the pipeline ends.
 */
#include "baton.h"

#define FRAMES 12 /* more than a channel holds: the source must wait */
#define IN     0  /* a stage's input: what spawn gave it */

enum role { SOURCE, UPCASE, SINK };

struct frame {
	uint64_t sent_ns; /* when the source sent it */
	int number;
	char text[]; /* the rest of the page */
};

static const char *const names[] = {"source", "upcase", "sink"};
static enum role role;
static long out[2]; /* the channel to the next stage */
static int frames;  /* sent, or received */
static uint64_t first_sent, moved_bytes;

static void on_room(void *arg, uint64_t free);

/*
 * The source: a new page with frame n in it, sent down the pipeline.
 * Returns 0, or -EAGAIN when the channel is full (nothing was sent).
 */
static long send_frame(int n)
{
	struct msg m = {.nregions = 1};
	struct frame *f;
	long cap, err;

	cap = region_alloc(1, MEM_R | MEM_W, (void **)&f);
	if (cap < 0)
		exit(1);
	f->number = n;
	snprintf(f->text, PAGE_SIZE - sizeof(*f),
		 "frame %d, written by domain %ld", n, self());
	f->sent_ns = (uint64_t)clock();
	m.regions[0] = (struct msg_region){(uint64_t)f, 1, 0};
	err = send(out[0], &m);
	if (err == -EAGAIN) {
		close(cap); /* this page goes back; the next try makes one */
		return err;
	}
	if (err < 0) {
		printf("pipeline source: send: %s%s\n", errno_name((int)-err),
		       err == -ENOSYS ? " (is lab 7 written?)" : "");
		exit(1);
	}
	return 0;
}

/* The source: send until done, or until the channel is full. */
static void produce(void)
{
	for (; frames < FRAMES; frames++) {
		if (send_frame(frames) == -EAGAIN) {
			printf("pipeline source: %d sent, and the channel is "
			       "full: waiting for room\n",
			       frames);
			async_on_room(out[0], on_room, NULL);
			return;
		}
	}
	printf("pipeline source: all %d frames sent; closing my end\n", FRAMES);
	close(out[0]);
}

static void on_room(void *arg, uint64_t free)
{
	(void)arg;
	printf("pipeline source: room for %lu more\n", free);
	produce();
}

static void upcase(char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

/* The sink: print it, account for it, give the page back. */
static void consume(struct frame *f, long cap)
{
	uint64_t now = (uint64_t)clock();

	if (!first_sent)
		first_sent = f->sent_ns;
	printf("pipeline sink: \"%s\" at %p, %lu us after it was sent\n",
	       f->text, (void *)f, (now - f->sent_ns) / 1000);
	moved_bytes += PAGE_SIZE;
	close(cap);
}

static void on_message(void *arg, uint64_t waiting)
{
	struct msg m;
	long err = receive(IN, &m);

	(void)arg;
	(void)waiting;
	if (err == -EPIPE) { /* drained, and nothing more can come */
		if (role == SINK) {
			printf("pipeline sink: %d frames, %lu KiB moved "
			       "through "
			       "two channels, 0 bytes of them copied, in %lu "
			       "us\n",
			       frames, moved_bytes / 1024,
			       ((uint64_t)clock() - first_sent) / 1000);
			exit(0);
		}
		close(out[0]);
		return; /* the next stage's exit ends this one */
	}
	if (err < 0 || m.nregions != 1)
		exit(1);
	frames++;
	if (role == SINK) {
		consume((struct frame *)m.regions[0].addr, m.regions[0].cap);
	} else {
		upcase(((struct frame *)m.regions[0].addr)->text);
		if (send(out[0], &m) < 0) /* the page and nothing else */
			exit(1);
	}
	async_on_message(IN, on_message, NULL);
}

static void next_ended(void *arg, uint64_t status)
{
	(void)arg;
	printf("pipeline %s: the %s ended with status %ld\n", names[role],
	       names[role + 1], (long)status);
	exit((int)status);
}

/* Spawns the next stage, giving it the receiving end of a new channel. */
static void spawn_next(void)
{
	long next;

	if (channel(out) < 0)
		exit(1);
	next = spawn("pipeline", &out[1], 1, role + 1);
	if (next < 0) {
		printf("pipeline %s: spawn: %s\n", names[role],
		       errno_name((int)-next));
		exit(1);
	}
	async_on_exit(next, next_ended, NULL);
}

int main(void)
{
	role = spawn_arg <= SINK ? (enum role)spawn_arg : SOURCE;
	printf("pipeline %s: domain %ld\n", names[role], self());
	if (role != SINK)
		spawn_next();
	if (role == SOURCE)
		produce();
	else
		async_on_message(IN, on_message, NULL);
	async_end();
}
