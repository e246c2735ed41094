"""What the grader prints for people.

One line per test, the serial lines that explain a failure, per-lab
subtotals and the score. The very last line is always "N passed, N
failed", so scripts and the Makefile can read it with `tail -1`. With -v
each test's serial output is echoed live, every line prefixed with the
test's name; a lock keeps lines from different threads whole.
"""

import threading

from grader.results import by_lab

EXCERPT_INDENT = " " * 8
_print_lock = threading.Lock()


def say(text=""):
    """Print one line (or several) without interleaving with other threads."""
    with _print_lock:
        print(text, flush=True)


def counted(number, noun):
    """Say "1 test" or "2 tests"."""
    return f"{number} {noun}" + ("" if number == 1 else "s")


def result_lines(graded):
    """The PASS/FAIL line of a test, then its failure's serial lines."""
    test = graded.test
    if graded.verdict.passed:
        return [f"  PASS  {test.name} (lab {test.lab}, {test.points} pts) "
                f"{graded.seconds:.2f}s"]
    heading = (f"  FAIL  {test.name} (lab {test.lab}, 0/{test.points} pts)"
               f" — {graded.verdict.describe()}")
    excerpt = [EXCERPT_INDENT + line for line in graded.verdict.excerpt]
    return [heading] + excerpt


def summary_lines(results, notes=()):
    """Per-lab subtotals, the score, notes, and "N passed, N failed"."""
    lines = [""]
    for lab, lab_results in by_lab(results):
        earned = sum(graded.earned for graded in lab_results)
        points = sum(graded.test.points for graded in lab_results)
        passed = sum(graded.verdict.passed for graded in lab_results)
        lines.append(f"Lab {lab}: {earned}/{points} pts "
                     f"({passed}/{len(lab_results)} tests passed)")
    earned = sum(graded.earned for graded in results)
    points = sum(graded.test.points for graded in results)
    passed = sum(graded.verdict.passed for graded in results)
    lines.append(f"Score: {earned}/{points}")
    lines.extend(notes)
    lines.append(f"{passed} passed, {len(results) - passed} failed")
    return lines


class LiveEcho:
    """Echoes a test's serial output line by line, prefixed by its name."""

    def __init__(self, name):
        self.prefix = f"[{name}] "
        self.partial = b""

    def __call__(self, chunk):
        *complete, self.partial = (self.partial + chunk).split(b"\n")
        for line in complete:
            self._echo(line)

    def flush(self):
        """Echo a last line that had no newline."""
        if self.partial:
            self._echo(self.partial)
            self.partial = b""

    def _echo(self, line):
        text = line.decode("utf-8", errors="replace").rstrip("\r")
        say(self.prefix + text)
