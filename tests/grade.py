#!/usr/bin/env python3
"""Grade a Baton kernel: run each of its tests in a fresh emulator boot.

    python3 tests/grade.py [--emu qemu|bochs] [--lab N] [--match SUBSTR] ...

Steps: optionally build; boot the ISO once with `test=list` to learn the
tests; select some; boot a copy of the ISO per test with `test=NAME`
stamped into its command line, several at once; judge each serial log and
exit status as docs/protocol.md says; print the results and write
build/grade/results.json and build/grade/junit.xml.

Exit status: 0 if every selected test passed (with --expect-fail: if every
one failed), 1 if not, 2 if the grader could not run the tests at all.
`python3 tests/grade.py --help` lists the options and environment variables.
"""

import argparse
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from grader import (catalog, console, isos, protocol, results, run, verdict,
                    watch)

EXIT_ALL_AS_EXPECTED = 0
EXIT_SOME_UNEXPECTED = 1
EXIT_CANNOT_GRADE = 2
EXIT_INTERRUPTED = 130

SEED_PATTERN = re.compile(r"[0-9]+|0x[0-9a-fA-F]+")

# Stands for the whole run when a failed build leaves no test list.
BUILD_PSEUDO_TEST = protocol.Test("build", "0", 0)


class CannotGrade(Exception):
    """A problem that stops grading before any test runs."""


@dataclass(frozen=True)
class Plan:
    """Everything a worker thread needs to grade one test."""
    emu: str
    image: bytes
    directory: Path
    limits: watch.Limits
    seed: str
    verbose: bool


def environment(name, default=None):
    """An environment variable; unset and empty both mean default."""
    return os.environ.get(name) or default


def seed_word(text):
    """argparse type: a seed as the kernel reads it, decimal or 0x hex."""
    if not SEED_PATTERN.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"not a decimal or 0x hex number: {text!r}")
    return text


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Run Baton's kernel tests in QEMU or Bochs and grade "
                    "them.",
        epilog="Environment: EMU, LAB, T (--match), V=1 (--verbose), "
               "TIMEOUT_SCALE. Options win over the environment.")
    parser.add_argument("--iso", default="build/baton.iso", type=Path)
    parser.add_argument("--emu", default=environment("EMU", "qemu"),
                        help="qemu (default) or bochs")
    parser.add_argument("--lab", default=environment("LAB"),
                        help="only this lab's tests (a number or selftest)")
    parser.add_argument("--match", default=environment("T"), metavar="SUBSTR",
                        help="only tests whose name contains SUBSTR")
    parser.add_argument("--labs-upto", type=int, metavar="N",
                        help="only labs 0..N")
    parser.add_argument("--include-selftests", action="store_true",
                        help="also run lab=selftest tests (the grader's "
                             "own self-test)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        default=environment("V") == "1",
                        help="echo each test's serial output live")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count(),
                        help="emulators run at once (default: CPU count)")
    # A string default goes through type= too, so a bad TIMEOUT_SCALE
    # gets argparse's error message.
    parser.add_argument("--timeout-scale", type=float,
                        default=environment("TIMEOUT_SCALE", "1"),
                        help="multiply every time limit by this")
    parser.add_argument("--seed", default="1", type=seed_word,
                        help="seed=N on every test's command line "
                             "(decimal or 0x hex)")
    parser.add_argument("--build-cmd", metavar="COMMAND",
                        help="run this first; if it fails, every test fails")
    parser.add_argument("--out", default="build/grade", type=Path,
                        help="directory for logs, ISOs and results")
    parser.add_argument("--expect-fail", action="store_true",
                        help="succeed only if every selected test fails")
    parser.add_argument("--list", action="store_true",
                        help="only list the selected tests: name lab points")
    args = parser.parse_args(argv)
    _check_args(parser, args)
    return args


def _check_args(parser, args):
    if args.emu not in run.EMULATORS:
        parser.error(f"--emu must be one of {', '.join(run.EMULATORS)}, "
                     f"not {args.emu!r}")
    if args.lab is not None and not (args.lab.isdigit() or
                                     args.lab == protocol.SELFTEST_LAB):
        parser.error(f"--lab must be a number or selftest, not {args.lab!r}")
    if args.jobs < 1 or args.timeout_scale <= 0:
        parser.error("-j and --timeout-scale must be positive")


def selection_from(args):
    return catalog.Selection(lab=args.lab, match=args.match,
                             labs_upto=args.labs_upto,
                             include_selftests=args.include_selftests)


def build(command):
    """Run the build command; None if it worked, else why not."""
    console.say(f"grade: building: {command}")
    status = subprocess.run(command, shell=True).returncode
    if status == 0:
        return None
    return f"'{command}' exited with status {status}"


def load_image(iso):
    try:
        return isos.read_image(iso)
    except FileNotFoundError:
        raise CannotGrade(f"no ISO at {iso} (run make first)") from None
    except (OSError, isos.CmdlineError) as error:
        raise CannotGrade(f"{iso}: {error}") from None


