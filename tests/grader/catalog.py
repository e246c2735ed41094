"""Which tests a kernel has, and which of them to run.

Discovery boots the ISO once with `test=list` and reads the `BATON TEST`
lines up to `BATON LIST-END` (docs/protocol.md). Selection then narrows
the list by lab and name; the tests that exist only for the grader's own
self-test (lab "selftest") are left out unless asked for.
"""

from dataclasses import dataclass

from grader import isos, protocol, run, verdict

LIST_NAME = "list"
LAST_LINES_SHOWN = 15


class DiscoveryError(Exception):
    """The test list could not be read; last_lines shows the serial tail."""

    def __init__(self, reason, last_lines=()):
        super().__init__(reason)
        self.last_lines = tuple(last_lines)


@dataclass(frozen=True)
class Selection:
    """Which tests to run; None means "do not filter on this"."""
    lab: str | None = None
    match: str | None = None
    labs_upto: int | None = None
    include_selftests: bool = False

    def wants(self, test):
        """True if test passes every filter."""
        if test.is_selftest and not (self.include_selftests or
                                     self.lab == protocol.SELFTEST_LAB):
            return False
        if self.lab is not None and test.lab != self.lab:
            return False
        if self.match is not None and self.match not in test.name:
            return False
        if (self.labs_upto is not None and not test.is_selftest
                and test.lab_number > self.labs_upto):
            return False
        return True

    def describe(self):
        """The filters in words, for "no test matches ..."."""
        words = []
        if self.lab is not None:
            words.append(f"lab {self.lab}")
        if self.match is not None:
            words.append(f"name containing {self.match!r}")
        if self.labs_upto is not None:
            words.append(f"labs 0..{self.labs_upto}")
        return ", ".join(words) or "no filter"


def discover(image, emu, directory, limits):
    """Boot image with test=list and return its tests.

    Raises DiscoveryError if the boot crashes or the list is malformed.
    """
    files = run.RunFiles.named(directory, LIST_NAME, emu)
    isos.write_copy(image, isos.cmdline_for_list(emu), files.iso)
    try:
        listing = run.boot(emu, files, limits, on_output=lambda chunk: None)
    except OSError as error:
        raise DiscoveryError(f"cannot start {emu}: {error}") from None
    lines = protocol.split_lines(listing.serial)
    crash = verdict.judge_crash(lines, listing)
    if crash:
        outcome, detail = crash
        raise DiscoveryError(f"{outcome}: {detail}",
                             lines[-LAST_LINES_SHOWN:])
    try:
        return protocol.parse_test_list(lines)
    except protocol.ListError as error:
        raise DiscoveryError(str(error), lines[-LAST_LINES_SHOWN:]) from None


def select(tests, selection):
    """The tests the selection wants, in listing order."""
    return [test for test in tests if selection.wants(test)]
