"""Unit tests of the grader on synthetic serial logs, without emulators.

Run from the repository root:

    python3 -m unittest discover -s tests -p 'test_*.py'

Each verdict test builds the serial log a kernel might print and the exit
status an emulator might give, and checks the outcome docs/protocol.md
demands. The watch tests run tiny shell scripts in place of an emulator.
"""

import io
import json
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ElementTree
from contextlib import redirect_stdout
from pathlib import Path
from unittest import mock

import grade
from grader import (catalog, console, isos, protocol, results, run, verdict,
                    watch)
from grader.run import Run

iso_cmdline = isos.iso_cmdline

NAME = "frame_alloc"
PASS_LOG = f"""booting
BATON RESULT name={NAME} status=pass
BATON EXIT status=pass
"""
FAIL_REASON = "frame 0x1000 freed twice"
FAIL_LOG = f"""BATON RESULT name={NAME} status=fail reason={FAIL_REASON}
BATON EXIT status=fail
"""


def qemu(serial, status):
    return Run(emu="qemu", serial=serial, seconds=0.4, exit_status=status)


def bochs(serial, reset_note=""):
    return Run(emu="bochs", serial=serial, seconds=1.0,
               reset_note=reset_note)


def timed_out(kind, limit, serial="started\n"):
    return Run(emu="qemu", serial=serial, seconds=limit, timeout=kind,
               limit=limit)


