"""What each kind of mail says. One source for the text and the HTML part: a subject, a few
paragraphs, and which sections (ticket, access data, consent terms, calendar) go with it.

Called inside `translation.override(language of the registrant)`.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from registrations.answers import unanswered_required
from registrations.links import (
    EMAIL_CHANGE_LINK_DAYS,
    data_access_url,
    details_url,
    email_change_url,
    manage_url,
    reconfirm_url,
)
from registrations.mail.calendar import CANCEL, REQUEST
from registrations.mail.dates import mail_datetime
from registrations.models import DataAccessRequest, EmailChange, MailKind, OutboxMail, Registration, SeatType, Status


class MailObsolete(Exception):
    """The mail must not go out any more (e.g. access data for someone no longer confirmed)."""


@dataclass
class MailContent:
    subject: str
    paragraphs: list[str] = field(default_factory=list)
    calendar_method: str | None = None
    ticket: bool = False
    access_data: bool = False
    consents: bool = False
    offer_cancel: bool = False
    action_url: str = ""
    action_label: str = ""
    # False for a mail to an address that does not (or no longer) hold the registration.
    personal_links: bool = True
    # (label, URL) of several registrations, for the mail that brings lost links
    links: list[tuple[str, str]] = field(default_factory=list)


ENTRY_WITH_THE_SEAT = _lazy("The entry for your calendar comes with your seat.")


def content_for(mail: OutboxMail) -> MailContent:
    build = BUILDERS[mail.kind]
    content = build(mail, mail.registration, mail.event.title if mail.event else "", mail.facts)
    # Decided when the mail was queued (notices.calendar_method), with the registration's state then.
    content.calendar_method = mail.facts.get("calendar") if mail.registration is not None else None
    if content.calendar_method == CANCEL:
        content.paragraphs.append(_("The calendar entry attached removes the event from your calendar."))
    add_party(content, mail.registration, mail.facts)
    if mail.facts.get("again"):
        content.paragraphs.insert(
            0, _("Here is the e-mail about your registration once more, as it stands today, with your personal link.")
        )
    if mail.kind in ASK_OPEN_QUESTIONS:
        ask_open_questions(content, mail.registration)
    return content


# Mails about a registration's place that also ask for answers the registrant still owes.
ASK_OPEN_QUESTIONS = {MailKind.CONFIRMED, MailKind.WAITLISTED, MailKind.PENDING, MailKind.PROMOTED}


def ask_open_questions(content: MailContent, registration) -> None:
    """Someone who registered by e-mail could not answer the organisers' required questions (or
    they were added later): the mail asks for the answers, through the personal link."""
    if registration is not None and unanswered_required(registration):
        content.paragraphs.append(
            _("The organisers ask every participant a few questions. Please answer them with the link below.")
        )
        content.action_url = details_url(registration)
        content.action_label = _("Answer the organisers' questions")


def add_party(content: MailContent, registration, facts: dict) -> None:
    """Every mail with a calendar entry for a party says how many seats it holds."""
    companions = facts.get("companions", registration.companions if registration is not None else 0)
    if companions and content.calendar_method == REQUEST:
        content.paragraphs.append(
            ngettext(
                "Your registration is for %(people)s people: you and %(companions)s companion.",
                "Your registration is for %(people)s people: you and %(companions)s companions.",
                companions,
            )
            % {"people": companions + 1, "companions": companions}
        )


def confirmed(mail, registration, title, facts):
    content = MailContent(
        _("Your seat is confirmed: %(title)s") % {"title": title},
        [_("Thank you for registering. Your seat is confirmed.")],
        consents=True,
        offer_cancel=True,
    )
    add_seat_hints(content, registration)
    return content


# A mail names no place on the waiting list: a registration that reached the city earlier but is
# written later (a phone call typed in, a request that waited for the lock) still goes ahead of
# those already waiting (registrations/seats.py `merge_into_waiting_lists`), and a number in a
# mail cannot be taken back. The personal page shows the place as it is (docs/allocation.md).
CURRENT_PLACE = _lazy(
    "The page of your registration (link below) shows your current place in the line. It can still change: "
    "a registration that reached us before yours, e.g. by phone, goes ahead of you even if it is entered later."
)


def waitlisted(mail, registration, title, facts):
    return MailContent(
        _("You are on the waiting list: %(title)s") % {"title": title},
        [
            _("Thank you for registering. All seats are taken at the moment."),
            _("You are on the waiting list. If a seat becomes free, you move up and we tell you at once."),
            str(CURRENT_PLACE),
            str(ENTRY_WITH_THE_SEAT),
        ],
        consents=True,
        offer_cancel=True,
    )


def pending(mail, registration, title, facts):
    deadline = mail_datetime(mail.event.registration_closes_at)
    return MailContent(
        _("We have received your registration: %(title)s") % {"title": title},
        [
            _("Thank you for registering."),
            _(
                "Seats are given after the registration deadline (%(deadline)s) in the order registrations "
                "arrived. We will tell you then whether you have a seat."
            )
            % {"deadline": deadline},
            str(ENTRY_WITH_THE_SEAT),
        ],
        consents=True,
        offer_cancel=True,
    )


def promoted(mail, registration, title, facts):
    content = MailContent(
        _("A seat became free – it is yours: %(title)s") % {"title": title},
        [_("Good news: a seat became free, and you were next on the waiting list. Your seat is confirmed.")],
        consents=True,
        offer_cancel=True,
    )
    add_seat_hints(content, registration)
    return content


def cancelled(mail, registration, title, facts):
    if facts.get("reason") in RELEASE_REASONS:
        paragraph = str(RELEASE_REASONS[facts["reason"]])
    elif facts.get("by") == "organiser":
        paragraph = _("The organisers have cancelled your registration.")
    else:
        paragraph = _("Your registration is cancelled, as you asked. Thank you for letting us know.")
    return MailContent(
        _("Your registration is cancelled: %(title)s") % {"title": title},
        [paragraph],
    )


def changed(mail, registration, title, facts):
    """After a switch of seat type or an edit of the details through the personal link or by the
    organisers. The calendar entry goes with a raised SEQUENCE, so calendars take the new one."""
    paragraphs = []
    if facts.get("by") == "organiser":
        paragraphs.append(_("The organisers have changed your registration."))
    else:
        paragraphs.append(_("We have saved the changes to your registration."))
    status = facts.get("status")
    if facts.get("previous_seat"):
        seat = SeatType(facts.get("seat", registration.seat_type)).label
        paragraphs.append(_("You now take part: %(seat)s.") % {"seat": seat})
    if status == Status.CONFIRMED:
        paragraphs.append(_("Your seat is confirmed."))
    elif status == Status.WAITLISTED:
        paragraphs += [
            _("You are on the waiting list. If a seat becomes free, you move up and we tell you at once."),
            str(CURRENT_PLACE),
        ]
    elif status == Status.PENDING:
        paragraphs.append(_("Seats are given after the registration deadline in the order of the waiting line."))
    content = MailContent(
        _("Your registration has changed: %(title)s") % {"title": title},
        paragraphs,
        consents=True,
        offer_cancel=True,
    )
    if status == Status.CONFIRMED:
        add_seat_hints(content, registration)
    return content


RELEASE_REASONS = {
    "not_reconfirmed": _lazy(
        "We asked you to confirm that you are coming and did not hear from you in time, so your seat has gone "
        "to the next person on the waiting list."
    ),
    "offer_expired": _lazy("The seat we offered you was not accepted in time, so it has gone to the next person."),
}


def reconfirm(mail, registration, title, facts):
    if registration.status != Status.CONFIRMED or registration.reconfirmed_at is not None:
        raise MailObsolete("the registration no longer needs to reconfirm")
    deadline = parse_datetime(facts.get("deadline", ""))
    return MailContent(
        _("Are you coming? Please confirm your seat: %(title)s") % {"title": title},
        [
            _("You have a seat for %(title)s on %(date)s. Many people are waiting for a seat.")
            % {"title": title, "date": mail_datetime(mail.event.starts_at)},
            _(
                "Please confirm by %(deadline)s that you are coming. If we do not hear from you by then, your seat "
                "goes to the next person on the waiting list. If you cannot come, you can give your seat back with "
                "the same link."
            )
            % {"deadline": mail_datetime(deadline) if deadline else "?"},
        ],
        action_url=reconfirm_url(registration),
        action_label=_("Confirm or give back my seat"),
    )


def seat_offered(mail, registration, title, facts):
    if registration.status != Status.OFFERED:
        raise MailObsolete("the offer is no longer open")
    expires_at = parse_datetime(facts.get("expires_at", ""))
    return MailContent(
        _("A seat is free for you – please accept it: %(title)s") % {"title": title},
        [
            _("Good news: a seat became free, and you are next on the waiting list."),
            _(
                "We hold the seat for you until %(expires)s. Please accept it with the link below by then; "
                "otherwise it goes to the next person waiting. If you no longer need it, please decline, so that "
                "the next person gets it sooner."
            )
            % {"expires": mail_datetime(expires_at) if expires_at else "?"},
        ],
        action_url=reconfirm_url(registration),
        action_label=_("Accept or decline the seat"),
    )


def access_data(mail, registration, title, facts):
    if registration.status != Status.CONFIRMED or registration.seat_type != SeatType.ONLINE:
        raise MailObsolete("the registration is no longer a confirmed online seat")
    if facts.get("updated"):
        subject = _("New access data: %(title)s") % {"title": title}
        paragraph = _("The access data of the online event has changed. Please use only the data below.")
    else:
        subject = _("Your access data: %(title)s") % {"title": title}
        paragraph = _("Here is how you join the online event. The access data is personal: please do not pass it on.")
    return MailContent(subject, [paragraph, live_channel_paragraph(mail.event)], access_data=True)


def live_channel_paragraph(event) -> str:
    """The event's live channel (ideas, docs/live.md), marked as coming from Zoom. The path is
    the ideas layer's, reached by its URL name: no import goes upwards."""
    url = settings.SITE_URL + reverse("ideas:live", args=[event.live_code]) + "?via=zoom"
    text = _("During the event you can send your ideas and questions to the event here, also from Zoom: %(url)s")
    return text % {"url": url}


