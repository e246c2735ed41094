"""Booting an ISO once under QEMU or Bochs and recording what happened.

QEMU writes COM1 to its stdout, which is read as it arrives and copied to
the serial log; its exit status carries the kernel's verdict through the
isa-debug-exit device. Bochs writes COM1 to a file that is polled, and its
exit status is always 1, so only the serial log and Bochs's own log (for a
triple fault or a reset) say what happened.

Both run headless. QEMU's stdin is COM1's input: the grader writes one
line there (SERIAL_INPUT) and closes it; Bochs's stdin is /dev/null.
KVM is never used: on these
machines it is a slow paravirtual backend, not hardware virtualization.
"""

import dataclasses
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from grader import watch

EMULATORS = ("qemu", "bochs")

# Time limits per boot before TIMEOUT_SCALE: Bochs is about 3x slower.
DEFAULT_LIMITS = {
    "qemu": watch.Limits(total=10.0, no_output=5.0),
    "bochs": watch.Limits(total=30.0, no_output=15.0),
}

# -no-reboot turns a triple fault into exit status 0 instead of a reboot
# loop; a write of v to port 0xf4 makes QEMU exit with (v << 1) | 1;
# -net none spares the BIOS loading a network boot ROM (about 7% of boot).
# What every QEMU run gets on COM1's input (docs/protocol.md): one line,
# for the console-input tests (lab 5). Bochs runs get none.
SERIAL_INPUT = b"baton input\n"

QEMU_COMMAND = [
    "qemu-system-x86_64", "-M", "pc", "-m", "128M", "-boot", "d",
    "-display", "none", "-serial", "stdio", "-no-reboot", "-net", "none",
    "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
]

BOCHSRC_TEMPLATE = (Path(__file__).resolve().parents[2]
                    / "conf" / "bochsrc.template")
# With reset_on_triple_fault=0 Bochs stops with this in its log.
BOCHS_TRIPLE_FAULT_MARK = "exception with no resolution"
# Logged at power-on, and again whenever the guest resets the machine.
BOCHS_RESET_MARK = "bx_pc_system_c::Reset("
# The port 0x8900 "Shutdown" a kernel ends with is logged as a panic too.
BOCHS_SHUTDOWN_MARK = "shutdown requested"
# "00047834156p[CPU0  ] >>PANIC<< " before the message in Bochs's log.
BOCHS_LINE_PREFIX = re.compile(r"^\d+\w\[(\w+)\s*\]\s*(>>PANIC<<\s*)?")
# Debugger commands for -rc: just continue. Without -rc the debugger would
# read stdin, find /dev/null and quit at once.
BOCHS_CONTINUE_COMMANDS = "c\n"


@dataclass(frozen=True)
class RunFiles:
    """The files of one boot, all in one directory and named after it."""
    iso: Path
    serial: Path
    emulator_output: Path
    bochsrc: Path
    bochs_log: Path
    bochs_commands: Path

    @classmethod
    def named(cls, directory, name, emu):
        directory = Path(directory)
        return cls(iso=directory / f"{name}.iso",
                   serial=directory / f"{name}.log",
                   emulator_output=directory / f"{name}.{emu}.out",
                   bochsrc=directory / f"{name}.bochsrc",
                   bochs_log=directory / f"{name}.bochs.log",
                   bochs_commands=directory / f"{name}.bochs.rc")


@dataclass(frozen=True)
class Run:
    """What one boot produced, for verdict.judge.

    exit_status is QEMU's (None under Bochs or after a time-out).
    reset_note is the emulator's own words when it saw a triple fault;
    emulator_note is its last complaint otherwise, or "".
    """
    emu: str
    serial: str
    seconds: float
    exit_status: int | None = None
    timeout: str | None = None
    limit: float = 0.0
    reset_note: str = ""
    emulator_note: str = ""


def boot(emu, files, limits, on_output):
    """Boot files.iso under emu; on_output(chunk) sees COM1 live."""
    boot_under = {"qemu": _boot_qemu, "bochs": _boot_bochs}[emu]
    return boot_under(files, limits, on_output)


