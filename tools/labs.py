#!/usr/bin/env python3
"""The lab system: one kernel, seven stages, student trees and branches.

    tools/labs.py markers          check every SOL marker is well formed
    tools/labs.py exercises N      print lab N's exercises (make lab-N)
    tools/labs.py export N DEST    write the tree a student of lab N gets
    tools/labs.py check-stages     the integrity matrix (make check-stages)
    tools/labs.py check-exports    export, build and grade every stage
    tools/labs.py branches REPO    lab1..lab7 branches in a handout repo
    tools/labs.py check-merge      the "keep your own code" workflow works

Stage N is the kernel with the solutions of labs 1..N-1 compiled in and
lab N's and later labs' stubs in place (SOL=N-1). In the master tree it is
built by `make SOL=N-1` into build/lab-N; a student's tree is the export of
the master tree with the markers evaluated away by unifdef.

The integrity rule (DESIGN.md): stage N passes every test of labs < N and
fails every test of lab N. A lab whose tests pass on its stubs has tests
that test nothing. docs/maintaining-labs.md explains the rules.
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAST_LAB = 7
LABS = range(1, LAST_LAB + 1)
SOURCE_SUFFIXES = {".c", ".h", ".S", ".tbl"}
# A student's tree says which lab it is in this file (the Makefile reads it).
HANDOUT_MK = "conf/handout.mk"

# Marker lines. Only these forms may mention SOL (docs/maintaining-labs.md).
SOL_IF = re.compile(r"^\s*#\s*if\s+SOL\s*>=\s*(\d+)\s*$")
MENTIONS_SOL = re.compile(r"\bSOL\b")
CONDITIONAL = re.compile(r"^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b")
# A later lab's own files: its handout, kernel tests and answer key.
LAB_FILE = re.compile(
    r"^(labs/lab(\d+)[-/_]|tests/kernel/lab(\d+)_|solutions/)")


class LabError(Exception):
    """A mistake in what was asked, or in the tree: said, nothing changed."""


def say(text=""):
    print(text, flush=True)


def lab_number(text):
    """A lab number 1..7 from the command line, or LabError."""
    if not text.isdigit() or int(text) not in LABS:
        raise LabError(f"there is no lab {text!r}: the labs are 1 to "
                       f"{LAST_LAB}")
    return int(text)


# ---- Markers ----------------------------------------------------------------

def source_files(root=ROOT):
    """Every C and assembly source the lab system evaluates, as paths."""
    return sorted(p for top in ("kernel", "user", "tests")
                  for p in (root / top).rglob("*")
                  if p.suffix in SOURCE_SUFFIXES and p.is_file())


def marker_problems(path, root=ROOT):
    """The problems with the SOL markers of one file, as messages."""
    problems, stack = [], []  # stack: (is_sol_block, line number)
    where = path.relative_to(root)
    for number, line in enumerate(path.read_text().splitlines(), 1):
        match = CONDITIONAL.match(line)
        if not match:
            continue
        kind = match.group(1)
        if kind in ("if", "ifdef", "ifndef"):
            sol = SOL_IF.match(line)
            if MENTIONS_SOL.search(line) and not sol:
                problems.append(f"{where}:{number}: a SOL marker must read "
                                f"exactly '#if SOL >= N': {line.strip()}")
            elif sol and int(sol.group(1)) not in LABS:
                problems.append(f"{where}:{number}: no lab {sol.group(1)} "
                                f"(labs are 1..{LAST_LAB})")
            stack.append((bool(sol), number))
        elif kind == "elif" and stack and stack[-1][0]:
            problems.append(f"{where}:{number}: #elif in a SOL block: use "
                            f"one #else")
        elif kind in ("else", "elif") and not stack:
            problems.append(f"{where}:{number}: #{kind} without #if")
        elif kind == "endif":
            if not stack:
                problems.append(f"{where}:{number}: #endif without #if")
            else:
                stack.pop()
    for _, number in stack:
        problems.append(f"{where}:{number}: this #if has no #endif")
    return problems


def check_markers(root=ROOT):
    """Raises LabError listing every malformed marker in the tree."""
    problems = [p for path in source_files(root)
                for p in marker_problems(path, root)]
    if problems:
        raise LabError("malformed solution markers:\n  " +
                       "\n  ".join(problems))


# ---- Exercises --------------------------------------------------------------

def handout_of(lab, root=ROOT):
    """The handout of a lab (labs/labN-NAME.md), or None."""
    found = sorted((root / "labs").glob(f"lab{lab}-*.md"))
    return found[0] if found else None


def exercises(lab, root=ROOT):
    """The exercise headings of a lab's handout, with their first lines."""
    handout = handout_of(lab, root)
    if handout is None:
        return []
    return [line.lstrip("#").strip()
            for line in handout.read_text().splitlines()
            if re.match(r"^#{2,4}\s+Exercise\b", line)]


