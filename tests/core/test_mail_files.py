"""`EMAIL_URL=file://…`: one `.eml` file per message, each a mail that the `email` package reads."""

import email
from email import policy

from django.core import mail
from django.test import override_settings

from config.env import mailer_from_url


def send_two_mails():
    plain = mail.EmailMessage("Ihre Anmeldung", "Guten Tag,\nSie sind angemeldet.", to=["anna@example.org"])
    rich = mail.EmailMultiAlternatives("Your ticket – Bürgerdialog", "Hello,\nyour ticket.", to=["bo@example.org"])
    rich.attach_alternative("<p>Hello, here is your <b>ticket</b>.</p>", "text/html")
    rich.attach("termin.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    return mail.mailers["default"].send_messages([plain, rich])


def test_each_message_is_written_to_its_own_eml_file_that_parses_as_a_mail(tmp_path):
    with override_settings(MAILERS={"default": mailer_from_url("EMAIL_URL", f"file://{tmp_path}", base_dir=tmp_path)}):
        sent = send_two_mails()

    files = sorted(tmp_path.iterdir())
    assert sent == 2
    assert [path.suffix for path in files] == [".eml", ".eml"]
    parsed = [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]
    by_recipient = {message["To"]: message for message in parsed}
    assert by_recipient["anna@example.org"]["Subject"] == "Ihre Anmeldung"
    assert "Sie sind angemeldet." in by_recipient["anna@example.org"].get_content()
    rich = by_recipient["bo@example.org"]
    assert rich["Subject"] == "Your ticket – Bürgerdialog"
    assert "<b>ticket</b>" in rich.get_body(preferencelist=("html",)).get_content()
    assert [part.get_filename() for part in rich.iter_attachments()] == ["termin.ics"]


def test_later_mails_add_files_and_never_touch_earlier_ones(tmp_path):
    with override_settings(MAILERS={"default": mailer_from_url("EMAIL_URL", f"file://{tmp_path}", base_dir=tmp_path)}):
        send_two_mails()
        first = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
        send_two_mails()

    files = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    assert len(files) == 4
    assert all(files[name] == content for name, content in first.items())
    assert not [name for name in files if not name.endswith(".eml")]