class VerdictTest(unittest.TestCase):
    """Every outcome of verdict.judge."""

    def judged(self, booted):
        return verdict.judge(NAME, booted)

    def assert_outcome(self, booted, outcome, detail_part=""):
        judged = self.judged(booted)
        self.assertEqual(judged.outcome, outcome, judged.detail)
        self.assertIn(detail_part, judged.detail)
        return judged

    def test_pass_under_qemu(self):
        judged = self.assert_outcome(qemu(PASS_LOG, 33), verdict.PASS)
        self.assertEqual(judged.excerpt, ())

    def test_pass_under_bochs_needs_no_exit_status(self):
        self.assert_outcome(bochs(PASS_LOG), verdict.PASS)

    def test_crlf_line_endings(self):
        self.assert_outcome(qemu(PASS_LOG.replace("\n", "\r\n"), 33),
                            verdict.PASS)

    def test_fail_gives_the_whole_reason(self):
        judged = self.assert_outcome(qemu(FAIL_LOG, 35), verdict.FAIL)
        self.assertEqual(judged.detail, FAIL_REASON)

    def test_fail_without_reason(self):
        log = f"BATON RESULT name={NAME} status=fail\nBATON EXIT status=fail\n"
        self.assert_outcome(bochs(log), verdict.FAIL, "no reason")

    def test_panic_shows_message_and_block(self):
        log = ("a\nb\nPANIC: frame_free: double free\n" +
               "".join(f"dump {i}\n" for i in range(40)) +
               "BATON EXIT status=panic\n")
        judged = self.assert_outcome(qemu(log, 37), verdict.PANIC,
                                     "frame_free: double free")
        self.assertEqual(len(judged.excerpt), verdict.PANIC_EXCERPT_LINES)
        self.assertEqual(judged.excerpt[0], "PANIC: frame_free: double free")

    def test_expected_panic_then_pass(self):
        log = "PANIC: deliberate\nbacktrace:\n" + PASS_LOG
        judged = self.assert_outcome(qemu(log, 33), verdict.PASS)
        self.assertEqual(judged.excerpt, ())

    def test_expected_panic_then_fail(self):
        log = "PANIC: deliberate\n" + FAIL_LOG
        judged = self.assert_outcome(qemu(log, 35), verdict.FAIL)
        self.assertEqual(judged.excerpt[-1], "BATON EXIT status=fail")

    def test_panic_after_a_pass_is_a_panic(self):
        log = PASS_LOG + "PANIC: late\n"
        self.assert_outcome(qemu(log, 33), verdict.PANIC, "late")

    def test_no_output_timeout(self):
        self.assert_outcome(timed_out("no-output", 2.5), verdict.TIMEOUT,
                            "no-output: nothing on COM1 for 2.5s")

    def test_total_timeout(self):
        self.assert_outcome(timed_out("total", 10.0), verdict.TIMEOUT,
                            "total: still running after 10.0s")

    def test_pass_then_triple_fault_is_not_a_pass(self):
        self.assert_outcome(qemu(PASS_LOG, 0), verdict.TRIPLE_FAULT,
                            "exit status 0")

    def test_bochs_triple_fault(self):
        note = "Bochs: exception(): 3rd (13) exception with no resolution"
        self.assert_outcome(bochs("booting\n", note), verdict.TRIPLE_FAULT,
                            "3rd (13)")

    def test_silent_test_has_no_result_line(self):
        judged = self.assert_outcome(qemu("hello\nBATON EXIT status=pass\n",
                                          33),
                                     verdict.NO_RESULT, "QEMU exit status 33")
        self.assertEqual(judged.excerpt[-1], "BATON EXIT status=pass")

    def test_result_not_at_line_start_is_ignored(self):
        log = (f"x BATON RESULT name={NAME} status=pass\n"
               "BATON EXIT status=pass\n")
        self.assert_outcome(qemu(log, 33), verdict.NO_RESULT)

    def test_result_for_another_test(self):
        log = PASS_LOG.replace(NAME, "other_test")
        self.assert_outcome(qemu(log, 33), verdict.WRONG_RESULT,
                            "'other_test'")

    def test_two_result_lines(self):
        log = f"BATON RESULT name={NAME} status=pass\n" + PASS_LOG
        self.assert_outcome(qemu(log, 33), verdict.WRONG_RESULT,
                            "2 result lines")

    def test_unknown_status_word(self):
        log = PASS_LOG.replace("status=pass\nBATON EXIT",
                               "status=ok\nBATON EXIT")
        self.assert_outcome(qemu(log, 33), verdict.WRONG_RESULT, "status=ok")

    def test_pass_that_exits_with_fail_status(self):
        self.assert_outcome(qemu(PASS_LOG, 35), verdict.WRONG_RESULT,
                            "QEMU exit status 35 (fail)")

    def test_pass_that_exits_with_panic_status(self):
        self.assert_outcome(qemu(PASS_LOG, 37), verdict.WRONG_RESULT,
                            "QEMU exit status 37 (panic)")

    def test_pass_with_exit_line_saying_fail(self):
        log = PASS_LOG.replace("EXIT status=pass", "EXIT status=fail")
        self.assert_outcome(bochs(log), verdict.WRONG_RESULT,
                            "BATON EXIT status=fail")

    def test_pass_without_exit_line(self):
        log = f"BATON EXIT status=pass\nBATON RESULT name={NAME} status=pass\n"
        self.assert_outcome(qemu(log, 33), verdict.WRONG_RESULT,
                            "no 'BATON EXIT'")

    def test_fail_that_exits_with_pass_status(self):
        self.assert_outcome(qemu(FAIL_LOG, 33), verdict.WRONG_RESULT,
                            "result says fail")

    def test_odd_qemu_status_is_reported_with_its_number(self):
        booted = Run(emu="qemu", serial=PASS_LOG, seconds=0.1, exit_status=1,
                     emulator_note="qemu: could not open disk image")
        self.assert_outcome(booted, verdict.WRONG_RESULT,
                            "QEMU exit status 1 (not a protocol status): "
                            "qemu: could not open disk image")

    def test_odd_qemu_status_without_result(self):
        self.assert_outcome(qemu("", 3), verdict.NO_RESULT,
                            "QEMU exit status 3")

    def test_excerpt_is_the_last_lines(self):
        log = "".join(f"line {i}\n" for i in range(30))
        judged = self.judged(qemu(log, 33))
        self.assertEqual(len(judged.excerpt), verdict.TAIL_EXCERPT_LINES)
        self.assertEqual(judged.excerpt[-1], "line 29")

    def test_build_failure(self):
        judged = verdict.build_failure("'make' exited with status 2")
        self.assertEqual(judged.describe(),
                         "build failure: 'make' exited with status 2")


