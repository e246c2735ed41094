#!/usr/bin/env python3
"""Writes the seed corpus of one fuzzer in tests/fuzz.

Usage: make_corpus.py FUZZER OUTDIR

multiboot2 (fuzz_multiboot2.c): each seed is a well-formed multiboot2
information structure (Multiboot2 specification, section 3.6) of a different
shape, so the fuzzer starts from inputs that reach every tag parser instead
of having to discover the format.

buddy (fuzz_buddy.c): each seed is a program of allocator operations, in the
encoding fuzz_buddy.c describes, that reaches a state the fuzzer would take
long to find alone: every frame allocated, every order split, odd ranges,
every kind of bad free.

vspace (fuzz_vspace.c): the same idea for the virtual-space allocator, with
kmalloc failures injected on the way.

cap (fuzz_cap.c): each seed is a program of capability operations, in the
encoding fuzz_cap.c describes, that reaches a state the fuzzer would take
long to find alone: a derivation chain through every table, full tables,
transfers good and bad, a revoke from a root with many children in every
table, clears of tables that hold originals and copies, refused rights and
badges, kmalloc failures.

channel (fuzz_channel.c): the same for channels: a ping-pong of data and
regions moved and copied, a full queue, every way a send can be refused,
ends and regions in flight when an end closes, a chain of ends each waiting
in the next one's queue, an end of a channel sent through it (refused) and
ends of different channels sent into each other's queues (a known
limitation that fuzz_channel.c collects at the end), copies revoked or
deleted in flight, a receiver without room, kmalloc failures.

elf (fuzz_elf.c): each seed is an ELF64 position-independent x86-64
executable (System V gABI, x86-64 psABI) that elf_parse accepts, or breaks
exactly one of its rules, so the fuzzer starts next to every check.

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
    body = struct.pack("<II", start, end) + name.encode() + b"\0"
    return tag(TAG_MODULE, body)


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


MULTIBOOT2_SEEDS = {
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


# fuzz_buddy.c: a byte for the allocator's size, then one byte per
# operation, its kind in the low two bits and an argument in the other six,
# then the operation's own bytes.
OP_ALLOC, OP_FREE, OP_BOGUS, OP_ADD = range(4)
NFRAMES = 4096
MAX_ORDER = 10


def size(cut=0):
    """The allocator's size: NFRAMES frames, less cut (0 to 63)."""
    return bytes([0xC0 + cut if cut else 0])


def alloc(order):
    """Allocates 2^order frames (62 and 63: invalid orders)."""
    return bytes([order << 2 | OP_ALLOC])


def free(pick):
    """Frees the held block number pick (modulo the number held)."""
    return bytes([(pick >> 8) << 2 | OP_FREE, pick & 0xFF])


def bogus(variant, pick=0, byte=0, why=True):
    """A free built to be refused; variant 0-7 is its kind of mistake."""
    last = byte | (0x80 if why else 0)
    return bytes([variant << 2 | OP_BOGUS]) + struct.pack(">HB", pick, last)


def add(start, count):
    """Adds up to count reserved frames from frame start on."""
    return bytes([OP_ADD]) + struct.pack(">HH", start, count - 1)


BUDDY_SEEDS = {
    "fill_and_drain": size() + add(0, NFRAMES) + alloc(6) * 65 + free(0) * 64,
    "every_order": size()
    + add(0, NFRAMES)
    + b"".join(alloc(k) for k in range(MAX_ORDER + 1))
    + free(3) * (MAX_ORDER + 1),
    "odd_ranges": size()
    + add(3, 27)
    + add(100, 923)
    + add(1023, 1)
    + add(1029, 3060)
    + b"".join(alloc(k) for k in range(MAX_ORDER, -1, -1))
    + free(5) * 6,
    "bad_frees": size()
    + add(0, 1024)
    + alloc(2)
    + alloc(0)
    + free(1)
    + b"".join(bogus(v, byte=v) for v in range(8))
    + bogus(4, pick=2000, why=False)
    + alloc(62)
    + alloc(63),
    "fragment": size()
    + add(0, 256)
    + alloc(0) * 256
    + b"".join(free(2 * i) for i in range(128))
    + alloc(1)
    + alloc(0),
    "cut_short": size(24)
    + add(0, NFRAMES)
    + alloc(MAX_ORDER) * 4
    + alloc(3) * 4
    + free(3) * 7,
}