def print_exercises(lab):
    """What `make lab-N` says: the stage, the exercises, how to grade."""
    handout = handout_of(lab)
    solved = f"labs 1..{lab - 1} solved" if lab > 1 else "no lab solved"
    say(f"Stage {lab} ({solved}; lab {lab} is yours), built in "
        f"build/lab-{lab}.")
    if handout is None:
        say(f"Lab {lab} has no handout yet.")
    else:
        say(f"Read {handout.relative_to(ROOT)}. The exercises:")
        for heading in exercises(lab) or ["(the handout lists none yet)"]:
            say(f"  {heading}")
    say(f"Grade lab {lab}: make grade STAGE={lab} LAB={lab}   "
        "(its tests fail until it is written)")
    if lab > 1:
        say(f"Grade the labs before it: make grade STAGE={lab}")


# ---- Export -----------------------------------------------------------------

def tree_files(root=ROOT):
    """Files in the tree, as git sees them: tracked, plus new unignored."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=root, check=True, capture_output=True, text=True).stdout
    return sorted({line for line in listed.splitlines()
                   if (root / line).is_file()})


def exported(path, lab):
    """Does a student of lab `lab` get this file?"""
    match = LAB_FILE.match(path)
    if not match:
        return True
    if path.startswith("solutions/"):
        return False
    file_lab = int(match.group(2) or match.group(3))
    return file_lab <= lab


def unifdef(text, sol, where):
    """text with every SOL marker evaluated for SOL=sol."""
    done = subprocess.run(["unifdef", f"-DSOL={sol}", "-x", "2"],
                          input=text, capture_output=True, text=True)
    if done.returncode == 2:
        raise LabError(f"unifdef failed on {where}: {done.stderr.strip()}")
    return done.stdout


def export_into(lab, dest, root=ROOT):
    """Writes stage `lab`'s student tree into the (empty) folder dest."""
    for path in tree_files(root):
        if not exported(path, lab):
            continue
        source, target = root / path, dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if Path(path).suffix in SOURCE_SUFFIXES:
            target.write_text(unifdef(source.read_text(), lab - 1, path))
        else:
            shutil.copy2(source, target)
    (dest / HANDOUT_MK).parent.mkdir(parents=True, exist_ok=True)
    (dest / HANDOUT_MK).write_text(
        "# This tree is the handout of one lab: `make grade` grades\n"
        "# labs 1 to HANDOUT_LAB, the last one being yours.\n"
        f"HANDOUT_LAB := {lab}\n")
    leftovers = [str(p.relative_to(dest)) for p in source_files(dest)
                 if MENTIONS_SOL.search(
                     "\n".join(line for line in p.read_text().splitlines()
                               if CONDITIONAL.match(line)))]
    if leftovers:
        raise LabError("SOL conditionals survived the export in: " +
                       ", ".join(leftovers))


def export(lab, dest):
    """`make export LAB=N DEST=DIR`: checks, then writes the tree."""
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise LabError(f"{dest} exists and is not an empty folder: "
                       "nothing written")
    check_markers()
    dest.mkdir(parents=True, exist_ok=True)
    export_into(lab, dest)
    say(f"exported lab {lab} to {dest}: run `make` and `make grade` there")


# ---- Grading stages ---------------------------------------------------------

def standalone_env():
    """The environment for a make of its own: Python closes the parent
    make's job-server pipes, so its MAKEFLAGS must not be inherited."""
    return {k: v for k, v in os.environ.items()
            if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}


