/*
 * usermode.c - switching SYSCALL on (usermode.h).
 */
#include "arch/x86_64/usermode.h"

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/gdt.h"
#include "lib/errno.h"

int syscall_init(void)
{
#if SOL >= 4
	/*
	 * STAR's two selector fields (SDM 3A 5.8.8). SYSRET adds 16 to the
	 * high one for 64-bit code and 8 for the stack: that is why the GDT
	 * has user code32, user data and user code64 in this order.
	 */
	uint64_t star = ((uint64_t)(SEG_UCODE32 | SEG_RPL_USER) << 48) |
			((uint64_t)SEG_KCODE << 32);

	wrmsr(MSR_STAR, star);
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	wrmsr(MSR_SFMASK, RFLAGS_IF | RFLAGS_DF | RFLAGS_TF | RFLAGS_AC);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	return 0;
#else
	/*
	 * LAB 4: your code here (the contract is in usermode.h).
	 * wrmsr() and the MSR_ and RFLAGS_ names are in cpu.h, the
	 * selectors in gdt.h. Write EFER last: read it, add EFER_SCE, write
	 * it back (it also holds long mode and NX, which must stay on).
	 * Tests: syscall_msrs_configured, user_hello,
	 * user_syscall_preserves_registers.
	 */
	return -ENOSYS;
#endif
}
