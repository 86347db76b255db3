"""Pages behind a personal link (manage, cancel, consent, data, survey, Zoom access): the link is
a key, so the page must not be stored by caches or indexed.

The referrer policy stays the site's one, `same-origin` (SECURE_REFERRER_POLICY in
config/settings.py): it never sends the address, and so the key, to another site. A stricter
`no-referrer` on these pages made Chromium post their forms with `Origin: null`, which Django's
CSRF check refuses, so no citizen could cancel or erase their data (findings D1)."""


def kept_private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
