"""Tables of mail: the outbox (one row per occasion, sent once) and each person's
mail preferences."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from peermentor.store.models import Base

Stamp = DateTime(timezone=True)

# queued: waiting (next_attempt_at says from when); sending: claimed by a worker until
# lease_until; sent; failed: given up after the last attempt; skipped: the person stopped
# this kind; digested: folded into the person's weekly digest; cancelled: replaced (an
# invitation superseded by a newer one).
MAIL_STATES = ("queued", "sending", "sent", "failed", "skipped", "digested", "cancelled")


class OutboxMessage(Base):
    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    # kind + recipient + subject object + due date: the same occasion is stored once.
    key: Mapped[str] = mapped_column(String(400), unique=True)
    kind: Mapped[str] = mapped_column(String(80))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(Text)
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text)
    # [{"filename", "content_type", "data" (base64)}, ...]
    attachments: Mapped[list[Any]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    queued_at: Mapped[datetime] = mapped_column(Stamp)
    next_attempt_at: Mapped[datetime] = mapped_column(Stamp)
    lease_until: Mapped[datetime | None] = mapped_column(Stamp)
    lease_owner: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None] = mapped_column(Stamp)
    last_error: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        CheckConstraint(
            "state IN ('queued', 'sending', 'sent', 'failed', 'skipped', 'digested', 'cancelled')",
            name="state",
        ),
        Index("ix_mail_outbox_state_next", "state", "next_attempt_at"),
        Index("ix_mail_outbox_queued_at", "queued_at"),
    )


class MailPreference(Base):
    """What one person wants by mail; no row means every kind, one mail each."""

    __tablename__ = "mail_preferences"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    unsubscribed: Mapped[list[str]] = mapped_column(JSON, default=list)
    weekly_digest: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(Stamp)
