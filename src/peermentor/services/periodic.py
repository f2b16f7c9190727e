"""What the worker does on every tick besides running queued jobs.

Each task takes the store, the settings and the tick's `now`, does what is due (queue
the mails that have become due, deliver the outbox, ...) and returns how many things it
did. Tasks must be safe to run from two workers at once: whatever they claim, they claim
by a conditional update, and whatever they queue carries a unique key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from peermentor.config import Settings
from peermentor.runtime import Store
from peermentor.services.circles import rounds_task
from peermentor.services.insight import refresh_task as insight_task
from peermentor.services.jobs import purge_finished_jobs
from peermentor.services.mail_sources import queue_due_mail
from peermentor.services.nudges import release_task
from peermentor.services.outbox import deliver_due
from peermentor.services.self_match import expire_task as expire_requests
from peermentor.services.signup import forget_unconfirmed

Task = Callable[[Store, Settings, datetime], int]

# In order: sources first (they queue mail), delivery last (it sends what was queued).
TASKS: tuple[Task, ...] = (
    purge_finished_jobs,
    forget_unconfirmed,
    release_task,
    rounds_task,
    expire_requests,
    queue_due_mail,
    deliver_due,
    insight_task,  # figures, not mail: after delivery, so a slow refresh delays no mail
)
