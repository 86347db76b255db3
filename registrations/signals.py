"""Signals by which registrations tell higher layers about changes they must react to."""

from django.dispatch import Signal

# Sent inside the transaction that changed a registration's status (registered, promoted from
# the waiting list, allocated at the deadline, cancelled, sent back to the waiting list, or
# switched to the other seat type),
# with `registration`, `previous_status` ("" for a new registration), `previous_seat_type` (differs
# from `registration.seat_type` after a switch of seat type, where the status may stay the same)
# and `now`. Streaming registers confirmed online participants at Zoom and cancels them again.
registration_status_changed = Signal()

# Sent by the layer that fills `Registration.personal_join_url` (streaming, once Zoom answered),
# inside the transaction that stored it, with `registration` and `now`; the access-data mail can
# then go out with the personal link instead of waiting for its next scheduled round.
personal_join_url_changed = Signal()
