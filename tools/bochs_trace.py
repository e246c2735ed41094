#!/usr/bin/env python3
"""Stop a kernel test at its first exception under Bochs and write it down.

    tools/bochs_trace.py --iso build/baton.iso --symbols build/baton.sym \\
        --elf build/baton.elf --test NAME --out build/bochs-trace

This is `make bochs-trace T=NAME`. Bochs's debugger reads its commands
from an -rc file written in advance, so it cannot decide what to look at
after it stops. Bochs is deterministic, though: the same ISO and the same
breakpoints reach the same instruction with the same registers again. So
Bochs runs twice:

  pass 1  breakpoints on the entry stubs of vectors 0..31 (trap_vector_N),
          `c`, then the registers and the stack: which vector, the
          faulting RIP and error code from the hardware frame, and CR2;
  pass 2  the same breakpoints, then the commands that need those values:
          `info idt N`, a disassembly around the RIP, `page CR2`.

OUT/NAME.txt holds a header (what, where, why), the pass-2 transcript and
the kernel's serial output up to the stop. Bochs has 16 linear-address
breakpoint slots, so vectors 16..31 use virtual ones (CS:RIP) instead.
A run that passes the time limit is stopped with SIGINT (the debugger's
Ctrl-C), which still shows where the kernel was; Bochs never outlives us.
"""
import argparse
import bisect
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from grader import watch  # noqa: E402

TEMPLATE = ROOT / "conf" / "bochsrc.template"
LIMIT_SECONDS = 30.0
SIGINT_GRACE_SECONDS = 5.0
LINEAR_BREAKPOINT_SLOTS = 16  # BX_DBG_MAX_LIN_BPOINTS in Bochs 2.7
KERNEL_CS = 0x8
STACK_WORDS = 12
DISASM_BEFORE_MAX = 200  # disassemble from the function start if this close
DISASM_AFTER = 16  # bytes past RIP

# SDM 3A 6.13: the vectors whose exceptions push an error code.
VECTORS_WITH_ERROR = {8, 10, 11, 12, 13, 14, 17, 21, 29, 30}
# Traps report the RIP after the instruction; faults the instruction.
TRAP_VECTORS = {3, 4}
VECTOR_PF = 14
SELECTOR_ERROR_VECTORS = {10, 11, 12, 13}
EXCEPTIONS = {
    0: ("#DE", "Divide error"), 1: ("#DB", "Debug"),
    2: ("NMI", "Non-maskable interrupt"), 3: ("#BP", "Breakpoint"),
    4: ("#OF", "Overflow"), 5: ("#BR", "Bound range exceeded"),
    6: ("#UD", "Invalid opcode"), 7: ("#NM", "Device not available"),
    8: ("#DF", "Double fault"), 9: ("#CSO", "Coprocessor segment overrun"),
    10: ("#TS", "Invalid TSS"), 11: ("#NP", "Segment not present"),
    12: ("#SS", "Stack-segment fault"), 13: ("#GP", "General protection"),
    14: ("#PF", "Page fault"), 16: ("#MF", "x87 floating-point error"),
    17: ("#AC", "Alignment check"), 18: ("#MC", "Machine check"),
    19: ("#XM", "SIMD floating-point exception"),
    20: ("#VE", "Virtualization exception"),
    21: ("#CP", "Control protection"),
    28: ("#HV", "Hypervisor injection"), 29: ("#VC", "VMM communication"),
    30: ("#SX", "Security exception"),
}
# Page-fault error code bits (SDM 3A 4.7), as kernel/arch/x86_64/trap.h.
PF_BITS = (("P", 0x01, "protection violation", "page not present"),
           ("W", 0x02, "write", "read"),
           ("U", 0x04, "user mode", "kernel mode"),
           ("R", 0x08, "reserved bit set in a paging entry",
            "no reserved bit"),
           ("I", 0x10, "instruction fetch", "not a fetch"))

