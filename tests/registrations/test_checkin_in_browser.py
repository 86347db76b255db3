"""The check-in page in Debian's Chromium: a typed ticket code says "welcome", then "already
checked in"; and a QR ticket held in front of the camera is read by the scanner library.

Chromium's fake camera plays a Y4M video made from the ticket's QR PNG, so the scan runs the
real qr-scanner code from node_modules under the page's Content Security Policy."""

import io
import os
from datetime import timedelta

import pytest
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from registrations import services
from registrations.tickets import display_code, qr_png

# Playwright's sync API runs an event loop in the test thread, and live_server tests use the ORM
# from that thread; Django refuses that in an async context unless allowed.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIDEO_SIZE = (640, 480)


def y4m_video_of(png: bytes, path) -> None:
    """A few frames of a grey-scale Y4M video (what Chromium's fake camera plays) showing the image."""
    width, height = VIDEO_SIZE
    frame = Image.new("L", VIDEO_SIZE, 255)
    ticket = Image.open(io.BytesIO(png)).convert("L").resize((400, 400), Image.NEAREST)
    frame.paste(ticket, ((width - 400) // 2, (height - 400) // 2))
    chroma = bytes([128]) * (width // 2 * height // 2)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            video.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)


@pytest.fixture
def door(make_event, person, organiser, now, settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    # Tickets check in from an hour before the start: the event starts in half an hour.
    event = make_event(
        format="onsite",
        organiser=organiser,
        broadcast=True,
        starts_in=timedelta(minutes=30),
        closes_after=timedelta(minutes=10),
    )

    def guest(name):
        return services.register(event, person(name=name), channel="web", received_at=now, now=now)

    return event, guest


def browser_for(playwright, *extra_args):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + list(extra_args))


def logged_in_page(browser, live_server, organiser):
    client = Client()
    client.force_login(organiser)
    context = browser.new_context(locale="de-DE", permissions=["camera"])
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security" in message.text else None)
    page.violations = violations
    return page


def test_typing_a_ticket_code_says_welcome_then_already_checked_in(playwright, live_server, door, organiser):
    event, guest = door
    ticket = guest("Jonas Tür")
    browser = browser_for(playwright)
    try:
        page = logged_in_page(browser, live_server, organiser)
        page.goto(f"{live_server.url}/en/einlass/{event.slug}/")
        page.fill("#ticket", display_code(ticket.ticket_code).lower())
        page.press("#ticket", "Enter")
        result = page.locator("#checkin-result [data-outcome]")
        expect(result).to_have_attribute("data-outcome", "welcome")
        expect(result).to_contain_text("Welcome")
        expect(result).to_contain_text("Jonas Tür")
        expect(result).to_contain_text("May be filmed")
        expect(page.locator("#ticket")).to_have_value("")

        page.fill("#ticket", ticket.ticket_code)
        page.click("#checkin-form button[type=submit]")
        expect(result).to_have_attribute("data-outcome", "already_checked_in")
        expect(result).to_contain_text("Already checked in at")
        expect(page.locator("#checkin-counts")).to_contain_text("1 of 1")
        assert page.violations == []
    finally:
        browser.close()


def test_the_camera_scans_a_qr_ticket(playwright, live_server, door, organiser, tmp_path):
    event, guest = door
    ticket = guest("Mia Kamera")
    video = tmp_path / "ticket.y4m"
    y4m_video_of(qr_png(ticket.ticket_secret), video)
    browser = browser_for(
        playwright,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    )
    try:
        page = logged_in_page(browser, live_server, organiser)
        page.goto(f"{live_server.url}/en/einlass/{event.slug}/")
        page.click("#camera-start")
        result = page.locator("#checkin-result [data-outcome]")
        expect(result).to_have_attribute("data-outcome", "welcome", timeout=15_000)
        expect(result).to_contain_text("Mia Kamera")
        assert page.violations == []
    finally:
        browser.close()
    ticket.refresh_from_db()
    assert ticket.checked_in_at is not None