def build_speedups():
    """Make arguments and environment that build the many stages faster.

    Every stage, and every student tree, compiles mostly the same files:
    only those with solution markers differ. With ccache installed the
    compiler's output for the rest is reused, whatever the folder
    (CCACHE_NOHASHDIR: the debug information then names the folder that
    first compiled a file, which no check reads). Not for students'
    builds, where gdb must find their own sources.
    """
    args = [f"-j{os.cpu_count() or 1}"]
    env = {}
    if shutil.which("ccache") and not os.environ.get("TOOLPREFIX"):
        args.append("CC=ccache gcc")
        env = {"CCACHE_DIR": str(ROOT / "build" / "ccache"),
               "CCACHE_NOHASHDIR": "true"}
    return args, env


def make(args, cwd=ROOT, quiet=True):
    """Runs make; raises LabError with its output if it fails."""
    speedup_args, speedup_env = build_speedups()
    done = subprocess.run(["make", "--no-print-directory", *speedup_args,
                           *args], cwd=cwd, capture_output=quiet, text=True,
                          env={**standalone_env(), **speedup_env})
    if done.returncode != 0:
        output = (done.stdout + done.stderr)[-3000:] if quiet else ""
        raise LabError(f"make {' '.join(args)} failed in {cwd}\n{output}")


def grade(iso, out, labs, cwd=ROOT):
    """Grades some labs of an ISO; returns {lab: [result records]}."""
    if list(labs) == list(range(0, max(labs) + 1)):
        selections = [["--labs-upto", str(max(labs))]]
    else:
        selections = [["--lab", str(lab)] for lab in labs]
    by_lab = {}
    for number, selection in enumerate(selections):
        folder = Path(out) / f"run{number}"
        results = folder / "results.json"
        results.unlink(missing_ok=True)  # a stale one must not answer
        subprocess.run([sys.executable, str(cwd / "tests" / "grade.py"),
                        "--iso", str(iso), "--out", str(folder),
                        *selection],
                       cwd=cwd, capture_output=True, text=True)
        if not results.exists():
            raise LabError(f"the grader wrote no {results}")
        for record in json.loads(results.read_text()):
            by_lab.setdefault(record["lab"], []).append(record)
    return by_lab


def labs_with_tests():
    """{lab: test count} of the complete kernel (built if needed)."""
    make(["all"])
    listing = subprocess.run(
        [sys.executable, "tests/grade.py", "--list", "--labs-upto",
         str(LAST_LAB), "--out", "build/grade-list"],
        cwd=ROOT, capture_output=True, text=True)
    if listing.returncode != 0:
        raise LabError(f"could not list the tests:\n{listing.stdout}")
    counts = {}
    for line in listing.stdout.splitlines():
        _, lab, _ = line.split()
        counts[int(lab)] = counts.get(int(lab), 0) + 1
    return counts


def kernel_image(iso):
    """The bytes the kernel next to iso loads (objcopy -O binary): equal
    for two stages exactly when they run the same code."""
    elf = Path(iso).with_name("baton.elf")
    with tempfile.TemporaryDirectory() as tmp:
        binary = Path(tmp) / "image"
        subprocess.run(["objcopy", "-O", "binary", str(elf), str(binary)],
                       check=True)
        return hashlib.sha256(binary.read_bytes()).hexdigest()


def violations(stage, by_lab):
    """Broken promises of one stage's grade, as messages."""
    found = []
    for lab, records in by_lab.items():
        if not isinstance(lab, int):
            continue
        passed = sum(r["outcome"] == "pass" for r in records)
        if lab < stage and passed < len(records):
            names = [r["name"] for r in records if r["outcome"] != "pass"]
            found.append(f"stage {stage}: lab {lab} tests fail: "
                         f"{', '.join(names)}")
        if lab == stage and passed:
            names = [r["name"] for r in records if r["outcome"] == "pass"]
            found.append(f"stage {stage}: lab {lab} tests PASS on the "
                         f"stubs (they test nothing): {', '.join(names)}")
    return found


def matrix_row(stage, by_lab, graded):
    """One stage's line: passed/failed per lab, "none" for a lab without
    tests, "-" for a lab not graded at this stage."""
    cells = []
    for lab in range(0, LAST_LAB + 1):
        records = by_lab.get(lab, [])
        if lab not in graded or not records:
            cells.append(f"{'none' if lab in graded else '-':>7}")
            continue
        passed = sum(r["outcome"] == "pass" for r in records)
        cells.append(f"{passed:>3}/{len(records) - passed:<3}")
    return f"  stage {stage}  " + " ".join(cells)


