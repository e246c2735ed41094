"""Baton's test grader, as a package that tests/grade.py drives.

    protocol  reads the BATON lines a kernel prints (docs/protocol.md)
    catalog   discovers the kernel's tests and selects which to run
    isos      stamps a per-test command line into a copy of the ISO
    run       runs one boot under QEMU or Bochs with time limits
    verdict   decides a test's outcome from its serial log and exit status
    console   prints results for people; results writes JSON and JUnit
"""
