"""Signals by which events tell higher layers about changes they must react to."""

from django.dispatch import Signal

# Sent inside the transaction of an event update that changed capacity or reserved seats,
# with `event`, `actor` and `now`; registrations promotes waiting people into new free seats.
seats_changed = Signal()
