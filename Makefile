# Baton - the one entry point: every command a user types is a make target.
# `make help` lists them. `V=1` shows the commands as they run.

# Which labs' solutions are compiled in. The complete kernel has them all
# (SOL=7). Stage N, what a student of lab N starts from, has labs 1..N-1
# solved: `make lab-N`, or STAGE=N (the same as SOL=N-1) on any target.
# A student's tree has no solutions to choose: conf/handout.mk names its
# lab instead (HANDOUT_LAB), and SOL means nothing there.
LAST_LAB := 7
-include conf/handout.mk
ifdef STAGE
SOL := $(shell expr $(STAGE) - 1)
endif
SOL ?= $(LAST_LAB)
ifeq ($(SOL),$(LAST_LAB))
O ?= build
else
O ?= build/lab-$(shell expr $(SOL) + 1)
endif

# A cross toolchain, if you have one: make TOOLPREFIX=x86_64-elf-
TOOLPREFIX ?=
CC := $(TOOLPREFIX)gcc
LD := $(TOOLPREFIX)ld
NM := $(TOOLPREFIX)nm
OBJDUMP := $(TOOLPREFIX)objdump
STRIP := $(TOOLPREFIX)strip
AR := $(TOOLPREFIX)ar
PYTHON ?= python3
QEMU ?= qemu-system-x86_64
BOCHS ?= bochs

# Build in parallel unless told otherwise (make -j1 for one job at a time).
# Sub-makes inherit the job server, so only the top level sets it.
ifeq ($(MAKELEVEL)$(filter -j%,$(MAKEFLAGS)),0)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
endif

ifeq ($(V),1)
Q :=
else
Q := @
endif

# ---- The kernel ---------------------------------------------------------

# Flags from EMULATORS.md: freestanding, no red zone (interrupts would
# clobber it), no SSE (we do not save its registers), the kernel code
# model (we live in the top 2 GiB), frame pointers for backtraces, and
# no tail calls (a jump instead of a call leaves no frame to walk), and no
# loops turned into calls to memset (lib/string.c says why).
KCFLAGS := -std=c11 -m64 -ffreestanding -fno-pie -fno-pic \
	-fno-stack-protector -fno-asynchronous-unwind-tables \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer \
	-fno-optimize-sibling-calls -fno-tree-loop-distribute-patterns \
	-mno-red-zone -mgeneral-regs-only -mcmodel=kernel -fno-common \
	-O2 -g -Wall -Wextra -Werror -MMD -MP -Ikernel -I$(O)/gen -DSOL=$(SOL)
# In a student's tree, merging the next lab's branch can bring in static
# helpers of a reference solution the student's own code does not call:
# a warning there, not a broken build.
ifdef HANDOUT_LAB
KCFLAGS += -Wno-error=unused-function
endif
KLDFLAGS := -nostdlib -n -z max-page-size=0x1000 -z noexecstack \
	--no-warn-rwx-segments -T kernel/arch/x86_64/kernel.ld

KSRCS := $(sort $(shell find kernel tests/kernel -name '*.c' -o -name '*.S'))
KOBJS := $(patsubst %,$(O)/obj/%.o,$(basename $(KSRCS)))

all: $(O)/baton.iso ## build the kernel and its GRUB ISO (default)

# ---- The system-call table (kernel/sys/syscalls.tbl) --------------------

# One table, two generated headers: the kernel's dispatch table and the
# user library's wrappers. The C preprocessor runs first, for SOL markers.
GEN := $(O)/gen
$(GEN)/syscalls.tbl: kernel/sys/syscalls.tbl
	@mkdir -p $(@D)
	$(Q)$(CC) -E -P -x c -DSOL=$(SOL) $< -o $@

$(GEN)/sys/syscall_table.h: $(GEN)/syscalls.tbl tools/mksyscalls.py
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/mksyscalls.py kernel $< > $@.tmp && mv $@.tmp $@

$(GEN)/user/syscalls.h: $(GEN)/syscalls.tbl tools/mksyscalls.py
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/mksyscalls.py user $< > $@.tmp && mv $@.tmp $@

GENERATED_HEADERS := $(GEN)/sys/syscall_table.h $(GEN)/user/syscalls.h