class ProtocolTest(unittest.TestCase):
    """Reading BATON lines and the test=list output."""

    LISTING = ("GRUB noise\n"
               "BATON TEST name=boot_hello lab=0 points=5\n"
               "BATON TEST name=frame_alloc lab=2 points=10\n"
               "BATON TEST name=selftest_pass lab=selftest points=1\n"
               "BATON LIST-END count=3\n"
               "BATON EXIT status=pass\n")

    def listing(self, text):
        return protocol.parse_test_list(protocol.split_lines(text))

    def test_reason_runs_to_end_of_line(self):
        message = protocol.parse_message(
            "BATON RESULT name=a status=fail reason=x=1  and y")
        self.assertEqual(message.kind, "RESULT")
        self.assertEqual(message.fields, {"name": "a", "status": "fail",
                                          "reason": "x=1  and y"})

    def test_other_lines_are_not_messages(self):
        self.assertIsNone(protocol.parse_message("BATONX TEST name=a"))
        self.assertIsNone(protocol.parse_message(" BATON TEST name=a"))

    def test_parse_listing(self):
        tests = self.listing(self.LISTING)
        self.assertEqual([test.name for test in tests],
                         ["boot_hello", "frame_alloc", "selftest_pass"])
        self.assertEqual(tests[1], protocol.Test("frame_alloc", "2", 10))
        self.assertTrue(tests[2].is_selftest)
        self.assertEqual(tests[1].lab_number, 2)

    def test_count_must_match(self):
        with self.assertRaisesRegex(protocol.ListError, "count=4"):
            self.listing(self.LISTING.replace("count=3", "count=4"))

    def test_list_end_is_required(self):
        with self.assertRaisesRegex(protocol.ListError, "LIST-END"):
            self.listing(self.LISTING.replace("LIST-END", "LIST-ENDS"))

    def test_duplicate_names(self):
        text = self.LISTING.replace("frame_alloc", "boot_hello")
        with self.assertRaisesRegex(protocol.ListError, "twice: boot_hello"):
            self.listing(text)

    def test_malformed_test_lines(self):
        for bad in ("lab=x points=1", "lab=1 points=many", "lab=1"):
            with self.subTest(bad=bad):
                text = f"BATON TEST name=t {bad}\nBATON LIST-END count=1\n"
                with self.assertRaises(protocol.ListError):
                    self.listing(text)


class SelectionTest(unittest.TestCase):
    """Choosing tests by lab, name and self-test status."""

    TESTS = [protocol.Test("boot_hello", "0", 5),
             protocol.Test("frame_alloc", "2", 10),
             protocol.Test("frame_free", "2", 10),
             protocol.Test("page_map", "3", 10),
             protocol.Test("selftest_hang", "selftest", 1)]

    def names(self, **filters):
        chosen = catalog.select(self.TESTS, catalog.Selection(**filters))
        return [test.name for test in chosen]

    def test_selftests_are_hidden_by_default(self):
        self.assertEqual(self.names(), ["boot_hello", "frame_alloc",
                                        "frame_free", "page_map"])

    def test_by_lab_and_match(self):
        self.assertEqual(self.names(lab="2"), ["frame_alloc", "frame_free"])
        self.assertEqual(self.names(match="free"), ["frame_free"])
        self.assertEqual(self.names(lab="3", match="frame"), [])

    def test_labs_upto(self):
        self.assertEqual(self.names(labs_upto=2), ["boot_hello",
                                                   "frame_alloc",
                                                   "frame_free"])

    def test_selftests_on_request(self):
        self.assertEqual(self.names(match="selftest_",
                                    include_selftests=True),
                         ["selftest_hang"])
        self.assertEqual(self.names(lab="selftest"), ["selftest_hang"])


class IsoCmdlineTest(unittest.TestCase):
    """Stamping a command line into a synthetic ISO image."""

    SLOT = 40
    CONFIG = (b"set timeout=0\nmenuentry baton {\n  " +
              iso_cmdline.SLOT_PREFIX +
              b"demo=1".ljust(SLOT, b" ") + b"\n}\n")
    IMAGE = b"\x00\x01ISO9660" * 100 + CONFIG + b"\xff" * 300

    def test_stamp_changes_only_the_slot(self):
        stamped = iso_cmdline.stamp_cmdline(self.IMAGE, "test=foo emu=qemu")
        self.assertEqual(len(stamped), len(self.IMAGE))
        start, end = iso_cmdline.find_slot(self.IMAGE)
        self.assertEqual(end - start, self.SLOT)
        self.assertEqual(stamped[:start], self.IMAGE[:start])
        self.assertEqual(stamped[end:], self.IMAGE[end:])
        self.assertEqual(stamped[start:end],
                         b"test=foo emu=qemu".ljust(self.SLOT, b" "))

    def test_exactly_full_slot_fits(self):
        iso_cmdline.stamp_cmdline(self.IMAGE, "x" * self.SLOT)

    def test_too_long_names_the_maximum(self):
        with self.assertRaisesRegex(iso_cmdline.CmdlineError,
                                    f"at most {self.SLOT}"):
            iso_cmdline.stamp_cmdline(self.IMAGE, "x" * (self.SLOT + 1))

    def test_prefix_must_occur_once(self):
        for image, found in ((self.IMAGE + self.CONFIG, "found 2"),
                             (b"no config here", "found 0")):
            with self.subTest(found=found):
                with self.assertRaisesRegex(iso_cmdline.CmdlineError, found):
                    iso_cmdline.stamp_cmdline(image, "test=foo")

    def test_newline_is_refused(self):
        with self.assertRaises(iso_cmdline.CmdlineError):
            iso_cmdline.stamp_cmdline(self.IMAGE, "test=foo\nboot")

    def test_command_line_interface(self):
        with tempfile.TemporaryDirectory() as directory:
            source = Path(directory) / "in.iso"
            target = Path(directory) / "out.iso"
            source.write_bytes(self.IMAGE)
            status = iso_cmdline.main(["iso_cmdline.py", str(source),
                                       str(target), "test=list emu=bochs"])
            self.assertEqual(status, 0)
            self.assertIn(b"baton.elf test=list emu=bochs   ",
                          target.read_bytes())
            self.assertEqual(source.read_bytes(), self.IMAGE)