def check_stages_in(stage_tree, title,
                    labs_of=lambda stage: range(stage + 1)):
    """Grades every stage; prints the matrix; True if no rule is broken.

    stage_tree(stage) builds the stage and returns (iso, grade folder,
    cwd); labs_of(stage) says which labs to grade there.
    """
    counts = labs_with_tests()
    untested = [lab for lab in LABS if not counts.get(lab)]
    say(f"{title}: cells are passed/failed tests; lab N must fail at "
        "stage N and pass at every later stage")
    say("           " + " ".join(f"{'lab ' + str(lab):>7}"
                                 for lab in range(0, LAST_LAB + 1)))
    problems = []
    previous = (None, {})  # (the last stage's kernel image, its results)
    for stage in LABS:
        iso, out, cwd = stage_tree(stage)
        considered = list(labs_of(stage))
        graded = [lab for lab in considered if lab == 0 or counts.get(lab)]
        image = kernel_image(iso)
        same = image == previous[0]
        if same:
            # The same kernel, byte for byte, as the stage before (a lab
            # with no code yet): its results stand, no need to boot again.
            by_lab = {lab: records for lab, records in previous[1].items()
                      if lab in graded}
        else:
            by_lab = grade(iso, out, graded, cwd) if graded else {}
        previous = (image, by_lab)
        say(matrix_row(stage, by_lab, considered) +
            (f"   (same kernel as stage {stage - 1})" if same else ""))
        problems += violations(stage, by_lab)
    if untested:
        say(f"  labs without tests yet (their stages check earlier labs "
            f"only): {', '.join(map(str, untested))}")
    for problem in problems:
        say(f"  VIOLATION {problem}")
    say(f"{len(problems)} violations")
    return not problems


def check_stages():
    def master_stage(stage):
        make([f"SOL={stage - 1}", "all"])
        folder = ROOT / "build" / f"lab-{stage}"
        return folder / "baton.iso", folder / "grade-stage", ROOT
    return check_stages_in(master_stage, "stage check (master tree)")


def check_exports():
    base = Path(tempfile.mkdtemp(prefix="baton-exports-"))

    def exported_stage(stage):
        dest = base / f"lab{stage}"
        export(stage, dest)
        assert_student_tree(stage, dest)
        make(["all"], cwd=dest)
        return dest / "build" / "baton.iso", dest / "build" / "grade", dest
    # The whole matrix, on the trees students get: this is the stage
    # check of `make test` (check-stages does the same on the master
    # tree's stages, for whoever changes the lab system).
    try:
        return check_stages_in(exported_stage, "export check (student trees)")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def assert_student_tree(lab, dest):
    """Raises LabError if the export holds what a student must not see."""
    files = [str(p.relative_to(dest)) for p in dest.rglob("*")
             if p.is_file()]
    leaked = [f for f in files if not exported(f, lab)]
    if leaked:
        raise LabError(f"the lab {lab} export holds {', '.join(leaked)}")
    stub = f"LAB {lab}: your code here"
    if lab in labs_with_markers() and not any(
            stub in (dest / f).read_text(errors="replace")
            for f in files if Path(f).suffix in SOURCE_SUFFIXES):
        raise LabError(f"the lab {lab} export has no '{stub}' stub")


def labs_with_markers(root=ROOT):
    """The labs that have solution code in the master tree."""
    return {int(match.group(1)) for path in source_files(root)
            for match in map(SOL_IF.match, path.read_text().splitlines())
            if match}


# ---- Branches ---------------------------------------------------------------

def git(args, cwd, check=True):
    return subprocess.run(["git", *args], cwd=cwd, check=check,
                          capture_output=True, text=True)


def empty_work_tree(work):
    for entry in work.iterdir():
        if entry.name != ".git":
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def commit_message(lab):
    """What a lab branch's commit says it adds."""
    if lab == 1:
        return "Lab 1: the handout"
    return f"Lab {lab}: the handout, with lab {lab - 1}'s reference solution"