# "(0) [0x000000101ac0] 0008:ffffffff80101ac0 (trap_vector_14+0): push ..."
LOCATION = re.compile(r"^\(\d+\)\.?(?:\[\d+\])? \[0x[0-9a-f]+\] "
                      r"([0-9a-f]{4}):([0-9a-f]+) \(([^)]*)\): (.*?)\s*;")
STACK_LINE = re.compile(
    r"\| STACK 0x[0-9a-f]+ \[0x([0-9a-f]+):0x([0-9a-f]+)\]")
CR2_LINE = re.compile(r"^CR2=.*?(0x[0-9a-f]+)\s*$", re.MULTILINE)
RESULT_LINE = re.compile(r"^(BATON (RESULT|EXIT) .*|PANIC: .*)$",
                         re.MULTILINE)


@dataclass(frozen=True)
class Files:
    """Everything one trace writes, in OUT and named after the test."""
    out: Path
    name: str

    def path(self, suffix):
        return (self.out / f"{self.name}{suffix}").resolve()


@dataclass(frozen=True)
class Pass:
    """One Bochs run: its transcript after `c`, split by command."""
    blocks: dict
    seconds: float
    timed_out: bool
    exited: str  # Bochs's farewell message ("" if the rc file ended it)


@dataclass(frozen=True)
class Fault:
    """What pass 1 learnt about the exception."""
    vector: int
    rip: int
    error: int | None
    cr2: int
    frame: list


# ---- Symbols ---------------------------------------------------------------

class Symbols:
    """baton.sym ("ADDR NAME" per line, sorted), for address -> name+off."""

    def __init__(self, path):
        pairs = []
        for line in Path(path).read_text().splitlines():
            fields = line.split()
            if len(fields) == 2:
                pairs.append((int(fields[0], 16), fields[1]))
        pairs.sort()
        self.addrs = [a for a, _ in pairs]
        self.names = [n for _, n in pairs]
        self.by_name = {n: a for a, n in pairs}

    def address(self, name):
        """The address of name; raises KeyError."""
        return self.by_name[name]

    def lookup(self, addr):
        """(name, offset) of the nearest symbol at or below addr, or None."""
        i = bisect.bisect_right(self.addrs, addr) - 1
        if i < 0 or addr - self.addrs[i] > 0x100000:
            return None
        return self.names[i], addr - self.addrs[i]

    def describe(self, addr):
        """"0xffffffff80105759 <lab1_pf_victim+0x9>"."""
        found = self.lookup(addr)
        where = f" <{found[0]}+{found[1]:#x}>" if found else ""
        return f"{addr:#018x}{where}"