# fuzz_vspace.c: a byte for the space, then one byte per operation, its
# kind in the low two bits and an argument in the other six, then the
# operation's own bytes.
V_ALLOC, V_FREE, V_BOGUS, V_FAIL = range(4)
V_PAGES = 256
V_ODD_PAGES = 200
V_SMALL_ORDER = 8


def space(odd=False, head=0, tail=0, split=None):
    """The space: NPAGES (or ODD_PAGES) pages, head and tail (0 to 7) of
    them never added, the range added in two pieces if split is a page."""
    cfg = int(odd) | head << 1 | tail << 4
    return bytes([cfg]) if split is None else bytes([cfg | 0x80, split])


def v_alloc(order):
    """Allocates 2^order pages (61: the largest order; 62, 63: invalid)."""
    return bytes([order << 2 | V_ALLOC])


def v_free(pick):
    """Frees the held block number pick (modulo the number held)."""
    return bytes([(pick >> 8) << 2 | V_FREE, pick & 0xFF])


def v_bogus(variant, pick=0, byte=0):
    """A free built to be refused; variant 0-7 is its kind of mistake."""
    return bytes([variant << 2 | V_BOGUS]) + struct.pack(">HB", pick, byte)


def v_fail(n):
    """The nth kmalloc from now (1 to 12) fails."""
    return bytes([(n - 1) << 2 | V_FAIL])


