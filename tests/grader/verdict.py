"""Deciding a test's outcome from its serial log and exit status.

This is docs/protocol.md "How the grader decides" in code. A test passes
only when its log holds exactly one `BATON RESULT` line, naming the test,
with status=pass, followed by `BATON EXIT status=pass`, and (under QEMU)
the exit status is 33; the emulator must also have ended by itself, with
no time-out and no reset. Everything else fails with one named outcome,
checked in this order, most telling evidence first:

    panic                a `PANIC:` line that no result line follows
    triple fault/reboot  QEMU exit status 0, or Bochs logged a triple
                         fault or a reset: a pass before it does not count
    timeout              the run was stopped (total or no-output limit)
    no result line       no `BATON RESULT` line at all
    wrong result line    two result lines, another test's name, a bad
                         status, no `BATON EXIT` after it, or an exit
                         (line or QEMU status) that disagrees with it
    fail                 the test said status=fail, and exited so
    build failure        the build command failed (see build_failure)

A panic that a result line follows was expected: tests of the panic path
catch it, check what it printed, and report their own result.
"""

from dataclasses import dataclass

from grader import protocol

PASS = "pass"
FAIL = "fail"
PANIC = "panic"
TIMEOUT = "timeout"
TRIPLE_FAULT = "triple fault/reboot"
NO_RESULT = "no result line"
WRONG_RESULT = "wrong result line"
BUILD_FAILURE = "build failure"

RESULT_STATUSES = (PASS, FAIL)
QEMU_TRIPLE_FAULT_STATUS = 0
QEMU_STATUS_MEANING = {33: "pass", 35: "fail", 37: "panic"}
QEMU_STATUS_FOR = {"pass": 33, "fail": 35}

PANIC_EXCERPT_LINES = 25
TAIL_EXCERPT_LINES = 15


@dataclass(frozen=True)
class Verdict:
    """A test's outcome, a detail for people, and the log lines to show."""
    outcome: str
    detail: str = ""
    excerpt: tuple = ()

    @property
    def passed(self):
        return self.outcome == PASS

    def describe(self):
        """The outcome, with ": detail" after it when there is one."""
        if not self.detail:
            return self.outcome
        return f"{self.outcome}: {self.detail}"


def judge(test_name, run):
    """The Verdict on one run (a run.Run) of the test test_name."""
    lines = protocol.split_lines(run.serial)
    outcome, detail = (judge_crash(lines, run) or
                       _judge_result(test_name, lines, run))
    return Verdict(outcome, detail, excerpt_of(lines, outcome))


def build_failure(detail):
    """The Verdict on every test when the build command failed."""
    return Verdict(BUILD_FAILURE, detail)


def judge_crash(lines, run):
    """(outcome, detail) if the run panicked, reset or timed out; else None.

    These outcomes trump the result line: a pass followed by a triple
    fault is not a pass.
    """
    panic_index = unhandled_panic_index(lines)
    if panic_index is not None:
        message = lines[panic_index][len(protocol.PANIC_MARK):].strip()
        return PANIC, message
    if run.emu == "qemu" and run.exit_status == QEMU_TRIPLE_FAULT_STATUS:
        return TRIPLE_FAULT, ("QEMU exit status 0: the CPU reset, which "
                              "under -no-reboot means a triple fault")
    if run.reset_note:
        return TRIPLE_FAULT, run.reset_note
    if run.timeout == "total":
        return TIMEOUT, f"total: still running after {run.limit:.1f}s"
    if run.timeout == "no-output":
        return TIMEOUT, f"no-output: nothing on COM1 for {run.limit:.1f}s"
    return None


def _judge_result(test_name, lines, run):
    results = protocol.messages(lines, "RESULT")
    if not results:
        return NO_RESULT, _how_it_ended(lines, run)
    if len(results) > 1:
        return WRONG_RESULT, f"{len(results)} result lines, expected one"
    result = results[0]
    problem = (_result_problem(test_name, result) or
               _exit_problem(lines, run, result))
    if problem:
        return WRONG_RESULT, problem
    if result.fields["status"] == FAIL:
        return FAIL, result.fields.get("reason") or "(no reason given)"
    return PASS, ""


def _result_problem(test_name, result):
    """What is wrong with the result line itself, or None."""
    name = result.fields.get("name")
    if name != test_name:
        return f"result names {name!r}, not {test_name!r}"
    status = result.fields.get("status")
    if status not in RESULT_STATUSES:
        return f"status={status} is neither pass nor fail"
    return None


def _exit_problem(lines, run, result):
    """How the way the kernel ended disagrees with its result, or None."""
    status = result.fields["status"]
    exits = [message for message in protocol.messages(lines, "EXIT")
             if message.line_index > result.line_index]
    if not exits:
        return f"result says {status} but no 'BATON EXIT' line follows it"
    exit_line_status = exits[0].fields.get("status")
    if exit_line_status != status:
        return (f"result says {status} but the kernel exited with "
                f"BATON EXIT status={exit_line_status}")
    if run.emu == "qemu" and run.exit_status != QEMU_STATUS_FOR[status]:
        return f"result says {status} but {_qemu_status_words(run)}"
    return None


def _how_it_ended(lines, run):
    """A short account of the end of a run that printed no result."""
    exits = protocol.messages(lines, "EXIT")
    words = []
    if exits:
        words.append(f"BATON EXIT status={exits[-1].fields.get('status')}")
    if run.emu == "qemu":
        words.append(_qemu_status_words(run))
    elif run.emulator_note:
        words.append(run.emulator_note)
    return "; ".join(words)


def _qemu_status_words(run):
    """QEMU's exit status, what it means, and QEMU's complaint if odd."""
    status = run.exit_status
    meaning = QEMU_STATUS_MEANING.get(status)
    if meaning:
        return f"QEMU exit status {status} ({meaning})"
    note = f": {run.emulator_note}" if run.emulator_note else ""
    return f"QEMU exit status {status} (not a protocol status){note}"


def unhandled_panic_index(lines):
    """Index of the first `PANIC:` line after the last result, or None."""
    results = protocol.messages(lines, "RESULT")
    start = results[-1].line_index + 1 if results else 0
    return protocol.panic_line_index(lines, start)


def excerpt_of(lines, outcome):
    """The log lines that explain an outcome.

    None for a pass, the PANIC block for a panic, the last lines otherwise.
    """
    if outcome == PASS:
        return ()
    if outcome == PANIC:
        start = unhandled_panic_index(lines)
        return tuple(lines[start:start + PANIC_EXCERPT_LINES])
    return tuple(lines[-TAIL_EXCERPT_LINES:])
