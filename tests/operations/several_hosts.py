"""The deployment of docs/operations.md on one machine, as several "hosts": Debian's nginx with
the site file of ops/nginx, gunicorn and db_worker started with the command lines of
ops/systemd, Redis as the shared cache, an SMTP sink. Only ports, paths and certificates are
replaced; the rest of each file is used as it is."""

import http.client
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OPS = ROOT / "ops"
SERVER_NAME = "dialog.stadt.example"
VENV_BIN = str(Path(sys.executable).parent) + "/"


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def replaced_once(text: str, old: str, new: str) -> str:
    """Replace `old`, which must occur: a changed ops file fails here, not silently."""
    assert old in text, f"{old!r} is no longer in the ops file"
    return text.replace(old, new)


def exec_start(unit: str, variables: dict[str, str]) -> list[str]:
    """The ExecStart= command line of a systemd unit of ops/systemd, its ${…} and %… filled in."""
    text = (OPS / "systemd" / unit).read_text()
    (line,) = re.findall(r"^ExecStart=(.+)$", text, flags=re.MULTILINE)
    line = replaced_once(line, "/srv/stadtdialog/.venv/bin/", VENV_BIN)
    for name, value in variables.items():
        line = replaced_once(line, name, value)
    assert "$" not in line and "%" not in line, line
    return line.split()


@dataclass
class Certificate:
    cert: Path
    key: Path


def self_signed_certificate(folder: Path) -> Certificate:
    certificate = Certificate(folder / "cert.pem", folder / "key.pem")
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", f"/CN={SERVER_NAME}",
            "-addext", f"subjectAltName=DNS:{SERVER_NAME},IP:127.0.0.1",
            "-keyout", str(certificate.key), "-out", str(certificate.cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return certificate


@dataclass
class Nginx:
    http_port: int
    https_port: int
    folder: Path
    certificate: Certificate
    static_root: Path
    process: subprocess.Popen | None = None

    def site(self, upstream_ports: list[int]) -> str:
        site = (OPS / "nginx" / "stadtdialog.conf").read_text()
        servers = "".join(f"server 127.0.0.1:{port};\n    " for port in upstream_ports).rstrip()
        site = replaced_once(site, "server 127.0.0.1:8000;", servers)
        for old, new in [
            ("listen 80;", f"listen 127.0.0.1:{self.http_port};"),
            ("listen [::]:80;", f"listen [::1]:{self.http_port};"),
            ("listen 443 ssl", f"listen 127.0.0.1:{self.https_port} ssl"),
            ("listen [::]:443 ssl", f"listen [::1]:{self.https_port} ssl"),
            (f"/etc/letsencrypt/live/{SERVER_NAME}/fullchain.pem", str(self.certificate.cert)),
            (f"/etc/letsencrypt/live/{SERVER_NAME}/privkey.pem", str(self.certificate.key)),
            ("/srv/stadtdialog/staticfiles/", f"{self.static_root}/"),
        ]:
            site = replaced_once(site, old, new)
        return site

    def start(self, upstream_ports: list[int]) -> None:
        (self.folder / "site.conf").write_text(self.site(upstream_ports))
        temp = self.folder / "temp"
        temp.mkdir(mode=0o777)
        temp.chmod(0o777)  # the worker processes run as nobody when the test runs as root
        (self.folder / "nginx.conf").write_text(
            f"""daemon off;
worker_processes 1;
pid {self.folder}/nginx.pid;
error_log {self.folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    log_format with_request_id '$remote_addr "$request" $status $request_id';
    access_log {self.folder}/access.log with_request_id;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {self.folder}/site.conf;
}}
"""
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        checked = subprocess.run(
            [nginx, "-t", "-c", str(self.folder / "nginx.conf")], capture_output=True, text=True, check=False
        )
        assert checked.returncode == 0, checked.stderr
        self.process = subprocess.Popen([nginx, "-c", str(self.folder / "nginx.conf")], stderr=subprocess.PIPE)
        wait_for_port(self.https_port, self.process)

    def stop(self) -> None:
        stop_process(self.process)

    def logged(self, text: str, timeout: float = 10) -> bool:
        """Whether `text` appears in the access log (nginx writes a line just after answering)."""
        deadline = time.monotonic() + timeout
        while text not in (self.folder / "access.log").read_text():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True


@dataclass
class Host:
    """One "host": a gunicorn and a db_worker with their own environment."""

    name: str
    environment: dict[str, str]
    port: int = field(default_factory=free_port)
    processes: list[subprocess.Popen] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)

    def start(self, folder: Path, *, workers: int, threads: int) -> None:
        web = exec_start(
            "stadtdialog-web.service",
            {"${WEB_BIND}": f"127.0.0.1:{self.port}", "${WEB_WORKERS}": str(workers), "${WEB_THREADS}": str(threads)},
        )
        worker = exec_start("stadtdialog-worker@.service", {"%H": self.name, "%i": "1"})
        for label, command in [("web", web), ("worker", worker)]:
            log = folder / f"{self.name}-{label}.log"
            self.logs.append(log)
            with log.open("wb") as output:
                self.processes.append(
                    subprocess.Popen(command, cwd=ROOT, env=self.environment, stdout=output, stderr=output)
                )
        wait_until_app_answers(self.port, self.processes[0], self.logs[0])

    def stop(self) -> None:
        for process in self.processes:
            stop_process(process)

    def log_tail(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}" for log in self.logs)


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing answers on port {port}")


def wait_until_app_answers(port: int, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/events", headers={"Host": SERVER_NAME, "X-Forwarded-Proto": "https"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


def stop_process(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def https_client(port: int, source: str, certificate: Certificate) -> http.client.HTTPSConnection:
    """A connection to nginx from the loopback address `source`, trusting the test's certificate."""
    context = ssl.create_default_context(cafile=str(certificate.cert))
    return http.client.HTTPSConnection("127.0.0.1", port, source_address=(source, 0), context=context, timeout=60)


def base_environment(**overrides: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "PYTHONPATH"} or key.startswith("PG")
    }
    return environment | {"PYTHONDONTWRITEBYTECODE": "1"} | overrides


def temporary_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="several-hosts-"))
    folder.chmod(0o755)  # nginx's workers (nobody, when run as root) read the static files
    return folder
