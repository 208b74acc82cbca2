"""Downloading photos users share in Slack (`file_share`), with the bot token, within a size cap."""

from __future__ import annotations

from urllib.parse import urlparse

import httpx

from channels.conversation import PhotoFetchFailed
from channels.messages import PhotoAttachment

IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})


def is_photo(mimetype: str | None) -> bool:
    return (mimetype or "").split(";")[0].strip().lower() in IMAGE_TYPES


class SlackFileFetcher:
    """Sends the bot token only to Slack's own hosts (or the configured API host, e.g. a proxy)."""

    def __init__(self, token: str, api_base_url: str, max_bytes: int, timeout: float = 20.0) -> None:
        self.token, self.max_bytes, self.timeout = token, max_bytes, timeout
        self.trusted_host = urlparse(api_base_url).hostname or "slack.com"

    def _trusted(self, url: str) -> bool:
        host = urlparse(url).hostname or ""
        return host == self.trusted_host or host == "slack.com" or host.endswith(".slack.com")

    def __call__(self, photo: PhotoAttachment) -> bytes:
        if not self._trusted(photo.url):
            raise PhotoFetchFailed("it is not stored on Slack.")
        if photo.size is not None and photo.size > self.max_bytes:
            raise PhotoFetchFailed(f"it is larger than {self.max_bytes // (1024 * 1024)} MB.")
        headers = {"Authorization": f"Bearer {self.token}"}
        try:
            with httpx.stream("GET", photo.url, headers=headers, timeout=self.timeout) as response:
                if response.status_code != 200:
                    raise PhotoFetchFailed(f"Slack answered {response.status_code} when I downloaded it.")
                if not is_photo(response.headers.get("content-type")):  # a login page means a missing scope
                    raise PhotoFetchFailed("Slack did not send an image (is the files:read scope granted?).")
                data = bytearray()
                for chunk in response.iter_bytes():
                    data.extend(chunk)
                    if len(data) > self.max_bytes:
                        raise PhotoFetchFailed(f"it is larger than {self.max_bytes // (1024 * 1024)} MB.")
        except httpx.HTTPError as exc:
            raise PhotoFetchFailed("I could not download it from Slack; please try again.") from exc
        return bytes(data)
