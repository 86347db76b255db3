"""The limit of registrations per e-mail address of an event (`Event.max_registrations_per_address`).

Decided in the transaction that writes the registrations, after the seat-pool lock: every seat
pool of the event is locked while the limit applies, so that two batches registering one address
for different seat types wait for each other and cannot both count below the limit. Only the
citizens' own channels (web form, API, e-mail) count and are limited; organisers who enter a
registration on the phone or at the door decide for themselves. See docs/allocation.md.
"""

from django.db import connections, router
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.addresses import normalize_email
from core.errors import DomainError
from core.rows import one_of, run_statement
from events.models import Event
from registrations.models import Registration, Status
from registrations.submissions import STAFF_CHANNELS, Submission


def seat_types_to_lock(event: Event, submissions: list[Submission]) -> set[str]:
    wanted = {submission.data.seat_type for submission in submissions}
    return set(event.seat_types) | wanted if _limited(event, submissions) else wanted


def over_the_limit(event: Event, submissions: list[Submission]) -> dict[int, DomainError]:
    """The submissions (by index) that would take an address past the limit, in order of receipt.
    Call under the locks of `seat_types_to_lock`."""
    limited = _limited(event, submissions)
    if not limited:
        return {}
    counts = _registered_per_address(event, {normalize_email(submissions[i].data.email) for i in limited})
    refused = {}
    for index in sorted(limited, key=lambda i: submissions[i].received_at):
        address = normalize_email(submissions[index].data.email)
        if counts.get(address, 0) >= event.max_registrations_per_address:
            refused[index] = limit_reached(event)
        else:
            counts[address] = counts.get(address, 0) + 1
    return refused


def _registered_per_address(event: Event, addresses: set[str]) -> dict[str, int]:
    """Active registrations of the citizens' own channels per address: one plain statement under
    the seat lock (core/rows.py), its conditions in the text of the partial unique index
    `one_active_registration_per_person`, which it reads."""
    connection = connections[router.db_for_read(Registration)]
    address_is, address_values = one_of(connection, "email_normalized", addresses)
    staff_is, staff_values = one_of(connection, "channel", STAFF_CHANNELS)
    rows = run_statement(
        Registration,
        f"SELECT email_normalized, COUNT(*) FROM {Registration._meta.db_table}"  # noqa: S608 - no input in the text
        f" WHERE event_id = %s AND email_normalized <> '' AND status <> '{Status.CANCELLED}'"
        f" AND {address_is} AND NOT ({staff_is}) GROUP BY email_normalized",
        [event.pk, *address_values, *staff_values],
    )
    return dict(rows)


def limit_reached(event: Event) -> DomainError:
    most = event.max_registrations_per_address
    return DomainError(
        "address_limit_reached",
        ngettext(
            "Only %(most)s person can register with one e-mail address for this event.",
            "Only %(most)s people can register with one e-mail address for this event.",
            most,
        )
        % {"most": most}
        + " "
        + _("Please register with another address, or ask the organisers."),
        status=409,
        field="email",
    )


def _limited(event: Event, submissions: list[Submission]) -> list[int]:
    if not event.max_registrations_per_address:
        return []
    return [
        index
        for index, submission in enumerate(submissions)
        if submission.channel not in STAFF_CHANNELS and submission.data.email.strip()
    ]
