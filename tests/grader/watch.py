"""Watching an emulator process: time limits, serial output, stopping it.

A boot ends in one of three ways: the emulator exits by itself, it runs
past the total time limit, or the serial port stays silent for longer than
the no-output limit. On a time-out the emulator's whole process group gets
SIGTERM, then SIGKILL if it has not gone after a grace period.

Every emulator started here is remembered until it ends, so that stop_all
can end them when the grader is interrupted: they run in their own session
and would not see the terminal's Ctrl-C.
"""

import os
import select
import signal
import subprocess
import threading
import time
from dataclasses import dataclass

POLL_SECONDS = 0.05
KILL_GRACE_SECONDS = 2.0
READ_CHUNK_BYTES = 65536

_live_processes = set()
_live_lock = threading.Lock()
_stopping = threading.Event()


class Stopped(Exception):
    """An emulator was about to start after stop_all: the grader is ending."""


@dataclass(frozen=True)
class Limits:
    """Time limits of one boot, in seconds."""
    total: float
    no_output: float

    def scaled(self, factor):
        return Limits(self.total * factor, self.no_output * factor)


@dataclass(frozen=True)
class Watched:
    """How a watched process ended.

    exit_status is None when the process was stopped on a time-out;
    timeout is then "total" or "no-output" and limit the seconds allowed.
    """
    output: bytes
    seconds: float
    exit_status: int | None
    timeout: str | None = None
    limit: float = 0.0


class PipeSource:
    """Serial output the emulator writes to a pipe (QEMU's stdout)."""

    def __init__(self, pipe):
        self.fd = pipe.fileno()
        self.at_end = False

    def read(self, wait):
        """Bytes that arrived within `wait` seconds; b"" if none."""
        if self.at_end:
            time.sleep(wait)
            return b""
        ready, _, _ = select.select([self.fd], [], [], wait)
        if not ready:
            return b""
        chunk = os.read(self.fd, READ_CHUNK_BYTES)
        self.at_end = not chunk
        return chunk

    def drain(self):
        """Everything left once the process is gone."""
        rest = b""
        while not self.at_end:
            rest += self.read(POLL_SECONDS)
        return rest


class FileSource:
    """Serial output the emulator writes to a file (Bochs's com1)."""

    def __init__(self, path):
        self.path = path
        self.offset = 0

    def read(self, wait):
        time.sleep(wait)
        return self.drain()

    def drain(self):
        try:
            with open(self.path, "rb") as log:
                log.seek(self.offset)
                chunk = log.read()
        except FileNotFoundError:
            return b""
        self.offset += len(chunk)
        return chunk


def start(command, **popen_options):
    """Start command in a new session (its own process group).

    Raises Stopped once stop_all has been called.
    """
    with _live_lock:
        if _stopping.is_set():
            raise Stopped(command[0])
        process = subprocess.Popen(command, start_new_session=True,
                                   **popen_options)
        _live_processes.add(process)
    return process


def stop(process):
    """End the process group: SIGTERM, then SIGKILL after a grace period."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(KILL_GRACE_SECONDS)
            break
        except subprocess.TimeoutExpired:
            pass  # Still there: escalate to the next signal.
    process.wait()


def stop_all():
    """Stop every emulator still running, and refuse to start more."""
    with _live_lock:
        _stopping.set()
        processes = list(_live_processes)
    for process in processes:
        stop(process)


def _forget(process):
    with _live_lock:
        _live_processes.discard(process)


def _exceeded(limits, now, started, last_output):
    """Which limit the process is past at time now, if any."""
    if now - started > limits.total:
        return "total", limits.total
    if now - last_output > limits.no_output:
        return "no-output", limits.no_output
    return None, 0.0


def watch(process, source, limits, on_output):
    """Collect the process's serial output until it exits or times out.

    on_output(chunk) is called with each piece of output as it arrives.
    """
    output = bytearray()
    started = last_output = time.monotonic()
    timeout, limit = None, 0.0
    while process.poll() is None:
        chunk = source.read(POLL_SECONDS)
        now = time.monotonic()
        if chunk:
            last_output = now
            output += chunk
            on_output(chunk)
        timeout, limit = _exceeded(limits, now, started, last_output)
        if timeout:
            stop(process)
            break
    rest = source.drain()
    if rest:
        output += rest
        on_output(rest)
    _forget(process)
    seconds = time.monotonic() - started
    exit_status = None if timeout else process.returncode
    return Watched(bytes(output), seconds, exit_status, timeout, limit)
