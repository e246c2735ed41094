/*
 * crt0.S - the first instructions of every program.
 *
 * The kernel enters here in ring 3 (arch/x86_64/syscall.S, user_run)
 * with RSP at the top of a fresh stack, RDI = spawn's arg (the domain's
 * id, for a domain the kernel starts) and every other register zero. A zero RBP ends the frame-pointer chain, and RSP
 * must be 16-byte aligned at each call (the System V ABI).
 */
	.text
	.globl _start
_start:
	xorl %ebp, %ebp
	andq $-16, %rsp
	call start_main /* start_main(arg): RDI is still the arg */
	ud2 /* start_main never returns */

/*
 * Every continuation the runtime registers starts here (async.c), with
 * RDI = its task, RSI = the event's kind, RDX = its value, and RSP at
 * the top of the domain's stack, fresh each time.
 */
	.globl async_entry
async_entry:
	xorl %ebp, %ebp
	andq $-16, %rsp
	call async_dispatch
	ud2 /* async_dispatch never returns */