def reminder(mail, registration, title, facts):
    if registration.status != Status.CONFIRMED:
        raise MailObsolete("the registration is no longer confirmed")
    content = MailContent(
        _("Reminder: %(title)s starts soon") % {"title": title},
        [_("We are looking forward to seeing you.")],
        offer_cancel=True,
    )
    add_seat_hints(content, registration)
    return content


def event_moved(mail, registration, title, facts):
    previous = parse_datetime(facts.get("previous_starts_at", ""))
    paragraphs = [
        _("The event has moved from %(before)s to %(after)s.")
        % {"before": mail_datetime(previous) if previous else "?", "after": mail_datetime(mail.event.starts_at)},
    ]
    if facts.get("previous_place") and facts["previous_place"] != facts.get("place"):
        paragraphs.append(_("The place has changed: %(place)s.") % {"place": facts.get("place") or _("online")})
    status = facts.get("status")
    if status == Status.CONFIRMED:
        paragraphs.append(_("Your seat is kept for the new date."))
    elif status == Status.WAITLISTED:
        paragraphs += [_("You are on the waiting list for the new date."), str(CURRENT_PLACE)]
    else:
        paragraphs.append(_("Your registration carries over to the new date."))
    paragraphs.append(_("If you cannot come on the new date, please cancel, so that someone else gets your seat."))
    content = MailContent(
        _("New date: %(title)s") % {"title": title},
        paragraphs,
        offer_cancel=True,
    )
    add_note(content, facts)
    if status == Status.CONFIRMED:
        add_seat_hints(content, registration)
    return content


