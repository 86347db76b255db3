"""Run every benchmark in bench/, each in its own process (each sets up Django and its own
database), and fail if any of them found a correctness problem. `make bench` calls this."""

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BENCHMARKS = ["rush.py", "mail.py", "intake.py", "wall.py"]


def main() -> int:
    failed = []
    for name in BENCHMARKS:
        print(f"=== {name}", flush=True)
        if subprocess.run([sys.executable, str(BENCH / name)], check=False).returncode:
            failed.append(name)
    if failed:
        print(f"\nFailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
