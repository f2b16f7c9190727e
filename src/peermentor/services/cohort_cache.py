"""The prepared cohort of a choosing pool, kept while its inputs stay the same.

Every view of the choosing page and every ask or accept scores against the whole free
pool, and preparing a cohort (features, rules, exclusions) costs about 0.9 s at 5,000
people and 5 s at 20,000. The key is everything `prepare_cohort` reads: the records
themselves (so any change to anyone's profile, any pairing or pause that changes who
is free, makes a new key), the settings and the past partners. Comparing a key costs
about 10 ms at 20,000 people. A few cohorts are kept per process, the newest last.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence

from peermentor.domain.people import PersonRecord
from peermentor.matching.cohort import Cohort, prepare_cohort
from peermentor.matching.settings import MatchSettings

KEPT = 2  # one programme's pool before and after a change; a cohort of 100,000 is large
_cohorts: OrderedDict[Hashable, Cohort] = OrderedDict()
_lock = threading.Lock()


def cohort_of(
    records: Sequence[PersonRecord], settings: MatchSettings, past: Sequence[frozenset[str]]
) -> Cohort:
    """prepare_cohort(records, settings, (), past), reused when called again with the
    same records, settings and past partners."""
    key = (tuple(records), repr(settings), frozenset(past))
    with _lock:
        found = _cohorts.get(key)
        if found is not None:
            _cohorts.move_to_end(key)
            return found
    # Prepared outside the lock: two threads may both prepare it, and both are right.
    made = prepare_cohort(records, settings, (), past)
    with _lock:
        _cohorts[key] = made
        while len(_cohorts) > KEPT:
            _cohorts.popitem(last=False)
    return made


def forget_all() -> None:
    """Drop every kept cohort (tests that compare a first and a later preparation)."""
    with _lock:
        _cohorts.clear()
