"""The public livestream of an event: which platform, which video, and the embed address.

The embed address is always built here from a video ID parsed out of the URL the organiser
entered, for a host on a short allow-list; nothing an organiser types ends up in an iframe as it
is, and no embed HTML is ever stored. The embed origins below are exactly the ones the Content
Security Policy admits in `frame-src` (config/settings.py; a test holds them equal).
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

from django.utils.translation import gettext_lazy as _

from events.models import Event
from streaming.models import Livestream, StreamStatus

YOUTUBE_EMBED_ORIGIN = "https://www.youtube-nocookie.com"
FACEBOOK_EMBED_ORIGIN = "https://www.facebook.com"
EMBED_ORIGINS = (YOUTUBE_EMBED_ORIGIN, FACEBOOK_EMBED_ORIGIN)

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "www.youtube-nocookie.com"}
FACEBOOK_HOSTS = {"facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com"}
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
FACEBOOK_ID = re.compile(r"^\d{5,25}$")

PLATFORM_NAMES = {"youtube": "YouTube", "facebook": "Facebook", "other": _("another website")}


@dataclass(frozen=True)
class Video:
    platform: str  # youtube, facebook, other
    video_id: str = ""

    @property
    def embed_url(self) -> str:
        if self.platform == "youtube" and self.video_id:
            return f"{YOUTUBE_EMBED_ORIGIN}/embed/{self.video_id}"
        if self.platform == "facebook" and self.video_id:
            video = quote(f"https://www.facebook.com/watch/?v={self.video_id}", safe="")
            return f"{FACEBOOK_EMBED_ORIGIN}/plugins/video.php?href={video}&show_text=false"
        return ""

    @property
    def platform_name(self) -> str:
        return str(PLATFORM_NAMES[self.platform])


def parse_video(url: str) -> Video:
    """The platform of a public URL and, where the URL names one video, its ID."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return Video("other")
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https"):
        return Video("other")
    if host in YOUTUBE_HOSTS:
        return Video("youtube", youtube_id(host, parts.path, parts.query))
    if host in FACEBOOK_HOSTS or host == "fb.watch":
        return Video("facebook", facebook_id(parts.path, parts.query))
    return Video("other")


def youtube_id(host: str, path: str, query: str) -> str:
    segments = [segment for segment in path.split("/") if segment]
    if host == "youtu.be":
        candidate = segments[0] if segments else ""
    elif segments[:1] == ["watch"]:
        candidate = parse_qs(query).get("v", [""])[0]
    elif len(segments) >= 2 and segments[0] in ("live", "embed", "shorts", "v"):
        candidate = segments[1]
    else:
        candidate = ""
    return candidate if YOUTUBE_ID.match(candidate) else ""


def facebook_id(path: str, query: str) -> str:
    """`/{page}/videos/{id}`, `/watch/?v={id}`, `/watch/live/?v={id}`, `/video.php?v={id}`."""
    segments = [segment for segment in path.split("/") if segment]
    candidate = parse_qs(query).get("v", [""])[0]
    if "videos" in segments and segments.index("videos") + 1 < len(segments):
        candidate = segments[segments.index("videos") + 1]
    return candidate if FACEBOOK_ID.match(candidate) else ""


@dataclass(frozen=True)
class StreamView:
    """What the public pages show of an event's stream."""

    public_url: str
    status: str
    replay_url: str
    video: Video

    @property
    def status_label(self) -> str:
        return str(StreamStatus(self.status).label)

    @property
    def shown_url(self) -> str:
        """After the event, the replay (where there is one) takes the stream's place."""
        if self.status == StreamStatus.ENDED and self.replay_url:
            return self.replay_url
        return self.public_url


def stream_of(event: Event) -> StreamView | None:
    if not event.livestream_url:
        return None
    livestream = Livestream.objects.filter(event=event).first()
    status = livestream.status if livestream else StreamStatus.PLANNED
    replay_url = livestream.replay_url if livestream else ""
    shown = replay_url if status == StreamStatus.ENDED and replay_url else event.livestream_url
    return StreamView(event.livestream_url, status, replay_url, parse_video(shown))
