"""Which fields of a person record the person keeps, which HR keeps, and when a
profile is incomplete.

A participant keeps what the matching reads about their wishes and their time: their
skills, goals, challenges, background, languages, time zone, hours and whether they
take part. HR's people data keeps who they are in the organisation (name, email,
manager, department, level, years ...); a later import may change those, never the
person. Pure: no database, no clock.
"""

from __future__ import annotations

from dataclasses import replace

from peermentor.domain.people import CSV_COLUMNS, LIST_COLUMNS, PersonRecord

# What the person may change, in the order the profile page shows them.
OWNED_FIELDS: tuple[str, ...] = (
    "skills_offered",
    "skills_sought",
    "career_goals",
    "goal_statement",
    "challenges",
    "background",
    "languages",
    "timezone",
    "hours_per_month",
    "opt_out",
)
# Someone who signed themselves up has no HR record yet: until an import names them,
# their name and years of experience are theirs to give too.
SELF_ENROLLED_FIELDS: tuple[str, ...] = ("name", "years_experience")
# The owned fields that are lists of tags (shared vocabulary: suggestions).
TAG_FIELDS: tuple[str, ...] = tuple(f for f in OWNED_FIELDS if f in LIST_COLUMNS)
# Everything else of the record: HR's people data (do_not_match is the admins'; a
# person's own "never with them" is a block, kept apart from the record).
HR_FIELDS: tuple[str, ...] = tuple(c for c in CSV_COLUMNS if c not in OWNED_FIELDS)
# Without these the matching has little to go on: a profile missing one is incomplete.
COMPLETENESS_FIELDS: tuple[str, ...] = (
    "skills_offered",
    "skills_sought",
    "career_goals",
    "challenges",
    "background",
)
# Plain words for each owned field, for pages and refusals.
FIELD_LABELS: dict[str, str] = {
    "skills_offered": "Skills you can offer",
    "skills_sought": "Skills you want to learn",
    "career_goals": "Career goals",
    "goal_statement": "Your goal, in your words",
    "challenges": "Challenges you face",
    "background": "Background",
    "languages": "Languages",
    "timezone": "Time zone",
    "hours_per_month": "Hours a month you can give",
    "opt_out": "Take a break from matching",
    "name": "Your name",
    "years_experience": "Years of work experience",
}
# How an admin's page names what is missing.
MISSING_WORDS: dict[str, str] = {
    "skills_offered": "skills offered",
    "skills_sought": "skills sought",
    "career_goals": "career goals",
    "challenges": "challenges",
    "background": "background",
}

assert set(OWNED_FIELDS) <= set(CSV_COLUMNS)
assert set(COMPLETENESS_FIELDS) <= set(TAG_FIELDS)
assert set(FIELD_LABELS) == set(OWNED_FIELDS) | set(SELF_ENROLLED_FIELDS)
assert set(MISSING_WORDS) == set(COMPLETENESS_FIELDS)


def incomplete_fields(person: PersonRecord) -> tuple[str, ...]:
    """The completeness fields the person left empty, in COMPLETENESS_FIELDS order."""
    return tuple(f for f in COMPLETENESS_FIELDS if not getattr(person, f))


def is_incomplete(person: PersonRecord) -> bool:
    return bool(incomplete_fields(person))


def keep_profile(from_file: PersonRecord, stored: PersonRecord) -> PersonRecord:
    """An import's row for someone who keeps their own profile: HR's fields from the
    file, the person's own fields as they saved them."""
    return replace(from_file, **{f: getattr(stored, f) for f in OWNED_FIELDS})


def owned_fields(self_enrolled: bool) -> tuple[str, ...]:
    """What this person may change: a signed-up person's name and years as well."""
    return SELF_ENROLLED_FIELDS + OWNED_FIELDS if self_enrolled else OWNED_FIELDS
