"""Signals by which events tell higher layers about changes they must react to."""

from django.dispatch import Signal

# Sent inside the transaction of an event update that changed capacity or reserved seats,
# with `event`, `actor` and `now`; registrations promotes waiting people into new free seats.
seats_changed = Signal()

# Sent inside the transaction that published an event (created as published, or a draft set to
# published), with `event`, `actor` and `now`; streaming creates the Zoom meeting.
event_published = Signal()

# The following are sent inside the transaction of the change, with `event`, `actor`, `now` and
# `note` (the organiser's words to the registrants, may be empty). Registrations tells everyone
# registered, in the same transaction, so nobody is forgotten if the process dies after commit.

# Time or place changed; also `previous` = {"starts_at", "ends_at", "place"} before the move.
event_moved = Signal()
event_cancelled = Signal()
# Postponed without a new date yet; moving it later sends `event_moved`.
event_postponed = Signal()

# The online access data (join link, meeting ID, passcode) or the time to send it changed;
# `data_changed` tells whether the data itself changed (those who have it get the new data).
access_data_changed = Signal()

# Asked by the public event page (`core.hooks.answers`) for the sections the layers above add, with
# `request`, `event` and `place` ("about" under the description, "registration" under "How to
# register", "livestream" in the stream's place); a receiver returns the HTML of its section there, or None.
event_page_section = Signal()

# Sent by `manage.py load_demo` inside its transaction, after the demo events exist, with `events`
# (slug → Event), `organiser` and `now`. A receiver adds its layer's demo content (registrations,
# check-ins, breakout groups and ideas, …) only where it is missing, so that a second run adds
# nothing; it returns a short line for the summary ("24 registrations"), or None.
demo_loaded = Signal()
