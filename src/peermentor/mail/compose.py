"""From a stored message to the mail that leaves: both parts, links on the configured
address, the unsubscribe link and headers (RFC 2369, RFC 8058 one-click)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid
from html import escape

from peermentor.mail.links import resolve
from peermentor.mail.message import Attachment, MailMessage


def simple_message(subject: str, paragraphs: list[str], link_text: str, link: str) -> MailMessage:
    """A short notice: some plain paragraphs and one link to the page that says more."""
    text = "\n\n".join([*paragraphs, f"{link_text}: {link}"]) + "\n"
    html = "".join(f"<p>{escape(p)}</p>" for p in paragraphs) + (
        f'<p><a href="{escape(link)}">{escape(link_text)}</a></p>'
    )
    return MailMessage(subject=subject, text=text, html=html)


@dataclass(frozen=True)
class Envelope:
    sender: str
    to_name: str
    to_address: str
    base_url: str
    unsubscribe_url: str | None  # None: a kind that cannot be stopped (an invitation)
    message_ref: str  # unique per stored message, for the Message-ID


def one_line(value: str) -> str:
    return " ".join(value.split())


def build_email(message: MailMessage, envelope: Envelope, now: datetime) -> EmailMessage:
    base = envelope.base_url.rstrip("/")
    email = EmailMessage()
    email["From"] = envelope.sender
    email["To"] = formataddr((one_line(envelope.to_name), envelope.to_address))
    email["Subject"] = one_line(resolve(message.subject, base))
    email["Date"] = format_datetime(now)
    domain = envelope.sender.rpartition("@")[2].strip("> ") or "peermentor.invalid"
    email["Message-ID"] = make_msgid(idstring=envelope.message_ref, domain=domain)
    text, html = resolve(message.text, base), resolve(message.html, base)
    preferences = f"{base}/account"
    if envelope.unsubscribe_url:
        email["List-Unsubscribe"] = f"<{envelope.unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        text += (
            f"\n--\nStop mails like this one: {envelope.unsubscribe_url}\n"
            f"All your mail preferences: {preferences}\n"
        )
        html += (
            f'<hr><p><small><a href="{escape(envelope.unsubscribe_url)}">Stop mails like this'
            f' one</a> · <a href="{escape(preferences)}">All your mail preferences</a>'
            "</small></p>"
        )
    email.set_content(text)
    email.add_alternative(
        f'<!doctype html><html><head><meta charset="utf-8"></head><body>{html}</body></html>',
        subtype="html",
    )
    for attachment in message.attachments:
        _attach(email, attachment)
    return email


def _attach(email: EmailMessage, attachment: Attachment) -> None:
    kind, *raw_params = [part.strip() for part in attachment.content_type.split(";")]
    maintype, _, subtype = kind.partition("/")
    params = dict(p.split("=", 1) for p in raw_params if "=" in p)
    email.add_attachment(
        attachment.data,
        maintype=maintype or "application",
        subtype=subtype or "octet-stream",
        filename=attachment.filename,
        params=params,
    )
