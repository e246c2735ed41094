/*
 * i_pipe.c - a pipeline of three domains passing one page along, with
 * pointers inside it (test ipc_pipeline_pointers_valid).
 *
 * One program, three roles (spawn_arg):
 *   0 source: builds a linked list in a page of its own, the nodes
 *     pointing at each other, and sends the page to the filter;
 *   1 filter: follows the pointers, doubles every value, and passes the
 *     page on to the sink;
 *   2 sink: follows the pointers again and checks the values.
 * The page is moved twice and never copied: it keeps its address, so
 * the pointers the source wrote are still right in the sink. Each stage
 * exits with its own failures plus those of the stage after it.
 */
#include "baton.h"
#include "check.h"

#define NODES 5
#define IN    0 /* the end a stage receives on: what spawn gave it */

struct node {
	uint64_t value;
	struct node *next;
};

static const char *const names[] = {"i_pipe source", "i_pipe filter",
				    "i_pipe sink"};
static uint64_t role;
static long out[2]; /* the channel to the next stage */

/* Walks the list at head: NODES nodes, inside the page, each value
 * scale times its place. */
static void check_list(struct node *head, uint64_t scale)
{
	uint64_t place = 1;

	for (struct node *n = head; n; n = n->next, place++) {
		CHECK((uint64_t)n / PAGE_SIZE == (uint64_t)head / PAGE_SIZE, 1);
		CHECK((long)n->value, (long)(place * scale));
	}
	CHECK((long)place - 1, NODES);
}

static void next_ended(void *arg, uint64_t status)
{
	(void)arg;
	exit(check_end() + (int)status);
}

/* Spawns the next stage with the receiving end of a new channel. */
static void spawn_next(void)
{
	long next;

	CHECK(channel(out), 0);
	next = spawn("i_pipe", &out[1], 1, role + 1);
	CHECK(next >= 0, 1);
	if (next < 0)
		exit(check_end());
	async_on_exit(next, next_ended, NULL);
}

static void forward(struct node *page)
{
	struct msg m = {.nregions = 1};

	m.regions[0] = (struct msg_region){(uint64_t)page, 1, 0};
	CHECK(send(out[0], &m), 0);
}

static void on_page(void *arg, uint64_t waiting)
{
	struct node *page, *head;
	struct msg m;

	(void)arg;
	(void)waiting;
	CHECK(receive(IN, &m), 0);
	CHECK(m.nregions, 1);
	if (m.nregions != 1)
		exit(check_end());
	page = (struct node *)m.regions[0].addr;
	head = page[0].next; /* the first node: page[0] is the header */
	printf("%s: the page arrived at %p; the list starts at %p\n",
	       names[role], (void *)page, (void *)head);
	check_list(head, role);
	if (role == 2)
		exit(check_end());
	for (struct node *n = head; n; n = n->next)
		n->value *= 2;
	forward(page);
}

static void source(void)
{
	struct node *page;

	CHECK(region_alloc(1, MEM_R | MEM_W, (void **)&page) >= 0, 1);
	if (check_failures)
		exit(check_end());
	for (int i = 0; i < NODES; i++) /* out of order, to be followed */
		page[(i * 3) % NODES + 1] = (struct node){(uint64_t)i + 1, 0};
	for (int i = 0; i + 1 < NODES; i++)
		page[(i * 3) % NODES + 1].next =
			&page[((i + 1) * 3) % NODES + 1];
	page[0].next = &page[1]; /* the header: where the list starts */
	printf("%s: a list of %d nodes in the page at %p\n", names[0], NODES,
	       (void *)page);
	forward(page);
}

int main(void)
{
	role = spawn_arg;
	check_begin(names[role < 3 ? role : 0]);
	if (role < 2)
		spawn_next();
	if (role == 0)
		source();
	else
		async_on_message(IN, on_page, NULL);
	async_end();
}
