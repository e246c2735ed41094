#!/usr/bin/env python3
"""End-to-end self-test: does the grader catch the kernel's broken tests?

The kernel registers deliberately broken tests with lab=selftest (a hang,
a triple fault, a panic, a lie, ...). This script runs the real grader on
them in the real emulator and checks that each is reported with the right
outcome, that the control test passes, and that a failed build fails every
test. It prints one line per case and exits 0 only if every case held.

    python3 tests/grader_selftest.py [--emu qemu|bochs] [--iso PATH]

Time limits are scaled down so that the hanging test is stopped soon:
after SILENCE_SECONDS without serial output, counted from the start of the
boot. Bochs gets longer, as its BIOS and GRUB alone stay silent for a
second or two when both cores are busy.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from grader import run

GRADE = Path(__file__).resolve().parent / "grade.py"
SILENCE_SECONDS = {"qemu": 2.0, "bochs": 4.0}

# Test name -> (expected outcome, words the detail must contain).
EXPECTED = {
    "selftest_hang": ("timeout", "no-output"),
    "selftest_triple": ("triple fault/reboot", ""),
    "selftest_panic": ("panic", ""),
    "selftest_silent": ("no result line", ""),
    "selftest_wrong_name": ("wrong result line", "result names"),
    "selftest_lie": ("wrong result line", "result says pass"),
    "selftest_fail": ("fail", "deliberate"),
    "selftest_leak": ("fail", "(1 not given back)"),
    "selftest_pass": ("pass", ""),
}
SELFTEST_PREFIX = "selftest_"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emu", default=os.environ.get("EMU") or "qemu",
                        choices=run.EMULATORS)
    parser.add_argument("--iso", default="build/baton.iso")
    parser.add_argument("--out", default="build/grade-selftest", type=Path)
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count())
    return parser.parse_args()


def run_grader(args, label, *options):
    """Run grade.py on the self-tests: (exit status, its output).

    The output is also kept in OUT/grader-LABEL.txt for a closer look.
    """
    scale = (SILENCE_SECONDS[args.emu] /
             run.DEFAULT_LIMITS[args.emu].no_output)
    command = [sys.executable, str(GRADE), "--emu", args.emu,
               "--iso", args.iso, "--out", str(args.out),
               "-j", str(args.jobs), "--timeout-scale", f"{scale:.3f}",
               "--include-selftests", "--match", SELFTEST_PREFIX, *options]
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("LAB", "T", "V", "TIMEOUT_SCALE")}
    finished = subprocess.run(command, capture_output=True, text=True,
                              env=environment)
    output = finished.stdout + finished.stderr
    (args.out / f"grader-{label}.txt").write_text(output)
    return finished.returncode, output


def read_records(args):
    """results.json of the last grader run, by test name."""
    path = args.out / "results.json"
    try:
        records = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return {record["name"]: record for record in records}


def check_outcomes(records):
    """(case, held, what happened) for each broken test."""
    cases = []
    for name, (outcome, words) in EXPECTED.items():
        record = records.get(name)
        if record is None:
            cases.append((name, False, "not run (is it registered?)"))
            continue
        got = record["outcome"]
        if record["detail"]:
            got += ": " + record["detail"]
        held = record["outcome"] == outcome and words in record["detail"]
        cases.append((name, held, f"{got} ({record['seconds']:.1f}s)"))
    return cases


def check_grading_run(status, output):
    """Cases about the grader's exit status and last line."""
    failed = sum(outcome != "pass" for outcome, _ in EXPECTED.values())
    expected_last = f"{len(EXPECTED) - failed} passed, {failed} failed"
    lines = output.rstrip("\n").splitlines()
    last = lines[-1] if lines else ""
    return [("exit status", status == 1, f"grader exited {status}"),
            ("last line", last == expected_last, repr(last))]


def check_build_failure(args):
    """The case of a build command that fails."""
    status, _ = run_grader(args, "build-failure", "--build-cmd", "false")
    records = read_records(args)
    outcomes = {record["outcome"] for record in records.values()}
    held = (status != 0 and set(records) == set(EXPECTED) and
            outcomes == {"build failure"})
    return ("build failure", held,
            f"grader exited {status}; outcomes {sorted(outcomes)} for "
            f"{len(records)} tests")


def check_expect_fail(args):
    """--expect-fail succeeds when every selected test fails."""
    status, _ = run_grader(args, "expect-fail", "--expect-fail",
                           "--lab", "selftest",
                           "--match", "selftest_fail")
    return ("expect-fail", status == 0, f"grader exited {status}")


def main():
    args = parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    status, output = run_grader(args, "outcomes")
    cases = check_outcomes(read_records(args))
    cases += check_grading_run(status, output)
    cases.append(check_expect_fail(args))
    cases.append(check_build_failure(args))
    for case, held, happened in cases:
        print(f"  {'ok   ' if held else 'WRONG'}  {case}: {happened}")
    wrong = sum(not held for _, held, _ in cases)
    print(f"grader self-test under {args.emu}: "
          f"{len(cases) - wrong} of {len(cases)} cases held")
    if wrong:
        print(f"the grader's own output is in {args.out}/grader-*.txt")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
