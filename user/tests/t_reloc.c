/*
 * t_reloc.c - pointers stored in data were relocated to the load base.
 *
 * The linker cannot know where the program will run, so every pointer
 * stored in data is left as an offset with an R_X86_64_RELATIVE
 * relocation; the loader adds the base. Code finds the same objects
 * RIP-relatively. If the two disagree, the relocations were not applied.
 */
#include "baton.h"

static int target;
static int *volatile pointer = &target;
static const char *volatile names[] = {"zero", "one", "two"};

int main(void)
{
	int wrong = 0;

	wrong += pointer != &target;
	wrong += strcmp(names[2], "two") != 0;
	wrong += (uintptr_t)main < 0x200000; /* never loaded at 0 */
	printf("t_reloc: main at %p, %d wrong\n", (void *)main, wrong);
	return wrong;
}
