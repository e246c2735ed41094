# .gdbinit - `make gdb` runs gdb on the kernel ELF, connects it to
# `make qemu-gdb` (which waits at reset on port GDBPORT), then reads this.
#
# Stay in 64-bit mode: `set architecture i386` makes QEMU's register packet
# "too long" for gdb. Breakpoints on the 32-bit boot code (_start32) still
# work and `si` steps through it, but `x/i $pc` decodes it as 64-bit code:
# read it in `objdump -d -M i386 build/baton.elf` instead.
break kmain
echo \n*** Connected. `continue` runs to kmain; `bt` uses the frame pointers.\n