def branches(repo):
    """Creates (or replaces) branches lab1..lab7 in the bare repo `repo`."""
    repo = Path(repo)
    if repo.exists() and not (repo / "HEAD").exists():
        raise LabError(f"{repo} exists and is not a bare git repository")
    check_markers()
    if not repo.exists():
        git(["init", "-q", "--bare", str(repo)], cwd=ROOT)
    with tempfile.TemporaryDirectory(prefix="baton-branches-") as work:
        work = Path(work)
        git(["init", "-q", "-b", "lab1"], cwd=work)
        for lab in LABS:
            if lab > 1:
                git(["checkout", "-q", "-b", f"lab{lab}"], cwd=work)
            empty_work_tree(work)
            export_into(lab, work)
            git(["add", "-A"], cwd=work)
            git(["-c", "user.name=Baton", "-c", "user.email=baton@localhost",
                 "commit", "-q", "--allow-empty", "-m", commit_message(lab)],
                cwd=work)
        git(["push", "-q", "--force", str(repo.resolve()),
             *[f"lab{lab}" for lab in LABS]], cwd=work)
    say(f"branches lab1..lab{LAST_LAB} are in {repo}; a student clones it "
        "(labs/README.md)")


def check_merge():
    """A student's own lab 1 code survives `git merge -X ours lab2`."""
    with tempfile.TemporaryDirectory(prefix="baton-merge-") as base:
        base = Path(base)
        branches(base / "handout.git")
        work = base / "student"
        git(["clone", "-q", "-b", "lab1", str(base / "handout.git"),
             str(work)], cwd=base)
        mine = "A student's own mb2_parse_mmap"
        write_student_solution(work)
        git(["-c", "user.name=S", "-c", "user.email=s@localhost", "commit",
             "-q", "-am", "my lab 1"], cwd=work)
        merged = git(["-c", "user.name=S", "-c", "user.email=s@localhost",
                      "merge", "-q", "-X", "ours", "origin/lab2", "-m",
                      "merge lab 2"], cwd=work, check=False)
        conflicted = git(["diff", "--name-only", "--diff-filter=U"],
                         cwd=work).stdout.split()
        if merged.returncode != 0 or conflicted:
            raise LabError(f"the merge left conflicts: {conflicted} "
                           f"{merged.stdout}{merged.stderr}")
        if mine not in (work / MMAP_FILE).read_text():
            raise LabError("the merge dropped the student's code")
        make(["all"], cwd=work)
        by_lab = grade(work / "build/baton.iso", work / "build/grade",
                       range(2), work)
        mmap = [r for r in by_lab.get(1, []) if r["name"].startswith("mb2")]
        if not mmap or any(r["outcome"] != "pass" for r in mmap):
            raise LabError(f"after the merge the student's code fails: "
                           f"{[(r['name'], r['outcome']) for r in mmap]}")
    say(f"merge check: the student's lab 1 code survived `git merge -X ours "
        f"lab2` and passes its {len(mmap)} tests")
    return True


MMAP_FILE = "kernel/kern/multiboot2.c"
STUDENT_MMAP = ROOT / "tests" / "labs" / "student_mb2_parse_mmap.inc"


def write_student_solution(work):
    """Replaces the lab 1 stub of mb2_parse_mmap in a student's tree with
    tests/labs/student_mb2_parse_mmap.inc: a solution written apart from
    the reference one, as a student would."""
    student = (work / MMAP_FILE).read_text()
    start = student.index("int mb2_parse_mmap(")
    end = student.index("\n}\n", start) + 3
    (work / MMAP_FILE).write_text(student[:start] +
                                  STUDENT_MMAP.read_text() + student[end:])


# ---- Command line -----------------------------------------------------------

def main(argv):
    commands = {
        "markers": (0, lambda: (check_markers(), say("markers: ok"))),
        "exercises": (1, lambda n: print_exercises(lab_number(n))),
        "export": (2, lambda n, dest: export(lab_number(n), dest)),
        "check-stages": (0, check_stages),
        "check-exports": (0, check_exports),
        "branches": (1, lambda repo: branches(repo)),
        "check-merge": (0, check_merge),
    }
    if not argv or argv[0] not in commands or \
            len(argv) - 1 != commands[argv[0]][0]:
        say(__doc__)
        return 2
    try:
        result = commands[argv[0]][1](*argv[1:])
    except LabError as error:
        say(f"error: {error}")
        return 1
    return 1 if result is False else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