def event_cancelled(mail, registration, title, facts):
    content = MailContent(
        _("Cancelled: %(title)s") % {"title": title},
        [
            _("We are sorry: the event on %(date)s is cancelled.") % {"date": mail_datetime(mail.event.starts_at)},
        ],
    )
    add_note(content, facts)
    return content


def event_postponed(mail, registration, title, facts):
    content = MailContent(
        _("Postponed: %(title)s") % {"title": title},
        [
            _(
                "The event on %(date)s is postponed. Your registration stays; we will tell you the new date as "
                "soon as it is set."
            )
            % {"date": mail_datetime(mail.event.starts_at)},
        ],
    )
    add_note(content, facts)
    return content


def message(mail, registration, title, facts):
    """The organisers' message in the registrant's language (older messages have German only)."""
    _language, subject, body = mail.bulk_message.in_language(mail.language)
    return MailContent(f"{subject} – {title}", [part for part in body.split("\n\n") if part.strip()])


def add_seat_hints(content: MailContent, registration) -> None:
    if registration.seat_type == SeatType.ONSITE:
        content.ticket = True
        content.paragraphs.append(_("Please show the ticket below at the entrance, on your phone or printed."))
    elif registration.access_data_sent_at is not None:
        content.paragraphs.append(_("You will find the access data in our earlier e-mail."))
    else:
        due = registration.event.access_data_due_at()
        if due is None:
            content.paragraphs.append(_("We send you the access data in a separate e-mail."))
        else:
            content.paragraphs.append(_("We send you the access data on %(date)s.") % {"date": mail_datetime(due)})


