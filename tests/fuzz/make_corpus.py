#!/usr/bin/env python3
"""Writes the seed corpus for tests/fuzz/fuzz_multiboot2.c.

Usage: make_corpus.py OUTDIR

Each seed is a well-formed multiboot2 information structure (Multiboot2
specification, section 3.6) of a different shape, so the fuzzer starts from
inputs that reach every tag parser instead of having to discover the format.
The seeds are generated, not kept in git as binary files.
"""

import os
import struct
import sys

TAG_END = 0
TAG_CMDLINE = 1
TAG_LOADER_NAME = 2
TAG_MODULE = 3
TAG_BASIC_MEMINFO = 4
TAG_MMAP = 6

USABLE, RESERVED, ACPI, NVS = 1, 2, 3, 4

# A typical BIOS (QEMU, 128 MiB) e820 map.
PC_MAP = [
    (0x0, 0x9FC00, USABLE),
    (0x9FC00, 0x400, RESERVED),
    (0xF0000, 0x10000, RESERVED),
    (0x100000, 0x7EE0000, USABLE),
    (0x7FE0000, 0x20000, RESERVED),
    (0xFFFC0000, 0x40000, RESERVED),
]


def tag(tag_type, payload=b""):
    """One tag: (type, size) header, payload, zero padding to 8 bytes."""
    data = struct.pack("<II", tag_type, 8 + len(payload)) + payload
    return data + bytes(-len(data) % 8)


def string_tag(tag_type, text):
    return tag(tag_type, text.encode() + b"\0")


def module(start, end, name):
    return tag(TAG_MODULE, struct.pack("<II", start, end) + name.encode() + b"\0")


def mmap(entries, entry_size=24):
    body = struct.pack("<II", entry_size, 0)
    for base, length, mem_type in entries:
        entry = struct.pack("<QQII", base, length, mem_type, 0)
        body += entry + b"\xee" * (entry_size - len(entry))
    return tag(TAG_MMAP, body)


def info(*tags):
    """The information structure: header, the tags, an end tag."""
    body = b"".join(tags) + tag(TAG_END)
    return struct.pack("<II", 8 + len(body), 0) + body


SEEDS = {
    "empty": info(),
    "grub_typical": info(
        string_tag(TAG_CMDLINE, "test=trap_int3 emu=qemu seed=7"),
        string_tag(TAG_LOADER_NAME, "GRUB 2.06-13+deb12u1"),
        tag(TAG_BASIC_MEMINFO, struct.pack("<II", 639, 130048)),
        mmap(PC_MAP),
        module(0x200000, 0x2012F0, "/boot/init.elf init"),
        module(0x203000, 0x204000, "/boot/hello.elf"),
    ),
    "mmap_32_unsorted": info(
        mmap(
            [
                (0x100000, 0x7EE0000, USABLE),
                (0x0, 0x9FC00, USABLE),
                (0x5000, 0, USABLE),
                (0xFFFFFFFF00000000, 0x200000000, RESERVED),
                (0xFEC00000, 0x1000, NVS),
            ],
            entry_size=32,
        )
    ),
    "mmap_too_many": info(
        mmap([(0x1000 * (70 - i), 0x1000, USABLE) for i in range(70)])
    ),
    "modules_too_many": info(
        *[module(0x1000 * i, 0x1000 * i + 0x800, "m%d" % i) for i in range(17)]
    ),
    "odd_tags": info(
        tag(21, b"\x01\x02\x03"),
        string_tag(TAG_CMDLINE, "a="),
        tag(14, bytes(20)),
        string_tag(TAG_LOADER_NAME, "L" * 80),
        mmap([(0x0, 0x1000, ACPI)]),
    ),
}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_corpus.py OUTDIR")
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(outdir, name + ".bin"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
