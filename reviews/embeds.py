"""Recognise video watch URLs and turn them into privacy-enhanced embed URLs."""

import re
from urllib.parse import parse_qs, urlparse

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{6,12}$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


def video_embed_url(url: str) -> str | None:
    """The embed URL for a YouTube or Vimeo video, or None when `url` is not one.

    YouTube goes through youtube-nocookie.com and Vimeo with `dnt=1`, so nothing is
    tracked until the visitor presses play.
    """
    parts = urlparse(url)
    host = (parts.hostname or "").lower()
    path = parts.path.strip("/").split("/")
    if host in _YOUTUBE_HOSTS:
        if host == "youtu.be":
            candidate = path[0]
        elif path[0] == "watch":
            candidate = parse_qs(parts.query).get("v", [""])[0]
        elif path[0] in ("shorts", "embed", "live") and len(path) > 1:
            candidate = path[1]
        else:
            return None
        if _YOUTUBE_ID.match(candidate):
            return f"https://www.youtube-nocookie.com/embed/{candidate}"
    if host in _VIMEO_HOSTS:
        candidate = path[-1] if path else ""
        if _VIMEO_ID.match(candidate):
            return f"https://player.vimeo.com/video/{candidate}?dnt=1"
    return None


def video_host_name(embed_url: str) -> str:
    """The name a visitor knows the video's host by ("YouTube", "Vimeo")."""
    return "Vimeo" if urlparse(embed_url).hostname == "player.vimeo.com" else "YouTube"
