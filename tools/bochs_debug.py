#!/usr/bin/env python3
"""Run Baton under Bochs's internal debugger, typed at from this terminal.

    tools/bochs_debug.py --iso build/run.iso --symbols build/baton.sym \\
        --out build/bochs-debug

This is `make bochs-debug` (T=TEST picks a test, as for `make qemu`). It
writes OUT/bochsrc from conf/bochsrc.template (COM1 to OUT/serial.log,
Bochs's log to OUT/bochs.log) and OUT/debug.rc, which loads the kernel's
symbols; Bochs then reads further commands from the terminal. Bochs's
debugger has no echo command, so the help is printed from here first.
The whole session is also saved to OUT/transcript.log (-dbglog).

Ctrl-C goes to Bochs (it stops the simulation and prompts again), not to
this script; `q` quits. Bochs does not outlive this script.
"""
import argparse
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

from bochs_trace import Symbols, write_bochsrc

# Functions worth a breakpoint, shown with their addresses in the help.
USEFUL_FUNCTIONS = ("kmain", "trap_dispatch", "panic_at", "panic_trap")
TERMINATE_GRACE_SECONDS = 5.0
# Bochs's start-up chatter on stderr ("00000000000i[PLUGIN] loaded ..."),
# which would scroll the help away. Errors and panics still get through.
INFO_LINE = re.compile(rb"^\d+i\[")

HELP = """\
Bochs debugger for Baton. The machine is stopped at its first instruction
(the BIOS, t=0); the kernel's symbols are loaded, so names appear in
disassembly and stacks. Serial output (COM1) goes to a file; watch it in
another terminal with

    tail -F {serial}

Commands (type them at the <bochs:N> prompt):
  c                     continue; Ctrl-C stops again and gives the prompt
  lb 0xADDR             break at a kernel address (not a name: look it up
                        with  grep ' kmain$' {symbols})
  info break   d N      list breakpoints; delete breakpoint N
  s / n                 one instruction / one instruction, stepping over calls
  r   sreg   creg       registers; segments; CR0 CR2 CR3 CR4 EFER
  u /10 [0xADDR]        disassemble 10 instructions (from RIP by default)
  print-stack 12        12 stack words, with symbol names
  bt                    walk the frame-pointer chain
  x /4gx 0xADDR         memory at a virtual address (xp: physical)
  page 0xADDR           translate an address through the page tables
  info idt N   info gdt   info tab   info cpu
  q                     quit
BOCHS_BREAK() in the kernel (arch/x86_64/bochs.h) stops here too.
Handy breakpoints:
{breakpoints}
"""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iso", required=True)
    parser.add_argument("--symbols", required=True, help="baton.sym")
    parser.add_argument("--out", required=True, help="output directory")
    return parser.parse_args()


def help_text(symbols, symbols_path, serial):
    """The help, with the addresses of a few useful functions."""
    lines = []
    for name in USEFUL_FUNCTIONS:
        try:
            lines.append(f"  lb {symbols.address(name):#x}   # {name}")
        except KeyError:
            continue
    return HELP.format(serial=serial, symbols=symbols_path,
                       breakpoints="\n".join(lines))


def copy_errors(pipe):
    """Copy Bochs's stderr to ours, without the info lines."""
    with pipe:
        for line in pipe:
            if not INFO_LINE.match(line):
                sys.stderr.buffer.write(line)
                sys.stderr.flush()


def run_interactive(command):
    """Run Bochs on this terminal; returns its exit status.

    Bochs shares our process group, so the terminal's Ctrl-C reaches it;
    we only ignore it here (a handler, not SIG_IGN, which Bochs would
    inherit).
    """
    previous = signal.signal(signal.SIGINT, lambda signum, frame: None)
    process = subprocess.Popen(command, stderr=subprocess.PIPE)
    errors = threading.Thread(target=copy_errors, args=(process.stderr,))
    errors.start()
    try:
        return process.wait()
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(TERMINATE_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        errors.join()
        signal.signal(signal.SIGINT, previous)


def main():
    args = parse_args()
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    serial, rc = out / "serial.log", out / "debug.rc"
    symbols_path = Path(args.symbols).resolve()
    if not Path(args.iso).is_file():
        sys.exit(f"bochs_debug: no ISO at {args.iso} (make builds it)")
    try:
        symbols = Symbols(symbols_path)
    except (OSError, ValueError) as error:
        sys.exit(f"bochs_debug: {args.symbols}: {error}")
    write_bochsrc(args.iso, serial, out / "bochs.log", out / "bochsrc")
    rc.write_text(f'ldsym global "{symbols_path}"\n')
    serial.unlink(missing_ok=True)
    if not sys.stdin.isatty():
        print("bochs_debug: stdin is not a terminal; Bochs reads its "
              "commands from it", file=sys.stderr)
    print(help_text(symbols, args.symbols, serial), flush=True)
    try:
        status = run_interactive(
            ["bochs", "-q", "-f", str(out / "bochsrc"), "-rc", str(rc),
             "-dbglog", str(out / "transcript.log")])
    except OSError as error:
        sys.exit(f"bochs_debug: cannot run bochs: {error} (make deps-all)")
    # Bochs exits 1 when the kernel shuts the machine down: not an error.
    print(f"\nBochs ended (status {status}).\nSerial output: {serial}\n"
          f"Session transcript: {out / 'transcript.log'}\n"
          f"Bochs's log: {out / 'bochs.log'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
