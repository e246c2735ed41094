"""Reading the lines a Baton kernel prints on COM1.

docs/protocol.md is the contract. A protocol line starts at the beginning
of a line with `BATON KIND` followed by `key=value` words; a `reason=` word
takes the rest of the line. `PANIC:` lines are the only other lines the
grader looks at. Everything else on the serial port is ignored.
"""

from dataclasses import dataclass

PROTOCOL_MARK = "BATON "
PANIC_MARK = "PANIC:"
SELFTEST_LAB = "selftest"

# Keys whose value runs to the end of the line, spaces included.
REST_OF_LINE_KEYS = ("reason",)


@dataclass(frozen=True)
class Message:
    """One BATON line: its kind (TEST, RESULT, EXIT, ...) and its fields."""
    kind: str
    fields: dict
    line_index: int


@dataclass(frozen=True)
class Test:
    """One kernel test as `test=list` announced it."""
    name: str
    lab: str
    points: int

    @property
    def is_selftest(self):
        return self.lab == SELFTEST_LAB

    @property
    def lab_number(self):
        """The lab as an int, or None for the grader's self-tests."""
        return None if self.is_selftest else int(self.lab)


class ListError(Exception):
    """The `test=list` output is missing, malformed or inconsistent."""


def split_lines(serial_text):
    """Split serial output into lines without their CR/LF endings."""
    lines = [line.rstrip("\r") for line in serial_text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def parse_fields(text):
    """Parse `key=value` words; a REST_OF_LINE_KEYS key ends the parse.

    A word without `=` maps to None, so callers can tell it is malformed.
    """
    fields = {}
    words = text.split(" ")
    for position, word in enumerate(words):
        if not word:
            continue
        key, has_value, value = word.partition("=")
        if key in REST_OF_LINE_KEYS and has_value:
            fields[key] = " ".join([value] + words[position + 1:])
            break
        fields[key] = value if has_value else None
    return fields


def parse_message(line, line_index=0):
    """Return the Message on a BATON line, or None for any other line."""
    if not line.startswith(PROTOCOL_MARK):
        return None
    kind, _, rest = line[len(PROTOCOL_MARK):].partition(" ")
    return Message(kind, parse_fields(rest), line_index)


def messages(lines, kind):
    """Every BATON message of the given kind, in order."""
    found = (parse_message(line, index) for index, line in enumerate(lines))
    return [message for message in found
            if message is not None and message.kind == kind]


def panic_line_index(lines, start=0):
    """Index of the first `PANIC:` line at or after start, or None."""
    for index in range(start, len(lines)):
        if lines[index].startswith(PANIC_MARK):
            return index
    return None


def parse_test(message):
    """Turn a `BATON TEST` message into a Test; raises ListError."""
    name = message.fields.get("name")
    lab = message.fields.get("lab")
    points = message.fields.get("points")
    if not name or not lab or points is None or not points.isdigit():
        raise ListError(f"malformed test line {message.fields}")
    if lab != SELFTEST_LAB and not lab.isdigit():
        raise ListError(f"test {name}: lab must be a number or "
                        f"'{SELFTEST_LAB}', not {lab!r}")
    return Test(name, lab, int(points))


def parse_test_list(lines):
    """Return the tests listed before `BATON LIST-END`; raises ListError.

    The LIST-END count must equal the number of TEST lines before it, and
    names must be unique.
    """
    ends = messages(lines, "LIST-END")
    if not ends:
        raise ListError("no 'BATON LIST-END' line")
    end = ends[0]
    listed = [message for message in messages(lines, "TEST")
              if message.line_index < end.line_index]
    tests = [parse_test(message) for message in listed]
    count = end.fields.get("count")
    if count != str(len(tests)):
        raise ListError(f"LIST-END says count={count} but "
                        f"{len(tests)} tests were listed")
    names = [test.name for test in tests]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ListError(f"tests listed twice: {', '.join(duplicates)}")
    return tests
