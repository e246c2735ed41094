/*
 * machine.c - ending the emulator (docs/protocol.md, "the exit status").
 *
 * We do not know for sure which emulator runs us, and do not need to:
 * QEMU's isa-debug-exit ends QEMU at the first write, and on Bochs that
 * port is unused, so the Bochs shutdown sequence that follows is only
 * reached on Bochs.
 */
#include "arch/x86_64/machine.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/serial.h"
#include "kern/console.h"

#define QEMU_DEBUG_EXIT_PORT 0xf4
#define BOCHS_SHUTDOWN_PORT  0x8900

/* QEMU exits with (code << 1) | 1: 33, 35 and 37. Never 0 (a triple fault). */
static const uint8_t qemu_exit_code[] = {
	[MACHINE_PASS] = 0x10,
	[MACHINE_FAIL] = 0x11,
	[MACHINE_PANIC] = 0x12,
};

static const char *const status_names[] = {
	[MACHINE_PASS] = "pass",
	[MACHINE_FAIL] = "fail",
	[MACHINE_PANIC] = "panic",
};

void machine_exit(enum machine_status status)
{
	const char *shutdown = "Shutdown";

	cli();
	kprintf("BATON EXIT status=%s\n", status_names[status]);
	serial_drain();
	outb(QEMU_DEBUG_EXIT_PORT, qemu_exit_code[status]);
	/* Bochs: writing "Shutdown" to port 0x8900 ends the simulation. */
	for (const char *p = shutdown; *p; p++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*p);
	cpu_halt_forever();
}
