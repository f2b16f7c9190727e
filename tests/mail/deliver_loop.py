"""A delivery process for the two-worker test: delivers the outbox (settings from the
environment) until nothing is queued or being sent, then prints how many it sent.
Its SMTP greeting names its pid, so the test knows whom to kill."""

from __future__ import annotations

import os
import socket
import sys
import time
from datetime import UTC, datetime, timedelta

socket.getfqdn = lambda name="": f"worker-{os.getpid()}.test"  # smtplib's EHLO name

from sqlalchemy import func, select  # noqa: E402

from peermentor.config import load_settings  # noqa: E402
from peermentor.runtime import open_store  # noqa: E402
from peermentor.services.outbox import deliver_due  # noqa: E402
from peermentor.store.mail_models import OutboxMessage  # noqa: E402


def main() -> int:
    settings = load_settings()
    store = open_store(settings, migrate=False)
    lease = timedelta(seconds=float(sys.argv[1]))
    deadline = time.monotonic() + 120
    sent = 0
    while time.monotonic() < deadline:
        sent += deliver_due(store, settings, datetime.now(UTC), lease=lease)
        with store.sessions() as session:
            waiting = session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.state.in_(("queued", "sending")))
            )
        if not waiting:
            print(sent)
            return 0
        time.sleep(0.1)
    return 1


if __name__ == "__main__":
    sys.exit(main())
