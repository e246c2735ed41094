"""Baton's test grader, as a package that tests/grade.py drives.

    protocol  reads the BATON lines a kernel prints (docs/protocol.md)
    catalog   discovers the kernel's tests and selects which to run
    isos      stamps a per-test command line into a copy of the ISO
    watch     runs an emulator process under time limits
    run       boots an ISO once under QEMU or Bochs
    verdict   decides a test's outcome from its serial log and exit status
    results   a graded test's record; results.json and junit.xml
    console   what people read: result lines, failure excerpts, the score
"""
