# tests/host/host.mk - host unit tests and fuzzers for the kernel's pure code.
#
# The top-level Makefile includes this fragment (after its `all` target);
# it also works alone, from the repository root:
#
#   make -f tests/host/host.mk host-test          # unit tests, ASan + UBSan
#   make -f tests/host/host.mk fuzz FUZZ_SECONDS=20
#
# Kernel files are compiled for the host unchanged, with SOL=7 (the
# solutions: these are not graded lab tests). host_rename.h is forced in
# so the kernel's memcpy, snprintf, ... become baton_memcpy, ... and do not
# clash with the C library or the sanitizers. Needs gcc and libcmocka-dev
# (host-test), clang and libclang-rt-14-dev (fuzz), python3 (seeds).

# Standalone (make -f) or included? Decided before anything else is read.
HOST_STANDALONE := $(if $(filter-out $(lastword $(MAKEFILE_LIST)),$(MAKEFILE_LIST)),,1)
HOST_SAVED_GOAL := $(.DEFAULT_GOAL)

HOST_CC ?= gcc
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 30
PYTHON ?= python3

HOST_OUT := build/host
FUZZ_OUT := build/fuzz
HOST_RENAME := tests/host/host_rename.h
HOST_SOL := 7
HOST_Q := $(if $(filter 1,$(V)),,@)

HOST_COMMON_FLAGS := -std=c11 -g -O1 -fno-omit-frame-pointer \
	-Wall -Wextra -Werror -Ikernel -Itests/host -DSOL=$(HOST_SOL) \
	-fno-builtin -include $(HOST_RENAME) -MMD -MP
HOST_CFLAGS := $(HOST_COMMON_FLAGS) \
	-fsanitize=address,undefined -fno-sanitize-recover=all
HOST_LDFLAGS := -fsanitize=address,undefined
HOST_LDLIBS := -lcmocka
# Every object gets coverage for the fuzzer; only the link adds its main().
FUZZ_CFLAGS := $(HOST_COMMON_FLAGS) \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_LDFLAGS := -fsanitize=fuzzer,address,undefined

host_objs = $(patsubst %.c,$(HOST_OUT)/obj/%.o,$(1))
fuzz_objs = $(patsubst %.c,$(FUZZ_OUT)/obj/%.o,$(1))

# Stand-ins shared by tests and fuzzers, built by each (gcc for the tests,
# clang for the fuzzers): kmalloc, kzalloc and kfree over malloc; the
# region registry, user memory and events that channel.c calls.
HOST_HEAP := tests/host/host_heap.c
HOST_IPC_STUBS := tests/host/host_ipc_stubs.c

# ---- Unit tests: one executable per kernel module ---------------------

# Each module's lab: its tests run only in trees where that lab is due.
# In a student's tree of lab N (HANDOUT_LAB, conf/handout.mk) the code of
# later labs is still a stub, and its tests would only fail.
HOST_LAB_string := 0
HOST_LAB_format := 0
HOST_LAB_cmdline := 0
HOST_LAB_errno := 0
HOST_LAB_ar := 0
HOST_LAB_multiboot2 := 1
HOST_LAB_buddy := 2
HOST_LAB_vspace := 3
HOST_LAB_elf := 4
HOST_LAB_deadline := 5
HOST_LAB_cap := 6
HOST_LAB_channel := 7
host_due = $(foreach m,$(1),$(if $(HANDOUT_LAB),$(if $(shell [ $(HOST_LAB_$(m)) -le $(HANDOUT_LAB) ] && echo y),$(m)),$(m)))

HOST_TESTS := $(call host_due,string format cmdline errno ar multiboot2 buddy \
	vspace elf deadline cap channel)
HOST_TEST_BINS := $(HOST_TESTS:%=$(HOST_OUT)/test_%)

# The sources of each test: its own file, the kernel files it tests and
# the stand-ins it needs.
$(HOST_OUT)/test_string: $(call host_objs,tests/host/test_string.c \
	kernel/lib/string.c)
$(HOST_OUT)/test_format: $(call host_objs,tests/host/test_format.c \
	kernel/lib/format.c kernel/lib/string.c)
