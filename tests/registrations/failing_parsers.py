"""Stand-ins for `parse_each` that fail in the intake's child process. The child imports this
module to run them, so it imports nothing that needs Django set up."""

import os


def die(raws):
    os._exit(1)  # as when the child is killed (out of memory, a crash in C code)


def raise_error(raws):
    raise RuntimeError("a bug in the parser")
