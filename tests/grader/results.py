"""A graded test's record, and the files that keep the results.

results.json is a list of {name, lab, points, earned, outcome, detail,
seconds, log} for scripts; junit.xml has one testsuite per lab for CI
systems that draw test reports.
"""

import json
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

from grader import protocol
from grader.verdict import Verdict


@dataclass(frozen=True)
class Graded:
    """One selected test and what the grader decided about it."""
    test: protocol.Test
    verdict: Verdict
    seconds: float = 0.0
    log: str | None = None

    @property
    def earned(self):
        return self.test.points if self.verdict.passed else 0


def lab_key(lab):
    """Sort key that puts numbered labs in order and self-tests last."""
    if lab == protocol.SELFTEST_LAB:
        return (1, 0)
    return (0, int(lab))


def by_lab(results):
    """[(lab, [Graded, ...]), ...] in lab order, tests in listing order."""
    labs = {}
    for graded in results:
        labs.setdefault(graded.test.lab, []).append(graded)
    return sorted(labs.items(), key=lambda item: lab_key(item[0]))


def as_record(graded):
    """The results.json record of one test."""
    lab = graded.test.lab
    return {
        "name": graded.test.name,
        "lab": lab if graded.test.is_selftest else int(lab),
        "points": graded.test.points,
        "earned": graded.earned,
        "outcome": graded.verdict.outcome,
        "detail": graded.verdict.detail,
        "seconds": round(graded.seconds, 2),
        "log": graded.log,
    }


def write_json(results, path):
    records = [as_record(graded) for graded in results]
    path.write_text(json.dumps(records, indent=2) + "\n")


def _testcase(suite, graded):
    test = graded.test
    group = "selftest" if test.is_selftest else f"lab{test.lab}"
    case = ElementTree.SubElement(suite, "testcase", {
        "classname": f"baton.{group}",
        "name": test.name,
        "time": f"{graded.seconds:.2f}",
    })
    if not graded.verdict.passed:
        failure = ElementTree.SubElement(case, "failure", {
            "message": graded.verdict.describe(),
            "type": graded.verdict.outcome,
        })
        failure.text = "\n".join(graded.verdict.excerpt)


def _count_attributes(results):
    failures = sum(not graded.verdict.passed for graded in results)
    seconds = sum(graded.seconds for graded in results)
    return {"tests": str(len(results)), "failures": str(failures),
            "time": f"{seconds:.2f}"}


def write_junit(results, path, title):
    """Write JUnit XML: one testsuite per lab, a failure per failed test."""
    root = ElementTree.Element("testsuites", {
        "name": title, **_count_attributes(results)})
    for lab, lab_results in by_lab(results):
        suite = ElementTree.SubElement(root, "testsuite", {
            "name": f"lab {lab}", **_count_attributes(lab_results)})
        for graded in lab_results:
            _testcase(suite, graded)
    ElementTree.indent(root)
    ElementTree.ElementTree(root).write(path, encoding="utf-8",
                                        xml_declaration=True)