def discover_selected(args, image, directory, limits):
    """The selected tests, printing the serial tail if listing fails."""
    try:
        tests = catalog.discover(image, args.emu, directory, limits)
    except catalog.DiscoveryError as error:
        lines = [f"could not list the tests (test=list under {args.emu}): "
                 f"{error}"]
        if error.last_lines:
            lines.append("  last serial lines:")
            lines += [console.EXCERPT_INDENT + line
                      for line in error.last_lines]
        raise CannotGrade("\n".join(lines)) from None
    selection = selection_from(args)
    selected = catalog.select(tests, selection)
    if not selected:
        raise CannotGrade(f"no test matches {selection.describe()}")
    return selected


def check_cmdlines(plan, tests):
    """Fail early if a test's command line does not fit the ISO's slot."""
    for test in tests:
        cmdline = isos.cmdline_for_test(test.name, plan.emu, plan.seed)
        try:
            isos.check_cmdline(plan.image, cmdline)
        except isos.CmdlineError as error:
            raise CannotGrade(f"test {test.name}: {error}") from None


def grade_one(test, plan):
    """Boot a fresh copy of the ISO running test and judge the run."""
    files = run.RunFiles.named(plan.directory, test.name, plan.emu)
    cmdline = isos.cmdline_for_test(test.name, plan.emu, plan.seed)
    isos.write_copy(plan.image, cmdline, files.iso)
    echo = console.LiveEcho(test.name) if plan.verbose else None
    booted = run.boot(plan.emu, files, plan.limits,
                      on_output=echo or (lambda chunk: None))
    if echo:
        echo.flush()
    return results.Graded(test, verdict.judge(test.name, booted),
                          booted.seconds, str(files.serial))


def announce(graded):
    """Print a test's result lines; return graded."""
    console.say("\n".join(console.result_lines(graded)))
    return graded


def grade_all(tests, plan, jobs):
    """Grade tests, jobs at a time, printing each result in list order."""
    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = [pool.submit(grade_one, test, plan) for test in tests]
        graded = [announce(future.result()) for future in futures]
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        watch.stop_all()
        raise
    pool.shutdown()
    return graded


def tests_after_failed_build(args, directory, limits):
    """The tests a failed build fails: listed by the old ISO if it boots."""
    try:
        image = load_image(args.iso)
        return discover_selected(args, image, directory, limits)
    except CannotGrade:
        return [BUILD_PSEUDO_TEST]


def grade(args, directory):
    """Build, discover, select and run: the list of Graded tests."""
    limits = run.DEFAULT_LIMITS[args.emu].scaled(args.timeout_scale)
    build_problem = build(args.build_cmd) if args.build_cmd else None
    if build_problem:
        tests = tests_after_failed_build(args, directory, limits)
        return [announce(results.Graded(test,
                                        verdict.build_failure(build_problem)))
                for test in tests]
    plan = Plan(args.emu, load_image(args.iso), directory, limits,
                args.seed, args.verbose)
    tests = discover_selected(args, plan.image, directory, limits)
    check_cmdlines(plan, tests)
    console.say(f"grade: {console.counted(len(tests), 'test')} under "
                f"{args.emu} from {args.iso}, {args.jobs} at a time")
    return grade_all(tests, plan, args.jobs)


def build_failed(graded):
    return any(item.verdict.outcome == verdict.BUILD_FAILURE
               for item in graded)


def expectation_met(graded, expect_fail):
    """Every test passed, or with expect_fail, every test failed.

    A build failure never meets an expectation: a stage that does not
    build fails its lab's tests for the wrong reason.
    """
    if build_failed(graded):
        return False
    return all(item.verdict.passed != expect_fail for item in graded)


def expect_fail_notes(graded):
    """The --expect-fail line for the summary."""
    passed = [item.test.name for item in graded if item.verdict.passed]
    if build_failed(graded):
        return ["expect-fail: the build failed, so nothing was tested"]
    if not passed:
        return ["expect-fail: every selected test failed, as expected"]
    return [f"expect-fail: these tests should have failed but passed: "
            f"{', '.join(passed)}"]


def report(graded, args, seconds):
    """Write results.json and junit.xml, and print the summary."""
    results.write_json(graded, args.out / "results.json")
    results.write_junit(graded, args.out / "junit.xml",
                        title=f"baton {args.emu}")
    notes = expect_fail_notes(graded) if args.expect_fail else []
    console.say(f"\nRan {console.counted(len(graded), 'test')} under "
                f"{args.emu} in {seconds:.1f}s; logs in "
                f"{args.out / args.emu}")
    console.say("\n".join(console.summary_lines(graded, notes)))


def list_tests(args, directory):
    """--list: print the selected tests, one "name lab points" line each."""
    limits = run.DEFAULT_LIMITS[args.emu].scaled(args.timeout_scale)
    for test in discover_selected(args, load_image(args.iso), directory,
                                  limits):
        console.say(f"{test.name} {test.lab} {test.points}")


def main(argv=None):
    args = parse_args(argv)
    directory = args.out / args.emu
    directory.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    try:
        if args.list:
            list_tests(args, directory)
            return EXIT_ALL_AS_EXPECTED
        graded = grade(args, directory)
    except CannotGrade as error:
        console.say(f"grade: {error}")
        return EXIT_CANNOT_GRADE
    except KeyboardInterrupt:
        console.say("grade: interrupted")
        return EXIT_INTERRUPTED
    report(graded, args, time.monotonic() - started)
    if expectation_met(graded, args.expect_fail):
        return EXIT_ALL_AS_EXPECTED
    return EXIT_SOME_UNEXPECTED


if __name__ == "__main__":
    sys.exit(main())