$(HOST_OUT)/test_cmdline: $(call host_objs,tests/host/test_cmdline.c \
	kernel/lib/cmdline.c kernel/lib/string.c)
$(HOST_OUT)/test_errno: $(call host_objs,tests/host/test_errno.c \
	kernel/lib/errno.c)
$(HOST_OUT)/test_ar: $(call host_objs,tests/host/test_ar.c \
	kernel/lib/ar.c kernel/lib/string.c kernel/lib/format.c)
$(HOST_OUT)/test_multiboot2: $(call host_objs,tests/host/test_multiboot2.c \
	kernel/kern/multiboot2.c kernel/lib/string.c)
$(HOST_OUT)/test_buddy: $(call host_objs,tests/host/test_buddy.c \
	kernel/mm/buddy.c kernel/lib/format.c kernel/lib/string.c)
$(HOST_OUT)/test_vspace: $(call host_objs,tests/host/test_vspace.c \
	kernel/mm/vspace.c kernel/lib/format.c kernel/lib/string.c \
	kernel/lib/errno.c $(HOST_HEAP))
$(HOST_OUT)/test_elf: $(call host_objs,tests/host/test_elf.c \
	kernel/lib/elf.c kernel/lib/string.c)
$(HOST_OUT)/test_deadline: $(call host_objs,tests/host/test_deadline.c \
	kernel/cont/deadline.c $(HOST_HEAP))
$(HOST_OUT)/test_cap: $(call host_objs,tests/host/test_cap.c \
	kernel/cap/cap.c kernel/lib/errno.c $(HOST_HEAP))
$(HOST_OUT)/test_channel: $(call host_objs,tests/host/test_channel.c \
	kernel/ipc/channel.c kernel/cap/cap.c kernel/lib/string.c \
	kernel/lib/errno.c $(HOST_HEAP) $(HOST_IPC_STUBS))

$(HOST_OUT)/test_%:
	@echo "  LINK    $@"
	$(HOST_Q)$(HOST_CC) $(HOST_LDFLAGS) -o $@ $^ $(HOST_LDLIBS)

$(HOST_OUT)/obj/%.o: %.c $(HOST_RENAME)
	@mkdir -p $(@D)
	@echo "  HOSTCC  $<"
	$(HOST_Q)$(HOST_CC) $(HOST_CFLAGS) -c $< -o $@

