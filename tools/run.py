#!/usr/bin/env python3
"""Boot Baton once, headless, show its serial output, and say how it ended.

    tools/run.py --emu qemu|bochs --iso build/baton.iso [--cmdline '...']

This is `make run` and `make bochs`. It uses the grader's runner
(tests/grader/run.py), so a boot here behaves exactly like a graded one,
and explains the ending in one line: the kernel's own BATON EXIT status,
or what the emulator saw (a triple fault, a time-out). Exit status 0 only
when the kernel ended with status=pass.
"""
import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from grader import isos, run, watch  # noqa: E402

EXIT_LINE = re.compile(r"^BATON EXIT status=(\w+)", re.MULTILINE)
LIMITS = watch.Limits(total=60.0, no_output=20.0)


def how_it_ended(result):
    """One sentence about the end of the boot, and whether it passed."""
    ended = EXIT_LINE.findall(result.serial)
    if result.timeout:
        return f"stopped: no end after the {result.timeout} limit " \
               f"of {result.limit:.0f} s", False
    if result.emu == "qemu" and result.exit_status == 0:
        return "the machine reset: a triple fault (QEMU exit status 0)", False
    if result.reset_note:
        return f"the machine reset: {result.reset_note}", False
    if not ended:
        return "the emulator ended without a BATON EXIT line", False
    status = ended[-1]
    detail = f" (QEMU exit status {result.exit_status})" \
        if result.exit_status is not None else ""
    return f"the kernel ended with status={status}{detail}", status == "pass"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emu", choices=run.EMULATORS, default="qemu")
    parser.add_argument("--iso", required=True)
    parser.add_argument("--cmdline", default="")
    args = parser.parse_args()
    cmdline = f"{args.cmdline.strip()} emu={args.emu}".strip()
    with tempfile.TemporaryDirectory(prefix="baton-run-") as directory:
        files = run.RunFiles.named(directory, "run", args.emu)
        try:
            image = isos.read_image(args.iso)
            isos.write_copy(image, cmdline, files.iso)
        except (OSError, isos.CmdlineError) as error:
            sys.exit(f"run: {error}")

        def show(chunk):
            sys.stdout.write(chunk.decode("utf-8", errors="replace")
                             .replace("\r", ""))
            sys.stdout.flush()
        result = run.boot(args.emu, files, LIMITS, show)
    sentence, passed = how_it_ended(result)
    print(f"\n*** {args.emu}: {sentence}, after {result.seconds:.2f} s")
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
