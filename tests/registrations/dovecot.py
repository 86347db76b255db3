"""A real Dovecot IMAP server for the intake tests, started on a free loopback port.

Debian's `dovecot-imapd` package must be installed (`.ci/run` and `make test` install it)."""

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from registrations.intake.imap import ImapAccount

CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain
default_internal_user = dovecot
default_login_user = dovenull
first_valid_uid = 1
mail_max_userip_connections = 100
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Dovecot:
    def __init__(self, root: Path):
        if shutil.which("dovecot") is None:
            raise RuntimeError("Dovecot is not installed: apt-get install dovecot-imapd")
        self.root = root
        self.port = free_port()
        for folder in ("run", "state", "home"):
            (root / folder).mkdir(parents=True, exist_ok=True)
        (root / "users").write_text("intake:{PLAIN}intake-secret\n")
        shutil.chown(root / "home", "dovecot", "dovecot")
        (root / "dovecot.conf").write_text(CONFIG.format(root=root, port=self.port))
        self.process = subprocess.Popen(
            ["dovecot", "-F", "-c", str(root / "dovecot.conf")], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        self.wait_until_listening()

    @classmethod
    def in_temporary_folder(cls) -> "Dovecot":
        # Dovecot's own processes run as the `dovecot` user and must read the folder, which
        # pytest's private tmp_path would not let them.
        root = Path(tempfile.mkdtemp(prefix="stadtdialog-dovecot-"))
        root.chmod(0o755)
        return cls(root)

    def wait_until_listening(self):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"Dovecot did not start: {(self.root / 'dovecot.log').read_text(errors='replace')}")

    @property
    def url(self) -> str:
        return f"imap://intake:intake-secret@127.0.0.1:{self.port}/INBOX"

    def account(self) -> ImapAccount:
        return ImapAccount.from_url(self.url)

    def empty_inbox(self):
        with self.account().connect() as mailbox:
            uids = mailbox.uids("ALL")
            if uids:
                mailbox.delete(uids)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)