def source_line(elf, addr):
    """"file.c:123 (function)" for addr via addr2line, or "" if unknown."""
    try:
        out = subprocess.run(["addr2line", "-f", "-e", str(elf), hex(addr)],
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    lines = out.stdout.split()
    if len(lines) < 2 or lines[1].startswith("??"):
        return ""
    path = lines[1].replace(str(ROOT) + "/", "")
    return f"{path} ({lines[0]})"


# ---- Running Bochs ---------------------------------------------------------

def write_bochsrc(iso, serial, log, bochsrc):
    """Fill conf/bochsrc.template with absolute paths; write it to bochsrc."""
    text = TEMPLATE.read_text()
    for key, value in (("@ISO@", iso), ("@SERIAL@", serial), ("@LOG@", log)):
        text = text.replace(key, str(Path(value).resolve()))
    Path(bochsrc).write_text(text)


def exception_stubs(symbols):
    """{address: vector} of trap_vector_0..31; raises KeyError."""
    return {symbols.address(f"trap_vector_{v}"): v for v in range(32)}


def breakpoint_commands(symbols):
    """One breakpoint per exception stub, trap_vector_0..31.

    Bochs 2.7 has only 16 linear breakpoint slots: the rest are virtual
    breakpoints on CS:RIP, which match only in the kernel's code segment.
    """
    commands = []
    for addr, vector in exception_stubs(symbols).items():
        if vector < LINEAR_BREAKPOINT_SLOTS:
            commands.append(f"lb {addr:#x}")
        else:
            commands.append(f"vb {KERNEL_CS:#x}:{addr:#x}")
    return commands


def run_bochs(files, tag, commands, limit):
    """Run Bochs with these rc commands; return its Pass."""
    rc, dbglog, out = (files.path(f".{tag}{suffix}")
                       for suffix in (".rc", ".dbg", ".out"))
    rc.write_text("\n".join(commands) + "\n")
    for stale in (dbglog, files.path(".serial"), files.path(".bochs.log")):
        stale.unlink(missing_ok=True)
    command = ["bochs", "-q", "-f", str(files.path(".bochsrc")),
               "-rc", str(rc), "-dbglog", str(dbglog)]
    started = time.monotonic()
    with open(out, "wb") as output:
        process = watch.start(command, stdin=subprocess.DEVNULL,
                              stdout=output, stderr=subprocess.STDOUT)
    try:
        timed_out = not _wait(process, limit)
    finally:
        if process.poll() is None:
            watch.stop(process)
    seconds = time.monotonic() - started
    transcript = dbglog.read_text(errors="replace") if dbglog.exists() else ""
    return Pass(split_blocks(transcript, commands), seconds, timed_out,
                _farewell(out.read_text(errors="replace")))


def _wait(process, limit):
    """Wait for Bochs; past the limit, Ctrl-C it so the rc file goes on.

    Returns False if the limit was reached.
    """
    try:
        process.wait(limit)
        return True
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(SIGINT_GRACE_SECONDS)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass  # run_bochs stops it for good
    return False


def _farewell(output):
    """The message Bochs printed when it ended by itself, or ""."""
    found = re.search(r"Bochs is exiting with the following message:\n(.*)",
                      output)
    return found.group(1).strip() if found else ""


def split_blocks(transcript, commands):
    """{command: its output} for the commands from the first `c` on.

    -dbglog echoes every command on a line of its own; what follows it,
    up to the next command, is that command's output.
    """
    expected = commands[commands.index("c"):]
    blocks, current = {}, None
    for line in transcript.splitlines():
        if expected and line.strip() == expected[0]:
            current = expected.pop(0)
            blocks[current] = [line]
        elif current is not None:
            blocks[current].append(line)
    return {key: "\n".join(lines) for key, lines in blocks.items()}


# ---- Reading the transcript ------------------------------------------------

def stop_location(blocks):
    """(cs, rip, symbol text, instruction) where `c` stopped, or None."""
    found = None
    for line in blocks.get("c", "").splitlines():
        match = LOCATION.match(line)
        if match:
            found = match
    if not found:
        return None
    cs, rip, sym, insn = found.groups()
    return int(cs, 16), int(rip, 16), sym.strip(), insn


def stack_words(blocks):
    """The values print-stack showed, top of stack first."""
    text = blocks.get(f"print-stack {STACK_WORDS}", "")
    return [int(hi, 16) << 32 | int(lo, 16)
            for hi, lo in STACK_LINE.findall(text)]


def parse_cr2(blocks):
    found = CR2_LINE.search(blocks.get("creg", ""))
    return int(found.group(1), 16) if found else 0


def read_fault(blocks, vector):
    """The Fault from pass 1's stack and creg, stopped at stub `vector`.

    At the stub's first instruction the stack is the hardware frame:
    [error,] rip, cs, rflags, rsp, ss.
    """
    words = stack_words(blocks)
    error = None
    if vector in VECTORS_WITH_ERROR and words:
        error, words = words[0], words[1:]
    rip = words[0] if words else 0
    return Fault(vector, rip, error, parse_cr2(blocks), words[:5])


def frame_looks_odd(fault):
    """True if the frame is not what the CPU pushes (e.g. `int $14`)."""
    if len(fault.frame) < 5:
        return True
    cs, rflags = fault.frame[1], fault.frame[2]
    return cs > 0xffff or not rflags & 0x2  # RFLAGS bit 1 is always 1


def explain_error(vector, error):
    """The error code in words, for the header."""
    if error is None:
        return "none (this vector pushes no error code)"
    if vector == VECTOR_PF:
        bits = [f"{letter}={int(bool(error & mask))} "
                f"{on if error & mask else off}"
                for letter, mask, on, off in PF_BITS]
        return f"{error:#x}: " + ", ".join(bits)
    if vector in SELECTOR_ERROR_VECTORS and error:
        table = "IDT" if error & 2 else "LDT" if error & 4 else "GDT"
        index = error >> 3 if error & 2 else error & ~7
        kind = "vector" if error & 2 else "selector"
        ext = ", external event" if error & 1 else ""
        return f"{error:#x}: {table} {kind} {index:#x}{ext}"
    return f"{error:#x}"


# ---- The two passes --------------------------------------------------------

def pass1_commands(symbols, sym_path):
    return ([f'ldsym global "{Path(sym_path).resolve()}"']
            + breakpoint_commands(symbols)
            + ["c", "r", "creg", f"print-stack {STACK_WORDS}", "q"])


def disasm_range(symbols, rip):
    """(start, end) for `u`: from the function start if it is near."""
    found = symbols.lookup(rip)
    start = rip
    if found and found[1] <= DISASM_BEFORE_MAX:
        start = rip - found[1]
    return start, rip + DISASM_AFTER


def pass2_commands(symbols, sym_path, fault):
    start, end = disasm_range(symbols, fault.rip)
    commands = pass1_commands(symbols, sym_path)[:-4]
    commands += ["r", "sreg", "creg", f"print-stack {STACK_WORDS}",
                 f"info idt {fault.vector}", f"u {start:#x} {end:#x}"]
    if fault.vector == VECTOR_PF:
        commands.append(f"page {fault.cr2:#x}")
    return commands + ["info tab", "q"]


def disassembly(blocks):
    """[(address, instruction)] from pass 2's `u` command."""
    listing = []
    for key, text in blocks.items():
        if not key.startswith("u "):
            continue
        for line in text.splitlines():
            addr, sep, rest = line.partition(": (")
            if sep and re.fullmatch(r"[0-9a-f]{16}", addr):
                insn = rest.split("): ", 1)[-1].rsplit(" ; ", 1)[0]
                listing.append((int(addr, 16), insn.strip()))
    return listing


def faulting_instruction(blocks, fault):
    """The instruction that raised the exception, as Bochs disassembles it.

    For a fault that is the one at rip; for a trap (int3, into) rip is
    already past it, so it is the one before.
    """
    listing = disassembly(blocks)
    for i, (addr, insn) in enumerate(listing):
        if addr == fault.rip:
            if fault.vector not in TRAP_VECTORS:
                return insn
            return listing[i - 1][1] if i > 0 else ""
    return ""


# ---- The report ------------------------------------------------------------

def transcript_text(bochs_pass):
    return "\n".join(bochs_pass.blocks.values())


def serial_text(files):
    path = files.path(".serial")
    text = path.read_text(errors="replace") if path.exists() else ""
    return text.replace("\r", "")


def fault_header(name, symbols, where, fault, insn):
    """The lines that say what the exception was and where."""
    mnemonic, title = EXCEPTIONS.get(fault.vector, ("#??", "Reserved"))
    lines = [f"test:        {name}",
             f"exception:   vector {fault.vector} {mnemonic} {title}"
             f" (first exception; stopped at trap_vector_{fault.vector})",
             f"error code:  {explain_error(fault.vector, fault.error)}",
             f"rip:         {symbols.describe(fault.rip)}"
             + (f"  {where}" if where else "")]
    if fault.vector in TRAP_VECTORS:
        lines.append("             (a trap: the saved rip is the "
                     "instruction AFTER the one that trapped)")
    if insn:
        lines.append(f"instruction: {insn}")
    lines.append(f"cr2:         {fault.cr2:#018x}" +
                 ("  (the address the access was for)"
                  if fault.vector == VECTOR_PF else "  (stale: not a #PF)"))
    if len(fault.frame) >= 5:
        cs, rflags, rsp, ss = fault.frame[1:5]
        lines.append(f"frame:       cs={cs:#x} rflags={rflags:#x} "
                     f"rsp={rsp:#x} ss={ss:#x}")
    if frame_looks_odd(fault):
        lines.append("warning:     this does not look like a frame the CPU "
                     "pushed (a software `int N`?): read the stack below")
    return lines


def write_report(files, header, bochs_pass, title):
    """Write OUT/NAME.txt: header, transcript, serial output."""
    rule = "=" * 72
    parts = [rule, f"make bochs-trace T={files.name}", rule, *header, "",
             f"---- {title} ----", transcript_text(bochs_pass).rstrip(), "",
             "---- serial output (COM1) up to the stop ----",
             serial_text(files).rstrip(), ""]
    report = files.path(".txt")
    report.write_text("\n".join(parts))
    return report


def bochs_log_errors(files):
    """Bochs's own error and panic lines, the last 12."""
    path = files.path(".bochs.log")
    lines = path.read_text(errors="replace").splitlines() \
        if path.exists() else []
    return [ln for ln in lines if re.match(r"^\d+[ep]\[", ln)
            and "shutdown requested" not in ln][-12:]


def where_stopped(symbols, blocks):
    """"0xffff... <fn+0x1a>: insn" for the place `c` ended, or "unknown"."""
    location = stop_location(blocks)
    if not location:
        return "an unknown place (no location in the transcript)"
    return f"{symbols.describe(location[1])}: {location[3]}"


# ---- main ------------------------------------------------------------------

def trace_fault(args, files, symbols, first, vector):
    """Pass 2 and the full report for an exception at `vector`."""
    fault = read_fault(first.blocks, vector)
    second = run_bochs(files, "pass2",
                       pass2_commands(symbols, args.symbols, fault),
                       args.timeout)
    insn = faulting_instruction(second.blocks, fault)
    where = source_line(args.elf, fault.rip)
    header = fault_header(args.test, symbols, where, fault, insn)
    if read_fault(second.blocks, vector).rip != fault.rip:
        header.append("warning:     pass 2 did not stop at the same place "
                      "as pass 1; its transcript may show another moment")
    report = write_report(files, header, second,
                          "Bochs debugger, pass 2, from the stop at the stub")
    mnemonic, title = EXCEPTIONS.get(vector, ("#??", "Reserved"))
    error = "" if fault.error is None else f", error {fault.error:#x}"
    return report, [
        f"{args.test}: vector {vector} {mnemonic} {title}{error}",
        f"  at {symbols.describe(fault.rip)}  {where}",
        f"  instruction: {insn or '?'}",
        f"  cr2={fault.cr2:#x}" + ("" if vector == VECTOR_PF
                                   else " (not a page fault)"),
        f"  Bochs ran {first.seconds:.1f} s + {second.seconds:.1f} s",
    ]


def no_fault_outcome(args, first, where, errors):
    """Lines that say why `c` ended without reaching a stub."""
    if first.timed_out:
        return [f"no exception within {args.timeout:.0f} s: the test hangs "
                "or loops.",
                f"Bochs was stopped (SIGINT, as Ctrl-C) at {where}",
                "The registers and stack at that moment are below."]
    if "no resolution" in first.exited + "".join(errors):
        return ["no exception stub was reached: the CPU could not deliver "
                "an exception",
                "(a triple fault: check the IDT, the GDT, the TSS and the "
                "stack).",
                f"Last instruction: {where}", f"Bochs: {first.exited}",
                "(Bochs ended on a panic: the last serial lines may be "
                "missing; `make qemu T=...` shows them.)"]
    if "Magic breakpoint" in first.blocks.get("c", ""):
        return ["a magic breakpoint (BOCHS_BREAK()) stopped the kernel "
                "before any exception,",
                f"at {where} (just after the xchg %bx,%bx).",
                "Its registers and stack are below; remove it to trace "
                "the exception."]
    if "r" in first.blocks:
        return [f"the debugger stopped before any exception, at {where}",
                "The registers and stack at that moment are below."]
    return ["the test raised no exception (vectors 0-31): the kernel ran "
            "to its end.", f"Last instruction: {where}",
            f"Bochs: {first.exited or '?'}"]


def trace_no_fault(args, files, symbols, first):
    """The report when `c` ended without reaching an exception stub."""
    results = [line for line, _ in RESULT_LINE.findall(serial_text(files))]
    errors = bochs_log_errors(files)
    outcome = no_fault_outcome(args, first,
                               where_stopped(symbols, first.blocks), errors)
    indent = "\n" + " " * 13
    header = [f"test:        {args.test}",
              "outcome:     " + indent.join(outcome),
              "kernel said: " + indent.join(results or ["(no BATON line)"])]
    if errors:
        header.append("bochs log:   " + indent.join(errors))
    report = write_report(files, header, first,
                          "Bochs debugger, pass 1, from `c`")
    summary = [f"{args.test}: {outcome[0]}",
               *[f"  {line}" for line in outcome[1:] + results[-2:]]]
    return report, summary[:4] + [f"  Bochs ran {first.seconds:.1f} s"]


def shown_path(path):
    """path relative to the current directory if it is below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iso", required=True)
    parser.add_argument("--symbols", required=True, help="baton.sym")
    parser.add_argument("--elf", required=True, help="baton.elf (addr2line)")
    parser.add_argument("--test", required=True)
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--timeout", type=float, default=LIMIT_SECONDS,
                        help="seconds per Bochs run (default 30)")
    return parser.parse_args()


def prepare(args):
    """Stamp the ISO copy and write the bochsrc; returns (Files, Symbols)."""
    if not re.fullmatch(r"[\w.-]+", args.test):
        sys.exit(f"bochs_trace: not a test name: {args.test!r}")
    files = Files(Path(args.out), args.test)
    files.out.mkdir(parents=True, exist_ok=True)
    iso = files.path(".iso")
    stamp = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "iso_cmdline.py"), args.iso,
         str(iso), f"test={args.test} emu=bochs"])
    if stamp.returncode != 0:
        sys.exit("bochs_trace: could not stamp the command line")
    write_bochsrc(iso, files.path(".serial"), files.path(".bochs.log"),
                  files.path(".bochsrc"))
    try:
        return files, Symbols(args.symbols)
    except (OSError, ValueError) as error:
        sys.exit(f"bochs_trace: {args.symbols}: {error}")


def main():
    args = parse_args()
    files, symbols = prepare(args)
    try:
        stubs = exception_stubs(symbols)
    except KeyError as error:
        sys.exit(f"bochs_trace: {error} is not in {args.symbols}")
    first = run_bochs(files, "pass1", pass1_commands(symbols, args.symbols),
                      args.timeout)
    location = stop_location(first.blocks)
    if location and location[1] in stubs and not first.timed_out:
        report, summary = trace_fault(args, files, symbols, first,
                                      stubs[location[1]])
    else:
        report, summary = trace_no_fault(args, files, symbols, first)
    print(f"transcript: {shown_path(report)}")
    print("\n".join(summary))
    return 1 if first.timed_out else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        watch.stop_all()
        sys.exit(130)