BOCHS_LOG_START = """\
00000000000i[SYS   ] bx_pc_system_c::Reset(HARDWARE) called
00000000000i[CPU0  ] cpu hardware reset
"""


class BochsLogTest(unittest.TestCase):
    """What the runner reads from Bochs's own log."""

    def note(self, text, read=run.bochs_reset_line):
        with tempfile.TemporaryDirectory() as directory:
            bochs_log = Path(directory) / "t.bochs.log"
            bochs_log.write_text(BOCHS_LOG_START + text)
            return read(bochs_log)

    def test_power_on_reset_is_not_a_reboot(self):
        self.assertEqual(self.note(""), "")

    def test_triple_fault(self):
        self.assertEqual(
            self.note("00047834156p[CPU0  ] >>PANIC<< exception(): "
                      "3rd (13) exception with no resolution\n"),
            "Bochs CPU0: exception(): 3rd (13) exception with no resolution")

    def test_guest_reset(self):
        self.assertEqual(
            self.note("00047800806i[SYS   ] "
                      "bx_pc_system_c::Reset(SOFTWARE) called\n"),
            "Bochs SYS: bx_pc_system_c::Reset(SOFTWARE) called")

    def test_shutdown_is_no_complaint(self):
        shutdown = ("00047843491p[UNMAP ] >>PANIC<< Shutdown port: "
                    "shutdown requested\n")
        self.assertEqual(self.note(shutdown, run.bochs_complaint), "")
        cdrom = "00000000000p[HD    ] >>PANIC<< could not open cdrom\n"
        self.assertEqual(self.note(cdrom, run.bochs_complaint),
                         "Bochs HD: could not open cdrom")


class DiscoveryTest(unittest.TestCase):
    """catalog.discover, with a canned boot in place of an emulator."""

    IMAGE = IsoCmdlineTest.IMAGE

    def discover(self, serial, exit_status=33):
        booted = qemu(serial, exit_status)
        with tempfile.TemporaryDirectory() as directory, \
                mock.patch.object(run, "boot", return_value=booted) as boot:
            tests = catalog.discover(self.IMAGE, "qemu", directory,
                                     watch.Limits(1, 1))
            listed_iso = boot.call_args.args[1].iso.read_bytes()
        self.assertIn(b"baton.elf test=list emu=qemu ", listed_iso)
        return tests

    def test_listing(self):
        tests = self.discover(ProtocolTest.LISTING)
        self.assertEqual(len(tests), 3)

    def test_panic_while_listing(self):
        serial = "BATON TEST name=a lab=0 points=1\nPANIC: oops\n"
        with self.assertRaises(catalog.DiscoveryError) as raised:
            self.discover(serial, exit_status=37)
        self.assertEqual(str(raised.exception), "panic: oops")
        self.assertEqual(raised.exception.last_lines[-1], "PANIC: oops")

    def test_emulator_missing(self):
        missing = FileNotFoundError("no such file: 'qemu-system-x86_64'")
        with tempfile.TemporaryDirectory() as directory, \
                mock.patch.object(run, "boot", side_effect=missing):
            with self.assertRaisesRegex(catalog.DiscoveryError,
                                        "cannot start qemu"):
                catalog.discover(self.IMAGE, "qemu", directory,
                                 watch.Limits(1, 1))

    def test_listing_without_end(self):
        with self.assertRaisesRegex(catalog.DiscoveryError, "LIST-END"):
            self.discover("BATON TEST name=a lab=0 points=1\n")


def graded(name, outcome, points=10, lab="1", detail=""):
    test = protocol.Test(name, lab, points)
    return results.Graded(test, verdict.Verdict(outcome, detail), 0.5,
                          f"build/grade/qemu/{name}.log")


