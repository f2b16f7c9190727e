"""Where mail goes: an SMTP server (stdlib smtplib) or, with no SMTP host, the local mail
folder (stdlib mailbox.Maildir: each message is written whole, then renamed into place)."""

from __future__ import annotations

import contextlib
import mailbox
import smtplib
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from peermentor.config import Settings

SMTP_TIMEOUT_SECONDS = 30


class ServerUnreachable(Exception):
    """No connection to the mail server: nothing else in the batch can go either."""


class Refused(Exception):
    """The server refused this one message (the reason is what it said)."""


class Transport(Protocol):
    def send(self, email: EmailMessage, sender: str, to: str) -> None: ...

    def close(self) -> None: ...


class MailFolder:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._box: mailbox.Maildir | None = None

    def send(self, email: EmailMessage, sender: str, to: str) -> None:
        if self._box is None:
            try:
                self._box = mailbox.Maildir(self.path, create=True)
            except OSError as error:
                raise ServerUnreachable(f"mail folder {self.path}: {error.strerror}") from None
        self._box.add(email)

    def close(self) -> None:
        self._box = None


class SmtpServer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        try:
            smtp = smtplib.SMTP(s.smtp_host or "", s.smtp_port, timeout=SMTP_TIMEOUT_SECONDS)
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_username:
                password = s.smtp_password.get_secret_value() if s.smtp_password else ""
                smtp.login(s.smtp_username, password)
        except (OSError, smtplib.SMTPException) as error:
            raise ServerUnreachable(
                f"SMTP server {s.smtp_host}:{s.smtp_port}: {describe(error)}"
            ) from None
        return smtp

    def send(self, email: EmailMessage, sender: str, to: str) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.send_message(email, from_addr=sender, to_addrs=[to])
        except smtplib.SMTPServerDisconnected as error:
            self._smtp = None
            raise ServerUnreachable(f"SMTP server disconnected: {describe(error)}") from None
        except (smtplib.SMTPException, OSError) as error:
            raise Refused(describe(error)) from None

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.quit()
            self._smtp = None


def describe(error: BaseException) -> str:
    """What the server said, in one line (never the message itself)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        reasons = [_reply(code, text) for code, text in error.recipients.values()]
        return "recipient refused: " + "; ".join(reasons)
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply(error.smtp_code, error.smtp_error)
    return str(error) or type(error).__name__


def _reply(code: int, text: bytes | str) -> str:
    said = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(said.split())}"[:300]


def open_transport(settings: Settings) -> Transport | None:
    if settings.smtp_host:
        return SmtpServer(settings)
    folder = settings.mail_folder()
    return MailFolder(folder) if folder is not None else None