def add_note(content: MailContent, facts: dict) -> None:
    if facts.get("note"):
        content.paragraphs.append(_("A note from the organisers: %(note)s") % {"note": facts["note"]})


def intake_reply(mail, registration, title, facts):
    """The answer to a registration e-mail that did not lead to a new registration."""
    outcome = facts.get("outcome")
    if outcome == "already_registered":
        return MailContent(
            _("You are already registered: %(title)s") % {"title": title},
            [
                _(
                    "Thank you for your e-mail. You are already registered for this event with this address and "
                    "the name %(name)s."
                )
                % {"name": registration.name},
                _("Status of your registration: %(status)s") % {"status": Status(registration.status).label},
            ],
        )
    if outcome == "refused":
        reason = REFUSAL_REASONS.get(facts.get("code"), _("The registration could not be accepted."))
        return MailContent(
            _("Your registration could not be accepted: %(title)s") % {"title": title},
            [_("Thank you for your e-mail."), str(reason), _("You can find all open events on our website.")],
        )
    # The keyword on a line of its own: the text part is wrapped at 76 characters, and a keyword
    # cut in two is one a citizen cannot copy.
    events = "\n".join(
        f"- {item['title']} ({mail_datetime(parse_datetime(item['starts_at']))})\n  {_('keyword')} „{item['keyword']}“"
        for item in facts.get("open_events", [])
    )
    return MailContent(
        _("Your e-mail to the registration address"),
        [
            _(
                "Thank you for your e-mail. We could not tell which event you want to register for, so we "
                "have not registered you. Please write again with the event's keyword in the subject."
            ),
            _("Events open for registration:") + "\n" + events
            if events
            else _("At the moment no event is open for registration."),
        ],
    )


def already_registered(mail, registration, title, facts):
    """Someone registered this person (address and name) again; the page told them only to look
    in their mail. The link to the registration comes with every mail about one."""
    return MailContent(
        _("You are already registered: %(title)s") % {"title": title},
        [
            _(
                "Someone, hopefully you, has just registered for this event again with this e-mail address and "
                "the name %(name)s. You were already registered, so nothing has changed."
            )
            % {"name": registration.name},
            _("With the link below you can see your registration, change it or cancel it."),
            _("If it was not you, you need not do anything."),
        ],
    )


def data_access(mail, registration, title, facts):
    """The link to everything held about the address; the request row holds no text of the mail."""
    request = DataAccessRequest.objects.filter(public_id=facts.get("request")).first()
    if request is None:
        raise MailObsolete("the data access request is gone (erased or expired)")
    return MailContent(
        _("Your data at Stadtdialog"),
        [
            _("Someone, hopefully you, asked which data Stadtdialog holds about this e-mail address."),
            _(
                "The link below shows it, lets you download it and lets you have it erased. It works for "
                "%(days)s days. If you did not ask, you can ignore this e-mail."
            )
            % {"days": settings.DATA_ACCESS_LINK_DAYS},
        ],
        action_url=data_access_url(request),
        action_label=_("See the data held about this address"),
    )


def lost_links(mail, registration, title, facts):
    """The links of every registration of the address (registrations/lost_links.py), made now
    with each registration's link version; each opens its page in the registration's language."""
    registrations = (
        Registration.objects.active()
        .filter(public_id__in=facts.get("registrations", []), personal_data_erased_at__isnull=True)
        .select_related("event")
        .order_by("event__starts_at", "pk")
    )
    links = []
    for each in registrations:
        label = f"{each.event.title} – {mail_datetime(each.event.starts_at)}"
        with translation.override(each.language):
            links.append((label, manage_url(each)))
    if not links:
        raise MailObsolete("the registrations are gone (cancelled or erased)")
    return MailContent(
        _("Your links to your registrations"),
        [
            _("Someone, hopefully you, asked for the links to the registrations of this e-mail address."),
            _(
                "Each link below opens the page of one registration: there you can see, change or cancel it. "
                "Please keep the links private. If you did not ask, you can ignore this e-mail."
            ),
        ],
        links=links,
    )