class ReportTest(unittest.TestCase):
    """Console lines, results.json, junit.xml and the exit status."""

    RESULTS = [graded("a", verdict.PASS),
               graded("b", verdict.FAIL, detail="deliberate"),
               graded("c", verdict.PASS, points=5, lab="0"),
               graded("selftest_x", verdict.PANIC, points=1,
                      lab="selftest", detail="boom")]

    def test_result_lines(self):
        self.assertEqual(console.result_lines(self.RESULTS[0]),
                         ["  PASS  a (lab 1, 10 pts) 0.50s"])
        self.assertEqual(console.result_lines(self.RESULTS[1]),
                         ["  FAIL  b (lab 1, 0/10 pts) — fail: "
                          "deliberate"])

    def test_summary_ends_with_counts(self):
        lines = console.summary_lines(self.RESULTS, notes=["note"])
        self.assertEqual(lines[-1], "2 passed, 2 failed")
        self.assertEqual(lines[-2], "note")
        self.assertIn("Score: 15/26", lines)
        self.assertEqual(lines[1], "Lab 0: 5/5 pts (1/1 tests passed)")
        self.assertTrue(lines[3].startswith("Lab selftest: 0/1"))

    def test_json_and_junit(self):
        with tempfile.TemporaryDirectory() as directory:
            json_path = Path(directory) / "results.json"
            junit_path = Path(directory) / "junit.xml"
            results.write_json(self.RESULTS, json_path)
            results.write_junit(self.RESULTS, junit_path, title="baton qemu")
            records = json.loads(json_path.read_text())
            root = ElementTree.parse(junit_path).getroot()
        self.assertEqual(records[1], {
            "name": "b", "lab": 1, "points": 10, "earned": 0,
            "outcome": "fail", "detail": "deliberate", "seconds": 0.5,
            "log": "build/grade/qemu/b.log"})
        self.assertEqual(records[3]["lab"], "selftest")
        suites = root.findall("testsuite")
        self.assertEqual([suite.get("name") for suite in suites],
                         ["lab 0", "lab 1", "lab selftest"])
        failure = suites[1].find("testcase[@name='b']/failure")
        self.assertEqual(failure.get("message"), "fail: deliberate")
        self.assertEqual(root.get("failures"), "2")

    def test_expectations(self):
        passing = [graded("a", verdict.PASS)]
        failing = [graded("b", verdict.FAIL)]
        broken = [graded("c", verdict.BUILD_FAILURE)]
        self.assertTrue(grade.expectation_met(passing, expect_fail=False))
        self.assertFalse(grade.expectation_met(self.RESULTS, False))
        self.assertTrue(grade.expectation_met(failing, expect_fail=True))
        self.assertFalse(grade.expectation_met(passing, expect_fail=True))
        self.assertFalse(grade.expectation_met(broken, expect_fail=True))

    def test_live_echo_prefixes_whole_lines(self):
        output = io.StringIO()
        echo = console.LiveEcho("t")
        with redirect_stdout(output):
            echo(b"one\r\ntw")
            echo(b"o\nthree")
            echo.flush()
        self.assertEqual(output.getvalue(), "[t] one\n[t] two\n[t] three\n")


class WatchTest(unittest.TestCase):
    """Time limits, with a shell script standing in for the emulator."""

    def watched(self, script, total=5.0, no_output=5.0):
        process = watch.start(["sh", "-c", script], stdout=subprocess.PIPE)
        with process.stdout:
            return watch.watch(process, watch.PipeSource(process.stdout),
                               watch.Limits(total, no_output),
                               on_output=lambda chunk: None)

    def test_exit_status_and_output(self):
        watched = self.watched("echo hello; exit 33")
        self.assertEqual(
            (watched.output, watched.exit_status, watched.timeout),
            (b"hello\n", 33, None))

    def test_no_output_limit(self):
        watched = self.watched("echo started; exec sleep 30", no_output=0.3)
        self.assertEqual((watched.timeout, watched.exit_status),
                         ("no-output", None))
        self.assertEqual(watched.output, b"started\n")
        self.assertLess(watched.seconds, 3)

    def test_total_limit_despite_output(self):
        watched = self.watched("while :; do echo tick; sleep 0.05; done",
                               total=0.5, no_output=0.3)
        self.assertEqual(watched.timeout, "total")
        self.assertLess(watched.seconds, 3)


if __name__ == "__main__":
    unittest.main()
