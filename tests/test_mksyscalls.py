"""Unit tests of tools/mksyscalls.py: the system-call table's generator.

The real table is compiled into the kernel and the user library on every
build; these tests check what a broken table gets (a clear error naming
the line) and the shape of what a good one generates.
"""
import importlib.util
import unittest
from pathlib import Path

TOOL = Path(__file__).resolve().parents[1] / "tools" / "mksyscalls.py"
spec = importlib.util.spec_from_file_location("mksyscalls", TOOL)
mksyscalls = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mksyscalls)

GOOD = """
0 nop long -
1 exit noreturn int status
2 write long const char *buf, size_t len
"""


class ParseTest(unittest.TestCase):
    def rejects(self, text, words):
        with self.assertRaises(mksyscalls.TableError) as caught:
            mksyscalls.parse(text)
        self.assertIn(words, str(caught.exception))

    def test_a_good_table_is_read_in_number_order(self):
        entries = mksyscalls.parse("2 b long -\n0 a long -\n")
        self.assertEqual([e[0] for e in entries], [0, 2])

    def test_arguments_keep_their_types(self):
        entries = mksyscalls.parse(GOOD)
        self.assertEqual(entries[2][3],
                         [("const char *", "buf"), ("size_t", "len")])

    def test_a_malformed_line_is_named(self):
        self.rejects("0 nop\n", "line 1")

    def test_an_unknown_return_kind_is_refused(self):
        self.rejects("0 nop int -\n", "long|noreturn")

    def test_a_number_used_twice_is_refused(self):
        self.rejects("0 a long -\n0 b long -\n", "used twice")

    def test_a_name_used_twice_is_refused(self):
        self.rejects("0 a long -\n1 a long -\n", "used twice")

    def test_seven_arguments_are_too_many(self):
        args = ", ".join(f"long a{i}" for i in range(7))
        self.rejects(f"0 big long {args}\n", "more than 6")

    def test_an_argument_without_a_name_is_refused(self):
        self.rejects("0 a long int\n", "cannot read the argument")

    def test_numbers_stop_at_255(self):
        self.rejects("256 a long -\n", "numbers stop")

    def test_an_empty_table_is_refused(self):
        self.rejects("\n\n", "empty")


class OutputTest(unittest.TestCase):
    def setUp(self):
        self.entries = mksyscalls.parse(GOOD)

    def test_the_kernel_gets_addresses_not_pointers(self):
        text = mksyscalls.kernel_header(self.entries, "t")
        self.assertIn("long sys_write(vaddr_t buf, size_t len);", text)
        self.assertIn("return sys_write((vaddr_t)f->rdi, (size_t)f->rsi);",
                      text)
        self.assertIn("#define SYSCALL_COUNT 3", text)

    def test_the_fourth_argument_comes_from_r10(self):
        entries = mksyscalls.parse("0 f long long a, long b, long c, long d\n")
        text = mksyscalls.kernel_header(entries, "t")
        self.assertIn("(long)f->r10", text)

    def test_user_wrappers_are_typed_and_exit_does_not_return(self):
        text = mksyscalls.user_header(self.entries, "t")
        self.assertIn("static inline long write(const char *buf, size_t len)",
                      text)
        self.assertIn("__attribute__((noreturn)) void exit(int status)", text)
        self.assertIn("syscall2(SYS_write, (long)buf, (long)len)", text)


if __name__ == "__main__":
    unittest.main()
