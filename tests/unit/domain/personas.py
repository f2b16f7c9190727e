"""Named people for the domain tests: a pair (ana, kim), a triad (+ lee), an outsider."""

from datetime import UTC, date, datetime, timedelta

ANA = "ana"
KIM = "kim"
LEE = "lee"
OUTSIDER = "outsider"

PAIR = (ANA, KIM)
TRIAD = (ANA, KIM, LEE)
NAMES = {ANA: "Ana", KIM: "Kim", LEE: "Lee", OUTSIDER: "Olu"}

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


def later(**kwargs: float) -> datetime:
    return NOW + timedelta(**kwargs)
