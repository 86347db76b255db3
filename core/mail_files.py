"""The mail backend of `EMAIL_URL=file://…`: one `.eml` file per message, so that every mail of
the demo or a test run opens in a mail client as it would arrive (Django's own file backend
appends all messages of a connection to one `.log` file, separated by dashes)."""

import os
import secrets
from datetime import datetime
from pathlib import Path

from django.core.mail.backends import filebased


class EmlFileBackend(filebased.EmailBackend):
    """Django's file backend checks that the folder exists and is writable; this one writes each
    message to its own file, named so that a sorted listing shows the mails in the order sent."""

    def send_messages(self, email_messages) -> int:
        folder = Path(self.file_path)
        for message in email_messages:
            name = f"{datetime.now():%Y%m%d-%H%M%S-%f}-{secrets.token_hex(4)}.eml"
            # Written under a temporary name and renamed, so that a reader never sees half a mail.
            partial = folder / f".{name}.part"
            mime = message.message()
            partial.write_bytes(mime.as_bytes(policy=mime.policy.clone(linesep="\r\n")))
            os.replace(partial, folder / name)
        return len(email_messages)

    def open(self) -> bool:
        return False

    def close(self) -> None:
        pass