def _boot_qemu(files, limits, on_output):
    command = QEMU_COMMAND + ["-cdrom", str(files.iso)]
    with open(files.serial, "wb") as log, \
            open(files.emulator_output, "wb") as messages:
        def record(chunk):
            log.write(chunk)
            log.flush()
            feed_input()
            on_output(chunk)

        def feed_input():
            """COM1's input, once the kernel has set the UART up (its
            first output says so): switching the UART's FIFO on would
            throw away a byte that came earlier."""
            if not process.stdin.closed:
                try:
                    process.stdin.write(SERIAL_INPUT)
                    process.stdin.close()
                except OSError:  # QEMU has gone already
                    pass
        process = watch.start(command, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=messages)
        with process.stdout:
            watched = watch.watch(process, watch.PipeSource(process.stdout),
                                  limits, record)
    note = _last_line(files.emulator_output)
    return _make_run("qemu", watched, emulator_note=note)


def _boot_bochs(files, limits, on_output):
    files.bochsrc.write_text(_bochsrc_text(files))
    files.bochs_commands.write_text(BOCHS_CONTINUE_COMMANDS)
    for stale in (files.serial, files.bochs_log):
        stale.unlink(missing_ok=True)
    command = ["bochs", "-q", "-f", str(files.bochsrc),
               "-rc", str(files.bochs_commands)]
    with open(files.emulator_output, "wb") as messages:
        process = watch.start(command, stdin=subprocess.DEVNULL,
                              stdout=messages, stderr=subprocess.STDOUT)
        watched = watch.watch(process, watch.FileSource(files.serial),
                              limits, on_output)
    # Bochs exits 1 however the guest ended: the status means nothing.
    watched = dataclasses.replace(watched, exit_status=None)
    return _make_run("bochs", watched,
                     reset_note=bochs_reset_line(files.bochs_log),
                     emulator_note=bochs_complaint(files.bochs_log))


def _bochsrc_text(files):
    """The bochsrc of one boot: conf/bochsrc.template, filled in.

    The template is the one Bochs machine every Baton tool uses: headless
    (the rfb display waits for no viewer), no reset on a triple fault,
    COM1 to a file, every Bochs panic fatal so a broken run ends.
    """
    return (BOCHSRC_TEMPLATE.read_text()
            .replace("@ISO@", str(files.iso.resolve()))
            .replace("@SERIAL@", str(files.serial.resolve()))
            .replace("@LOG@", str(files.bochs_log.resolve())))


def _make_run(emu, watched, reset_note="", emulator_note=""):
    return Run(emu=emu,
               serial=watched.output.decode("utf-8", errors="replace"),
               seconds=watched.seconds,
               exit_status=watched.exit_status,
               timeout=watched.timeout,
               limit=watched.limit,
               reset_note=reset_note,
               emulator_note=emulator_note)


def _lines_of(path):
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]


def _last_line(path):
    lines = _lines_of(path)
    return lines[-1] if lines else ""


def _bochs_words(line):
    """A Bochs log line without its timestamp: "Bochs CPU0: message"."""
    return "Bochs " + BOCHS_LINE_PREFIX.sub(r"\1: ", line)


def bochs_reset_line(bochs_log):
    """The first sign in Bochs's log of a triple fault or a reset, or "".

    The first reset line is the power-on; any later one is the guest
    resetting the machine.
    """
    resets = 0
    for line in _lines_of(bochs_log):
        resets += BOCHS_RESET_MARK in line
        if BOCHS_TRIPLE_FAULT_MARK in line or resets > 1:
            return _bochs_words(line)
    return ""


def bochs_complaint(bochs_log):
    """Bochs's last panic, which says why it stopped early, or ""."""
    panics = [line for line in _lines_of(bochs_log)
              if ">>PANIC<<" in line and BOCHS_SHUTDOWN_MARK not in line]
    return _bochs_words(panics[-1]) if panics else ""
