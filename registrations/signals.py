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

# Asked (with `registration`) by the mails and the personal page for the access data of an online
# registration. A layer above that holds it itself (streaming: the Zoom meeting it created) answers
# with `registrations.mail.access_data.AccessData`, or None where it holds none; the first answer wins.
access_data_wanted = Signal()

# Asked by a registrant's personal page (`core.hooks.answers`) for the sections the layers above
# add, with `request`, `registration`, `now` and `kind`: "access" for the access data a layer holds
# itself (streaming: the Zoom meeting ID, passcode and personal join link; where such a section is
# shown, the page leaves out the access data organisers entered by hand), "other" for anything else
# (ideas: the link to the plenum's dot voting). A receiver returns HTML, or "" / None for none.
personal_page_section = Signal()

# Asked by the staff pages for the organiser pages of the layers above, to link them; a receiver
# returns a list of `registrations.staff.tabs.Tab`.
staff_pages = Signal()
