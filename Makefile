# Baton - the one entry point: every command a user types is a make target.
# `make help` lists them. `V=1` shows the commands as they run.

# How many labs' solutions are compiled in. 7 = the complete kernel;
# SOL=N-1 is the stage a student of lab N starts from.
LAST_LAB := 7
SOL ?= $(LAST_LAB)
ifeq ($(SOL),$(LAST_LAB))
O ?= build
else
O ?= build/sol$(SOL)
endif

# A cross toolchain, if you have one: make TOOLPREFIX=x86_64-elf-
TOOLPREFIX ?=
CC := $(TOOLPREFIX)gcc
LD := $(TOOLPREFIX)ld
NM := $(TOOLPREFIX)nm
OBJDUMP := $(TOOLPREFIX)objdump
PYTHON ?= python3
QEMU ?= qemu-system-x86_64
BOCHS ?= bochs

ifeq ($(V),1)
Q :=
else
Q := @
endif

# ---- The kernel ---------------------------------------------------------

# Flags from EMULATORS.md: freestanding, no red zone (interrupts would
# clobber it), no SSE (we do not save its registers), the kernel code
# model (we live in the top 2 GiB), frame pointers for backtraces, and
# no tail calls (a jump instead of a call leaves no frame to walk).
KCFLAGS := -std=c11 -m64 -ffreestanding -fno-pie -fno-pic \
	-fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-optimize-sibling-calls \
	-mno-red-zone -mgeneral-regs-only -mcmodel=kernel -fno-common \
	-O2 -g -Wall -Wextra -Werror -MMD -MP -Ikernel -DSOL=$(SOL)
KLDFLAGS := -nostdlib -n -z max-page-size=0x1000 -z noexecstack \
	--no-warn-rwx-segments -T kernel/arch/x86_64/kernel.ld

KSRCS := $(sort $(shell find kernel tests/kernel -name '*.c' -o -name '*.S'))
KOBJS := $(patsubst %,$(O)/obj/%.o,$(basename $(KSRCS)))

all: $(O)/baton.iso

$(O)/obj/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(O)/obj/%.o: %.S
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

# The kernel is linked twice: pass 1 with an empty symbol table fixes
# every function's address; pass 2 adds the real table, which comes last
# in the image so nothing moves. The cmp proves it.
$(O)/ksyms-empty.S: tools/mksyms.py
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/mksyms.py --empty > $@

$(O)/kernel.pass1.elf: $(KOBJS) $(O)/ksyms-empty.o kernel/arch/x86_64/kernel.ld
	@echo "  LD      $@"
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(O)/ksyms-empty.o

$(O)/ksyms.S: $(O)/kernel.pass1.elf tools/mksyms.py
	$(Q)$(NM) -n -S --defined-only $< | $(PYTHON) tools/mksyms.py > $@

$(O)/%.o: $(O)/%.S
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(O)/baton.elf: $(O)/kernel.pass1.elf $(O)/ksyms.o
	@echo "  LD      $@"
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(O)/ksyms.o
	$(Q)$(NM) -n $(O)/kernel.pass1.elf | grep ' [tT] ' > $(O)/text1.sym
	$(Q)$(NM) -n $@ | grep ' [tT] ' > $(O)/text2.sym
	$(Q)cmp -s $(O)/text1.sym $(O)/text2.sym || \
		{ echo "error: code moved between the two link passes"; exit 1; }
	$(Q)$(NM) -n $@ | awk '{ print $$1, $$3 }' > $(O)/baton.sym
	$(Q)$(OBJDUMP) -d -S --no-show-raw-insn $@ > $(O)/baton.asm

# ---- The bootable ISO ---------------------------------------------------

# The command line sits in a fixed-size slot of grub.cfg, so a test run
# stamps its own into a copy of the ISO (tools/iso_cmdline.py) instead of
# building a new one. CMDLINE_SLOT must match that tool.
CMDLINE ?=
CMDLINE_SLOT := 400
GRUB_MODULES := normal multiboot2 iso9660 biosdisk part_msdos configfile

$(O)/iso/boot/grub/grub.cfg: Makefile
	@mkdir -p $(@D)
	$(Q){ echo 'set timeout=0'; echo 'set default=0'; \
	  echo 'menuentry "Baton" {'; \
	  printf 'multiboot2 /boot/baton.elf %-$(CMDLINE_SLOT)s\n' '$(CMDLINE)'; \
	  echo 'boot'; echo '}'; } > $@

$(O)/baton.iso: $(O)/baton.elf $(O)/iso/boot/grub/grub.cfg
	@echo "  ISO     $@"
	$(Q)cp $(O)/baton.elf $(O)/iso/boot/baton.elf
	$(Q)grub-mkrescue -o $@ --fonts= --locales= --themes= \
		--install-modules="$(GRUB_MODULES)" $(O)/iso 2>/dev/null || \
		{ echo "error: grub-mkrescue failed (make deps installs it)"; exit 1; }

-include $(patsubst %.o,%.d,$(KOBJS))

.PHONY: all
