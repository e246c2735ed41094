# .gdbinit - `make gdb` loads this (gdb -nx -x .gdbinit): symbols, then
# connect to `make qemu-gdb`, which waits at reset on port 1234.
#
# Stay in 64-bit mode: `set architecture i386` makes QEMU's register packet
# "too long" for gdb. Breakpoints on 32-bit boot code (_start32) still
# work; step through it with `si` and `x/i $pc`.
file build/baton.elf
target remote localhost:1234
break kmain
echo \n*** Connected. `continue` runs to kmain; `bt` uses the frame pointers.\n