def feedback_request(mail, registration, title, facts):
    """The survey link after the event. The layer that runs the survey puts its personal,
    single-use link into the facts; the answers it collects carry no trace of it."""
    if not facts.get("survey_url"):
        raise MailObsolete("the survey link is gone (erased)")
    return MailContent(
        _("Your opinion on %(title)s") % {"title": title},
        [
            _("Thank you for taking part. You agreed to hear from us after the event: how was it for you?"),
            _(
                "The survey has a few short questions and takes about two minutes. Your answers are anonymous: "
                "we store them without your name or address. The link works once."
            ),
        ],
        action_url=facts["survey_url"],
        action_label=_("Answer the survey"),
    )


REFUSAL_REASONS = {
    "registration_closed": _lazy("Registration for this event has closed."),
    "registration_not_open": _lazy("Registration for this event has not opened yet."),
    "event_not_bookable": _lazy("This event does not take registrations."),
    "seat_type_not_offered": _lazy("This event offers no seats of this kind."),
    "address_limit_reached": _lazy(
        "As many people as this event allows have already registered with this e-mail address. Please ask the "
        "organisers."
    ),
    "email_too_long": _lazy("Your e-mail address is too long for our system. Please write from another address."),
}


def email_change(mail, registration, title, facts):
    """To the NEW address: the link to confirm it. No personal link yet: whoever reads this may
    not be the registrant (a typing error); the link comes once the address is confirmed."""
    change = EmailChange.objects.filter(public_id=facts.get("change"), confirmed_at=None, superseded_at=None).first()
    if change is None:
        raise MailObsolete("the change of address was confirmed, superseded or erased")
    return MailContent(
        _("Please confirm your e-mail address: %(title)s") % {"title": title},
        [
            _(
                "This address is to become the address of the registration of %(name)s. Mails about the "
                "registration go to it once you confirm it with the link below."
            )
            % {"name": registration.name},
            _(
                "The link works for %(days)s days. If you did not expect this e-mail, you can ignore it: "
                "nothing changes."
            )
            % {"days": EMAIL_CHANGE_LINK_DAYS},
        ],
        action_url=email_change_url(change),
        action_label=_("Confirm this e-mail address"),
        personal_links=False,
    )


def email_changed(mail, registration, title, facts):
    """To the OLD address, once the new one is confirmed: in case the change was not its owner's wish."""
    return MailContent(
        _("The e-mail address of your registration has changed: %(title)s") % {"title": title},
        [
            _(
                "The registration of %(name)s now uses another e-mail address, which its owner has confirmed. "
                "Mails about the registration no longer come to this address, and the links in earlier mails "
                "still work only until the organisers revoke them."
            )
            % {"name": registration.name},
            _("If you did not want this, please reply to this e-mail or contact the organisers."),
        ],
        personal_links=False,
    )


BUILDERS = {
    MailKind.CONFIRMED: confirmed,
    MailKind.WAITLISTED: waitlisted,
    MailKind.PENDING: pending,
    MailKind.PROMOTED: promoted,
    MailKind.CANCELLED: cancelled,
    MailKind.CHANGED: changed,
    MailKind.ACCESS_DATA: access_data,
    MailKind.REMINDER: reminder,
    MailKind.EVENT_MOVED: event_moved,
    MailKind.EVENT_CANCELLED: event_cancelled,
    MailKind.EVENT_POSTPONED: event_postponed,
    MailKind.MESSAGE: message,
    MailKind.INTAKE_REPLY: intake_reply,
    MailKind.ALREADY_REGISTERED: already_registered,
    MailKind.DATA_ACCESS: data_access,
    MailKind.FEEDBACK_REQUEST: feedback_request,
    MailKind.LOST_LINKS: lost_links,
    MailKind.RECONFIRM: reconfirm,
    MailKind.SEAT_OFFERED: seat_offered,
    MailKind.EMAIL_CHANGE: email_change,
    MailKind.EMAIL_CHANGED: email_changed,
}