$(O)/obj/%.o: %.c | $(GENERATED_HEADERS)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(O)/obj/%.o: %.S | $(GENERATED_HEADERS)
	@mkdir -p $(@D)
	@echo "  AS      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

# The kernel is linked twice: pass 1 with an empty symbol table fixes
# every function's address; pass 2 adds the real table, which comes last
# in the image so nothing moves. The cmp proves it.
$(O)/ksyms-empty.S: tools/mksyms.py
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/mksyms.py --empty > $@.tmp && mv $@.tmp $@

$(O)/kernel.pass1.elf: $(KOBJS) $(O)/ksyms-empty.o kernel/arch/x86_64/kernel.ld
	@echo "  LD      $@"
	$(Q)$(LD) $(KLDFLAGS) -o $@ $(KOBJS) $(O)/ksyms-empty.o

$(O)/ksyms.S: $(O)/kernel.pass1.elf tools/mksyms.py
	$(Q)$(NM) -n -S --defined-only $< | $(PYTHON) tools/mksyms.py > $@.tmp && mv $@.tmp $@

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

# ---- User programs (user/) -----------------------------------------------

# Programs are freestanding position-independent executables (ET_DYN),
# linked at 0 by user/lib/user.ld; the kernel loads each at a base of its
# choosing (kernel/user/loader.c). The user library shares the kernel's
# pure code: string functions, formatting and error names.
UCFLAGS := -std=c11 -m64 -ffreestanding -fPIE -fno-stack-protector \
	-fno-asynchronous-unwind-tables -fno-omit-frame-pointer \
	-fno-tree-loop-distribute-patterns -mgeneral-regs-only \
	-O2 -g -Wall -Wextra -Werror -MMD -MP \
	-Iuser/lib -Ikernel -I$(GEN)/user -DSOL=$(SOL)
ULDFLAGS := -nostdlib -pie --no-dynamic-linker -z noexecstack -z norelro \
	-z max-page-size=0x1000 -T user/lib/user.ld
ULIB_SRCS := user/lib/crt0.S user/lib/start.c user/lib/printf.c \
	user/lib/check.c user/lib/async.c kernel/lib/string.c \
	kernel/lib/format.c kernel/lib/errno.c
