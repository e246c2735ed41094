#!/usr/bin/env python3
"""Plot the IPC benchmarks: moving pages versus copying them, as an SVG.

    python3 tools/ipc_plot.py [--json build/bench.json] \\
        [--out docs/ipc-cost.svg]

Usually run through `make ipc-plot`. Reads the rows that tools/bench.py
wrote (`make bench`) and draws the one-way cost, in guest instructions,
of sending 1, 2, 16 and 512 pages from one domain to another, once by
moving the pages (zero copy) and once by copying the same bytes. Both
axes are logarithmic. If the optional rows ipc.crossover_bytes and
ipc.roundtrip_move_1 are there, they appear as captions under the plot.
Other rows are ignored. Uses only the standard library, and the same
input always gives the same bytes out.
"""
import argparse
import json
import math
import sys
from pathlib import Path
from xml.sax.saxutils import escape

PAGE_BYTES = 4096
PAGE_COUNTS = (1, 2, 16, 512)
SERIES = (
    ("move", "move (zero-copy)", "#1f6fb4"),
    ("copy", "copy", "#d0402b"),
)
CROSSOVER_ROW = "ipc.crossover_bytes"
ROUNDTRIP_ROW = "ipc.roundtrip_move_1"

WIDTH = 720
HEIGHT = 480
PLOT_LEFT = 90
PLOT_RIGHT = 690
PLOT_TOP = 50
PLOT_BOTTOM = 360
# Data stays this far inside the frame, so markers and labels fit.
PLOT_INSET = 16
TITLE = "One-way message cost: moving pages versus copying them"
X_TITLE = "Message size in bytes (log scale)"
Y_TITLE = "Guest instructions (log scale)"


class BenchError(Exception):
    """A problem with the benchmark file, worth one line to the user."""


def required_rows():
    """The names of the eight rows the plot cannot do without."""
    return [f"ipc.{series}_{pages}"
            for series, _, _ in SERIES for pages in PAGE_COUNTS]


def load_rows(json_path):
    """The benchmark file's rows as a {name: value} dictionary."""
    try:
        rows = json.loads(Path(json_path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BenchError(f"{json_path} not found: run make bench first")
    except (OSError, ValueError) as error:
        raise BenchError(f"cannot read {json_path}: {error}")
    if not isinstance(rows, list):
        raise BenchError(f"{json_path} does not hold a list of rows")
    return {row["name"]: row["value"] for row in rows
            if isinstance(row, dict) and isinstance(row.get("name"), str)
            and "value" in row}


def ipc_values(values, json_path):
    """The eight move/copy figures, checked: {(series, pages): value}."""
    missing = [name for name in required_rows() if name not in values]
    if missing:
        raise BenchError(f"{json_path} lacks {', '.join(missing)}: "
                         f"run make bench first")
    figures = {}
    for series, _, _ in SERIES:
        for pages in PAGE_COUNTS:
            name = f"ipc.{series}_{pages}"
            value = values[name]
            if not isinstance(value, int) or value <= 0:
                raise BenchError(f"{json_path}: {name} is {value!r}, "
                                 f"not a positive whole number")
            figures[series, pages] = value
    return figures


def with_commas(number):
    """A number with thousands separators, as in 12,345."""
    if isinstance(number, (int, float)) and not isinstance(number, bool):
        return f"{number:,}"
    return str(number)


def size_label(size_bytes):
    """A message size as "4 KiB" or "2 MiB"."""
    if size_bytes % (1 << 20) == 0:
        return f"{size_bytes >> 20} MiB"
    return f"{size_bytes >> 10} KiB"


def count_label(power):
    """The power of ten 10**power as "1", "100", "1k", "10M", "1G"."""
    for step, suffix in ((9, "G"), (6, "M"), (3, "k")):
        if power >= step:
            return f"{10 ** (power - step)}{suffix}"
    return str(10 ** power)


def linear_map(value, low, high, start, end):
    """Where value, between low and high, falls between start and end."""
    return start + (value - low) / (high - low) * (end - start)


class Axes:
    """The mapping from message sizes and counts to SVG coordinates."""

    def __init__(self, figures):
        log_sizes = [math.log2(pages * PAGE_BYTES) for pages in PAGE_COUNTS]
        self.x_low = min(log_sizes) - 0.5
        self.x_high = max(log_sizes) + 0.5
        log_counts = [math.log10(value) for value in figures.values()]
        self.y_low = math.floor(min(log_counts))
        self.y_high = max(math.ceil(max(log_counts)), self.y_low + 1)

    def x(self, size_bytes):
        """The horizontal position of a message size."""
        return linear_map(math.log2(size_bytes), self.x_low, self.x_high,
                          PLOT_LEFT + PLOT_INSET, PLOT_RIGHT - PLOT_INSET)

    def y(self, count):
        """The vertical position of an instruction count."""
        return linear_map(math.log10(count), self.y_low, self.y_high,
                          PLOT_BOTTOM - PLOT_INSET, PLOT_TOP + PLOT_INSET)

    def powers_of_ten(self):
        """The exponents of the y axis ticks, bottom to top."""
        return range(self.y_low, self.y_high + 1)


def text(x, y, content, anchor="middle", size=12, extra=""):
    """An SVG text element, its content escaped."""
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" '
            f'font-size="{size}"{extra}>{escape(content)}</text>')


def line(x1, y1, x2, y2, stroke, extra=""):
    """An SVG line element."""
    return (f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" '
            f'y2="{y2:.1f}" stroke="{stroke}"{extra}/>')


def circle(x, y, colour):
    """A marker for one data point."""
    return (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}" '
            f'stroke="white" stroke-width="1"/>')


