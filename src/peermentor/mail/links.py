"""Links in mail bodies. A source that has no settings at hand writes `page(path)`; the
outbox puts PEERMENTOR_BASE_URL in at delivery, so every link is built on the configured
address (never on a request's Host) and follows it when it changes."""

from __future__ import annotations

BASE_URL = "{{peermentor_base_url}}"


def page(path: str) -> str:
    return BASE_URL + "/" + path.lstrip("/")


def resolve(text: str, base_url: str) -> str:
    return text.replace(BASE_URL, base_url.rstrip("/"))
