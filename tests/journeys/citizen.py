"""What citizens do on the registration form, by field name (the labels are checked by the
journeys' language check and the screenshots, not by locators that would need both texts)."""

from tests.journeys.browser import Journey
from tests.journeys.mailbox import Mail, Mailbox

REGISTER_BUTTON = "main form[action$='/anmelden/'] button[type=submit]:not([name])"
SUBMIT = "main form button[type=submit]"


def fill_registration(
    citizen: Journey,
    *,
    name: str,
    email: str,
    seat: str | None = None,
    companions: int | None = None,
    answers: dict[str, str] | None = None,
    needs: str = "",
    accept_terms: bool = True,
    broadcast: bool = False,
) -> None:
    page = citizen.page
    page.locator("input[name=name]").fill(name)
    page.locator("input[name=email]").fill(email)
    if seat:
        page.locator(f"input[name=seat_type][value={seat}]").check()
    if companions is not None:
        page.locator("input[name=companions]").fill(str(companions))
    for field, value in (answers or {}).items():
        page.locator(f"input[name={field}][value='{value}']").check()
    if needs:
        page.locator("textarea[name=needs]").fill(needs)
    if accept_terms:
        page.locator("input[name=accept_terms]").check()
    if broadcast:
        page.locator("input[name=broadcast_consent]").check()


def register(citizen: Journey, mailbox: Mailbox | None = None, *, status: int = 200, **fields) -> Mail | None:
    """Fill in and send the registration form. Accepted, the form answers the same for everyone
    ("please check your e-mail"), so the personal page is reached as a person reaches it: from
    the next mail to the address, which is returned (seat or waiting list, or "already
    registered"). Refused (`status=422`), the form stays on the page and nothing is returned."""
    fill_registration(citizen, **fields)
    if status >= 400:
        citizen.submit(citizen.page.locator(REGISTER_BUTTON), status=status)
        return None
    if mailbox is None:
        raise TypeError("register() needs the mailbox: the personal link comes only by mail (tests/journeys/README.md)")
    earlier = len(mailbox.sent_to(fields["email"]))
    citizen.submit(citizen.page.locator(REGISTER_BUTTON), status=status)
    assert citizen.page.url.endswith("/anmeldung-erhalten/"), f"not the 'check your e-mail' page: {citizen.page.url}"
    citizen.step("check your e-mail")
    mail = mailbox.wait_for(fields["email"], count=earlier + 1)
    citizen.open(mail.link("/anmeldung/"))
    return mail


def submit_form(citizen: Journey, *, status: int = 200, index: int = 0) -> None:
    """Press the submit button of the page's (first, or `index`-th) form in the main area."""
    citizen.submit(citizen.page.locator(SUBMIT).nth(index), status=status)


def errors(citizen: Journey) -> str:
    """The error summary and the messages at the fields, as the citizen reads them."""
    return "\n".join(citizen.page.locator("main .kern-alert--danger, main .kern-error").all_inner_texts())
