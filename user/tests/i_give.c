/*
 * i_give.c - after sending a page, the sender cannot touch it (test
 * ipc_sender_loses_page).
 *
 * Fills a page with PATTERN, reads and writes it so that the TLB holds
 * a writable translation, spawns i_take and sends it the page. Then it
 * writes the page again. That write must fault and kill this domain:
 * the send cleared the page-table entry, and unless it also invalidated
 * the TLB entry, the CPU would still use the stale one, and i_take
 * would find STALE_WRITE bytes in a page it now owns. i_take checks
 * that it got exactly the bytes there were at the send.
 */
#include "baton.h"
#include "check.h"

#define PATTERN	    0xa5
#define STALE_WRITE 0x5a

int main(void)
{
	volatile uint8_t *page;
	long ends[2], taker;
	struct msg m = {.nregions = 1};

	check_begin("i_give");
	CHECK(region_alloc(1, MEM_R | MEM_W, (void **)&page) >= 0, 1);
	CHECK(channel(ends), 0);
	taker = spawn("i_take", &ends[1], 1, (uint64_t)page);
	CHECK(taker >= 0, 1);
	if (check_failures)
		return check_end();
	memset((void *)page, PATTERN, PAGE_SIZE);
	CHECK(page[PAGE_SIZE - 1], PATTERN); /* read and written: in the TLB */
	m.regions[0] = (struct msg_region){(uint64_t)page, 1, 0};
	CHECK(send(ends[0], &m), 0);
	printf("i_give: sent; now writing to the page I gave away\n");
	page[0] = STALE_WRITE; /* must fault: this domain is killed here */
	page[PAGE_SIZE - 1] = STALE_WRITE;
	printf("i_give: FAIL: the write to a page sent away went through\n");
	return 1;
}
