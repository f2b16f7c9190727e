"""One line per pairing for the admin who reviews a match: which criteria the pair is
strong and weak on, in plain words with the criterion's score. The members' own
explanations ("you both ...") are written for them; an admin reading a thousand
pairings needs the same sentence shape every time."""

from __future__ import annotations

from collections.abc import Mapping

# Each criterion of matching/settings.py, as an admin reads it.
CRITERION_WORDS: dict[str, str] = {
    "experience": "similar experience",
    "work_context": "shared challenges and job family",
    "different_background": "different backgrounds",
    "career_goals": "similar career goals",
    "two_way_value": "skills each can offer the other",
    "practicalities": "overlapping hours, time zone and language",
}
STRONG, WEAK = 0.6, 0.3


def _listed(items: list[tuple[str, float]]) -> str:
    return ", ".join(f"{CRITERION_WORDS.get(k, k.replace('_', ' '))} ({v:.2f})" for k, v in items)


def admin_summary(components: Mapping[str, float]) -> str:
    """ "Strong on similar experience (0.93); weak on skills each can offer the other
    (0.00)." Scores run 0 to 1; strong from 0.6, weak below 0.3."""
    known = [(k, float(v)) for k, v in components.items() if isinstance(v, int | float)]
    strong = sorted((kv for kv in known if kv[1] >= STRONG), key=lambda kv: -kv[1])
    weak = sorted((kv for kv in known if kv[1] < WEAK), key=lambda kv: kv[1])
    parts = []
    if strong:
        parts.append("Strong on " + _listed(strong))
    if weak:
        parts.append(("weak on " if strong else "Weak on ") + _listed(weak))
    if not parts:
        return "Middling on every criterion (each between 0.30 and 0.60)." if known else ""
    return "; ".join(parts) + "."
