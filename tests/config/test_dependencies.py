"""The direct dependencies (requirements*.in) are all in the lock (requirements*.txt), within their range."""

import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def requirement_lines(path: Path) -> list[str]:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in lines if line and not line.startswith("-r ")]


def lock(*names: str) -> dict[str, str]:
    pins = {}
    for name in names:
        for line in requirement_lines(ROOT / name):
            package, version = re.fullmatch(r"([A-Za-z0-9_.\-\[\]]+)==(\S+)", line).groups()
            pins[canonicalize_name(package)] = version
    return pins


@pytest.mark.parametrize(
    ("direct", "locks"),
    [("requirements.in", ["requirements.txt"]), ("requirements-dev.in", ["requirements.txt", "requirements-dev.txt"])],
)
def test_every_direct_dependency_is_locked_within_its_range(direct, locks):
    pins = lock(*locks)
    for line in requirement_lines(ROOT / direct):
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is in {direct} but not in the lock"
        assert requirement.specifier.contains(pins[name]), f"{requirement.name}=={pins[name]} is outside {line}"


def test_the_runtime_lock_holds_no_test_tools():
    assert not {"pytest", "ruff", "playwright"} & set(lock("requirements.txt"))
