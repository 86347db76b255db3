"""Run every benchmark in bench/, each in its own process (each sets up Django and its own
database), and fail if any of them found a correctness problem (a lost or doubled mail, an
overbooked seat, a page that did not answer) — never on a ratio, which a busy machine moves.

    python bench/run_all.py            # `make bench`: the full runs, figures for docs/benchmarks.md
    python bench/run_all.py --quick    # CI: each benchmark small, a minute or two in all
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BENCHMARKS = ["rush.py", "pages.py", "mail.py", "intake.py", "wall.py"]
# Small enough for CI, large enough that the correctness checks mean something: a rush that
# fills 100 seats and a waiting list, pages read concurrently, mails through the outbox and the
# workers, an intake of a few hundred mails with every kind of the corpus, the wall's state under
# 100 viewers.
QUICK = {
    "rush.py": ["--clients", "16", "--requests", "240"],
    "pages.py": ["--clients", "8", "--requests", "60", "--events", "5", "--ideas", "20", "--registrations", "20"],
    "mail.py": ["--mails", "40"],
    "intake.py": ["--mails", "200"],
    "wall.py": ["--quick"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="each benchmark small (CI)")
    parser.add_argument("only", nargs="*", help="benchmarks to run (default: all)")
    args = parser.parse_args()
    failed = []
    for name in args.only or BENCHMARKS:
        options = QUICK[name] if args.quick else []
        print(f"=== {name} {' '.join(options)}", flush=True)
        started = time.monotonic()
        if subprocess.run([sys.executable, str(BENCH / name), *options], check=False).returncode:
            failed.append(name)
        print(f"=== {name}: {time.monotonic() - started:.0f} s", flush=True)
    if failed:
        print(f"\nFailed (a correctness problem, see above): {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