# Runs every test, even after a failure; one line each, and the log of a
# failing one (without its passing tests). The last line counts the test
# cases: "N passed, N failed". Fails if any test failed.
host-test: $(HOST_TEST_BINS) ## host unit tests of the pure kernel code, under ASan and UBSan
	@passed=0; failed=0; \
	for t in $(HOST_TEST_BINS); do \
		name=$${t##*/}; \
		UBSAN_OPTIONS=print_stacktrace=1 $$t > $$t.log 2>&1; status=$$?; \
		all=$$(sed -n 's/.*Running \([0-9]*\) test.*/\1/p' $$t.log); \
		bad=$$(sed -n 's/.*FAILED  \] \([0-9]*\) test.*/\1/p' $$t.log); \
		all=$${all:-1}; \
		if [ $$status -eq 0 ]; then bad=0; elif [ -z "$$bad" ]; then bad=$$all; fi; \
		passed=$$((passed + all - bad)); failed=$$((failed + bad)); \
		if [ $$status -eq 0 ]; then \
			printf '  PASS    %-18s %s tests\n' $$name "$$all"; \
		else \
			printf '  FAIL    %-18s %s of %s tests failed or crashed (log: %s)\n' \
				$$name "$$bad" "$$all" $$t.log; \
			grep -v '^\[ RUN\|^\[       OK' $$t.log | sed 's/^/          /'; \
		fi; \
	done; \
	echo "$$passed passed, $$failed failed"; \
	[ $$failed -eq 0 ]

# ---- Fuzzers ------------------------------------------------------------

HOST_FUZZERS := $(call host_due,multiboot2 buddy vspace elf cap channel)
HOST_FUZZ_BINS := $(HOST_FUZZERS:%=$(FUZZ_OUT)/fuzz_%)

$(FUZZ_OUT)/fuzz_multiboot2: $(call fuzz_objs,tests/fuzz/fuzz_multiboot2.c \
	kernel/kern/multiboot2.c kernel/lib/string.c)
$(FUZZ_OUT)/fuzz_buddy: $(call fuzz_objs,tests/fuzz/fuzz_buddy.c \
	kernel/mm/buddy.c kernel/lib/format.c kernel/lib/string.c)
$(FUZZ_OUT)/fuzz_vspace: $(call fuzz_objs,tests/fuzz/fuzz_vspace.c \
	kernel/mm/vspace.c kernel/lib/format.c kernel/lib/string.c \
	$(HOST_HEAP))
$(FUZZ_OUT)/fuzz_elf: $(call fuzz_objs,tests/fuzz/fuzz_elf.c \
	kernel/lib/elf.c kernel/lib/string.c)
$(FUZZ_OUT)/fuzz_cap: $(call fuzz_objs,tests/fuzz/fuzz_cap.c \
	kernel/cap/cap.c $(HOST_HEAP))
$(FUZZ_OUT)/fuzz_channel: $(call fuzz_objs,tests/fuzz/fuzz_channel.c \
	kernel/ipc/channel.c kernel/cap/cap.c kernel/lib/string.c \
	$(HOST_HEAP) $(HOST_IPC_STUBS))

$(FUZZ_OUT)/fuzz_%:
	@echo "  LINK    $@"
	$(HOST_Q)$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^

$(FUZZ_OUT)/obj/%.o: %.c $(HOST_RENAME)
	@mkdir -p $(@D)
	@command -v $(FUZZ_CC) > /dev/null || \
		{ echo "error: $(FUZZ_CC) not found (apt-get install clang libclang-rt-14-dev)"; exit 1; }
	@echo "  FUZZCC  $<"
	$(HOST_Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

# Each fuzzer starts from generated seeds (build/fuzz/seeds/NAME) and keeps
# what it learns in build/fuzz/corpus/NAME; a crashing input is saved as
# build/fuzz/NAME-crash-*, to replay with: build/fuzz/fuzz_NAME FILE
fuzz: $(HOST_FUZZ_BINS) ## run each fuzzer for FUZZ_SECONDS (default 30)
	@failed=0; \
	for f in $(HOST_FUZZERS); do \
		seeds=$(FUZZ_OUT)/seeds/$$f; corpus=$(FUZZ_OUT)/corpus/$$f; \
		log=$(FUZZ_OUT)/$$f.log; \
		$(PYTHON) tests/fuzz/make_corpus.py $$f $$seeds || exit 1; \
		mkdir -p $$corpus; \
		echo "  FUZZ    fuzz_$$f for $(FUZZ_SECONDS) s"; \
		if $(FUZZ_OUT)/fuzz_$$f -max_total_time=$(FUZZ_SECONDS) \
			-timeout=10 -artifact_prefix=$(FUZZ_OUT)/$$f- \
			$$corpus $$seeds > $$log 2>&1; then \
			printf '  PASS    fuzz_%-13s %s\n' $$f \
				"$$(sed -n 's/^Done \(.*\)/\1/p' $$log)"; \
		else \
			failed=1; \
			printf '  FAIL    fuzz_%-13s (log: %s)\n' $$f $$log; \
			grep -v '^#[0-9]' $$log | tail -n 40 | sed 's/^/          /'; \
		fi; \
	done; \
	exit $$failed

.PHONY: host-test fuzz

-include $(wildcard $(HOST_OUT)/obj/kernel/*/*.d $(HOST_OUT)/obj/tests/host/*.d \
	$(FUZZ_OUT)/obj/kernel/*/*.d $(FUZZ_OUT)/obj/tests/fuzz/*.d \
	$(FUZZ_OUT)/obj/tests/host/*.d)

# Alone, `make -f tests/host/host.mk` runs the tests; included, this
# fragment must not steal the top-level Makefile's default goal.
ifeq ($(HOST_STANDALONE),1)
.DEFAULT_GOAL := host-test
else
.DEFAULT_GOAL := $(HOST_SAVED_GOAL)
endif
