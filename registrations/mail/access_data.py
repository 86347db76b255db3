"""The access data of an online registration (join link, meeting ID, passcode) for its mails and
personal page: from the layer that holds it (streaming: the Zoom meeting it created), asked through
the `access_data_wanted` signal so that the mails need not import it, else what organisers entered."""

from dataclasses import dataclass

from registrations.models import Registration
from registrations.signals import access_data_wanted


@dataclass(frozen=True)
class AccessData:
    join_url: str
    meeting_id: str
    passcode: str


def access_data_for(registration: Registration) -> AccessData:
    for _receiver, found in access_data_wanted.send(sender=Registration, registration=registration):
        if found is not None:
            return found  # the first answer wins over what organisers entered
    event = registration.event
    return AccessData(
        join_url=registration.personal_join_url or event.online_join_url,
        meeting_id=event.online_meeting_id,
        passcode=event.online_passcode,
    )
