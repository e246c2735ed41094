#!/usr/bin/env python3
"""Write a copy of a Baton ISO with another kernel command line.

The ISO's grub.cfg holds exactly one line that starts with
`multiboot2 /boot/baton.elf ` and is padded with spaces to a fixed length
(docs/protocol.md). Everything after that prefix up to the newline is the
command-line slot. Stamping a new command line overwrites the slot, padded
with spaces, and leaves every other byte of the image as it was, so the
ISO9660 file sizes and offsets stay valid and no new ISO has to be built.

    iso_cmdline.py IN.iso OUT.iso 'test=foo emu=qemu'
"""

import sys

SLOT_PREFIX = b"multiboot2 /boot/baton.elf "


class CmdlineError(Exception):
    """The image has no usable slot, or the command line does not fit."""


def find_slot(image):
    """Return (start, end) of the command-line slot in the image bytes.

    The slot runs from just after SLOT_PREFIX up to (not including) the
    next newline. Raises CmdlineError unless the prefix occurs exactly once
    and is followed by a newline.
    """
    count = image.count(SLOT_PREFIX)
    if count != 1:
        raise CmdlineError(
            f"expected exactly one '{SLOT_PREFIX.decode()}' line in the "
            f"image, found {count}")
    start = image.index(SLOT_PREFIX) + len(SLOT_PREFIX)
    end = image.find(b"\n", start)
    if end < 0:
        raise CmdlineError("the command-line slot has no end of line")
    return start, end


def stamp_cmdline(image, cmdline):
    """Return a copy of the image bytes with cmdline in the slot.

    Raises CmdlineError if the command line is not printable ASCII or is
    longer than the slot.
    """
    if not cmdline.isascii() or not cmdline.isprintable():
        raise CmdlineError(
            f"command line must be printable ASCII: {cmdline!r}")
    start, end = find_slot(image)
    slot_length = end - start
    if len(cmdline) > slot_length:
        raise CmdlineError(
            f"command line is {len(cmdline)} characters; the slot holds "
            f"at most {slot_length}: {cmdline!r}")
    padded = cmdline.encode("ascii").ljust(slot_length, b" ")
    return image[:start] + padded + image[end:]


def write_iso_with_cmdline(in_path, out_path, cmdline):
    """Write the ISO at in_path to out_path with cmdline stamped in.

    Raises CmdlineError (see stamp_cmdline) or OSError.
    """
    with open(in_path, "rb") as source:
        image = source.read()
    stamped = stamp_cmdline(image, cmdline)
    with open(out_path, "wb") as target:
        target.write(stamped)


def main(argv):
    """Command-line entry point; returns the process exit status."""
    if len(argv) != 4:
        print(f"usage: {argv[0]} IN.iso OUT.iso 'key=value ...'",
              file=sys.stderr)
        return 2
    in_path, out_path, cmdline = argv[1:]
    try:
        write_iso_with_cmdline(in_path, out_path, cmdline)
    except (CmdlineError, OSError) as error:
        print(f"{argv[0]}: {in_path}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
