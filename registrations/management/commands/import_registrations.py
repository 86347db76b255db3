import mailbox
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from registrations.intake.services import process_raw_mail


class Command(BaseCommand):
    help = (
        "Import registration mails exported from an inbox: .eml files or mbox files. Each mail keeps "
        "the time it arrived (its Date header, or the file's time); mails seen before are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help=".eml files, folders of .eml files, or mbox files")

    def handle(self, *args, paths, **options):
        mails = []
        for raw_path in paths:
            path = Path(raw_path)
            if not path.exists():
                raise CommandError(f"{path} does not exist.")
            mails.extend(self.read(path))
        mails.sort(key=lambda item: item[1])
        processed = skipped = 0
        for raw, received_at, source in mails:
            result = process_raw_mail(raw, received_at=received_at, source=source, now=timezone.now())
            processed, skipped = (processed + 1, skipped) if result else (processed, skipped + 1)
        self.stdout.write(f"processed {processed}, already known {skipped}")

    def read(self, path: Path):
        if path.is_dir():
            for file in sorted(path.glob("*.eml")):
                yield from self.read(file)
        elif path.suffix.lower() == ".eml":
            raw = path.read_bytes()
            yield raw, arrival_time(raw, fallback=path.stat().st_mtime), f"file:{path.name}"
        else:
            for index, message in enumerate(mailbox.mbox(path)):
                raw = message.as_bytes()
                yield raw, arrival_time(raw, fallback=path.stat().st_mtime), f"mbox:{path.name}:{index}"


def arrival_time(raw: bytes, *, fallback: float) -> datetime:
    header_end = raw.find(b"\n\n")
    for line in raw[: header_end if header_end > 0 else 4000].decode("latin-1").splitlines():
        if line.lower().startswith("date:"):
            try:
                parsed = parsedate_to_datetime(line[5:].strip())
            except (TypeError, ValueError):
                break
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return datetime.fromtimestamp(fallback, tz=UTC)