VSPACE_SEEDS = {
    "fill_and_drain": space() + v_alloc(0) * V_PAGES + v_free(0) * V_PAGES,
    "every_order": space()
    + b"".join(v_alloc(k) for k in range(V_SMALL_ORDER + 1))
    + v_free(3) * (V_SMALL_ORDER + 1),
    "odd_range": space(odd=True, head=3, tail=5, split=77)
    + b"".join(v_alloc(k) for k in range(V_SMALL_ORDER, -1, -1))
    + v_free(5) * 9,
    "bad_frees": space(head=1)
    + v_alloc(2)
    + v_alloc(0)
    + v_free(1)
    + b"".join(v_bogus(v, byte=v * 31) for v in range(8))
    + v_alloc(61)
    + v_alloc(62)
    + v_alloc(63),
    "heap_failures": space()
    + b"".join(v_fail(n) + v_alloc(0) for n in range(1, 10))
    + v_fail(1)
    + v_free(0)
    + v_alloc(3)
    + v_fail(2)
    + v_alloc(3),
    "fragment": space(odd=True)
    + v_alloc(0) * V_ODD_PAGES
    + b"".join(v_free(2 * i) for i in range(V_ODD_PAGES // 2))
    + v_alloc(1)
    + v_alloc(0),
}

# fuzz_cap.c: one byte per operation, its kind in the low three bits and an
# argument (most often the table) in the other five, then the operation's
# own bytes.
(C_CREATE, C_DERIVE, C_DELETE, C_REVOKE, C_TRANSFER, C_CLEAR, C_LOOKUP,
 C_FAIL) = range(8)
C_SLOTS = 64
C_R, C_W, C_X = 1, 2, 4
C_RWX = C_R | C_W | C_X
# Slot bytes 252-255 name slots out of range.
C_OUT_OF_RANGE = {-1: 252, C_SLOTS: 253, 1 << 32: 254, "LONG_MAX": 255}
C_NONE, C_REGION, C_DOMAIN, C_CHANNEL = range(4)


def c_op(kind, arg=0):
    return bytes([arg << 3 | kind])


def c_slot(slot):
    """A slot byte: 0 to 63, or a key of C_OUT_OF_RANGE."""
    return C_OUT_OF_RANGE[slot] if slot in C_OUT_OF_RANGE else slot


def c_create(table, domain=False, obj=0, rights=C_RWX):
    """An original to object obj (0-2) of type region (or domain)."""
    arg = table | int(domain) << 2
    return c_op(C_CREATE, arg) + bytes([obj << 3 | rights])


def c_derive(table, slot, rights=C_RWX, badge=0):
    """A copy; rights is a whole byte, badge 0-3 picks 0, 1, 2, 2^64 - 1."""
    return c_op(C_DERIVE, table) + bytes([c_slot(slot), rights, badge])


def c_delete(table, slot):
    return c_op(C_DELETE, table) + bytes([c_slot(slot)])


def c_revoke(table, slot):
    return c_op(C_REVOKE, table) + bytes([c_slot(slot)])


def c_transfer(src, dst, slots, new_slots=True):
    """Moves slots (0 to 3 of them) of table src to table dst."""
    b = len(slots) | (0 if new_slots else 4)
    return c_op(C_TRANSFER, src | dst << 2) + bytes(
        [b] + [c_slot(s) for s in slots]
    )


def c_clear(table):
    return c_op(C_CLEAR, table)


def c_lookup(table, slot, cap_type=C_NONE, rights=0):
    b = cap_type | rights << 2
    return c_op(C_LOOKUP, table) + bytes([c_slot(slot), b])


def c_fail(n):
    """The nth kmalloc from now (1 to 4) fails."""
    return c_op(C_FAIL, n - 1)


def c_chain():
    """A chain of derivations through all four tables: each table's tip
    moves on to the next table when the table is full."""
    prog = c_create(0)
    for table in range(4):
        if table:
            prog += c_transfer(table - 1, table, [C_SLOTS - 1])
        prog += b"".join(c_derive(table, s) for s in range(C_SLOTS - 1))
    return prog


def c_wide(root=True):
    """A root in table 0 (made first if root) with 63 children, moved
    three at a time to tables 1 to 3, some with children of their own."""
    prog = c_create(0, domain=True, obj=1) if root else b""
    prog += c_derive(0, 0, badge=1) * 63
    for i in range(21):
        prog += c_transfer(0, 1 + i % 3, [1 + 3 * i, 2 + 3 * i, 3 + 3 * i])
    return prog + b"".join(c_derive(t, 2 * t, C_R) for t in (1, 2, 3))


CAP_SEEDS = {
    "deep_chain": c_chain()
    + c_delete(1, 5)
    + c_revoke(2, 40)
    + c_delete(0, 0),
    "full_tables": b"".join(
        c_create(0, domain=bool(i & 1), obj=i % 3, rights=i % 8)
        for i in range(C_SLOTS)
    )
    + c_create(0)
    + c_derive(0, 7, 0)
    + c_create(1) * C_SLOTS
    + c_transfer(0, 1, [0])
    + c_delete(1, 5)
    + c_delete(1, 9)
    + c_transfer(0, 1, [1, 2, 3])
    + c_transfer(0, 1, [1, 2])
    + c_create(1),
    "transfers": c_create(0)
    + c_derive(0, 0, C_R | C_W)
    + c_derive(0, 1, C_R)
    + c_create(0, domain=True, obj=2)
    + c_derive(0, 3, C_R, badge=2)
    + c_transfer(0, 1, [4, 1, 2])
    + c_transfer(0, 1, [0, 5])
    + c_transfer(0, 1, [0, -1])
    + c_transfer(0, 1, [0, 0])
    + c_transfer(0, 0, [0])
    + c_transfer(1, 2, [2, 0], new_slots=False)
    + c_transfer(2, 3, [0, "LONG_MAX"])
    + c_transfer(2, 3, [])
    + c_revoke(0, 0)
    + c_transfer(1, 0, [0, 1])
    + c_delete(0, 3),
    "wide_revoke": c_wide() + c_revoke(0, 0) + c_wide(False) + c_delete(0, 0),
    "clears": c_create(0)
    + c_create(1, domain=True, obj=1)
    + c_derive(0, 0, C_R)
    + c_derive(1, 0, C_R | C_X)
    + c_transfer(1, 0, [1])
    + c_derive(0, 2, C_X)
    + c_transfer(0, 2, [3])
    + c_derive(0, 1, C_R)
    + c_transfer(0, 3, [1])
    + c_derive(3, 0, 0)
    + c_clear(0)
    + c_clear(2)
    + c_create(2, obj=2)
    + c_derive(2, 0)
    + c_clear(1)
    + c_clear(3),
    "rights_and_badges": c_create(0, rights=C_R | C_W)
    + c_derive(0, 0, C_RWX)
    + c_derive(0, 0, 0x08)
    + c_derive(0, 0, 0xFF)
    + c_derive(0, 0, C_R, badge=1)
    + c_derive(0, 1, C_R, badge=2)
    + c_derive(0, 1, C_R, badge=1)
    + c_derive(0, 2, 0, badge=0)
    + c_derive(0, -1)
    + c_derive(0, 1 << 32)
    + c_derive(0, 40)
    + b"".join(c_lookup(0, 1, t, r) for t in range(4) for r in (0, 1, 2, 9))
    + c_lookup(0, C_SLOTS)
    + c_lookup(0, 63)
    + c_delete(0, -1)
    + c_revoke(0, "LONG_MAX"),
    "heap_failures": c_fail(1)
    + c_create(0)
    + c_create(0)
    + c_fail(2)
    + c_derive(0, 0)
    + c_derive(0, 0)
    + c_fail(1)
    + c_derive(0, 1, C_R)
    + c_fail(1)
    + c_derive(0, 5)
    + c_create(1),
}

# fuzz_channel.c: one byte per operation, its kind in the low three bits
# and an argument (most often the table, 0 to 2) in the other five, then
# the operation's own bytes. Slot bytes as for fuzz_cap.c.
(CH_CREATE, CH_SEND, CH_RECEIVE, CH_CLOSE, CH_DERIVE, CH_REGION, CH_MOVE,
 CH_OTHER) = range(8)
# The shape byte's top three bits: 4 caps and 4 regions, one cap too many,
# one region too many, an unknown flag.
CH_FULL, CH_TOO_MANY_CAPS, CH_TOO_MANY_REGIONS, CH_BAD_FLAG = range(4, 8)
# How a region byte names its region: whole, or 8 bytes in, one page more,
# no pages, one page less (the page after it, for a one-page region).
CH_WHOLE, CH_UNALIGNED, CH_LONGER, CH_EMPTY, CH_SHORTER = 0, 4, 5, 6, 7


def ch_op(kind, arg=0):
    return bytes([arg << 3 | kind])


def ch_create(table):
    return ch_op(CH_CREATE, table)


def ch_region(table, pages=1, read_only=False, user=True):
    """A region of 1 to 3 pages and its original capability in table."""
    b = (pages - 1) | (0x40 if read_only else 0) | (0 if user else 0x80)
    return ch_op(CH_REGION, table) + bytes([b])


def ch_pick(newest, how=CH_WHOLE):
    """A region byte: the region made newest-th last (0: the newest)."""
    return newest | how << 5


def ch_send(table, slot, caps=(), regions=(), length=8, copy=False, odd=0):
    """Sends on the end in slot: caps are slots, regions ch_pick bytes
    (up to 3 of each; odd=CH_FULL takes 4 of each)."""
    shape = len(caps) % 4 | len(regions) % 4 << 2 | odd << 5
    shape |= 0x10 if copy else 0
    body = [c_slot(slot), shape, length] + [c_slot(c) for c in caps]
    return ch_op(CH_SEND, table) + bytes(body + list(regions))


def ch_receive(table, slot):
    return ch_op(CH_RECEIVE, table) + bytes([c_slot(slot)])


def ch_close(table, slot):
    """Deletes the capability in slot (an original: closes, destroys)."""
    return ch_op(CH_CLOSE, table) + bytes([c_slot(slot)])


def ch_derive(table, slot, rights=C_R | C_W):
    return ch_op(CH_DERIVE, table) + bytes([c_slot(slot), rights])


def ch_move(src, slot, dst):
    return ch_op(CH_MOVE, src + 3 * dst) + bytes([c_slot(slot)])


def ch_wait(table, slot, room=False):
    arg = table << 1 | (8 if room else 0)
    return ch_op(CH_OTHER, arg) + bytes([c_slot(slot)])


def ch_revoke(table, slot):
    """Deletes every copy derived from the capability in slot."""
    return ch_op(CH_OTHER, table << 1 | 16) + bytes([c_slot(slot)])


def ch_fail(n):
    """The nth kmalloc from now (1 to 4) fails."""
    return ch_op(CH_OTHER, 1 | (n - 1) << 1)


def ch_open():
    """A channel from table 0 (its end in slot 0) to table 1 (slot 0)."""
    return ch_create(0) + ch_move(0, 1, 1)


def ch_chain(n):
    """n ends in table 0, each waiting in the next one's queue: the one
    held is in slot 0 or 1 in turn, the new sender always in slot 2."""
    prog = ch_create(0) + ch_close(0, 1)
    for i in range(n):
        held = i % 2
        prog += ch_create(0) + ch_send(0, 2, caps=[held]) + ch_close(0, 2)
    return prog


CHANNEL_SEEDS = {
    "ping_pong": ch_open()
    + ch_region(0, pages=2)
    + ch_send(0, 0, length=16)
    + ch_send(0, 0, regions=[ch_pick(0)], length=4)
    + ch_receive(1, 0) * 2
    + ch_send(1, 0, regions=[ch_pick(0)])
    + ch_receive(0, 0)
    + ch_region(0)
    + ch_send(0, 0, regions=[ch_pick(0), ch_pick(1)], copy=True)
    + ch_receive(1, 0)
    + ch_send(0, 0, caps=[1], length=64)
    + ch_receive(1, 0)
    + ch_wait(1, 0)
    + ch_wait(0, 0, room=True)
    + ch_close(0, 0)
    + ch_wait(1, 0)
    + ch_receive(1, 0),
    "full_queue": ch_open()
    + b"".join(ch_send(0, 0, length=i) for i in range(9))
    + ch_wait(0, 0, room=True)
    + ch_wait(1, 0)
    + ch_receive(1, 0) * 3
    + b"".join(ch_send(0, 0, length=60 + i) for i in range(3))
    + ch_receive(1, 0) * 9
    + ch_wait(1, 0)
    + ch_wait(0, 0, room=True),
    "send_errors": ch_create(0)
    + ch_create(0)
    + ch_region(0)
    + ch_region(0, pages=2, user=False)
    + ch_derive(0, 4, C_R)
    + ch_region(1)
    + ch_derive(0, 0, C_R)
    + ch_send(0, -1)
    + ch_send(0, 40)
    + ch_send(0, 4)
    + ch_send(0, 7)
    + ch_send(0, 0, odd=CH_BAD_FLAG)
    + ch_send(0, 0, odd=CH_TOO_MANY_CAPS)
    + ch_send(0, 0, odd=CH_TOO_MANY_REGIONS)
    + ch_send(0, 0, length=70)
    + ch_send(0, 0, caps=[1])
    + ch_send(0, 0, caps=[2, 2])
    + ch_send(0, 0, caps=[50])
    + ch_send(0, 0, caps=[C_SLOTS])
    + b"".join(
        ch_send(0, 0, regions=[ch_pick(2, how)])
        for how in (CH_UNALIGNED, CH_EMPTY, CH_LONGER, CH_SHORTER)
    )
    + ch_send(0, 0, regions=[ch_pick(1)])
    + ch_send(0, 0, regions=[ch_pick(0)])
    + ch_send(0, 0, regions=[ch_pick(2)])
    + ch_close(0, 6)
    + ch_send(0, 0, regions=[ch_pick(2), ch_pick(2)])
    + ch_send(0, 0, caps=[4], regions=[ch_pick(2)])
    + ch_send(0, 0, caps=[2], regions=[ch_pick(2), ch_pick(0)])
    + ch_send(0, 0, regions=[ch_pick(1)], copy=True)
    + ch_send(0, 0, regions=[ch_pick(2, CH_UNALIGNED)], copy=True)
    + ch_send(0, 0, regions=[ch_pick(0)], copy=True)
    + ch_send(0, 0, caps=[2], regions=[ch_pick(3)]),
    "close_in_flight": ch_open()
    + ch_create(0)
    + ch_region(0, pages=3)
    + ch_send(0, 0, caps=[1], regions=[ch_pick(0)])
    + ch_send(0, 0, caps=[2])
    + ch_close(1, 0)
    + ch_send(0, 0)
    + ch_wait(0, 0, room=True),
    "chain_of_ends": ch_chain(30)
    + ch_region(0)
    + ch_create(0)
    + ch_send(0, 2, caps=[0], regions=[ch_pick(0)])
    + ch_close(0, 2)
    + ch_close(0, 3),
    # Refused: an end of a channel, or a copy, sent through it. Then
    # cycles across channels, of two and of three, which nothing closes.
    "cycles": ch_create(0)
    + ch_send(0, 0, caps=[0])
    + ch_send(0, 1, caps=[1])
    + ch_send(0, 0, caps=[1])
    + ch_derive(0, 0, C_R)
    + ch_send(0, 0, caps=[2])
    + ch_send(0, 1, caps=[2])
    + ch_create(1)
    + ch_create(1)
    + ch_region(1)
    + ch_send(1, 1, caps=[2], regions=[ch_pick(0)])
    + ch_send(1, 3, caps=[0])
    + ch_close(1, 1)
    + ch_close(1, 3)
    + ch_create(2) * 3
    + ch_send(2, 2, caps=[0])
    + ch_send(2, 4, caps=[3])
    + ch_send(2, 1, caps=[5])
    + ch_close(2, 1)
    + ch_close(2, 2)
    + ch_close(2, 4),
    # Copies revoked, or whose original is deleted, while their messages
    # wait: they arrive as -1, need no room, and the next messages are
    # whole.
    "revoked_in_flight": ch_open()
    + ch_region(0)
    + ch_derive(0, 1, C_R) * 2
    + ch_send(0, 0, caps=[2], length=3)
    + ch_send(0, 0, caps=[3], length=5)
    + ch_revoke(0, 1)
    + ch_region(0)
    + ch_send(0, 0, caps=[2])
    + ch_create(2)
    + ch_derive(2, 0, C_W)
    + ch_move(2, 2, 0)
    + ch_region(0)
    + ch_send(0, 0, caps=[2], regions=[ch_pick(0)])
    + ch_close(2, 0)
    + ch_derive(1, 0, C_R) * 62
    + ch_receive(1, 0) * 4
    + ch_close(1, 1)
    + ch_receive(1, 0) * 2
    + ch_region(0)
    + ch_derive(0, 1, C_R)
    + ch_send(0, 0, caps=[2])
    + ch_close(0, 1),
    "receive_without_room": ch_open()
    + ch_region(0) * 3
    + ch_send(0, 0, caps=[1, 2, 3])
    + ch_derive(1, 0, C_R) * 62
    + ch_receive(1, 0)
    + ch_close(1, 1)
    + ch_close(1, 2)
    + ch_receive(1, 0),
    "heap_failures": b"".join(ch_fail(n) + ch_create(0) for n in range(1, 5))
    + ch_open()
    + ch_region(0, pages=2)
    + ch_region(0)
    + b"".join(
        ch_fail(n)
        + ch_send(0, 0, regions=[ch_pick(0), ch_pick(1)], copy=True)
        for n in range(1, 5)
    )
    + ch_send(0, 0, regions=[ch_pick(0), ch_pick(1)], copy=True)
    + ch_receive(1, 0)
    + ch_fail(1)
    + ch_region(0)
    + ch_fail(2)
    + ch_region(0)
    + ch_fail(1)
    + ch_derive(0, 0),
}

# fuzz_elf.c: ELF64 files. elf_image() lays one out much as the test in
# tests/host/test_elf.c does: headers and text (entry at 0x300) in the
# first page; the data (the relocation table, the words it patches, the
# dynamic section) in the next, at address 0x2000, with a .bss after it.
ET_DYN, EM_X86_64 = 3, 62
PT_LOAD, PT_DYNAMIC = 1, 2
PF_X, PF_W, PF_R = 1, 2, 4
DT_NULL, DT_RELA, DT_RELASZ, DT_RELAENT, DT_REL = 0, 7, 8, 9, 17
R_X86_64_64, R_X86_64_RELATIVE = 1, 8
PAGE = 0x1000


def phdr(p_type, flags, offset, vaddr, filesz, memsz, align=PAGE):
    return struct.pack(
        "<IIQQQQQQ", p_type, flags, offset, vaddr, vaddr, filesz, memsz, align
    )


def ehdr(entry, phnum, machine=EM_X86_64, e_type=ET_DYN):
    ident = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    return ident + struct.pack(
        "<HHIQQQIHHHHHH", e_type, machine, 1, entry, 64, 0, 0, 64, 56,
        phnum, 64, 0, 0,
    )


def elf_image(relocs=((0x2080, R_X86_64_RELATIVE, 0x100),),
              dynamic=None, text_flags=PF_R | PF_X, extra_loads=0,
              entry=0x300):
    """A valid image with the given relocations (offset, info, addend);
    dynamic replaces the dynamic section's (tag, value) entries."""
    rela = b"".join(struct.pack("<QQq", *r) for r in relocs)
    if dynamic is None:
        dynamic = [
            (DT_RELA, 0x2000),
            (DT_RELASZ, len(rela)),
            (DT_RELAENT, 24),
        ]
    dyn = b"".join(struct.pack("<qQ", *d) for d in dynamic + [(DT_NULL, 0)])
    data = rela + bytes(0x100 - len(rela)) + dyn
    # extra_loads more read-only pages after the data, each one page apart.
    extra = [
        phdr(PT_LOAD, PF_R, 0, 0x6000 + 0x2000 * i, 0x40, 0x40)
        for i in range(extra_loads)
    ]
    phdrs = [
        phdr(PT_LOAD, PF_R | PF_W, PAGE, 0x2000, len(data), 0x3000),
        phdr(PT_LOAD, text_flags, 0, 0, 0x400, 0x400),
        phdr(PT_DYNAMIC, PF_R | PF_W, PAGE + 0x100, 0x2100, len(dyn),
             len(dyn), 8),
    ] + extra
    head = ehdr(entry, len(phdrs)) + b"".join(phdrs)
    text = head + bytes(0x300 - len(head)) + b"\x90" * 0x100
    return text + bytes(PAGE - len(text)) + data


ELF_SEEDS = {
    "valid": elf_image(
        relocs=[
            (0x2080, R_X86_64_RELATIVE, 0x300),
            (0x2088, R_X86_64_RELATIVE, 0x2100),
            (0x4FF8, R_X86_64_RELATIVE, 0x10),
        ]
    ),
    "no_dynamic": elf_image(dynamic=[]),
    "eight_segments": elf_image(extra_loads=6),
    "nine_segments": elf_image(extra_loads=7),
    "bad_relocations": elf_image(
        relocs=[
            (0x2080, R_X86_64_64, 0),
            (0x2088, 1 << 32 | R_X86_64_RELATIVE, 0),
            (0x10, R_X86_64_RELATIVE, 0),
            (0x4FFC, R_X86_64_RELATIVE, 0),
        ]
    ),
    "dt_rel": elf_image(dynamic=[(DT_REL, 0x2000), (DT_RELASZ, 24)]),
    "odd_relaent": elf_image(
        dynamic=[(DT_RELA, 0x2000), (DT_RELASZ, 32), (DT_RELAENT, 16)]
    ),
    "rela_in_bss": elf_image(dynamic=[(DT_RELA, 0x4000), (DT_RELASZ, 24)]),
    "wx_text": elf_image(text_flags=PF_R | PF_W | PF_X),
    "entry_in_data": elf_image(entry=0x2080),
    "header_only": ehdr(0x300, 0),
}

SEEDS = {
    "multiboot2": MULTIBOOT2_SEEDS,
    "buddy": BUDDY_SEEDS,
    "vspace": VSPACE_SEEDS,
    "cap": CAP_SEEDS,
    "channel": CHANNEL_SEEDS,
    "elf": ELF_SEEDS,
}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in SEEDS:
        sys.exit("usage: make_corpus.py {%s} OUTDIR" % ",".join(SEEDS))
    fuzzer, outdir = sys.argv[1:]
    os.makedirs(outdir, exist_ok=True)
    for name, data in SEEDS[fuzzer].items():
        with open(os.path.join(outdir, name + ".bin"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
