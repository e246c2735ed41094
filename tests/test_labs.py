"""Unit tests of tools/labs.py: markers, what is exported, bad requests.

The slow checks (building and grading every stage) are `make
check-stages`, `check-exports` and `check-merge`; these are the fast ones,
on small trees made in temporary folders.
"""
import importlib.util
import tempfile
import unittest
from pathlib import Path

TOOL = Path(__file__).resolve().parents[1] / "tools" / "labs.py"
spec = importlib.util.spec_from_file_location("labs", TOOL)
labs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(labs)


class TreeTest(unittest.TestCase):
    """A throwaway tree with a kernel/ folder to put sources in."""

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = Path(self.tmp.name)
        (self.root / "kernel").mkdir()

    def tearDown(self):
        self.tmp.cleanup()

    def source(self, text, name="kernel/a.c"):
        path = self.root / name
        path.write_text(text)
        return path

    def problems(self, text):
        return labs.marker_problems(self.source(text), self.root)


class MarkerTest(TreeTest):
    def test_a_well_formed_marker_passes(self):
        self.assertEqual(self.problems(
            "#if SOL >= 2\nx();\n#else\n/* LAB 2: your code here */\n"
            "#endif\n"), [])

    def test_nested_ordinary_conditionals_are_fine(self):
        self.assertEqual(self.problems(
            "#ifndef A\n#if SOL >= 1\n#ifdef B\n#endif\n#else\n#endif\n"
            "#endif\n"), [])

    def test_a_marker_without_endif_is_reported_with_its_line(self):
        problems = self.problems("int x;\n#if SOL >= 3\nx();\n")
        self.assertEqual(len(problems), 1)
        self.assertIn("a.c:2: this #if has no #endif", problems[0])

    def test_a_stray_endif_is_reported(self):
        self.assertIn("#endif without #if", self.problems("#endif\n")[0])

    def test_other_spellings_of_sol_are_refused(self):
        for line in ("#if SOL > 2", "#if defined(SOL)", "#ifdef SOL",
                     "#if SOL >= 2 && X"):
            with self.subTest(line=line):
                problems = self.problems(f"{line}\n#endif\n")
                self.assertIn("must read exactly", problems[0])

    def test_a_lab_out_of_range_is_refused(self):
        self.assertIn("no lab 8", self.problems("#if SOL >= 8\n#endif\n")[0])

    def test_elif_in_a_marker_is_refused(self):
        self.assertIn("#elif", self.problems(
            "#if SOL >= 1\n#elif X\n#endif\n")[0])

    def test_check_markers_raises_on_any_problem(self):
        self.source("#if SOL >= 1\n")
        with self.assertRaises(labs.LabError):
            labs.check_markers(self.root)


class ExportRulesTest(unittest.TestCase):
    def test_solutions_are_never_exported(self):
        self.assertFalse(labs.exported("solutions/lab1.md", 7))

    def test_later_labs_files_stay_behind(self):
        self.assertFalse(labs.exported("labs/lab3-vmem.md", 2))
        self.assertFalse(labs.exported("tests/kernel/lab3_paging.c", 2))

    def test_earlier_and_own_labs_files_go(self):
        self.assertTrue(labs.exported("labs/lab2-pmem.md", 2))
        self.assertTrue(labs.exported("tests/kernel/lab1_trap_tests.c", 2))
        self.assertTrue(labs.exported("kernel/kern/main.c", 1))
        self.assertTrue(labs.exported("labs/README.md", 1))

    def test_unifdef_keeps_the_stub_below_the_lab(self):
        text = "#if SOL >= 2\nsolution();\n#else\nstub();\n#endif\n"
        self.assertEqual(labs.unifdef(text, 1, "x.c"), "stub();\n")
        self.assertEqual(labs.unifdef(text, 2, "x.c"), "solution();\n")


class BadRequestTest(unittest.TestCase):
    def test_lab_numbers_outside_1_to_7_are_refused(self):
        for text in ("0", "8", "9", "x", ""):
            with self.subTest(text=text):
                with self.assertRaises(labs.LabError):
                    labs.lab_number(text)

    def test_export_refuses_a_folder_that_is_not_empty(self):
        with tempfile.TemporaryDirectory() as dest:
            (Path(dest) / "keep.txt").write_text("mine")
            with self.assertRaises(labs.LabError):
                labs.export(1, dest)
            self.assertEqual((Path(dest) / "keep.txt").read_text(), "mine")
            self.assertEqual(len(list(Path(dest).iterdir())), 1)

    def test_branches_refuses_a_folder_that_is_not_a_repository(self):
        with tempfile.TemporaryDirectory() as dest:
            (Path(dest) / "file").write_text("x")
            with self.assertRaises(labs.LabError):
                labs.branches(dest)


if __name__ == "__main__":
    unittest.main()
