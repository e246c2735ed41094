#!/usr/bin/env python3
"""Run the in-kernel benchmarks and report them as a table and as JSON.

    tools/bench.py --iso build/baton.iso --json build/bench.json

Boots the kernel with `bench=1` under QEMU with `-icount shift=0`, where
the time stamp counter counts executed guest instructions: every figure
is exact and the same on every run, whatever else the machine is doing.
The kernel prints one `BATON BENCH name=... value=... unit=...` line per
row (kernel/kern/bench.h); this script collects them, prints a table and
writes the rows to the JSON file as a list of {"name", "value", "unit"}.
With --host, host programs (tests/host/bench_*.c) add rows measured on
the host CPU in nanoseconds, as a second view of the same code.
"""
import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from grader import isos, run  # noqa: E402

BENCH_LINE = re.compile(
    r"^BATON BENCH name=(\S+) value=([\d.]+) unit=(\S+)", re.MULTILINE)
TIMEOUT_SECONDS = 120


def boot_with_icount(iso):
    """The serial output of one `bench=1` boot under instruction counting."""
    # sleep=off: an idle guest does not let real time into the clock.
    command = run.QEMU_COMMAND + ["-icount", "shift=0,sleep=off",
                                  "-cdrom", str(iso)]
    done = subprocess.run(command, stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=TIMEOUT_SECONDS)
    serial = done.stdout.decode("utf-8", errors="replace")
    if done.returncode != 33:
        sys.exit(f"bench: the kernel did not pass (QEMU exit status "
                 f"{done.returncode}); its output:\n{serial[-2000:]}")
    return serial


def number(text):
    """An int if the value is whole (instruction counts), else a float."""
    return float(text) if "." in text else int(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iso", required=True)
    parser.add_argument("--json", required=True)
    parser.add_argument("--host", action="append", default=[],
                        metavar="PROGRAM",
                        help="also run this host benchmark program, which "
                             "prints BATON BENCH lines too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="baton-bench-") as directory:
        iso = Path(directory) / "bench.iso"
        isos.write_copy(isos.read_image(args.iso), "bench=1 emu=qemu", iso)
        serial = boot_with_icount(iso)
    for program in args.host:
        serial += subprocess.run([program], check=True, capture_output=True,
                                 text=True).stdout
    rows = sorted(({"name": name, "value": number(value), "unit": unit}
                   for name, value, unit in BENCH_LINE.findall(serial)),
                  key=lambda row: row["name"])
    if not rows:
        sys.exit("bench: the kernel printed no BATON BENCH lines")
    width = max(len(row["name"]) for row in rows)
    print(f"{'benchmark':<{width}}  {'value':>14}  unit")
    for row in rows:
        print(f"{row['name']:<{width}}  {row['value']:>14,}  {row['unit']}")
    Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")
    print(f"(instructions: QEMU -icount shift=0, exact; ns: the host, "
          f"median of runs; written to {args.json})")


if __name__ == "__main__":
    main()
