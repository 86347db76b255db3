"""A PostgreSQL cluster of the test's own, made with `initdb` and run with `pg_ctl` on a free
loopback port in a temporary folder, so that a test can restart its database without touching
the shared server. Debian's PostgreSQL 15 binaries; run as the `postgres` user when the tests
run as root (initdb refuses root)."""

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path("/usr/lib/postgresql/15/bin")
MANAGE = Path(__file__).resolve().parents[2] / "manage.py"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PrivateCluster:
    def __init__(self, root: Path, port: int):
        self.root = root
        self.port = port
        self.data = root / "data"
        self.log = root / "postgres.log"

    @classmethod
    def in_temporary_folder(cls) -> "PrivateCluster":
        root = Path(tempfile.mkdtemp(prefix="sd-private-pg-"))
        cluster = cls(root, free_port())
        cluster._own(root)
        cluster._run("initdb", "-D", str(cluster.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        cluster.start()
        return cluster

    def _as_postgres(self) -> list[str]:
        return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _own(self, path: Path) -> None:
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(path, user.pw_uid, user.pw_gid)

    def _run(self, program: str, *args: str) -> subprocess.CompletedProcess:
        command = [*self._as_postgres(), str(BIN / program), *args]
        return subprocess.run(command, check=True, capture_output=True, text=True, cwd=self.root)

    def _pg_ctl(self, action: str, *args: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", action, *args)

    def start(self) -> None:
        self._pg_ctl("start")

    def restart(self) -> None:
        """Like an operator's restart: every open connection is cut."""
        self._pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        if self.is_ready():
            self._pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(self.root, ignore_errors=True)

    def is_ready(self) -> bool:
        return subprocess.run([str(BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"]).returncode == 0

    def wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not self.is_ready():
            if time.monotonic() > deadline:
                raise AssertionError(f"the private PostgreSQL on port {self.port} did not come back")
            time.sleep(0.2)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self, name: str) -> str:
        """A migrated database of the app on this cluster; returns its DATABASE_URL."""
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)
        manage(["migrate", "--no-input", "-v", "0"], {"DATABASE_URL": self.url(name)})
        return self.url(name)


def app_environment(extra: dict[str, str]) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    environment.setdefault("SECRET_KEY", "only-for-tests-" + "s" * 40)
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return {**environment, **extra}


def manage(arguments: list[str], environment: dict[str, str]) -> str:
    """Run `manage.py` as its own process against `environment`; returns what it printed."""
    done = subprocess.run(
        [sys.executable, str(MANAGE), *arguments],
        env=app_environment(environment),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(arguments)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def django_shell(code: str, environment: dict[str, str]) -> str:
    return manage(["shell", "--no-imports", "-v", "0", "-c", code], environment)
