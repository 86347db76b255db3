"""Switches that turn off one fast path at a time, so that the benchmarks can measure what each
one buys (docs/benchmarks.md, "What each mechanism buys"). For benchmarks only: nothing in the
app reads them; they replace a function or a setting in the benchmark's own processes.

    BENCH_WITHOUT=group_commit,insert_all python bench/rush.py …
    python bench/rush.py --without group_commit …      (the same, as an option)

- `group_commit`: one transaction per registration instead of one per batch
  (settings.REGISTRATION_GROUP_COMMIT, registrations/group_commit.py);
- `insert_all`: the ORM's `bulk_create()` instead of `core.rows.insert_all()`;
- `doorbell`: one `send_outbox` task per commit instead of one per 0.2 s
  (registrations/outbox/doorbell.py);
- `slug_cache`: the API reads the event's id by its slug on every request
  (registrations/api.py, `_public_event_ids`);
- `page_cache`: every public page is rendered for every reader (core/public_pages.py keeps none).

Two more were measured and removed because they bought nothing (docs/benchmarks.md): server-side
prepared statements and parsing the intake's next chunk in a child process.
"""

import os

MECHANISMS = ("group_commit", "insert_all", "doorbell", "slug_cache", "page_cache")
VARIABLE = "BENCH_WITHOUT"


def add_option(parser) -> None:
    parser.add_argument(
        "--without", default="", help=f"mechanisms to turn off, comma-separated: {', '.join(MECHANISMS)}"
    )


def take_option(args) -> None:
    """Passes --without on to the benchmark's processes; refuses an unknown name before anything starts."""
    if args.without:
        os.environ[VARIABLE] = args.without
    turned_off()


def turned_off() -> set[str]:
    names = {name.strip() for name in os.environ.get(VARIABLE, "").split(",") if name.strip()}
    unknown = names - set(MECHANISMS)
    if unknown:
        raise SystemExit(f"{VARIABLE}: unknown mechanisms {sorted(unknown)}; known: {', '.join(MECHANISMS)}")
    return names


def apply_to_settings(namespace: dict) -> None:
    """From bench/settings.py, before Django reads the settings."""
    off = turned_off()
    if "group_commit" in off:
        namespace["REGISTRATION_GROUP_COMMIT"] = False


def apply_to_code() -> None:
    """After django.setup(), in every process of the benchmark (bench/wsgi.py for gunicorn)."""
    off = turned_off()
    if "group_commit" in off:
        from django.conf import settings

        settings.REGISTRATION_GROUP_COMMIT = False
    if "insert_all" in off:
        from registrations import answers, services

        def bulk_create(objects):
            return type(objects[0]).objects.bulk_create(objects) if objects else objects

        services.insert_all = answers.insert_all = bulk_create
    if "doorbell" in off:
        from registrations.outbox import queue

        queue._doorbell().ring = queue._enqueue_delivery
    if "slug_cache" in off:
        from registrations import api

        class Forgetful(dict):
            def __setitem__(self, key, value):
                pass

        api._public_event_ids = Forgetful()
    if "page_cache" in off:
        from core import public_pages

        public_pages.database_state = lambda: None


def describe() -> str:
    off = turned_off()
    return f"without: {', '.join(sorted(off))}" if off else "every mechanism on"
