"""Per-boot copies of the ISO, each with its own kernel command line.

The stamping itself lives in tools/iso_cmdline.py, which people also run
by hand; it is loaded from there by path, since tools/ is not a package.
The ISO is read once and every copy is stamped from those bytes.
"""

import importlib.util
from pathlib import Path

TOOL_PATH = Path(__file__).resolve().parents[2] / "tools" / "iso_cmdline.py"


def _load_tool():
    spec = importlib.util.spec_from_file_location("iso_cmdline", TOOL_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


iso_cmdline = _load_tool()
CmdlineError = iso_cmdline.CmdlineError


def cmdline_for_test(test_name, emu, seed):
    """The kernel command line that runs one test (docs/protocol.md)."""
    return f"test={test_name} emu={emu} seed={seed}"


def cmdline_for_list(emu):
    """The kernel command line that lists the tests."""
    return f"test=list emu={emu}"


def read_image(iso_path):
    """The ISO's bytes, after checking it has a command-line slot.

    Raises OSError or CmdlineError.
    """
    image = Path(iso_path).read_bytes()
    iso_cmdline.find_slot(image)
    return image


def check_cmdline(image, cmdline):
    """Raise CmdlineError if cmdline cannot be stamped into image."""
    iso_cmdline.stamp_cmdline(image, cmdline)


def write_copy(image, cmdline, out_path):
    """Write image to out_path with cmdline stamped in; raises CmdlineError."""
    Path(out_path).write_bytes(iso_cmdline.stamp_cmdline(image, cmdline))
