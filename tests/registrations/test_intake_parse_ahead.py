"""The intake's parsing child process, when the intake dies without cleaning up."""

import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# An intake with a child process, killed with SIGKILL (as by the OOM killer); just before, it
# notes the processes it has started (the fork server and the child) in the file it is given.
KILLED_INTAKE = """
import os, re, signal, sys
from datetime import UTC, datetime
from pathlib import Path

import django

django.setup()
from registrations.intake.parse_ahead import ParseAhead
from registrations.intake.services import RawMail


def descendants(pid):
    parents = {}
    for entry in Path("/proc").iterdir():
        try:
            parents[int(entry.name)] = int(re.search(r"PPid:\\s+(\\d+)", (entry / "status").read_text())[1])
        except (ValueError, OSError):
            continue
    found, grown = {pid}, True
    while grown:
        more = {child for child, parent in parents.items() if parent in found} - found
        found |= more
        grown = bool(more)
    return found - {pid}


parser = ParseAhead(in_child=True)
parser.start([RawMail(b"From: a@example.org\\r\\n\\r\\nhi", datetime.now(UTC), "test")])()
Path(sys.argv[1]).write_text(" ".join(map(str, descendants(os.getpid()))))
os.kill(os.getpid(), signal.SIGKILL)
"""


def running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return re.search(r"State:\s+Z", status) is None  # a zombie has ended; only its parent may not have reaped it


def test_a_killed_intake_leaves_no_parser_process_behind(tmp_path):
    noted, output = tmp_path / "pids", tmp_path / "output"
    with output.open("w") as out:  # a file, not a pipe: processes left behind would hold a pipe open
        subprocess.run([sys.executable, "-c", KILLED_INTAKE, noted], cwd=ROOT, stdout=out, stderr=out)
    started = [int(pid) for pid in noted.read_text().split()] if noted.exists() else []
    assert len(started) >= 2, output.read_text()  # the fork server and the child
    deadline = time.monotonic() + 10
    while any(running(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [pid for pid in started if running(pid)] == []