ULIB_OBJS := $(patsubst %,$(O)/uobj/%.o,$(basename $(ULIB_SRCS)))
# Every .c file directly in user/ or user/tests/ is one program, named
# after its file: user/hello.c is the module "hello".
UPROG_SRCS := $(sort $(wildcard user/*.c user/tests/*.c))
UPROGS := $(notdir $(basename $(UPROG_SRCS)))
UPROG_BINS := $(O)/iso/boot/programs.a
# The kernel keeps BOOT_MAX_MODULES (kern/bootinfo.h) modules, the
# archive included: 63 programs at most.
ifneq ($(word 64,$(UPROGS)),)
$(error more than 63 user programs: raise BOOT_MAX_MODULES in kernel/kern/bootinfo.h and the 64 here)
endif

$(O)/uobj/%.o: %.c | $(GENERATED_HEADERS)
	@mkdir -p $(@D)
	@echo "  UCC     $<"
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@

$(O)/uobj/%.o: %.S
	@mkdir -p $(@D)
	@echo "  UAS     $<"
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@

$(O)/user/libbaton.a: $(ULIB_OBJS)
	@mkdir -p $(@D)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# $(O)/user/bin/NAME keeps its symbols and debug information (for gdb
# and objdump); the ISO gets a stripped copy, in one archive.
define user_program
$(O)/user/bin/$(notdir $(basename $(1))): $(O)/uobj/$(basename $(1)).o \
		$(O)/user/libbaton.a user/lib/user.ld
	@mkdir -p $$(@D)
	@echo "  ULD     $$@"
	$(Q)$(LD) $(ULDFLAGS) -o $$@ $(O)/uobj/user/lib/crt0.o $$< \
		$(O)/user/libbaton.a
endef
$(foreach src,$(UPROG_SRCS),$(eval $(call user_program,$(src))))

$(O)/user/stripped/%: $(O)/user/bin/%
	@mkdir -p $(@D)
	$(Q)$(STRIP) -o $@ $<

# All programs in one archive, one module: GRUB's loading of each module
# costs time at every boot. ar names hold 15 characters (lib/ar.h).
LONG_NAMES := $(shell for p in $(UPROGS); do [ $${#p} -le 15 ] || echo $$p; done)
ifneq ($(LONG_NAMES),)
$(error user program names longer than 15 characters: $(LONG_NAMES))
endif
$(O)/iso/boot/programs.a: $(addprefix $(O)/user/stripped/,$(UPROGS))
	@mkdir -p $(@D)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(AR) rcSD $@ $^

-include $(patsubst %.o,%.d,$(ULIB_OBJS)) \
	$(patsubst %,$(O)/uobj/%.d,$(basename $(UPROG_SRCS)))

# ---- The bootable ISO ---------------------------------------------------

# The command line sits in a fixed-size slot of grub.cfg, so a test run
# stamps its own into a copy of the ISO (tools/iso_cmdline.py) instead of
# building a new one. CMDLINE_SLOT is the longest command line that fits.
CMDLINE ?=
CMDLINE_SLOT := 400
GRUB_MODULES := normal multiboot2 iso9660 biosdisk part_msdos configfile

# The user programs are one multiboot2 module, an archive (lib/ar.h).
$(O)/iso/boot/grub/grub.cfg: Makefile
	@mkdir -p $(@D)
	$(Q){ echo 'set timeout=0'; echo 'set default=0'; \
	  echo 'menuentry "Baton" {'; \
	  printf 'multiboot2 /boot/baton.elf %-$(CMDLINE_SLOT)s\n' '$(CMDLINE)'; \
	  echo 'module2 /boot/programs.a programs.a'; \
	  echo 'boot'; echo '}'; } > $@

$(O)/baton.iso: $(O)/baton.elf $(O)/iso/boot/grub/grub.cfg $(UPROG_BINS)
	@echo "  ISO     $@"
	$(Q)cp $(O)/baton.elf $(O)/iso/boot/baton.elf
	$(Q)grub-mkrescue -o $@ --fonts= --locales= --themes= \
		--install-modules="$(GRUB_MODULES)" $(O)/iso 2>/dev/null || \
		{ echo "error: grub-mkrescue failed (make deps installs it)"; exit 1; }

-include $(patsubst %.o,%.d,$(KOBJS))

# ---- Running and debugging ----------------------------------------------

# T=NAME runs one kernel test; CMDLINE='...' gives a whole command line.
ifneq ($(T),)
RUN_CMDLINE := test=$(T) $(CMDLINE)
else
RUN_CMDLINE := $(CMDLINE)
endif
QEMU_MACHINE := -M pc -m 128M -boot d -no-reboot -net none \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
RUN_ISO := $(O)/run.iso
# QEMU exits 33 when the kernel passes (docs/protocol.md): not an error.
QEMU_STATUS := || [ $$? -eq 33 ]
# One gdb port per user, so two people on one machine do not collide.
GDBPORT ?= $(shell expr `id -u` % 5000 + 25000)

deps: ## install the Debian packages `make run` needs (root), or say which
	$(Q)tools/deps.sh run

deps-all: ## the same for everything `make test` needs (Bochs, cmocka, ...)
	$(Q)tools/deps.sh all

run: deps ## build, boot headless in QEMU, show the boot log and demo, exit
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(PYTHON) tools/run.py --emu qemu --iso $(O)/baton.iso --cmdline '$(RUN_CMDLINE)'

$(RUN_ISO): $(O)/baton.iso FORCE
	$(Q)$(PYTHON) tools/iso_cmdline.py $< $@ '$(RUN_CMDLINE)' >/dev/null

qemu: $(RUN_ISO) ## QEMU with the serial console on this terminal (Ctrl-A X quits)
	$(QEMU) $(QEMU_MACHINE) -cdrom $(RUN_ISO) -display none -serial mon:stdio $(QEMU_STATUS)

qemu-gdb: $(RUN_ISO) ## QEMU stopped at reset, waiting for `make gdb` (port GDBPORT)
	@echo "*** Now run 'make gdb' in another terminal (gdb port $(GDBPORT))."
	$(QEMU) $(QEMU_MACHINE) -cdrom $(RUN_ISO) -display none -serial mon:stdio \
		-gdb tcp::$(GDBPORT) -S $(QEMU_STATUS)

gdb: ## gdb with the kernel's symbols, connected to `make qemu-gdb`
	gdb -q -nx -ex "target remote localhost:$(GDBPORT)" -x .gdbinit $(O)/baton.elf

bochs: $(O)/baton.iso ## boot headless in Bochs, serial output on this terminal
	$(Q)$(PYTHON) tools/run.py --emu bochs --iso $(O)/baton.iso --cmdline '$(RUN_CMDLINE)'

bochs-debug: $(RUN_ISO) ## Bochs's debugger, kernel symbols loaded, magic breakpoints on
	$(Q)$(PYTHON) tools/bochs_debug.py --iso $(RUN_ISO) --symbols $(O)/baton.sym --out $(O)/bochs-debug

bochs-trace: $(O)/baton.iso ## T=TEST: stop at the test's first exception, write a transcript
	$(Q)test -n "$(T)" || { echo "usage: make bochs-trace T=TEST"; exit 2; }
	$(Q)$(PYTHON) tools/bochs_trace.py --iso $(O)/baton.iso --symbols $(O)/baton.sym --elf $(O)/baton.elf --test $(T) --out $(O)/bochs-trace

# ---- Grading and tests --------------------------------------------------

EMU ?= qemu
# Without LAB=, grade what this tree should pass: in a student's tree labs
# 1..HANDOUT_LAB (the last being theirs), in the master tree labs 1..SOL.
GRADE_UPTO := $(or $(HANDOUT_LAB),$(SOL))
GRADE_ARGS := --iso $(O)/baton.iso --emu $(EMU) --out $(O)/grade \
	$(if $(LAB),--lab $(LAB),--labs-upto $(GRADE_UPTO)) \
	$(if $(T),--match $(T)) $(if $(filter 1,$(V)),-v) $(GRADE_EXTRA)

grade: all ## grade the kernel tests (LAB=N, T=substring, EMU=bochs, V=1)
	$(Q)$(PYTHON) tests/grade.py $(GRADE_ARGS)

grade-selftest: all ## check the grader reports broken kernels correctly
	$(Q)$(PYTHON) tests/grader_selftest.py --iso $(O)/baton.iso --out $(O)/grade-selftest --emu $(EMU)

test-grader: ## unit tests of the grader and iso_cmdline (no emulator needed)
	$(Q)$(PYTHON) -m unittest discover -s tests -p 'test_*.py'

include tests/host/host.mk

test: deps-all ## everything: host tests, grades on QEMU and Bochs, self-tests
	$(Q)$(PYTHON) tools/test_all.py

# Host benchmarks: the kernel's pure code at full optimisation, no
# sanitizers, timed on the host CPU.
HOST_BENCH_SOURCES := kernel/mm/buddy.c kernel/lib/string.c \
	kernel/lib/format.c kernel/lib/errno.c
$(O)/host-bench/bench_buddy: tests/host/bench_buddy.c $(HOST_BENCH_SOURCES)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $@"
	$(Q)gcc -std=c11 -O2 -Wall -Wextra -Werror -Ikernel -DSOL=$(SOL) \
		-fno-builtin -include tests/host/host_rename.h -o $@ $^

bench: all $(O)/host-bench/bench_buddy ## benchmarks: guest instructions (QEMU -icount) and host ns; build/bench.json
	$(Q)$(PYTHON) tools/bench.py --iso $(O)/baton.iso --json $(O)/bench.json \
		--host $(O)/host-bench/bench_buddy

ipc-plot: bench ## lab 7: draw moving versus copying (make bench) into docs/ipc-cost.svg
	$(Q)$(PYTHON) tools/ipc_plot.py --json $(O)/bench.json --out docs/ipc-cost.svg

# ---- The lab system (tools/labs.py, docs/maintaining-labs.md) ----------

MASTER_ONLY_TARGETS := lab-%|export|branches|check-stages|check-exports|check-merge
ifdef HANDOUT_LAB
NOT_IN_A_HANDOUT = echo "This is the handout tree of lab $(HANDOUT_LAB): 'make' builds it and"; \
	echo "'make grade' grades labs 1..$(HANDOUT_LAB). ('make $@' is for the master tree.)"; exit 2
lab-%:
	@$(NOT_IN_A_HANDOUT)
branches check-stages check-exports check-merge export:
	@$(NOT_IN_A_HANDOUT)
else
lab-%: ## lab-N: build stage N (labs 1..N-1 solved) into build/lab-N, show its exercises
	$(Q)$(PYTHON) tools/labs.py exercises $* > /dev/null
	+$(Q)$(MAKE) --no-print-directory STAGE=$* all
	$(Q)$(PYTHON) tools/labs.py exercises $*

export: ## LAB=N DEST=DIR: write the tree a student of lab N receives
	$(Q)test -n "$(LAB)" -a -n "$(DEST)" || { echo "usage: make export LAB=N DEST=DIR"; exit 2; }
	$(Q)$(PYTHON) tools/labs.py export $(LAB) $(DEST)

HANDOUT_REPO ?= build/handout.git
branches: ## branches lab1..lab7 in a handout repository (HANDOUT_REPO=build/handout.git)
	$(Q)$(PYTHON) tools/labs.py branches $(HANDOUT_REPO)

check-stages: ## every stage passes earlier labs and fails its own: the matrix
	$(Q)$(PYTHON) tools/labs.py check-stages

check-exports: ## export every stage, then build and grade each student tree
	$(Q)$(PYTHON) tools/labs.py check-exports

check-merge: ## a student's own lab 1 code survives `git merge -X ours lab2`
	$(Q)$(PYTHON) tools/labs.py check-merge
endif

check-markers: ## every #if SOL >= N marker is well formed and balanced
	$(Q)$(PYTHON) tools/labs.py markers

# ---- Keeping the tree tidy ----------------------------------------------

FORMAT_FILES = $(shell find kernel user tests/kernel tests/host tests/fuzz -name '*.[ch]' 2>/dev/null)

format: ## reformat the C sources with .clang-format
	$(Q)clang-format -i $(FORMAT_FILES)

check-format: ## fail if any C source is not formatted
	$(Q)clang-format --dry-run --Werror $(FORMAT_FILES) && echo "formatting: ok"

PYTHON_FILES = $(wildcard tools/*.py tests/*.py tests/grader/*.py tests/fuzz/*.py)

check-python: ## Python style (pycodestyle) and mistakes (pyflakes)
	$(Q)pycodestyle $(PYTHON_FILES) && pyflakes3 $(PYTHON_FILES) && echo "python: ok"

compile_commands.json: ## for clangd and editors (uses bear)
	$(Q)bear --output $@ -- $(MAKE) --no-print-directory -B O=build/bear build/bear/baton.elf >/dev/null

clean: ## remove build/
	rm -rf build

help: ## list the targets
	@echo "Baton: make TARGET [VARIABLE=value ...]"
	@grep -hE '^[a-zA-Z_.%-]+:.*## ' $(MAKEFILE_LIST) | \
		$(if $(HANDOUT_LAB),grep -vE '^($(MASTER_ONLY_TARGETS)):' |) \
		awk -F':.*## ' '{ printf "  %-22s %s\n", $$1, $$2 }'
ifdef HANDOUT_LAB
	@echo "Variables: V=1, T=TEST, LAB=N, EMU=qemu|bochs, CMDLINE='...',"
	@echo "  TOOLPREFIX=x86_64-elf-. This tree is lab $(HANDOUT_LAB)'s handout."
else
	@echo "Variables: STAGE=N (labs 1..N-1 solved) or SOL=N (labs 1..N solved;"
	@echo "  default 7), O=DIR, V=1, T=TEST, LAB=N, EMU=qemu|bochs, CMDLINE='...',"
	@echo "  TOOLPREFIX=x86_64-elf-"
endif

FORCE:
.PHONY: all deps deps-all run qemu qemu-gdb gdb bochs bochs-debug bochs-trace \
	export branches check-stages check-exports check-merge check-markers \
	grade grade-selftest test-grader test bench ipc-plot format check-format check-python clean \
	help FORCE \
	compile_commands.json