def frame_and_grid(axes):
    """The plot frame, grid lines and tick labels of both axes."""
    parts = [f'<rect x="{PLOT_LEFT}" y="{PLOT_TOP}" '
             f'width="{PLOT_RIGHT - PLOT_LEFT}" '
             f'height="{PLOT_BOTTOM - PLOT_TOP}" fill="white" '
             f'stroke="#444444"/>']
    for pages in PAGE_COUNTS:
        size_bytes = pages * PAGE_BYTES
        x = axes.x(size_bytes)
        parts.append(line(x, PLOT_TOP, x, PLOT_BOTTOM, "#e4e4e4"))
        parts.append(line(x, PLOT_BOTTOM, x, PLOT_BOTTOM + 5, "#444444"))
        parts.append(text(x, PLOT_BOTTOM + 19, size_label(size_bytes)))
    for power in axes.powers_of_ten():
        y = axes.y(10 ** power)
        parts.append(line(PLOT_LEFT, y, PLOT_RIGHT, y, "#e4e4e4"))
        parts.append(line(PLOT_LEFT - 5, y, PLOT_LEFT, y, "#444444"))
        parts.append(text(PLOT_LEFT - 9, y + 4, count_label(power),
                          anchor="end"))
    return parts


def axis_titles():
    """The title of the plot and of its two axes."""
    middle_x = (PLOT_LEFT + PLOT_RIGHT) / 2
    middle_y = (PLOT_TOP + PLOT_BOTTOM) / 2
    return [
        text(WIDTH / 2, 30, TITLE, size=17, extra=' font-weight="bold"'),
        text(middle_x, PLOT_BOTTOM + 42, X_TITLE, size=13),
        text(24, middle_y, Y_TITLE, size=13,
             extra=f' transform="rotate(-90 24 {middle_y:.1f})"'),
    ]


def label_above(figures, series, pages):
    """Whether a point's label goes above it: the higher point's does."""
    other = "copy" if series == "move" else "move"
    mine, theirs = figures[series, pages], figures[other, pages]
    return mine > theirs or (mine == theirs and series == "move")


def series_lines(axes, figures):
    """One polyline with markers and value labels per series."""
    parts = []
    for series, _, colour in SERIES:
        points = [(axes.x(pages * PAGE_BYTES), axes.y(figures[series, pages]))
                  for pages in PAGE_COUNTS]
        coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{coordinates}" fill="none" '
                     f'stroke="{colour}" stroke-width="2"/>')
        for pages, (x, y) in zip(PAGE_COUNTS, points):
            parts.append(circle(x, y, colour))
            label_y = y - 9 if label_above(figures, series, pages) else y + 18
            parts.append(text(x, label_y,
                              with_commas(figures[series, pages]), size=11,
                              extra=f' fill="{colour}"'))
    return parts


def legend():
    """A box naming the two series, in the plot's top left corner."""
    left, top = PLOT_LEFT + 12, PLOT_TOP + 10
    parts = [f'<rect x="{left}" y="{top}" width="150" '
             f'height="{12 + 20 * len(SERIES)}" fill="white" '
             f'stroke="#bbbbbb"/>']
    for index, (_, title, colour) in enumerate(SERIES):
        y = top + 16 + 20 * index
        parts.append(line(left + 10, y, left + 40, y, colour,
                          extra=' stroke-width="2"'))
        parts.append(circle(left + 25, y, colour))
        parts.append(text(left + 48, y + 4, title, anchor="start"))
    return parts


def caption_lines(values):
    """The captions for the optional crossover and round trip rows."""
    lines = []
    if CROSSOVER_ROW in values:
        lines.append(f"Moving wins for messages of "
                     f"{with_commas(values[CROSSOVER_ROW])} bytes or more "
                     f"(measured: make bench)")
    if ROUNDTRIP_ROW in values:
        lines.append(f"{ROUNDTRIP_ROW}: "
                     f"{with_commas(values[ROUNDTRIP_ROW])} instructions "
                     f"(a one-page message there and back)")
    return [text(WIDTH / 2, PLOT_BOTTOM + 74 + 20 * index, caption,
                 size=12, extra=' fill="#333333"')
            for index, caption in enumerate(lines)]


def render_svg(values, figures):
    """The whole plot as the text of an SVG 1.1 document."""
    axes = Axes(figures)
    body = (frame_and_grid(axes) + axis_titles() + series_lines(axes, figures)
            + legend() + caption_lines(values))
    header = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" '
        f'width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif">',
        f'<title>{escape(TITLE)}</title>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
    ]
    return "\n".join(header + body + ["</svg>"]) + "\n"


def main():
    """Read the benchmark rows, write the plot; 0 on success, else 1."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", default="build/bench.json",
                        help="benchmark rows from make bench "
                             "(default: %(default)s)")
    parser.add_argument("--out", default="docs/ipc-cost.svg",
                        help="SVG file to write (default: %(default)s)")
    args = parser.parse_args()
    try:
        values = load_rows(args.json)
        figures = ipc_values(values, args.json)
    except BenchError as error:
        print(f"ipc_plot: {error}", file=sys.stderr)
        return 1
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_svg(values, figures), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
