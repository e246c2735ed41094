#!/usr/bin/env python3
"""`make test`: every check Baton has, in one run, with one summary.

Runs each step below even when an earlier one failed, so one run shows
everything that is wrong. A step that prints "N passed, N failed" (the
grader, the host tests) counts as N checks; any other step counts as one.
The last line is the total: "N passed, N failed". Exit status 0 only if
nothing failed.
"""
import os
import re
import subprocess
import sys
import time

COUNTS = re.compile(r"^(\d+) passed, (\d+) failed\s*$", re.MULTILINE)
# Python's unittest ends with "Ran N tests" and then "OK" or "FAILED (...)".
UNITTEST_RAN = re.compile(r"^Ran (\d+) tests? in", re.MULTILINE)
# grader_selftest.py ends with "... N of M cases held".
SELFTEST_HELD = re.compile(r"(\d+) of (\d+) cases held")

# (what it checks, the command). Stage builds use their own folders. In a
# student's tree (conf/handout.mk) the master-only lab checks are left out.
MASTER_ONLY = ("check-markers", "check-exports", "check-merge")
# The steps that build compile on every core; the lab checks do the same
# themselves (tools/labs.py).
JOBS = f"-j{os.cpu_count() or 1}"
STEPS = [
    ("C formatting", ["make", "--no-print-directory", "check-format"]),
    ("Python style", ["make", "--no-print-directory", "check-python"]),
    ("grader unit tests",
     [sys.executable, "-m", "unittest", "discover", "-s", "tests",
      "-p", "test_*.py"]),
    ("host unit tests (ASan/UBSan)",
     ["make", "--no-print-directory", JOBS, "host-test"]),
    ("fuzzers, 6 s each",
     ["make", "--no-print-directory", JOBS, "fuzz", "FUZZ_SECONDS=6"]),
    ("grade, complete kernel, QEMU",
     ["make", "--no-print-directory", JOBS, "grade", "EMU=qemu"]),
    ("grade, complete kernel, Bochs",
     ["make", "--no-print-directory", "grade", "EMU=bochs"]),
    ("grader self-test, QEMU",
     ["make", "--no-print-directory", "grade-selftest", "EMU=qemu"]),
    ("grader self-test, Bochs",
     ["make", "--no-print-directory", "grade-selftest", "EMU=bochs"]),
    ("solution markers", ["make", "--no-print-directory", "check-markers"]),
    # Each student tree must fail its own lab and pass the earlier ones.
    # (`make check-stages` checks the master tree's stages the same way;
    # grading both would double the longest step for little.)
    ("student trees: each fails its lab, passes the earlier ones",
     ["make", "--no-print-directory", "check-exports"]),
    ("lab branches: a student's code survives merging the next lab",
     ["make", "--no-print-directory", "check-merge"]),
]


def step_counts(text, command, status):
    """(passed, failed) as the step reported them, or 1 for the step."""
    counts = COUNTS.findall(text)
    ran = UNITTEST_RAN.findall(text)
    held = SELFTEST_HELD.findall(text)
    if counts and "--expect-fail" not in " ".join(command):
        return tuple(map(int, counts[-1]))
    if ran and status == 0:
        return int(ran[-1]), 0
    if held:
        good, total = map(int, held[-1])
        return good, total - good
    return (1, 0) if status == 0 else (0, 1)


def run_step(title, command):
    """Runs one step, streaming its output; returns (passed, failed)."""
    print(f"\n===== {title}: {' '.join(command)}", flush=True)
    started = time.monotonic()
    # Each step is a make of its own: Python closes the parent make's
    # job-server pipes, so its MAKEFLAGS must not be inherited.
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    process = subprocess.Popen(command, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=env)
    output = []
    for line in process.stdout:
        sys.stdout.write(line)
        output.append(line)
    status = process.wait()
    passed, failed = step_counts("".join(output), command, status)
    if status != 0 and failed == 0:
        failed = 1  # it failed without saying how many: count the step
    seconds = time.monotonic() - started
    print(f"===== {title}: {'ok' if status == 0 else 'FAILED'} "
          f"({seconds:.1f} s)", flush=True)
    return passed, failed, status == 0, seconds


def steps():
    """The steps that apply to this tree."""
    if not os.path.exists("conf/handout.mk"):
        return STEPS
    return [(title, command) for title, command in STEPS
            if not any(word in MASTER_ONLY for word in command)]


def main():
    results = [(title, *run_step(title, command))
               for title, command in steps()]
    print("\n===== Summary")
    for title, passed, failed, ok, seconds in results:
        print(f"  {'ok    ' if ok else 'FAILED'} {title}: {passed} passed, "
              f"{failed} failed ({seconds:.1f} s)")
    total_passed = sum(r[1] for r in results)
    total_failed = sum(r[2] for r in results)
    print(f"{total_passed} passed, {total_failed} failed")
    sys.exit(0 if all(r[3] for r in results) else 1)


if __name__ == "__main__":
    main()
