/*
 * async.c - the asynchronous runtime (async.h).
 *
 * The kernel knows continuations only as an entry point and an argument.
 * The runtime gives every continuation the same entry, async_entry
 * (crt0.S), and as argument a task: which function to call with which
 * argument. Tasks live in a fixed pool in .bss, which survives from one
 * continuation to the next (the stack does not).
 */
#include "async.h"

#include "baton.h"

#define ASYNC_TASKS 64

struct task {
	async_fn fn;
	void *arg;
	bool used;
};

static struct task tasks[ASYNC_TASKS];
static struct ucont_next queued[ASYNC_MAX_QUEUED];
static size_t nqueued;

void async_dispatch(struct task *t, uint64_t kind, uint64_t value);

static struct task *task_new(async_fn fn, void *arg)
{
	for (size_t i = 0; i < ASYNC_TASKS; i++) {
		if (!tasks[i].used) {
			tasks[i] = (struct task){fn, arg, true};
			return &tasks[i];
		}
	}
	return NULL;
}

static int queue(uint64_t kind, uint64_t key, async_fn fn, void *arg)
{
	struct task *t;

	if (nqueued == ASYNC_MAX_QUEUED || !(t = task_new(fn, arg)))
		return -ENOSPC;
	queued[nqueued++] = (struct ucont_next){
		.entry = (uint64_t)async_entry,
		.arg = (uint64_t)t,
		.kind = kind,
		.key = key,
	};
	return 0;
}

int async_now(async_fn fn, void *arg)
{
	return queue(EVENT_NOW, 0, fn, arg);
}

int async_at(uint64_t deadline_ns, async_fn fn, void *arg)
{
	return queue(EVENT_TIMER, deadline_ns, fn, arg);
}

int async_after(uint64_t delay_ns, async_fn fn, void *arg)
{
	return async_at((uint64_t)clock() + delay_ns, fn, arg);
}

int async_on_input(async_fn fn, void *arg)
{
	return queue(EVENT_INPUT, 0, fn, arg);
}

int async_on_exit(long handle, async_fn fn, void *arg)
{
	return queue(EVENT_DOMAIN_EXIT, (uint64_t)handle, fn, arg);
}

int async_on_message(long end, async_fn fn, void *arg)
{
	return queue(EVENT_MESSAGE, (uint64_t)end, fn, arg);
}

int async_on_room(long end, async_fn fn, void *arg)
{
	return queue(EVENT_ROOM, (uint64_t)end, fn, arg);
}

void async_end(void)
{
	size_t n = nqueued;
	long err;

	nqueued = 0;
	err = next(queued, n); /* returns only on failure */
	printf("async: next() refused %zu continuations: %s\n", n,
	       errno_name((int)-err));
	exit(1);
}

/* Every continuation of the program starts here (from async_entry). */
void async_dispatch(struct task *t, uint64_t kind, uint64_t value)
{
	async_fn fn = t->fn;
	void *arg = t->arg;

	(void)kind;
	t->used = false;
	fn(arg, value);
	async_end();
}

void async_join(struct async_join *j, unsigned n, async_fn fn, void *arg)
{
	*j = (struct async_join){n, fn, arg};
}

void async_join_arm(void *join, uint64_t value)
{
	struct async_join *j = join;

	(void)value;
	if (j->left > 0 && --j->left == 0)
		async_now(j->fn, j->arg);
}
